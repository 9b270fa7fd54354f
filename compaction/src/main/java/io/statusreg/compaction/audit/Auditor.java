package io.statusreg.compaction.audit;

import io.statusreg.compaction.KafkaAccess;
import io.statusreg.compaction.LogScan;
import io.statusreg.compaction.audit.AuditReport.Difference;
import io.statusreg.compaction.audit.AuditReport.Finding;
import io.statusreg.compaction.audit.AuditReport.Kind;
import io.statusreg.compaction.replay.ListFold;
import io.statusreg.compaction.replay.RegistryState;
import io.statusreg.compaction.replay.ReplayProgress;
import io.statusreg.compaction.replay.StateRebuilder;
import io.statusreg.registry.fold.ListMeta;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Compares what {@code statusreg.tokens} publishes with what the log says: rebuilds every list
 * (snapshots plus the events tail, the replay path), decodes every token's bits, and reports each
 * list whose entries, shape, signature or presence differ.
 *
 * <p>Publication lags the log by up to {@code publish.interval}, so a difference is first only a
 * suspicion when the token may simply be older than the list's last change. With the record header
 * of the events offset a token covers, that is exact: a token covering the list's last event that
 * still differs is reported at once. Without it, every difference is suspected. Suspected lists are
 * re-checked, after folding newly appended events and re-reading the tokens, until they agree or
 * {@code settle} has passed; then a token issued before the list's last change is {@code
 * STALE_TOKEN}, any other difference {@code MISMATCH}.
 */
public final class Auditor {
  private final KafkaAccess kafka;
  private final StateRebuilder rebuilder;
  private final String tokensTopic;
  private final TokenReader reader;
  private final Duration settle;
  private final Clock clock;

  public Auditor(
      KafkaAccess kafka,
      StateRebuilder rebuilder,
      String tokensTopic,
      TokenReader reader,
      Duration settle,
      Clock clock) {
    this.kafka = kafka;
    this.rebuilder = rebuilder;
    this.tokensTopic = tokensTopic;
    this.reader = reader;
    this.settle = settle;
    this.clock = clock;
  }

  public AuditReport audit(ReplayProgress progress) {
    RegistryState state = rebuilder.rebuild(progress);
    Instant deadline = clock.instant().plus(settle);
    while (true) {
      boolean last = !clock.instant().isBefore(deadline);
      Map<String, Object> tokens = readTokens();
      List<Finding> findings = new ArrayList<>();
      boolean suspected = compare(state, tokens, findings);
      if (!suspected || last) {
        if (suspected) {
          findings.replaceAll(
              f ->
                  f.kind() == Kind.STALE_TOKEN
                      ? new Finding(
                          f.list(),
                          Kind.STALE_TOKEN,
                          f.detail() + "; still behind after " + settle,
                          f.differences(),
                          f.differenceCount())
                      : f);
        }
        return new AuditReport(state.lists().size(), tokens.size(), findings);
      }
      try {
        Thread.sleep(Math.min(2000, Math.max(100, settle.toMillis() / 10)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for publication", e);
      }
      rebuilder.catchUp(state, ReplayProgress.NONE);
    }
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
              latest.put(r.key(), reader.read(r.key(), r.value(), r.headers()));
            } catch (RuntimeException e) {
              latest.put(r.key(), "unreadable at offset " + r.offset() + ": " + e.getMessage());
            }
          });
    }
    return latest;
  }

  /** Adds findings; returns whether any of them may be publication lag (worth a re-check). */
  private boolean compare(RegistryState state, Map<String, Object> tokens, List<Finding> out) {
    boolean suspected = false;
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
        out.add(finding(key, Kind.MISSING_TOKEN, "the list exists but no token is published"));
        suspected = true;
        continue;
      }
      if (token instanceof String reason) {
        out.add(finding(key, Kind.UNREADABLE_TOKEN, reason));
        continue;
      }
      PublishedBits t = (PublishedBits) token;
      for (PublishedBits.Problem p : t.problems()) {
        out.add(finding(key, p.kind(), p.detail()));
      }
      if (t.jwtList().isEmpty()) {
        continue;
      }
      ListMeta meta = fold.state().meta();
      byte[] expected = fold.state().entries().toBytes();
      byte[] published = t.jwtList().get().toBytes();
      if (t.jwtList().get().bits() != meta.bits()
          || published.length != expected.length
          || t.token().size() != meta.size()) {
        out.add(
            finding(
                key,
                Kind.SHAPE,
                "token has bits="
                    + t.jwtList().get().bits()
                    + ", size "
                    + t.token().size()
                    + " and "
                    + published.length
                    + " bytes; the list has bits="
                    + meta.bits()
                    + ", size "
                    + meta.size()
                    + " and "
                    + expected.length
                    + " bytes"));
        continue;
      }
      List<Difference> diffs = new ArrayList<>();
      long count = differences(meta.bits(), expected, published, diffs, 1000);
      if (count == 0) {
        continue;
      }
      // With the covered offset (header) the token's position in the log is exact: a token that
      // covers the list's last event and still differs is a mismatch at once. Without it nothing
      // tells when the publisher folded the list (an event's time is its command's time, iat is
      // whole seconds), so every difference is checked again until the settle time has passed.
      boolean exact = t.coversEventOffset().isPresent();
      boolean behind =
          exact
              ? t.coversEventOffset().get() <= fold.lastEventOffset()
              : t.token().issuedAt().isBefore(meta.updatedAt());
      if (!exact || behind) {
        suspected = true;
      }
      if (behind) {
        out.add(
            new Finding(
                key,
                Kind.STALE_TOKEN,
                count + " entries differ and the token predates the list's last change",
                diffs,
                count));
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
                    + ")",
                diffs,
                count));
      }
    }
    return suspected;
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
