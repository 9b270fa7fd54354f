package io.statusreg.registry.events;

import io.statusreg.registry.Actor;
import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.issuance.IndexPermutation;
import java.time.Duration;
import java.time.Instant;

/** A list came into being with its shape, token lifetimes and permutation key. */
public record ListCreated(
    EventId id,
    ListId listId,
    int bits,
    long size,
    Duration ttl,
    Duration validity,
    Purpose purpose,
    IndexPermutation.Key permutationKey,
    Actor actor,
    Instant at)
    implements RegistryEvent {}
