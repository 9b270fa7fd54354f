package io.statusreg.registry.fold;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a command asks, without who asks, when, or the randomness the server adds: 128 bits of
 * SHA-256 over the command's kind, list and request fields. Two commands with one idempotency key
 * are the same request exactly when their fingerprints are equal; the owner of a list keeps the
 * fingerprint beside the reply, so a key reused for another request is refused instead of being
 * answered with a reply that was made for something else.
 *
 * <p>Not part of it: the command id (it is the key), the actor (any client of the issuer may
 * retry), the time, and a new list's permutation key (drawn afresh by each attempt).
 */
public final class CommandFingerprint {
  private CommandFingerprint() {}

  /** Name of a command's kind, as in the commands topic. */
  public static String kind(RegistryCommand command) {
    return switch (command) {
      case RegistryCommand.CreateList c -> "create_list";
      case RegistryCommand.AllocateIndexes c -> "allocate_indexes";
      case RegistryCommand.ChangeStatus c -> "change_status";
      case RegistryCommand.RetireList c -> "retire_list";
      case RegistryCommand.RevokeIdentifiers c -> "revoke_identifiers";
    };
  }

  /** 32 lower-case hex digits. */
  public static String of(RegistryCommand command) {
    StringBuilder b = new StringBuilder(64);
    b.append(kind(command)).append('\n').append(command.listId().key()).append('\n');
    switch (command) {
      case RegistryCommand.CreateList c ->
          b.append(c.bits())
              .append(',')
              .append(c.size())
              .append(',')
              .append(c.ttl().toSeconds())
              .append(',')
              .append(c.validity().toSeconds())
              .append(',')
              .append(c.purpose().code())
              .append(',')
              .append(c.kind());
      case RegistryCommand.AllocateIndexes c -> b.append(c.count());
      case RegistryCommand.ChangeStatus c -> {
        for (RegistryCommand.Change change : c.changes()) {
          b.append(change.idx())
              .append(',')
              .append(change.status().code())
              .append(',')
              .append(change.reason().code())
              .append(';');
        }
      }
      case RegistryCommand.RetireList c -> {}
      case RegistryCommand.RevokeIdentifiers c -> {
        b.append(c.reason().code()).append(';');
        for (byte[] id : c.identifiers()) {
          b.append(HexFormat.of().formatHex(id)).append(';');
        }
      }
    }
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest(b.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
