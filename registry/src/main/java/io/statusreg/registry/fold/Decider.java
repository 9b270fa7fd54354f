package io.statusreg.registry.fold;

import io.statusreg.registry.Status;
import io.statusreg.registry.events.IdentifierRevoked;
import io.statusreg.registry.events.IndexesAllocated;
import io.statusreg.registry.events.ListFull;
import io.statusreg.registry.events.ListRetired;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.events.StatusChanged;
import io.statusreg.registry.fold.RegistryCommand.AllocateIndexes;
import io.statusreg.registry.fold.RegistryCommand.ChangeStatus;
import io.statusreg.registry.fold.RegistryCommand.CreateList;
import io.statusreg.registry.fold.RegistryCommand.RetireList;
import io.statusreg.registry.fold.RegistryCommand.RevokeIdentifiers;
import io.statusreg.registry.identifiers.IdentifierCipher;
import io.statusreg.registry.identifiers.IdentifierListBound;
import io.statusreg.registry.identifiers.ListKind;
import io.statusreg.registry.lists.StatusList;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code decide(command, state) -> events}: validates a command against a list's state. Pure: no
 * I/O, no clock (the command carries its time), no randomness (the command carries its key and id).
 * A command that changes nothing is accepted with no events.
 */
public final class Decider {
  /**
   * Limits on list shape and lifetimes that every list must respect.
   *
   * @param maxIdentifiers the most identifiers one identifier list may hand out, so that its token
   *     fits one record ({@link IdentifierListBound#maxIdentifiers})
   */
  public record Limits(
      long maxSize, int maxAllocation, int maxChanges, Duration maxValidity, long maxIdentifiers) {
    public static final Limits DEFAULT =
        forRecordBytes(IdentifierListBound.DEFAULT_RECORD_MAX_BYTES);

    public Limits {
      if (maxIdentifiers < 1) {
        throw new IllegalArgumentException("maxIdentifiers must be at least 1");
      }
    }

    /** The default limits, with identifier lists bounded by records of {@code recordMaxBytes}. */
    public static Limits forRecordBytes(int recordMaxBytes) {
      return new Limits(
          100_000_000L,
          10_000,
          10_000,
          Duration.ofDays(366),
          IdentifierListBound.maxIdentifiers(recordMaxBytes));
    }
  }

  private final Limits limits;

  public Decider(Limits limits) {
    this.limits = limits;
  }

  public Decider() {
    this(Limits.DEFAULT);
  }

  public Decision decide(RegistryCommand command, ListState state) {
    return switch (command) {
      case CreateList c -> create(c, state);
      case AllocateIndexes c -> allocate(c, state);
      case ChangeStatus c -> change(c, state);
      case RetireList c -> retire(c, state);
      case RevokeIdentifiers c -> revokeIdentifiers(c, state);
    };
  }

  private Decision create(CreateList c, ListState state) {
    if (state.exists()) {
      return Decision.rejected(
          Rejection.Kind.LIST_EXISTS, "list " + c.listId() + " already exists");
    }
    if (c.kind() == ListKind.IDENTIFIER_LIST
        && (c.bits() != 1 || c.purpose() != Purpose.REVOCATION)) {
      return Decision.rejected(
          Rejection.Kind.UNPROCESSABLE,
          "an identifier list keeps one revocation bit per identifier: bits 1, purpose revocation");
    }
    if (!StatusList.isValidBits(c.bits())) {
      return Decision.rejected(
          Rejection.Kind.UNPROCESSABLE, "bits must be 1, 2, 4 or 8, got " + c.bits());
    }
    if (c.purpose() == Purpose.SUSPENSION && c.bits() < 2) {
      // A suspension must be reversible: 1 bit holds only INVALID (0x01), which is final, while
      // SUSPENDED (0x02) needs 2 bits. The W3C form shows one bit per entry either way.
      return Decision.rejected(
          Rejection.Kind.UNPROCESSABLE,
          "a suspension list needs at least 2 bits, so that SUSPENDED (0x02) can be set and"
              + " cleared; got bits "
              + c.bits());
    }
    if (c.kind() == ListKind.IDENTIFIER_LIST && c.size() > limits.maxIdentifiers()) {
      return Decision.rejected(
          Rejection.Kind.UNPROCESSABLE,
          "an identifier list holds at most "
              + limits.maxIdentifiers()
              + " identifiers, so that its token fits one record (record.max.bytes); got size "
              + c.size());
    }
    if (c.size() < 1
        || c.size() > limits.maxSize()
        || !StatusList.isValidShape(c.bits(), c.size())) {
      return Decision.rejected(
          Rejection.Kind.UNPROCESSABLE,
          "size must be between 1 and " + limits.maxSize() + ", got " + c.size());
    }
    if (c.ttl().isNegative()
        || c.ttl().isZero()
        || c.validity().compareTo(c.ttl()) < 0
        || c.validity().compareTo(limits.maxValidity()) > 0) {
      return Decision.rejected(
          Rejection.Kind.UNPROCESSABLE,
          "ttl must be positive and validity between ttl and "
              + limits.maxValidity().toDays()
              + " days");
    }
    return accepted(c.created(c.eventId(0)));
  }

