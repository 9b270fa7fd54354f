package io.statusreg.registry.fold;

import io.statusreg.registry.EventId;

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
      int inCurrent = current.slot(id);
      if (inCurrent >= 0 && current.first[inCurrent] < filled) {
        return true;
      }
      int inPrevious = previous == null ? -1 : previous.slot(id);
      return inPrevious >= 0 && previous.last[inPrevious] >= filled;
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

    /**
     * Up to {@code capacity} ids in order, with each id's first and last offset, in an
     * open-addressing table over the id's two longs (no boxing, no allocation per id).
     */
    static final class Chunk {
      final EventId[] ids;
      private long[] msb;
      private long[] lsb;
      int[] first;
      int[] last;
      private boolean[] used;
      private int mask;
      private int distinct;
      int size;

      Chunk(int capacity) {
        this.ids = new EventId[capacity];
        table(16);
      }

      private void table(int slots) {
        msb = new long[slots];
        lsb = new long[slots];
        first = new int[slots];
        last = new int[slots];
        used = new boolean[slots];
        mask = slots - 1;
      }

      /** Doubles the table (kept at most half full), re-inserting every id at its offsets. */
      private void grow() {
        long[] oldMsb = msb;
        long[] oldLsb = lsb;
        int[] oldFirst = first;
        int[] oldLast = last;
        boolean[] oldUsed = used;
        table(oldUsed.length * 2);
        for (int j = 0; j < oldUsed.length; j++) {
          if (oldUsed[j]) {
            int i = hash(oldMsb[j], oldLsb[j]);
            while (used[i]) {
              i = (i + 1) & mask;
            }
            used[i] = true;
            msb[i] = oldMsb[j];
            lsb[i] = oldLsb[j];
            first[i] = oldFirst[j];
            last[i] = oldLast[j];
          }
        }
      }

      /** The table slot holding {@code id}, or -1. */
      int slot(EventId id) {
        long hi = id.value().getMostSignificantBits();
        long lo = id.value().getLeastSignificantBits();
        for (int i = hash(hi, lo); ; i = (i + 1) & mask) {
          if (!used[i]) {
            return -1;
          }
          if (msb[i] == hi && lsb[i] == lo) {
            return i;
          }
        }
      }

      void append(EventId id) {
        ids[size] = id;
        int at = size;
        long hi = id.value().getMostSignificantBits();
        long lo = id.value().getLeastSignificantBits();
        int i = hash(hi, lo);
        while (used[i] && !(msb[i] == hi && lsb[i] == lo)) {
          i = (i + 1) & mask;
        }
        if (!used[i]) {
          if (2 * (distinct + 1) > used.length) {
            grow();
            i = hash(hi, lo);
            while (used[i]) {
              i = (i + 1) & mask;
            }
          }
          used[i] = true;
          msb[i] = hi;
          lsb[i] = lo;
          first[i] = at;
          distinct++;
        }
        last[i] = at;
        size++;
      }

      private int hash(long hi, long lo) {
        long h = (hi ^ Long.rotateLeft(lo, 32)) * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) & mask;
      }
    }
  }
}
