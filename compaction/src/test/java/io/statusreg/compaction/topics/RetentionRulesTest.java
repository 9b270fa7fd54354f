package io.statusreg.compaction.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.compaction.snapshots.SnapshotSet;
import io.statusreg.streams.serde.Watermark;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetentionRulesTest {
  static final Instant NOW = Instant.parse("2026-02-01T12:00:00Z");
  static final RetentionRules RULES = RetentionRules.DEFAULT; // 10m x 3 + 1h = 90m

  static SnapshotSet marks(Instant takenAt, long offset) {
    return new SnapshotSet(
        Map.of(), Map.of(0, new Watermark(0, offset, takenAt, Duration.ofMinutes(10))), List.of());
  }

  static List<String> check(long retentionMs, SnapshotSet s, long logStart) {
    return RULES.check(
        Map.of("retention.ms", Long.toString(retentionMs), "retention.bytes", "-1"),
        Optional.of("compact"),
        s,
        Map.of(0, logStart),
        NOW);
  }

  @Test
  void unlimitedRetentionNeedsNoSnapshots() {
    assertThat(check(-1, SnapshotSet.empty(), 0)).isEmpty();
  }

  @Test
  void boundedRetentionWithFreshCoveringSnapshotsIsSafe() {
    assertThat(RULES.floor()).isEqualTo(Duration.ofMinutes(90));
    assertThat(check(Duration.ofHours(2).toMillis(), marks(NOW.minusSeconds(60), 500), 400))
        .isEmpty();
  }

  @Test
  void retentionBelowTheFloorIsReported() {
    assertThat(check(Duration.ofMinutes(60).toMillis(), marks(NOW, 500), 0))
        .singleElement()
        .asString()
        .contains("below the safe floor 5400000");
  }

  @Test
  void staleOrMissingSnapshotsAreReportedWhenRetentionIsBounded() {
    long r = Duration.ofDays(1).toMillis();
    assertThat(check(r, marks(NOW.minus(Duration.ofMinutes(31)), 500), 0))
        .singleElement()
        .asString()
        .contains("stale");
    assertThat(check(r, SnapshotSet.empty(), 0))
        .singleElement()
        .asString()
        .contains("no snapshot watermark covers it");
  }

  @Test
  void expiredEventsBeyondTheWatermarkAreReportedEvenWithUnlimitedRetention() {
    assertThat(check(-1, marks(NOW, 500), 501))
        .singleElement()
        .asString()
        .contains("events expired that no snapshot covers");
  }

  @Test
  void sizeBasedRetentionAndADeletingSnapshotsTopicAreUnsafe() {
    List<String> problems =
        RULES.check(
            Map.of("retention.ms", "-1", "retention.bytes", "1000000"),
            Optional.of("compact,delete"),
            marks(NOW, 10),
            Map.of(0, 0L),
            NOW);
    assertThat(problems).anyMatch(p -> p.contains("retention.bytes"));
    assertThat(problems).anyMatch(p -> p.contains("must be exactly compact"));
  }
}
