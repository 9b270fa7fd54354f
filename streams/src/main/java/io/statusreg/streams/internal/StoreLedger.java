package io.statusreg.streams.internal;

import io.statusreg.registry.EventId;
import io.statusreg.registry.fold.EventLedger;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The fold's {@link EventLedger} of one command: the ids it applied (in memory, for the command's
 * own fold), over the {@code event-ids} window store as releases before this one wrote it.
 *
 * <p>Nothing is written to the store any more. The command's record in {@code command-replies} is
 * its one dedup record: it is written in the same transaction as the command's events and pages, a
 * command whose id is found there is answered from it and never decided again, and event ids derive
 * from the command id ({@link io.statusreg.registry.fold.RegistryCommand#eventId}), so the events
 * of a command decided afresh cannot have been applied before ({@link #fresh}). A record per event
 * in {@code event-ids} (a RocksDB put and a changelog record each, 1,000 for a bulk) could never be
 * found by a later lookup that mattered; ids that earlier releases stored are still looked up.
 */
final class StoreLedger implements EventLedger {
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
}
