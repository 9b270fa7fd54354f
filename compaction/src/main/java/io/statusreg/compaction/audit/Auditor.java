package io.statusreg.compaction.audit;

import io.statusreg.common.wire.PublishedToken;
import io.statusreg.compaction.KafkaAccess;
import io.statusreg.compaction.LogScan;
import io.statusreg.compaction.audit.AuditReport.Difference;
import io.statusreg.compaction.audit.AuditReport.Finding;
import io.statusreg.compaction.audit.AuditReport.Kind;
import io.statusreg.compaction.replay.ListFold;
import io.statusreg.compaction.replay.RegistryState;
import io.statusreg.compaction.replay.ReplayProgress;
import io.statusreg.compaction.replay.StateRebuilder;
import io.statusreg.registry.ListId;
import io.statusreg.registry.fold.ListMeta;
import io.statusreg.registry.fold.ListState;
import io.statusreg.registry.lists.StatusList;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Compares what {@code statusreg.tokens} publishes with what the log says: rebuilds every list
 * (snapshots plus the events tail, the replay path), decodes every token's bits, and reports each
 * list whose entries, shape, signature or presence differ.
 *
 * <p>A token says exactly what it covers: {@link PublishedToken#foldedEvents()}, the number of the
 * list's events folded into it. The tokens are read first, then the log is rebuilt to its end with
 * each list also kept as it was after exactly that many of its events. Every event a token covers
 * is committed no later than the token; when they commit in one transaction, the markers may reach
 * the tokens partition a moment before the events partition, so a rebuild short of a token's count
 * folds the tail again for up to {@link #COMMIT_MARKERS}. A token that differs from its list at
 * that count is a {@code MISMATCH} at once, with no settle wait. One that is correct but behind the
 * log is publication lag, and a finding ({@code STALE_TOKEN}) only when the first event it lacks is
 * older than {@code maxLag}; a list with no token is {@code MISSING_TOKEN} when it was created more
 * than {@code maxLag} ago.
 *
 * <p>Records of token wire version 1 do not say what they cover. For them (and for a token whose
 * list cannot be rebuilt at its count because a later snapshot is all that is left of its early
 * events), a difference is only a suspicion: they are re-checked, after re-reading the tokens and
 * folding newly appended events, until they agree or {@code settle} has passed; then a token issued
 * before the list's last change is {@code STALE_TOKEN}, any other difference {@code MISMATCH}.
 */
public final class Auditor {
  private final KafkaAccess kafka;
  private final StateRebuilder rebuilder;
  private final String tokensTopic;
  private final TokenReader reader;
  private final Duration settle;
  private final Duration maxLag;
  private final Clock clock;

  public Auditor(
      KafkaAccess kafka,
      StateRebuilder rebuilder,
      String tokensTopic,
      TokenReader reader,
      Duration settle,
      Duration maxLag,
      Clock clock) {
    this.kafka = kafka;
    this.rebuilder = rebuilder;
    this.tokensTopic = tokensTopic;
    this.reader = reader;
    this.settle = settle;
    this.maxLag = maxLag;
    this.clock = clock;
  }

  public AuditReport audit(ReplayProgress progress) {
    // Tokens first: the rebuild then reads every event they cover.
    Map<String, Object> tokens = readTokens();
    RegistryState state = rebuilder.rebuild(progress, pins(tokens));
    awaitCoveredEvents(state, tokens);
    Instant deadline = clock.instant().plus(settle);
    while (true) {
      boolean last = !clock.instant().isBefore(deadline);
      Round round = compare(state, tokens);
      if (round.suspected == 0 || last) {
        List<Finding> findings = new ArrayList<>(round.findings);
        if (round.suspected > 0) {
          findings.replaceAll(
              f ->
                  f.kind() == Kind.STALE_TOKEN && f.detail().endsWith(PREDATES)
                      ? new Finding(
                          f.list(),
                          Kind.STALE_TOKEN,
                          f.detail() + "; still behind after " + settle,
                          f.differences(),
                          f.differenceCount())
                      : f);
        }
        return new AuditReport(
            state.lists().size(),
            tokens.size(),
            findings,
            round.exact,
            round.settled,
            round.trailing);
      }
      try {
        Thread.sleep(Math.min(2000, Math.max(100, settle.toMillis() / 10)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for publication", e);
      }
      tokens = readTokens();
      state.pin(pins(tokens));
      rebuilder.catchUp(state, ReplayProgress.NONE);
      awaitCoveredEvents(state, tokens);
    }
  }

  /**
   * How long the rebuild may trail a token's count: a token and the events it covers may commit in
   * one transaction, whose markers reach the tokens and the events partitions one after the other,
   * so the token can be readable a moment before its events are.
   */
  static final Duration COMMIT_MARKERS = Duration.ofSeconds(10);

  /**
   * Folds newly readable events while some token counts more of its list's events than the rebuild
   * holds, for at most {@link #COMMIT_MARKERS}; what is still missing then is a finding.
   */
  private void awaitCoveredEvents(RegistryState state, Map<String, Object> tokens) {
    Instant until = clock.instant().plus(COMMIT_MARKERS);
    while (aheadOfTheLog(state, tokens) && clock.instant().isBefore(until)) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading the events tail", e);
      }
      rebuilder.catchUp(state, ReplayProgress.NONE);
    }
  }

  private static boolean aheadOfTheLog(RegistryState state, Map<String, Object> tokens) {
    Map<ListId, ListFold> lists = state.lists();
    for (Object t : tokens.values()) {
      if (t instanceof PublishedBits b && b.token().knowsFoldedEvents()) {
        ListFold fold = lists.get(b.token().listId());
        long version = fold == null ? 0 : fold.version();
        if (b.token().foldedEvents() > version) {
          return true;
        }
      }
    }
    return false;
  }

  private static final String PREDATES = "the token predates the list's last change";

  /** The event count each readable token covers, by list. */
  private static Map<ListId, Long> pins(Map<String, Object> tokens) {
    Map<ListId, Long> pins = new HashMap<>();
    for (Object t : tokens.values()) {
      if (t instanceof PublishedBits b && b.token().knowsFoldedEvents()) {
        pins.put(b.token().listId(), b.token().foldedEvents());
      }
    }
    return pins;
  }

  /** The latest token per list key: {@link PublishedBits}, or the reason it cannot be read. */
  private Map<String, Object> readTokens() {
    Map<String, Object> latest = new TreeMap<>();
    try (KafkaConsumer<String, byte[]> consumer = kafka.reader()) {
      LogScan.readToEnd(
          consumer,
          LogScan.partitions(consumer, tokensTopic, Duration.ofSeconds(60)),
          Map.of(),
          Duration.ofMinutes(10),
          r -> {
            if (r.key() == null) {
              return;
            }
            if (r.value() == null) {
              latest.remove(r.key());
              return;
            }
            try {
              latest.put(r.key(), reader.read(r.key(), r.value()));
            } catch (RuntimeException e) {
              latest.put(r.key(), "unreadable at offset " + r.offset() + ": " + e.getMessage());
            }
          });
    }
    return latest;
  }

  /** One comparison of every list with its token. */
  private static final class Round {
    final List<Finding> findings = new ArrayList<>();

    /**
     * Lists whose difference may be publication lag of a token that does not say what it covers.
     */
    int suspected;

    /** Tokens compared with their list at exactly the event count they cover. */
    int exact;

    /** Tokens compared by settling (they do not say what they cover). */
    int settled;

    /** Tokens behind the log, and lists without a token, within {@code maxLag}. */
    int trailing;
  }

  private Round compare(RegistryState state, Map<String, Object> tokens) {
    Round round = new Round();
    List<Finding> out = round.findings;
    Instant now = clock.instant();
    Map<String, ListFold> lists = new HashMap<>();
    state.lists().forEach((id, f) -> lists.put(id.key(), f));
    Set<String> keys = new TreeSet<>(lists.keySet());
    keys.addAll(tokens.keySet());
    for (String key : keys) {
      ListFold fold = lists.get(key);
      Object token = tokens.get(key);
      if (fold == null) {
        out.add(finding(key, Kind.UNKNOWN_LIST, "a token is published for a list the log lacks"));
        continue;
      }
      if (token == null) {
        Instant created = fold.state().meta().createdAt();
        if (created.plus(maxLag).isBefore(now)) {
          out.add(
              finding(
                  key,
                  Kind.MISSING_TOKEN,
                  "the list exists since " + created + " but no token is published"));
        } else {
          round.trailing++;
        }
        continue;
      }
      if (token instanceof String reason) {
        out.add(finding(key, Kind.UNREADABLE_TOKEN, reason));
        continue;
      }
      PublishedBits t = (PublishedBits) token;
      if (t.token().isIdentifierList() && fold.state().exists()) {
        t = t.asSlots(fold.state().meta().identifiers(), fold.state().meta().size());
      }
      for (PublishedBits.Problem p : t.problems()) {
        out.add(finding(key, p.kind(), p.detail()));
      }
      if (t.jwtList().isEmpty()) {
        continue;
      }
      Optional<ListState> atCount = Optional.empty();
      long folded = t.token().foldedEvents();
      long version = fold.version();
      if (t.token().knowsFoldedEvents()) {
        if (folded > version) {
          out.add(
              finding(
                  key,
                  Kind.MISMATCH,
                  "the token (v"
                      + t.token().version()
                      + ") says it folds "
                      + folded
                      + " of the list's events; the log has "
                      + version));
          continue;
        }
        atCount = folded == version ? Optional.of(fold.state()) : fold.atPin();
      }
      if (atCount.isPresent() && atCount.get().exists()) {
        round.exact++;
        compareExactly(key, t, fold, atCount.get(), now, round);
      } else {
        round.settled++;
        if (compareSettling(key, t, fold.state(), out)) {
          round.suspected++;
        }
      }
    }
    return round;
  }

  /** A token compared with its list after exactly the events it covers: every finding is final. */
  private void compareExactly(
      String key, PublishedBits t, ListFold fold, ListState expected, Instant now, Round round) {
    if (shapeDiffers(key, t, expected.meta(), round.findings)) {
      return;
    }
    List<Difference> diffs = new ArrayList<>();
    long count = differences(expected.meta(), expected.entries(), t, diffs);
    long folded = t.token().foldedEvents();
    if (count > 0) {
      round.findings.add(
          new Finding(
              key,
              Kind.MISMATCH,
              count
                  + " entries differ from the list after its first "
                  + folded
                  + " events, which the token (v"
                  + t.token().version()
                  + " issued "
                  + t.token().issuedAt()
                  + ") says it covers",
              diffs,
              count));
      return;
    }
    if (folded == fold.version()) {
      return;
    }
    Optional<Instant> firstLacking = fold.firstEventAfterPin();
    if (firstLacking.isPresent() && firstLacking.get().plus(maxLag).isBefore(now)) {
      round.findings.add(
          finding(
              key,
              Kind.STALE_TOKEN,
              "the token covers "
                  + folded
                  + " of the list's "
                  + fold.version()
                  + " events; the first it lacks is from "
                  + firstLacking.get()
                  + ", more than "
                  + maxLag
                  + " ago"));
    } else {
      round.trailing++;
    }
  }

  /**
   * A token that does not say what it covers, compared with the list as it is now. Returns whether
   * a difference may be publication lag (worth a re-check until the settle time has passed).
   */
  private static boolean compareSettling(
      String key, PublishedBits t, ListState now, List<Finding> out) {
    if (shapeDiffers(key, t, now.meta(), out)) {
      return false;
    }
    List<Difference> diffs = new ArrayList<>();
    long count = differences(now.meta(), now.entries(), t, diffs);
    if (count == 0) {
      return false;
    }
    // Nothing tells when the publisher folded the list (an event's time is its command's time, iat
    // is whole seconds): every difference is checked again until the settle time has passed.
    if (t.token().issuedAt().isBefore(now.meta().updatedAt())) {
      out.add(
          new Finding(
              key, Kind.STALE_TOKEN, count + " entries differ and " + PREDATES, diffs, count));
    } else {
      out.add(
          new Finding(
              key,
              Kind.MISMATCH,
              count
                  + " entries differ from the log (token v"
                  + t.token().version()
                  + " issued "
                  + t.token().issuedAt()
                  + ", which does not say what it covers)",
              diffs,
              count));
    }
    return true;
  }

  private static boolean shapeDiffers(
      String key, PublishedBits t, ListMeta meta, List<Finding> out) {
    StatusList published = t.jwtList().orElseThrow();
    long expectedBytes = StatusList.byteLength(meta.bits(), meta.size());
    if (published.bits() == meta.bits()
        && published.toBytes().length == expectedBytes
        && t.token().size() == meta.size()) {
      return false;
    }
    out.add(
        finding(
            key,
            Kind.SHAPE,
            "token has bits="
                + published.bits()
                + ", size "
                + t.token().size()
                + " and "
                + published.toBytes().length
                + " bytes; the list has bits="
                + meta.bits()
                + ", size "
                + meta.size()
                + " and "
                + expectedBytes
                + " bytes"));
    return true;
  }

  private static long differences(
      ListMeta meta, StatusList expected, PublishedBits t, List<Difference> out) {
    return differences(
        meta.bits(), expected.toBytes(), t.jwtList().orElseThrow().toBytes(), out, 1000);
  }

  /** Counts differing entries, collecting at most {@code keep} of them, ascending by index. */
  static long differences(
      int bits, byte[] expected, byte[] published, List<Difference> out, int keep) {
    int perByte = 8 / bits;
    int mask = (1 << bits) - 1;
    long count = 0;
    for (int i = 0; i < expected.length; i++) {
      if (expected[i] == published[i]) {
        continue;
      }
      for (int e = 0; e < perByte; e++) {
        int a = (expected[i] >>> (e * bits)) & mask;
        int b = (published[i] >>> (e * bits)) & mask;
        if (a != b) {
          count++;
          if (out.size() < keep) {
            out.add(new Difference((long) i * perByte + e, a, b));
          }
        }
      }
    }
    return count;
  }

  private static Finding finding(String key, Kind kind, String detail) {
    return new Finding(key, kind, detail, List.of(), 0);
  }
}
