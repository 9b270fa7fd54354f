package io.statusreg.registry.events;

import io.statusreg.registry.Actor;
import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import java.time.Instant;

/**
 * Everything that happens to a status list, as immutable facts. Events are keyed by list id on the
 * wire ({@code statusreg.events}), versioned by {@link EventCodec}, and folded by {@code
 * ListState.evolve}.
 */
public sealed interface RegistryEvent
    permits ListCreated, IndexesAllocated, StatusChanged, ListFull, ListRetired, IdentifierRevoked {
  EventId id();

  ListId listId();

  Actor actor();

  Instant at();
}
