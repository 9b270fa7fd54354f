package io.statusreg.registry.fold;

import io.statusreg.registry.Status;
import io.statusreg.registry.events.IdentifierRevoked;
import io.statusreg.registry.events.IndexesAllocated;
import io.statusreg.registry.events.ListCreated;
import io.statusreg.registry.events.ListFull;
import io.statusreg.registry.events.ListRetired;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.events.StatusChanged;
import io.statusreg.registry.lists.StatusList;

/**
 * One list's state: its metadata and entries ({@code null} both before the list is created), and
 * the ledger of applied event ids. {@link #evolve} folds one event; it never throws for an event
 * the rules refuse, it ignores it and counts it in {@link ListMeta#ignored()}.
 *
 * <p>Equality compares metadata and entries, not the ledger.
 */
public record ListState(ListMeta meta, StatusList entries, EventLedger ledger) {

  /** Default number of recent event ids remembered per list by in-memory folds. */
  public static final int LEDGER_CAPACITY = 4096;

  public static ListState initial() {
    return new ListState(null, null, EventLedger.recent(LEDGER_CAPACITY));
  }

  /** A state over metadata and entries loaded from storage, with the given ledger. */
  public static ListState of(ListMeta meta, StatusList entries, EventLedger ledger) {
    return new ListState(meta, entries, ledger);
  }

  public boolean exists() {
    return meta != null;
  }

  public Status statusAt(long idx) {
    return Status.fromCode(entries.get(idx));
  }

  public ListState evolve(RegistryEvent event) {
    if (ledger.contains(event.id())) {
      return this;
    }
    EventLedger seen = ledger.record(event.id());
    if (!(event instanceof ListCreated) && !exists()) {
      return new ListState(meta, entries, seen);
    }
    if (exists() && !event.listId().equals(meta.listId())) {
      // A record routed to the wrong list: never let it touch this one.
      return new ListState(meta.withIgnored(), entries, seen);
    }
    return switch (event) {
      case ListCreated e -> {
        if (exists()) {
          yield new ListState(meta.withIgnored(), entries, seen);
        }
        if (!StatusList.isValidShape(e.bits(), e.size())
            || (e.kind() == io.statusreg.registry.identifiers.ListKind.IDENTIFIER_LIST
                && e.bits() != 1)) {
          yield new ListState(meta, entries, seen);
        }
        ListMeta created =
            new ListMeta(
                e.listId(),
                e.bits(),
                e.size(),
                e.ttl(),
                e.validity(),
                e.purpose(),
                e.permutationKey(),
                0,
                false,
                false,
                1,
                0,
                e.at(),
                e.at(),
                e.kind());
        yield new ListState(created, StatusList.empty(e.bits(), e.size()), seen);
      }
      case IndexesAllocated e -> {
        if (e.fromCursor() < 0 || e.count() < 1 || e.fromCursor() > meta.size() - e.count()) {
          yield new ListState(meta.withIgnored(), entries, seen);
        }
        long end = e.fromCursor() + e.count();
        yield new ListState(
            meta.withCursor(Math.max(meta.cursor(), end)).advance(e.at()), entries, seen);
      }
      case StatusChanged e -> {
        if (meta.isIdentifierList()) {
          yield new ListState(meta.withIgnored(), entries, seen);
        }
        if (e.idx() < 0 || e.idx() >= meta.size() || !e.status().fitsIn(meta.bits())) {
          yield new ListState(meta.withIgnored(), entries, seen);
        }
        Status current = Status.fromCode(entries.get(e.idx()));
        if (current.isTerminal() && current != e.status()) {
          yield new ListState(meta.withIgnored(), entries, seen);
        }
        yield new ListState(meta.advance(e.at()), entries.with(e.idx(), e.status().code()), seen);
      }
      case IdentifierRevoked e -> {
        if (!meta.isIdentifierList() || e.slot() < 0 || e.slot() >= meta.size()) {
          yield new ListState(meta.withIgnored(), entries, seen);
        }
        if (entries.get(e.slot()) != 0) {
          // Already revoked: revocation is permanent, a second one changes nothing.
          yield new ListState(meta.advance(e.at()), entries, seen);
        }
        yield new ListState(meta.advance(e.at()), entries.with(e.slot(), 1), seen);
      }
      case ListFull e -> new ListState(meta.withFull().advance(e.at()), entries, seen);
      case ListRetired e -> new ListState(meta.withRetired().advance(e.at()), entries, seen);
    };
  }

  /** Folds a sequence of events from {@code this}. */
  public ListState evolveAll(Iterable<? extends RegistryEvent> events) {
    ListState state = this;
    for (RegistryEvent event : events) {
      state = state.evolve(event);
    }
    return state;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ListState other
        && java.util.Objects.equals(meta, other.meta)
        && java.util.Objects.equals(entries, other.entries);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(meta, entries);
  }
}
