package io.statusreg.registry.events;

import io.statusreg.registry.Actor;
import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import java.time.Instant;

/**
 * Issuance: cursors {@code [fromCursor, fromCursor + count)} were handed out; the index for cursor
 * c is the list's permutation of c.
 */
public record IndexesAllocated(
    EventId id, ListId listId, long fromCursor, int count, Actor actor, Instant at)
    implements RegistryEvent {}
