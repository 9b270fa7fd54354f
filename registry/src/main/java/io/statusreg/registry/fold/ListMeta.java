package io.statusreg.registry.fold;

import io.statusreg.registry.ListId;
import io.statusreg.registry.events.ListCreated;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.identifiers.IdentifierCipher;
import io.statusreg.registry.identifiers.ListKind;
import io.statusreg.registry.issuance.IndexPermutation;
import java.time.Duration;
import java.time.Instant;

/**
 * A list's metadata: its shape, token lifetimes, allocation cursor and counters. Small, so a
 * Streams store rewrites it on every event while the entries live in pages.
 *
 * @param version number of events applied to the list (its own sequence)
 * @param ignored events the fold ignored because the rules refused them (e.g. after revocation)
 * @param kind a status list or an identifier list (whose entries are one revocation bit per
 *     allocation slot, and whose key makes identifiers rather than permuting indexes)
 */
public record ListMeta(
    ListId listId,
    int bits,
    long size,
    Duration ttl,
    Duration validity,
    Purpose purpose,
    IndexPermutation.Key permutationKey,
    long cursor,
    boolean full,
    boolean retired,
    long version,
    long ignored,
    Instant createdAt,
    Instant updatedAt,
    ListKind kind) {

  public ListMeta {
    if (kind == null) {
      kind = ListKind.STATUS_LIST;
    }
  }

  /** The metadata of a status list. */
  public ListMeta(
      ListId listId,
      int bits,
      long size,
      Duration ttl,
      Duration validity,
      Purpose purpose,
      IndexPermutation.Key permutationKey,
      long cursor,
      boolean full,
      boolean retired,
      long version,
      long ignored,
      Instant createdAt,
      Instant updatedAt) {
    this(
        listId,
        bits,
        size,
        ttl,
        validity,
        purpose,
        permutationKey,
        cursor,
        full,
        retired,
        version,
        ignored,
        createdAt,
        updatedAt,
        ListKind.STATUS_LIST);
  }

  /** A new list's metadata: the event's shape and key, nothing allocated, version 1. */
  public static ListMeta created(ListCreated e) {
    return new ListMeta(
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
  }

  public boolean isIdentifierList() {
    return kind == ListKind.IDENTIFIER_LIST;
  }

  /** The cipher that makes this identifier list's identifiers from its slots. */
  public IdentifierCipher identifiers() {
    return new IdentifierCipher(permutationKey);
  }

  public IndexPermutation permutation() {
    return new IndexPermutation(size, permutationKey);
  }

  /**
   * Whether the index was handed out: its cursor lies below the allocation cursor (for an
   * identifier list, the index is the slot itself).
   */
  public boolean isAllocated(long idx) {
    if (isIdentifierList()) {
      return idx >= 0 && idx < cursor;
    }
    return idx >= 0 && idx < size && permutation().inverse(idx) < cursor;
  }

  public long remaining() {
    return size - cursor;
  }

  /**
   * A copy with the fields the fold changes ({@link ListState.Fold} keeps them while it folds); the
   * list's shape and key never change.
   */
  ListMeta evolved(
      long newCursor,
      boolean newFull,
      boolean newRetired,
      long newVersion,
      long newIgnored,
      Instant newUpdatedAt) {
    return new ListMeta(
        listId,
        bits,
        size,
        ttl,
        validity,
        purpose,
        permutationKey,
        newCursor,
        newFull,
        newRetired,
        newVersion,
        newIgnored,
        createdAt,
        newUpdatedAt,
        kind);
  }
}
