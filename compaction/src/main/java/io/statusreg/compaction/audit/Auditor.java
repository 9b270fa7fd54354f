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
 * suspicion when the token may simply be older than the list's last change: the token covers an
 * events offset (header) below the list's last event, or, without that header, was issued before
 * the list's last change. Suspected lists are re-checked, after folding newly appended events and
 * re-reading the tokens, until they agree or {@code settle} has passed. Any other difference is
 * reported at once.
 */
public final class Auditor {
  private final KafkaAccess kafka;
  private final StateRebuilder rebuilder;
  private final String tokensTopic;
  private final TokenDecoder decoder;
  private final Duration settle;
  private final Clock clock;

  public Auditor(
      KafkaAccess kafka,
      StateRebuilder rebuilder,
      String tokensTopic,
      TokenDecoder decoder,
      Duration settle,
      Clock clock) {
    this.kafka = kafka;
    this.rebuilder = rebuilder;
    this.tokensTopic = tokensTopic;
    this.decoder = decoder;
    this.settle = settle;
    this.clock = clock;
  }

  public AuditReport audit(ReplayProgress progress) {
    RegistryState state = rebuilder.rebuild(progress);
    Instant deadline = clock.instant().plus(settle);
    while (true) {
      Map<String, Object> tokens = readTokens();
      List<Finding> findings = new ArrayList<>();
      boolean suspected = compare(state, tokens, findings);
      if (!suspected || !clock.instant().isBefore(deadline)) {
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
              latest.put(r.key(), decoder.decode(r.key(), r.value(), r.headers()));
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
      if (t.signatureValid().isPresent() && !t.signatureValid().get()) {
        out.add(
            finding(
                key,
                Kind.BAD_SIGNATURE,
                "signature does not verify (kid " + t.kid().orElse("none") + ")"));
      }
      ListMeta meta = fold.state().meta();
      byte[] expected = fold.state().entries().toBytes();
      if (t.bits() != meta.bits() || t.packed().length != expected.length) {
        out.add(
            finding(
                key,
                Kind.SHAPE,
                "token has bits="
                    + t.bits()
                    + " and "
                    + t.packed().length
                    + " bytes; the list has bits="
                    + meta.bits()
                    + " and "
                    + expected.length
                    + " bytes"));
        continue;
      }
      List<Difference> diffs = new ArrayList<>();
      long count = differences(meta.bits(), expected, t.packed(), diffs, 1000);
      if (count == 0) {
        continue;
      }
      boolean behind =
          t.coversEventOffset().isPresent()
              ? t.coversEventOffset().get() <= fold.lastEventOffset()
              : t.issuedAt().isBefore(meta.updatedAt());
      if (behind) {
        suspected = true;
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
                count + " entries differ from the log (token issued " + t.issuedAt() + ")",
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
