package io.statusreg.compaction.replay;

import io.statusreg.compaction.snapshots.ListSnapshot;
import io.statusreg.registry.EventId;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.fold.EventLedger;
import io.statusreg.registry.fold.ListState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One list being folded from the log: its {@link ListState}, where its events live, the last event
 * folded in and the ids of the most recent ones (kept for the next snapshot, so that a rebuild from
 * that snapshot stays idempotent on event id like a fold from the beginning).
 */
public final class ListFold {
  /** Recent event ids carried from one snapshot into the rebuild that starts from it. */
  public static final int RECENT_IDS = 1024;

  private ListState state;
  private final int partition;
  private long lastEventOffset = -1;
  private EventId lastEventId;
  private final EventId[] recent = new EventId[RECENT_IDS];
  private long recorded;
  private long coveredUntil = -1;

  ListFold(int partition) {
    this.partition = partition;
    this.state = ListState.initial();
  }

  /** A fold that continues from a snapshot. */
  static ListFold from(ListSnapshot s) {
    ListFold f = new ListFold(s.partition());
    EventLedger ledger = EventLedger.recent(ListState.LEDGER_CAPACITY);
    for (EventId id : s.recentEventIds()) {
      ledger = ledger.record(id);
      f.remember(id);
    }
    f.state = ListState.of(s.meta(), s.entries(), ledger);
    f.lastEventOffset = s.lastEventOffset();
    f.lastEventId = s.lastEventId().orElse(null);
    f.coveredUntil = s.nextOffset();
    return f;
  }

  void apply(RegistryEvent event, long offset) {
    state = state.evolve(event);
    lastEventOffset = offset;
    lastEventId = event.id();
    remember(event.id());
  }

  private void remember(EventId id) {
    recent[(int) (recorded % RECENT_IDS)] = id;
    recorded++;
  }

  public ListState state() {
    return state;
  }

  public int partition() {
    return partition;
  }

  public long lastEventOffset() {
    return lastEventOffset;
  }

  /** The snapshot offset this fold was loaded from or last written at, -1 when none. */
  public long coveredUntil() {
    return coveredUntil;
  }

  void coveredUntil(long offset) {
    coveredUntil = offset;
  }

  /** Whether an event at {@code offset} is already part of the snapshot this fold came from. */
  boolean covers(long offset) {
    return offset < coveredUntil;
  }

  /** Whether the list changed since the snapshot that covers it (or has none). */
  public boolean changedSinceSnapshot() {
    return coveredUntil < 0 || lastEventOffset >= coveredUntil;
  }

  List<EventId> recentIds() {
    long from = Math.max(0, recorded - RECENT_IDS);
    List<EventId> out = new ArrayList<>((int) (recorded - from));
    for (long i = from; i < recorded; i++) {
      out.add(recent[(int) (i % RECENT_IDS)]);
    }
    return out;
  }

  /** This list as a snapshot covering every event of its partition below {@code nextOffset}. */
  public ListSnapshot toSnapshot(long nextOffset, Instant takenAt) {
    return new ListSnapshot(
        state.meta(),
        state.entries(),
        partition,
        nextOffset,
        lastEventOffset,
        Optional.ofNullable(lastEventId),
        recentIds(),
        takenAt);
  }
}
