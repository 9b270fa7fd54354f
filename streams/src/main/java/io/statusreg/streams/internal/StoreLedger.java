package io.statusreg.streams.internal;

import io.statusreg.registry.EventId;
import io.statusreg.registry.fold.EventLedger;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The fold's {@link EventLedger} over the {@code event-ids} window store: ids applied within the
 * retention window are remembered (and restored from the changelog after a move). Recording is
 * buffered until {@link #flush()}, so a command whose events are refused writes nothing.
 */
final class StoreLedger implements EventLedger {
  private static final byte[] SEEN = {1};

  private final WindowStore<String, byte[]> store;
  private final long time;
  private final long window;
  private final Set<EventId> pending = new LinkedHashSet<>();
  private Set<EventId> fresh = Set.of();

  StoreLedger(WindowStore<String, byte[]> store, long time, long window) {
    this.store = store;
    this.time = time;
    this.window = window;
  }

  /**
   * Ids known not to be in the store: those of the events just decided for a command whose id is
   * not in {@code command-replies} (event ids derive from the command id, and both stores keep ids
   * for the same retention). Their lookups skip the store: one window-store fetch less per event of
   * a bulk command.
   */
  void fresh(Set<EventId> ids) {
    this.fresh = ids;
  }

  @Override
  public boolean contains(EventId id) {
    if (pending.contains(id)) {
      return true;
    }
    if (fresh.contains(id)) {
      return false;
    }
    try (WindowStoreIterator<byte[]> it =
        store.fetch(id.toString(), Math.max(0, time - window), time + window)) {
      return it.hasNext();
    }
  }

  @Override
  public EventLedger record(EventId id) {
    pending.add(id);
    return this;
  }

  void flush() {
    for (EventId id : pending) {
      store.put(id.toString(), SEEN, time);
    }
    pending.clear();
  }
}
