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
 *
 * <p>A fold may be <em>pinned</em> at a list version (a number of the list's events, {@code
 * ListMeta.version}): it then also keeps the state as it was when exactly that many events were
 * folded in, and the time of the first event after it. The audit pins each list at the count its
 * published token says it covers.
 */
public final class ListFold {
  /** Recent event ids carried from one snapshot into the rebuild that starts from it. */
  public static final int RECENT_IDS = 1024;

  private ListState.Fold fold;
  private final int partition;
  private long lastEventOffset = -1;
  private EventId lastEventId;
  private final EventId[] recent = new EventId[RECENT_IDS];
  private long recorded;
  private long coveredUntil = -1;
  private long pin = -1;
  private ListState atPin;
  private Instant firstAfterPin;

  ListFold(int partition) {
    this.partition = partition;
    this.fold = ListState.initial().fold();
  }

  /** A fold that continues from a snapshot. */
  static ListFold from(ListSnapshot s) {
    ListFold f = new ListFold(s.partition());
    EventLedger ledger = EventLedger.recent(ListState.LEDGER_CAPACITY);
    for (EventId id : s.recentEventIds()) {
      ledger = ledger.record(id);
      f.remember(id);
    }
    f.fold = ListState.of(s.meta(), s.entries(), ledger).fold();
    f.lastEventOffset = s.lastEventOffset();
    f.lastEventId = s.lastEventId().orElse(null);
    f.coveredUntil = s.nextOffset();
    return f;
  }

  void apply(RegistryEvent event, long offset) {
    fold.apply(event);
    lastEventOffset = offset;
    lastEventId = event.id();
    remember(event.id());
    if (pin >= 0) {
      long version = version();
      if (version == pin) {
        atPin = fold.state();
      } else if (version > pin && atPin != null && firstAfterPin == null) {
        firstAfterPin = event.at();
      }
    }
  }

  /**
   * Pins this fold at {@code version}: the state at that version is kept from now on (at once when
   * the list is there now). Pinning again at the same version keeps what was kept.
   */
  void pin(long version) {
    if (version < 0) {
      throw new IllegalArgumentException("a pin is a list version, got " + version);
    }
    if (version == pin) {
      return;
    }
    pin = version;
    atPin = version() == version ? fold.state() : null;
    firstAfterPin = null;
  }

  /** The list's version now: how many of its events are folded in (0 before it is created). */
  public long version() {
    return fold.version();
  }

  /**
   * The state when exactly the pinned number of events was folded in; empty when the fold is not
   * pinned, has not got there yet, or started past it (from a later snapshot).
   */
  public Optional<ListState> atPin() {
    return Optional.ofNullable(atPin);
  }

  /** The time of the first event folded after the pinned version, when the fold passed it. */
  public Optional<Instant> firstEventAfterPin() {
    return Optional.ofNullable(firstAfterPin);
  }

  private void remember(EventId id) {
    recent[(int) (recorded % RECENT_IDS)] = id;
    recorded++;
  }

  /** The state as folded so far (folding edits entries in place; this hands out a fixed copy). */
  public ListState state() {
    return fold.state();
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
        fold.state().meta(),
        fold.state().entries(),
        partition,
        nextOffset,
        lastEventOffset,
        Optional.ofNullable(lastEventId),
        recentIds(),
        takenAt);
  }
}
