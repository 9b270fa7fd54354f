package io.statusreg.registry.fold;

import io.statusreg.registry.ListId;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.issuance.IndexPermutation;
import java.time.Duration;
import java.time.Instant;

/**
 * A list's metadata: its shape, token lifetimes, allocation cursor and counters. Small, so a
 * Streams store rewrites it on every event while the entries live in pages.
 *
 * @param version number of events applied to the list (its own sequence)
 * @param ignored events the fold ignored because the rules refused them (e.g. after revocation)
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
    Instant updatedAt) {

  public IndexPermutation permutation() {
    return new IndexPermutation(size, permutationKey);
  }

  /** Whether the index was handed out: its cursor lies below the allocation cursor. */
  public boolean isAllocated(long idx) {
    return idx >= 0 && idx < size && permutation().inverse(idx) < cursor;
  }

  public long remaining() {
    return size - cursor;
  }

  ListMeta advance(Instant at) {
    return evolved(cursor, full, retired, version + 1, ignored, at);
  }

  ListMeta withCursor(long newCursor) {
    return evolved(newCursor, full, retired, version, ignored, updatedAt);
  }

  ListMeta withFull() {
    return evolved(cursor, true, retired, version, ignored, updatedAt);
  }

  ListMeta withRetired() {
    return evolved(cursor, full, true, version, ignored, updatedAt);
  }

  ListMeta withIgnored() {
    return evolved(cursor, full, retired, version, ignored + 1, updatedAt);
  }

  /** A copy with the fields the fold changes; the list's shape and key never change. */
  private ListMeta evolved(
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
        newUpdatedAt);
  }
}
