package io.statusreg.streams.serde;

import io.statusreg.registry.RegistryException;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.events.StatusChanged;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.ListMeta;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.streams.gateway.CommandGateway;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What the owner of a list answers on {@code statusreg.replies} (key: the request id). */
public sealed interface Reply {
  record Decided(CommandGateway.Outcome outcome) implements Reply {}

  record Entry(Optional<CommandGateway.EntryView> view) implements Reply {}

  /** The request could not be answered (e.g. an index outside the list); the message says why. */
  record Failed(String message) implements Reply {}

  /**
   * An accepted {@link RegistryCommand.ChangeStatus} in compact form, so that a reply stays a few
   * KiB whatever the number of changes (a reply carrying every event of a 10,000-change command was
   * over the broker's 1 MB record limit). The events follow from the command: the {@code n}-th is
   * {@code StatusChanged(command.eventId(n), list, change.idx, previous, change.status,
   * change.reason, command.actor, command.at)}. {@code previous} holds one byte per change of the
   * command: the entry's status code before the change's event, or {@link #UNCHANGED} when the
   * change produced no event. {@code fingerprint} identifies the changes, so a command id reused
   * for other changes is never expanded against them. {@link #expand} rebuilds the full outcome.
   */
  record ChangesAccepted(
      byte[] previous, long fingerprint, Optional<ListMeta> meta, Instant expectedPublication)
      implements Reply {
    /** {@link #previous} byte of a change that produced no event. */
    public static final byte UNCHANGED = (byte) 0xFF;

    public ChangesAccepted {
      Objects.requireNonNull(previous, "previous");
      Objects.requireNonNull(meta, "meta");
      Objects.requireNonNull(expectedPublication, "expectedPublication");
    }

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
          previous[i] = UNCHANGED;
        }
      }
      if (next != events.size()) {
        return Optional.empty();
      }
      ChangesAccepted compact =
          new ChangesAccepted(
              previous, fingerprint(command), outcome.meta(), outcome.expectedPublication());
      // Only when the expansion is exactly the decided events (ids, order and every field).
      return compact.events(command).equals(events) ? Optional.of(compact) : Optional.empty();
    }

    /** The full outcome: the events rebuilt from {@code command}. */
    public CommandGateway.Outcome expand(RegistryCommand.ChangeStatus command) {
      return new CommandGateway.Outcome(
          new Decision.Accepted(events(command)), List.of(), meta, expectedPublication);
    }

    /** Whether this reply was made for {@code command}'s changes. */
    public boolean answers(RegistryCommand.ChangeStatus command) {
      return previous.length == command.changes().size() && fingerprint == fingerprint(command);
    }

    private List<RegistryEvent> events(RegistryCommand.ChangeStatus command) {
      if (!answers(command)) {
        throw new RegistryException(
            "reply for command " + command.commandId() + " was made for other changes");
      }
      List<RegistryEvent> events = new ArrayList<>();
      List<RegistryCommand.Change> changes = command.changes();
      for (int i = 0; i < previous.length; i++) {
        if (previous[i] == UNCHANGED) {
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

    /** The first 8 bytes of SHA-256 over the changes (index, status code, reason code). */
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

    @Override
    public boolean equals(Object o) {
      return o instanceof ChangesAccepted c
          && Arrays.equals(previous, c.previous)
          && fingerprint == c.fingerprint
          && meta.equals(c.meta)
          && expectedPublication.equals(c.expectedPublication);
    }

    @Override
    public int hashCode() {
      return Objects.hash(Arrays.hashCode(previous), fingerprint, meta, expectedPublication);
    }

    @Override
    public String toString() {
      return "ChangesAccepted[changes=" + previous.length + ", fingerprint=" + fingerprint + "]";
    }
  }
}
