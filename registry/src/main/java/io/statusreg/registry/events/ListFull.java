package io.statusreg.registry.events;

import io.statusreg.registry.Actor;
import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import java.time.Instant;

/** Every index of the list has been handed out; issuers get a new list. */
public record ListFull(EventId id, ListId listId, long cursor, Actor actor, Instant at)
    implements RegistryEvent {}
