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
      int inCurrent = Chunk.first(current.offsets(id));
      if (inCurrent >= 0 && inCurrent < filled) {
        return true;
      }
      return previous != null && Chunk.last(previous.offsets(id)) >= filled;
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
     * open-addressing table (no boxing, no allocation per id). A probe reads only a table of 32-bit
     * fingerprints of the ids, small enough to stay in the CPU caches while a log is folded; the id
     * itself is compared only when its fingerprint matches (a duplicate, or one time in 2^32). An
     * id's slot is its fingerprint's low bits, so growing the table never reads an id.
     */
    static final class Chunk {
      final EventId[] ids;
      private int[] fingerprints;
      private int[] first;
      private int[] last;
      private int mask;
      private int distinct;
      int size;

      Chunk(int capacity) {
        this.ids = new EventId[capacity];
        table(16);
      }

      private void table(int slots) {
        fingerprints = new int[slots];
        first = new int[slots];
        last = new int[slots];
        mask = slots - 1;
      }

      /** The first offset of {@link #offsets}, -1 for an id not in the chunk. */
      static int first(long offsets) {
        return (int) (offsets >> 32);
      }

      /** The last offset of {@link #offsets}, -1 for an id not in the chunk. */
      static int last(long offsets) {
        return (int) offsets;
      }

      /** {@code first << 32 | last} of {@code id}, or -1 when it is not in the chunk. */
      long offsets(EventId id) {
        int i = find(id);
        return i < 0 ? -1 : ((long) first[i] << 32) | last[i];
      }

      /**
       * The slot holding {@code id}, or {@code -1 - s} with {@code s} the empty slot it would go.
       */
      private int find(EventId id) {
        int fingerprint = fingerprint(id);
        for (int i = fingerprint & mask; ; i = (i + 1) & mask) {
          int f = fingerprints[i];
          if (f == 0) {
            return -1 - i;
          }
          if (f == fingerprint && ids[first[i]].equals(id)) {
            return i;
          }
        }
      }

      /** Doubles the table (kept at most half full), re-inserting every id at its offsets. */
      private void grow() {
        int[] oldFingerprints = fingerprints;
        int[] oldFirst = first;
        int[] oldLast = last;
        table(oldFingerprints.length * 2);
        for (int j = 0; j < oldFingerprints.length; j++) {
          if (oldFingerprints[j] != 0) {
            int i = oldFingerprints[j] & mask;
            while (fingerprints[i] != 0) {
              i = (i + 1) & mask;
            }
            fingerprints[i] = oldFingerprints[j];
            first[i] = oldFirst[j];
            last[i] = oldLast[j];
          }
        }
      }

      void append(EventId id) {
        int at = size;
        int i = find(id);
        ids[size++] = id;
        if (i >= 0) {
          last[i] = at;
          return;
        }
        if (2 * (distinct + 1) > fingerprints.length) {
          grow();
          i = find(id);
        }
        i = -1 - i;
        fingerprints[i] = fingerprint(id);
        first[i] = at;
        last[i] = at;
        distinct++;
      }

      /** A 32-bit hash of the id's two longs, never 0 (0 marks an empty slot). */
      private static int fingerprint(EventId id) {
        long h =
            id.value().getMostSignificantBits() * 0x9E3779B97F4A7C15L
                + id.value().getLeastSignificantBits();
        h = (h ^ (h >>> 32)) * 0xD6E8FEB86659FD93L;
        int f = (int) (h ^ (h >>> 32));
        return f == 0 ? 1 : f;
      }
    }
  }
}
