package io.statusreg.registry.events;

import io.statusreg.registry.Actor;
import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.Status;
import java.time.Instant;

/** An entry's status changed from {@code previous} to {@code status}. */
public record StatusChanged(
    EventId id,
    ListId listId,
    long idx,
    Status previous,
    Status status,
    Reason reason,
    Actor actor,
    Instant at)
    implements RegistryEvent {}
