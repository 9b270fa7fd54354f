package io.statusreg.streams.serde;

import io.statusreg.streams.CommandGateway;
import java.util.Optional;

/** What the owner of a list answers on {@code statusreg.replies} (key: the request id). */
public sealed interface Reply {
  record Decided(CommandGateway.Outcome outcome) implements Reply {}

  record Entry(Optional<CommandGateway.EntryView> view) implements Reply {}

  /** The request could not be answered (e.g. an index outside the list); the message says why. */
  record Failed(String message) implements Reply {}
}
