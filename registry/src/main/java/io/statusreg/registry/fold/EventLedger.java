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
   * An in-memory ledger of the last {@code capacity} ids. It is meant for one fold going forward:
   * recording into a ledger that is not the latest of its line copies it first.
   */
  static EventLedger recent(int capacity) {
    return new Recent(capacity, new Recent.Log(capacity), 0);
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

  final class Recent implements EventLedger {
    private final int capacity;
    private final Log log;
    private final long length;

    private Recent(int capacity, Log log, long length) {
      this.capacity = capacity;
      this.log = log;
      this.length = length;
    }

    @Override
    public boolean contains(EventId id) {
      Log current = length == log.length ? log : log.copyAt(length);
      Long at = current.positions.get(id);
      return at != null && at < length && at >= length - capacity;
    }

    @Override
    public EventLedger record(EventId id) {
      Log current = length == log.length ? log : log.copyAt(length);
      current.append(id);
      return new Recent(capacity, current, current.length);
    }

    static final class Log {
      final int capacity;
      final EventId[] ring;
      final Map<EventId, Long> positions = new HashMap<>();
      long length;

      Log(int capacity) {
        this.capacity = capacity;
        this.ring = new EventId[capacity];
      }

      void append(EventId id) {
        int slot = (int) (length % capacity);
        EventId evicted = ring[slot];
        if (evicted != null && positions.get(evicted) == length - capacity) {
          positions.remove(evicted);
        }
        ring[slot] = id;
        positions.put(id, length);
        length++;
      }

      /** A log holding what this one held when it was {@code at} long (within the window). */
      Log copyAt(long at) {
        Log copy = new Log(capacity);
        for (long p = Math.max(0, at - capacity); p < at; p++) {
          EventId id = ring[(int) (p % capacity)];
          if (p >= length - capacity && id != null) {
            copy.ring[(int) (p % capacity)] = id;
            copy.positions.put(id, p);
          }
        }
        copy.length = at;
        return copy;
      }
    }
  }
}
