package io.statusreg.streams.serde;

import io.statusreg.registry.ListId;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.fold.RegistryCommand;

/**
 * What travels on {@code statusreg.commands} (key: the list key): a command to decide, or a read of
 * one entry. Either is answered on {@code statusreg.replies} under the {@code request-id} header.
 */
public sealed interface Request {
  ListId listId();

  /** A command for the list's owner to decide and, when accepted, apply. */
  record Decide(RegistryCommand command) implements Request {
    @Override
    public ListId listId() {
      return command.listId();
    }
  }

  /** A read of one entry as the owner holds it; changes nothing. */
  record ReadEntry(ListId listId, long idx) implements Request {
    public ReadEntry {
      if (idx < 0) {
        throw new RegistryException.InvalidInput("index must not be negative, got " + idx);
      }
    }
  }
}
