package io.statusreg.registry.fold;

import io.statusreg.registry.EventId;
import java.util.HashMap;
import java.util.Map;

/**
 * The event ids a list has already applied, so that the fold is idempotent on event id: an event
 * seen again (a producer retry, a duplicated record) changes nothing.
 *
 * <p>{@link #recent(int)} keeps the last {@code capacity} ids per list in memory, for folds over a
 * log (replay, audit, tests). The Streams topology supplies its own ledger over a state store.
 */
public interface EventLedger {
  boolean contains(EventId id);

  /** A ledger that also contains {@code id}. May return {@code this} after recording it. */
  EventLedger record(EventId id);

  /**
   * An in-memory ledger of the last {@code capacity} ids recorded along its own line. It is
   * persistent: recording returns a new ledger and leaves this one as it was, so an older ledger
   * (an older {@link ListState}) still answers for exactly the ids it had seen. Growing the latest
   * ledger of a line is O(1); recording into an older one copies at most {@code capacity} ids.
   * Ledgers of one line share mutable storage: use them from one thread at a time.
   */
  static EventLedger recent(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("ledger capacity must be at least 1, got " + capacity);
    }
    return new Recent(capacity, null, new Recent.Chunk(capacity), 0);
  }

  /** A ledger that remembers nothing (for folds whose input is known to hold no duplicates). */
  static EventLedger none() {
    return None.INSTANCE;
  }

  enum None implements EventLedger {
    INSTANCE;

    @Override
    public boolean contains(EventId id) {
      return false;
    }

    @Override
    public EventLedger record(EventId id) {
      return this;
    }
  }

  /**
   * The ids of one line of ledgers in append-only chunks of {@code capacity} ids. A ledger sees the
   * first {@code filled} ids of its current chunk and the ids of the previous (full, frozen) chunk
   * from offset {@code filled} on: the last {@code capacity} ids in all. Later ledgers of the same
   * line only append past {@code filled}, which this one never reads, and old chunks are dropped
   * once no ledger refers to them.
   */
  final class Recent implements EventLedger {
    private final int capacity;
    private final Chunk previous;
    private final Chunk current;
    private final int filled;

    private Recent(int capacity, Chunk previous, Chunk current, int filled) {
      this.capacity = capacity;
      this.previous = previous;
      this.current = current;
      this.filled = filled;
    }

    @Override
    public boolean contains(EventId id) {
      int[] inCurrent = current.offsets.get(id);
      if (inCurrent != null && inCurrent[0] < filled) {
        return true;
      }
      int[] inPrevious = previous == null ? null : previous.offsets.get(id);
      return inPrevious != null && inPrevious[1] >= filled;
    }

    @Override
    public EventLedger record(EventId id) {
      if (filled == capacity) {
        Chunk next = new Chunk(capacity);
        next.append(id);
        return new Recent(capacity, current, next, 1);
      }
      Chunk target = current;
      if (target.size != filled) {
        // Another ledger of this line has appended past what this one saw: branch off a copy.
        target = new Chunk(capacity);
        for (int i = 0; i < filled; i++) {
          target.append(current.ids[i]);
        }
      }
      target.append(id);
      return new Recent(capacity, previous, target, filled + 1);
    }

    /** Up to {@code capacity} ids in order, with each id's first and last offset. */
    static final class Chunk {
      final EventId[] ids;
      final Map<EventId, int[]> offsets = new HashMap<>();
      int size;

      Chunk(int capacity) {
        this.ids = new EventId[capacity];
      }

      void append(EventId id) {
        ids[size] = id;
        int at = size;
        offsets.merge(id, new int[] {at, at}, (old, fresh) -> new int[] {old[0], at});
        size++;
      }
    }
  }
}
