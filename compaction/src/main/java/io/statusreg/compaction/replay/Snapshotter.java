package io.statusreg.compaction.replay;

import io.statusreg.compaction.snapshots.ListSnapshot;
import io.statusreg.compaction.snapshots.SnapshotWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Takes snapshots of a rebuilt state: every list that changed since its last snapshot (or every
 * list with {@code full}), each covering its partition up to the state's position there, plus one
 * watermark per partition. Unchanged lists keep their older snapshot, which still covers them: no
 * event of theirs lies between it and the new watermark.
 */
public final class Snapshotter {
  private Snapshotter() {}

  public static SnapshotWriter.Written snapshot(
      RegistryState state, SnapshotWriter writer, Instant now, Duration interval, boolean full) {
    if (state.until().isPresent()) {
      throw new IllegalStateException("a state rebuilt --until a past time is never snapshotted");
    }
    Map<Integer, Long> positions = state.positions();
    List<ListSnapshot> changed = new ArrayList<>();
    List<ListFold> written = new ArrayList<>();
    for (ListFold fold : state.lists().values()) {
      if (full || fold.changedSinceSnapshot()) {
        changed.add(fold.toSnapshot(positions.getOrDefault(fold.partition(), 0L), now));
        written.add(fold);
      }
    }
    SnapshotWriter.Written result = writer.write(changed, positions, now, interval);
    for (ListFold f : written) {
      f.coveredUntil(positions.getOrDefault(f.partition(), 0L));
    }
    return result;
  }
}