  private Decision allocate(AllocateIndexes c, ListState state) {
    if (!state.exists()) {
      return notFound(c);
    }
    ListMeta meta = state.meta();
    if (meta.retired()) {
      return Decision.rejected(Rejection.Kind.LIST_RETIRED, "list " + c.listId() + " is retired");
    }
    if (c.kind() != null && c.kind() != meta.kind()) {
      // Refused before a slot is taken: the other kind's slots are no use to the caller.
      return Decision.rejected(
          Rejection.Kind.UNPROCESSABLE,
          meta.isIdentifierList()
              ? "list " + c.listId() + " is an identifier list: issue identifiers from it instead"
              : "list " + c.listId() + " is a status list: allocate indexes on it instead");
    }
    if (c.count() > limits.maxAllocation()) {
      return Decision.rejected(
          Rejection.Kind.UNPROCESSABLE,
          "at most " + limits.maxAllocation() + " indexes per allocation, asked for " + c.count());
    }
    long capacity = capacity(meta);
    long remaining = Math.max(0, capacity - meta.cursor());
    if (meta.full() || remaining < c.count()) {
      return Decision.rejected(
          Rejection.Kind.LIST_FULL,
          meta.isIdentifierList()
              ? "identifier list "
                  + c.listId()
                  + " has "
                  + remaining
                  + " identifiers left, asked for "
                  + c.count()
                  + (capacity == limits.maxIdentifiers()
                      ? " (an identifier list holds at most "
                          + limits.maxIdentifiers()
                          + " identifiers, so that its token fits one record: record.max.bytes)"
                      : "")
              : "list "
                  + c.listId()
                  + " has "
                  + remaining
                  + " indexes left, asked for "
                  + c.count());
    }
    List<RegistryEvent> events = new ArrayList<>(2);
    events.add(
        new IndexesAllocated(
            c.eventId(0), c.listId(), meta.cursor(), c.count(), c.actor(), c.at()));
    if (remaining == c.count()) {
      events.add(new ListFull(c.eventId(1), c.listId(), capacity, c.actor(), c.at()));
    }
    return new Decision.Accepted(events);
  }

  /**
   * How many slots of the list can ever be handed out: its size, and for an identifier list at most
   * {@link Limits#maxIdentifiers} (a list created before the bound, or under a larger {@code
   * record.max.bytes}, fills up at the bound).
   */
  private long capacity(ListMeta meta) {
    return meta.isIdentifierList() ? Math.min(meta.size(), limits.maxIdentifiers()) : meta.size();
  }

