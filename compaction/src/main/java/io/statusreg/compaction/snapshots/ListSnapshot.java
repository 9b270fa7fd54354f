package io.statusreg.compaction.snapshots;

import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.fold.ListMeta;
import io.statusreg.registry.lists.StatusList;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One list's full state as of a position in {@code statusreg.events}: metadata (bits, size, cursor,
 * counters), the entries, the ids of the most recent events (so that the fold stays idempotent
 * across the snapshot boundary) and the coordinates it covers.
 *
 * @param partition the {@code statusreg.events} partition that holds the list's events
 * @param nextOffset every event of the list below this offset is folded in; the tail starts here
 * @param lastEventOffset offset of the last event folded in, -1 when unknown
 * @param lastEventId id of the last event folded in
 * @param recentEventIds ids of the latest events folded in, oldest first (bounded)
 * @param takenAt when the snapshot was taken
 */
public record ListSnapshot(
    ListMeta meta,
    StatusList entries,
    int partition,
    long nextOffset,
    long lastEventOffset,
    Optional<EventId> lastEventId,
    List<EventId> recentEventIds,
    Instant takenAt) {

  public ListSnapshot {
    if (meta == null || entries == null) {
      throw new IllegalArgumentException("a snapshot needs a created list");
    }
    recentEventIds = List.copyOf(recentEventIds);
  }

  public ListId listId() {
    return meta.listId();
  }
}
