package io.statusreg.compaction.snapshots;

import io.statusreg.registry.ListId;
import io.statusreg.streams.serde.Watermark;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code statusreg.snapshots} holds: the latest snapshot of every list, the watermark of every
 * {@code statusreg.events} partition, and the records that could not be read.
 */
public record SnapshotSet(
    Map<ListId, ListSnapshot> lists, Map<Integer, Watermark> watermarks, List<String> problems) {
  public SnapshotSet {
    lists = Map.copyOf(lists);
    watermarks = Map.copyOf(watermarks);
    problems = List.copyOf(problems);
  }

  public static SnapshotSet empty() {
    return new SnapshotSet(Map.of(), Map.of(), List.of());
  }

  /** The oldest watermark time, the age of the snapshots' coverage; empty without watermarks. */
  public Optional<Instant> oldestWatermark() {
    return watermarks.values().stream().map(Watermark::takenAt).min(Instant::compareTo);
  }
}
