package io.statusreg.streams.serde;

import io.statusreg.registry.fold.ListMeta;
import io.statusreg.streams.gateway.CommandGateway;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/** What the owner of a list answers on {@code statusreg.replies} (key: the request id). */
public sealed interface Reply {
  record Decided(CommandGateway.Outcome outcome) implements Reply {}

  record Entry(Optional<CommandGateway.EntryView> view) implements Reply {}

  /** The request could not be answered (e.g. an index outside the list); the message says why. */
  record Failed(String message) implements Reply {}

  /**
   * The owner could not process the request through no fault of the request (a store record it
   * cannot read, a bug): the caller learns only that, the owner's log has the cause.
   */
  record OwnerFault() implements Reply {}

  /**
   * An accepted {@code RegistryCommand.ChangeStatus} in compact form, so that a reply stays a few
   * KiB whatever the number of changes (a reply carrying every event of a 10,000-change command was
   * over the broker's 1 MB record limit). The events follow from the command: the {@code n}-th is
   * {@code StatusChanged(command.eventId(n), list, change.idx, previous, change.status,
   * change.reason, command.actor, command.at)}. {@code previous} holds one byte per change of the
   * command: the entry's status code before the change's event, or {@link #UNCHANGED} when the
   * change produced no event. {@code fingerprint} identifies the changes, so a command id reused
   * for other changes is never expanded against them. Building and expanding it is the command
   * handler's business ({@code streams.internal.CompactChanges}); this type is the layout only.
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
