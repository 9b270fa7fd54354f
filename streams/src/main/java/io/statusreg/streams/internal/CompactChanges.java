package io.statusreg.streams.internal;

import io.statusreg.registry.RegistryException;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.events.StatusChanged;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.streams.gateway.CommandGateway;
import io.statusreg.streams.serde.Reply;
import io.statusreg.streams.serde.Reply.ChangesAccepted;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds and expands {@link Reply.ChangesAccepted}, the compact reply to an accepted status change:
 * one byte per change instead of one event each. The layout is the serde's; what it means is here.
 */
public final class CompactChanges {
  private CompactChanges() {}

  /**
   * The compact form of an accepted outcome of {@code command}, or empty when its events are not
   * exactly what {@link #expand} would rebuild (then the reply must carry them in full).
   */
  public static Optional<ChangesAccepted> of(
      RegistryCommand.ChangeStatus command, CommandGateway.Outcome outcome) {
    if (!(outcome.decision() instanceof Decision.Accepted accepted)
        || !outcome.allocatedIndexes().isEmpty()) {
      return Optional.empty();
    }
    List<RegistryEvent> events = accepted.events();
    List<RegistryCommand.Change> changes = command.changes();
    byte[] previous = new byte[changes.size()];
    int next = 0;
    for (int i = 0; i < changes.size(); i++) {
      RegistryCommand.Change c = changes.get(i);
      if (next < events.size()
          && events.get(next) instanceof StatusChanged sc
          && sc.idx() == c.idx()
          && sc.status() == c.status()
          && sc.reason() == c.reason()) {
        previous[i] = (byte) sc.previous().code();
        next++;
      } else {
        previous[i] = ChangesAccepted.UNCHANGED;
      }
    }
    if (next != events.size()) {
      return Optional.empty();
    }
    ChangesAccepted compact =
        new ChangesAccepted(
            previous, fingerprint(command), outcome.meta(), outcome.expectedPublication());
    // Only when the expansion is exactly the decided events (ids, order and every field).
    return rebuild(previous, command).equals(events) ? Optional.of(compact) : Optional.empty();
  }

  /** The full outcome: the events rebuilt from {@code command}. */
  public static CommandGateway.Outcome expand(
      ChangesAccepted reply, RegistryCommand.ChangeStatus command) {
    return new CommandGateway.Outcome(
        new Decision.Accepted(events(reply, command)),
        List.of(),
        reply.meta(),
        reply.expectedPublication());
  }

  /** Whether {@code reply} was made for {@code command}'s changes. */
  public static boolean answers(ChangesAccepted reply, RegistryCommand.ChangeStatus command) {
    return reply.previous().length == command.changes().size()
        && reply.fingerprint() == fingerprint(command);
  }

  private static List<RegistryEvent> events(
      ChangesAccepted reply, RegistryCommand.ChangeStatus command) {
    if (!answers(reply, command)) {
      throw new RegistryException(
          "reply for command " + command.commandId() + " was made for other changes");
    }
    return rebuild(reply.previous(), command);
  }

  /**
   * The events {@code previous} describes for {@code command}'s changes (checked by the caller).
   */
  private static List<RegistryEvent> rebuild(
      byte[] previous, RegistryCommand.ChangeStatus command) {
    List<RegistryEvent> events = new ArrayList<>();
    List<RegistryCommand.Change> changes = command.changes();
    for (int i = 0; i < previous.length; i++) {
      if (previous[i] == ChangesAccepted.UNCHANGED) {
        continue;
      }
      RegistryCommand.Change c = changes.get(i);
      events.add(
          new StatusChanged(
              command.eventId(events.size()),
              command.listId(),
              c.idx(),
              Status.fromCode(previous[i] & 0xFF),
              c.status(),
              c.reason(),
              command.actor(),
              command.at()));
    }
    return events;
  }

  /**
   * The first 8 bytes of SHA-256 over the changes (index, status code, reason code), as carried by
   * every compact reply since version 2 of the reply format.
   */
  public static long fingerprint(RegistryCommand.ChangeStatus command) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] row = new byte[9];
      for (RegistryCommand.Change c : command.changes()) {
        long idx = c.idx();
        for (int b = 0; b < 8; b++) {
          row[b] = (byte) (idx >>> (56 - 8 * b));
        }
        row[8] = (byte) c.status().code();
        sha.update(row);
        sha.update(c.reason().code().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      byte[] d = sha.digest();
      long f = 0;
      for (int b = 0; b < 8; b++) {
        f = (f << 8) | (d[b] & 0xFF);
      }
      return f;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
