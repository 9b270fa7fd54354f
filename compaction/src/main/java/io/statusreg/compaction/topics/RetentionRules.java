package io.statusreg.compaction.topics;

import io.statusreg.compaction.snapshots.SnapshotSet;
import io.statusreg.streams.serde.Watermark;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * When {@code statusreg.events} may run with bounded retention (compaction/README.md, Retention):
 * never expire an event that no snapshot covers. Concretely:
 *
 * <ol>
 *   <li>{@code retention.bytes} stays -1: size-based expiry is not tied to snapshot coverage;
 *   <li>{@code retention.ms} is at least {@code interval × safetyFactor + maxConsumerLag};
 *   <li>the snapshots topic exists with {@code cleanup.policy=compact} only (no deletion);
 *   <li>every events partition has a watermark no older than {@code interval × safetyFactor};
 *   <li>no events partition starts (log start offset) beyond its watermark.
 * </ol>
 *
 * Rules 3-5 only apply while retention is bounded; rule 5 is checked whenever watermarks exist,
 * since expired uncovered events mean lost history either way.
 *
 * @param interval how often snapshots are taken ({@code statusreg snapshot --every})
 * @param safetyFactor snapshot runs that may fail in a row before events are at risk
 * @param maxConsumerLag the largest lag any reader of the events topic may have
 */
public record RetentionRules(Duration interval, int safetyFactor, Duration maxConsumerLag) {
  public static final RetentionRules DEFAULT =
      new RetentionRules(Duration.ofMinutes(10), 3, Duration.ofHours(1));

  public RetentionRules {
    if (interval.isNegative() || interval.isZero() || safetyFactor < 1) {
      throw new IllegalArgumentException("snapshot interval and safety factor must be positive");
    }
  }

  /** The smallest safe {@code retention.ms} of the events topic. */
  public Duration floor() {
    return interval.multipliedBy(safetyFactor).plus(maxConsumerLag);
  }

  /** Oldest a watermark may be while retention is bounded. */
  public Duration maxSnapshotAge() {
    return interval.multipliedBy(safetyFactor);
  }

  /**
   * The problems with the events topic's retention, given its live configs, the snapshots topic's
   * {@code cleanup.policy} (empty when the topic is missing), the snapshots and each events
   * partition's log start offset. Empty when retention is safe.
   */
  public List<String> check(
      Map<String, String> eventsConfig,
      Optional<String> snapshotsCleanupPolicy,
      SnapshotSet snapshots,
      Map<Integer, Long> eventsLogStart,
      Instant now) {
    List<String> problems = new ArrayList<>();
    long retentionMs = Long.parseLong(eventsConfig.getOrDefault("retention.ms", "-1"));
    long retentionBytes = Long.parseLong(eventsConfig.getOrDefault("retention.bytes", "-1"));
    boolean bounded = retentionMs >= 0 || retentionBytes >= 0;
    if (retentionBytes >= 0) {
      problems.add(
          "events: retention.bytes="
              + retentionBytes
              + " expires events by size, regardless of snapshot coverage; set it to -1");
    }
    if (retentionMs >= 0) {
      Duration effectiveInterval = interval;
      for (Watermark w : snapshots.watermarks().values()) {
        if (w.interval().compareTo(effectiveInterval) > 0) {
          effectiveInterval = w.interval();
        }
      }
      Duration floor = new RetentionRules(effectiveInterval, safetyFactor, maxConsumerLag).floor();
      if (retentionMs < floor.toMillis()) {
        problems.add(
            "events: retention.ms="
                + retentionMs
                + " is below the safe floor "
                + floor.toMillis()
                + " (snapshot interval "
                + effectiveInterval
                + " x safety factor "
                + safetyFactor
                + " + max consumer lag "
                + maxConsumerLag
                + ")");
      }
    }
    if (bounded) {
      if (snapshotsCleanupPolicy.isEmpty()) {
        problems.add("snapshots: topic is missing while events retention is bounded");
      } else if (!snapshotsCleanupPolicy.get().equals("compact")) {
        problems.add(
            "snapshots: cleanup.policy="
                + snapshotsCleanupPolicy.get()
                + " may delete the latest snapshot; it must be exactly compact");
      }
    }
    for (Map.Entry<Integer, Long> e : eventsLogStart.entrySet()) {
      int p = e.getKey();
      Watermark w = snapshots.watermarks().get(p);
      if (w == null) {
        if (bounded) {
          problems.add("events partition " + p + ": no snapshot watermark covers it");
        }
        if (e.getValue() > 0) {
          problems.add(
              "events partition "
                  + p
                  + ": the log starts at "
                  + e.getValue()
                  + " but no snapshot covers the expired events");
        }
        continue;
      }
      if (bounded && Duration.between(w.takenAt(), now).compareTo(maxSnapshotAge()) > 0) {
        problems.add(
            "events partition "
                + p
                + ": the latest snapshot was taken at "
                + w.takenAt()
                + ", older than "
                + maxSnapshotAge()
                + " (stale: is `statusreg snapshot --every` running?)");
      }
      if (e.getValue() > w.offset()) {
        problems.add(
            "events partition "
                + p
                + ": the log starts at "
                + e.getValue()
                + ", after the snapshot watermark "
                + w.offset()
                + ": events expired that no snapshot covers");
      }
    }
    return problems;
  }
}
