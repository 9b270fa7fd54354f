package io.statusreg.registry.events;

import io.statusreg.registry.Actor;
import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import java.time.Instant;

/** The list takes no more allocations; its entries can still change and it is still served. */
public record ListRetired(EventId id, ListId listId, Actor actor, Instant at)
    implements RegistryEvent {}
