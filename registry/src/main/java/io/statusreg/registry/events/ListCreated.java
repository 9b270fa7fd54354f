package io.statusreg.registry.events;

import io.statusreg.registry.Actor;
import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.identifiers.ListKind;
import io.statusreg.registry.issuance.IndexPermutation;
import java.time.Duration;
import java.time.Instant;

/**
 * A list came into being with its kind, shape, token lifetimes and key (the index permutation's key
 * of a status list, the identifier cipher's key of an identifier list, whose {@code bits} is 1: one
 * revocation bit per slot).
 */
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
    Instant at,
    ListKind kind)
    implements RegistryEvent {

  public ListCreated {
    if (kind == null) {
      kind = ListKind.STATUS_LIST;
    }
  }

  /** A status list. */
  public ListCreated(
      EventId id,
      ListId listId,
      int bits,
      long size,
      Duration ttl,
      Duration validity,
      Purpose purpose,
      IndexPermutation.Key permutationKey,
      Actor actor,
      Instant at) {
    this(
        id,
        listId,
        bits,
        size,
        ttl,
        validity,
        purpose,
        permutationKey,
        actor,
        at,
        ListKind.STATUS_LIST);
  }
}
