package io.statusreg.registry.fold;

import io.statusreg.registry.Actor;
import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.ListCreated;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.identifiers.IdentifierCipher;
import io.statusreg.registry.identifiers.ListKind;
import io.statusreg.registry.issuance.IndexPermutation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What a caller asks of a list. Every command has an id chosen by the caller (a retry reuses it)
 * and the time it was made; the ids of the events it produces derive from the command id, so
 * deciding the same command twice produces the same event ids.
 */
public sealed interface RegistryCommand {
  UUID commandId();

  ListId listId();

  Actor actor();

  Instant at();

  /** The id of the {@code n}-th event this command produces. */
  default EventId eventId(int n) {
    return new EventId(
        UUID.nameUUIDFromBytes((commandId() + "#" + n).getBytes(StandardCharsets.UTF_8)));
  }

  /** Every command names itself, its list, who asks and when; none of these may be missing. */
  private static void requireCommon(UUID commandId, ListId listId, Actor actor, Instant at) {
    if (commandId == null || listId == null || actor == null || at == null) {
      throw new RegistryException.InvalidInput(
          "a command needs a command id, a list id, an actor and a time");
    }
  }

  record CreateList(
      UUID commandId,
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
      implements RegistryCommand {
    public CreateList {
      requireCommon(commandId, listId, actor, at);
      if (ttl == null || validity == null || purpose == null || permutationKey == null) {
        throw new RegistryException.InvalidInput(
            "creating a list needs a ttl, a validity, a purpose and a permutation key");
      }
      if (kind == null) {
        kind = ListKind.STATUS_LIST;
      }
    }

    /** The list this command creates, as the event {@code id} ({@link #eventId}). */
    public ListCreated created(EventId id) {
      return new ListCreated(
          id, listId, bits, size, ttl, validity, purpose, permutationKey, actor, at, kind);
    }

    /** Creates a status list. */
    public CreateList(
        UUID commandId,
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
          commandId,
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

  /**
   * Hands out {@code count} slots of a list: indexes of a status list, identifiers of an identifier
   * list.
   *
   * @param kind the kind of list the caller allocates on (a status-list route names {@link
   *     ListKind#STATUS_LIST}, an identifier route {@link ListKind#IDENTIFIER_LIST}), so that a
   *     list of the other kind is refused before a slot is taken; {@code null} (a command of the
   *     previous release) allocates on either kind
   */
  record AllocateIndexes(
      UUID commandId, ListId listId, int count, Actor actor, Instant at, ListKind kind)
      implements RegistryCommand {
    public AllocateIndexes {
      requireCommon(commandId, listId, actor, at);
      if (count < 1) {
        throw new RegistryException.InvalidInput("count must be at least 1, got " + count);
      }
    }

    /** An allocation on a list of either kind. */
    public AllocateIndexes(UUID commandId, ListId listId, int count, Actor actor, Instant at) {
      this(commandId, listId, count, actor, at, null);
    }
  }

  /** One entry change inside {@link ChangeStatus}. */
  record Change(long idx, Status status, Reason reason) {
    public Change {
      if (status == null || reason == null) {
        throw new RegistryException.InvalidInput("a change needs a status and a reason");
      }
    }
  }

  /** One or more entry changes, accepted or refused together. */
  record ChangeStatus(UUID commandId, ListId listId, List<Change> changes, Actor actor, Instant at)
      implements RegistryCommand {
    public ChangeStatus {
      requireCommon(commandId, listId, actor, at);
      if (changes == null || changes.stream().anyMatch(java.util.Objects::isNull)) {
        throw new RegistryException.InvalidInput("a status change command needs its changes");
      }
      changes = List.copyOf(changes);
      if (changes.isEmpty()) {
        throw new RegistryException.InvalidInput(
            "a status change command needs at least one change");
      }
    }
  }

  record RetireList(UUID commandId, ListId listId, Actor actor, Instant at)
      implements RegistryCommand {
    public RetireList {
      requireCommon(commandId, listId, actor, at);
    }
  }

  /**
   * Revokes identifiers of an identifier list (ISO/IEC 18013-5), all or none. Revocation is
   * permanent; an identifier already revoked is accepted and changes nothing.
   */
  record RevokeIdentifiers(
      UUID commandId,
      ListId listId,
      List<byte[]> identifiers,
      Reason reason,
      Actor actor,
      Instant at)
      implements RegistryCommand {
    public RevokeIdentifiers {
      requireCommon(commandId, listId, actor, at);
      if (identifiers == null || identifiers.isEmpty() || reason == null) {
        throw new RegistryException.InvalidInput(
            "revoking identifiers needs at least one identifier and a reason");
      }
      List<byte[]> copy = new java.util.ArrayList<>(identifiers.size());
      for (byte[] id : identifiers) {
        if (id == null || id.length != IdentifierCipher.IDENTIFIER_BYTES) {
          throw new RegistryException.InvalidInput(
              "an identifier is " + IdentifierCipher.IDENTIFIER_BYTES + " bytes");
        }
        copy.add(id.clone());
      }
      identifiers = java.util.Collections.unmodifiableList(copy);
    }

    /** Equal when every field is, the identifiers compared by content. */
    @Override
    public boolean equals(Object o) {
      return o instanceof RevokeIdentifiers c
          && c.commandId.equals(commandId)
          && c.listId.equals(listId)
          && c.identifiers.size() == identifiers.size()
          && java.util.stream.IntStream.range(0, identifiers.size())
              .allMatch(i -> java.util.Arrays.equals(c.identifiers.get(i), identifiers.get(i)))
          && c.reason == reason
          && c.actor.equals(actor)
          && c.at.equals(at);
    }

    @Override
    public int hashCode() {
      int h = commandId.hashCode();
      for (byte[] id : identifiers) {
        h = 31 * h + java.util.Arrays.hashCode(id);
      }
      return h;
    }

    @Override
    public String toString() {
      return "RevokeIdentifiers[commandId="
          + commandId
          + ", list="
          + listId
          + ", identifiers="
          + identifiers.stream().map(java.util.HexFormat.of()::formatHex).toList()
          + ", reason="
          + reason
          + ", actor="
          + actor
          + ", at="
          + at
          + "]";
    }
  }
}
