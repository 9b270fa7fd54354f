package io.statusreg.streams.gateway;

import io.statusreg.registry.ListId;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.Status;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.ListMeta;
import io.statusreg.registry.fold.RegistryCommand;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Sends commands to the owner of a list (the Streams task of its partition), which decides them
 * against the list's state and appends the events, and returns the outcome once the events are
 * durable (committed to {@code statusreg.events}). Two instances can never hand out the same index
 * because one owner serialises every command of a list.
 */
public interface CommandGateway {

  /** The outcome of a command. */
  record Outcome(
      Decision decision,
      List<Long> allocatedIndexes,
      Optional<ListMeta> meta,
      Instant expectedPublication) {}

  /** An entry's status as the owner holds it, and whether the latest publication shows it. */
  record EntryView(
      ListId list, long idx, Status status, boolean allocated, boolean published, long version) {}

  /**
   * The list's owner refused to answer the request as asked (e.g. an index outside the list): the
   * request is at fault, retrying it cannot help, and the message says why.
   */
  final class Refused extends RegistryException.InvalidInput {
    public Refused(String message) {
      super(message);
    }
  }

  /**
   * The list's owner could not process the request through no fault of the request; its log says
   * why, the caller is told nothing more.
   */
  final class OwnerFault extends RegistryException {
    public OwnerFault() {
      super("the list's owner could not process the request");
    }
  }

  /**
   * Completes with the outcome; exceptionally with {@link Refused} when the owner refused the
   * request, or with another exception on timeout or when Kafka is unreachable.
   */
  CompletableFuture<Outcome> submit(RegistryCommand command);

  /** Reads one entry from its owner; empty when the list does not exist. */
  CompletableFuture<Optional<EntryView>> entry(ListId list, long idx);
}