  private Decision change(ChangeStatus c, ListState state) {
    if (!state.exists()) {
      return notFound(c);
    }
    if (c.changes().size() > limits.maxChanges()) {
      return Decision.rejected(
          Rejection.Kind.UNPROCESSABLE,
          "at most " + limits.maxChanges() + " changes per request, got " + c.changes().size());
    }
    ListMeta meta = state.meta();
    if (meta.isIdentifierList()) {
      return Decision.rejected(
          Rejection.Kind.UNPROCESSABLE,
          "list " + c.listId() + " is an identifier list: revoke identifiers, not indexes");
    }
    Map<Long, Status> pending = new HashMap<>();
    List<RegistryEvent> events = new ArrayList<>();
    for (RegistryCommand.Change change : c.changes()) {
      long idx = change.idx();
      if (idx < 0 || idx >= meta.size()) {
        return Decision.rejected(
            Rejection.Kind.UNPROCESSABLE,
            "index " + idx + " is outside the list's range [0, " + meta.size() + ")");
      }
      if (!meta.isAllocated(idx)) {
        return Decision.rejected(
            Rejection.Kind.UNPROCESSABLE, "index " + idx + " was never allocated");
      }
      if (!change.status().fitsIn(meta.bits())) {
        return Decision.rejected(
            Rejection.Kind.UNPROCESSABLE,
            "status "
                + change.status()
                + " needs "
                + change.status().minBits()
                + " bits; the list has "
                + meta.bits());
      }
      if (meta.purpose() == Purpose.SUSPENSION
          && change.status() != Status.VALID
          && change.status() != Status.SUSPENDED) {
        // W3C verifiers see only the suspended bit of a suspension list: any other value would
        // read as "not suspended" to them.
        return Decision.rejected(
            Rejection.Kind.UNPROCESSABLE,
            "a suspension list takes VALID and SUSPENDED only, got " + change.status());
      }
      Status current = pending.getOrDefault(idx, state.statusAt(idx));
      if (current == change.status()) {
        continue;
      }
      if (current.isTerminal()) {
        return Decision.rejected(
            Rejection.Kind.CONFLICT,
            "index " + idx + " is revoked (INVALID) and revocation cannot be undone");
      }
      pending.put(idx, change.status());
      events.add(
          new StatusChanged(
              c.eventId(events.size()),
              c.listId(),
              idx,
              current,
              change.status(),
              change.reason(),
              c.actor(),
              c.at()));
    }
    return new Decision.Accepted(events);
  }

  private Decision revokeIdentifiers(RevokeIdentifiers c, ListState state) {
    if (!state.exists()) {
      return notFound(c);
    }
    ListMeta meta = state.meta();
    if (!meta.isIdentifierList()) {
      return Decision.rejected(
          Rejection.Kind.UNPROCESSABLE,
          "list " + c.listId() + " is a status list: change entries by index, not identifiers");
    }
    if (c.identifiers().size() > limits.maxChanges()) {
      return Decision.rejected(
          Rejection.Kind.UNPROCESSABLE,
          "at most "
              + limits.maxChanges()
              + " identifiers per request, got "
              + c.identifiers().size());
    }
    IdentifierCipher.Slots slots = meta.identifiers().slots();
    java.util.Set<Long> pending = new java.util.HashSet<>();
    List<RegistryEvent> events = new ArrayList<>();
    for (int i = 0; i < c.identifiers().size(); i++) {
      byte[] id = c.identifiers().get(i);
      java.util.OptionalLong slot = slots.slotOf(id);
      if (slot.isEmpty() || !meta.isAllocated(slot.getAsLong())) {
        return Decision.rejected(
            Rejection.Kind.UNPROCESSABLE,
            "identifier #" + i + " of the request was not issued from list " + c.listId());
      }
      long s = slot.getAsLong();
      if (state.statusAt(s).code() != 0 || !pending.add(s)) {
        continue; // already revoked: revocation is permanent and idempotent
      }
      events.add(
          new IdentifierRevoked(
              c.eventId(events.size()), c.listId(), s, id, c.reason(), c.actor(), c.at()));
    }
    return new Decision.Accepted(events);
  }

  private Decision retire(RetireList c, ListState state) {
    if (!state.exists()) {
      return notFound(c);
    }
    if (state.meta().retired()) {
      return new Decision.Accepted(List.of());
    }
    return accepted(new ListRetired(c.eventId(0), c.listId(), c.actor(), c.at()));
  }

  private static Decision notFound(RegistryCommand c) {
    return Decision.rejected(
        Rejection.Kind.LIST_NOT_FOUND, "list " + c.listId() + " does not exist");
  }

  private static Decision accepted(RegistryEvent event) {
    return new Decision.Accepted(List.of(event));
  }
}
