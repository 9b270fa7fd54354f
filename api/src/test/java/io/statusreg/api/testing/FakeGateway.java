package io.statusreg.api.testing;

import io.statusreg.registry.ListId;
import io.statusreg.registry.events.IndexesAllocated;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.fold.CommandFingerprint;
import io.statusreg.registry.fold.Decider;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.ListState;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.fold.Rejection;
import io.statusreg.streams.gateway.CommandGateway;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory gateway that decides commands with the real {@link Decider} against in-memory list
 * states, and records every command it saw. Like the list's owner, it answers a command id seen
 * before with the first reply when the request is the same ({@link CommandFingerprint}) and with a
 * KEY_REUSED refusal otherwise, and refuses to read an index outside a list.
 *
 * <p>That imitation lets the handlers' retry flows run; it proves nothing about the owner. A test
 * on this fake asserts what the API sends ({@link #commands}: ids, lists, fingerprints) and how it
 * maps the replies; the owner's own answers are shown on the real registry node in {@code
 * IdempotencyIT} and {@code RegistryTopologyTest}.
 */
public final class FakeGateway implements CommandGateway {
  public final List<RegistryCommand> commands = new CopyOnWriteArrayList<>();
  public final Map<ListId, ListState> states = new ConcurrentHashMap<>();
  private final Decider decider = new Decider();
  public volatile boolean unavailable;
  public volatile boolean hang;

  /** How long the owner takes to answer a decided command (0: at once). */
  public volatile long answerDelayMillis;

  /** The owner answers every command with an owner fault (a stored reply it cannot read). */
  public volatile boolean ownerFault;

  private final Map<java.util.UUID, Map.Entry<String, Outcome>> replies = new ConcurrentHashMap<>();

  @Override
  public synchronized CompletableFuture<Outcome> submit(RegistryCommand command) {
    commands.add(command);
    if (hang) {
      return new CompletableFuture<>();
    }
    if (unavailable) {
      return CompletableFuture.failedFuture(new IllegalStateException("kafka down (internal)"));
    }
    if (ownerFault) {
      return CompletableFuture.failedFuture(new CommandGateway.OwnerFault());
    }
    String request = CommandFingerprint.of(command); // names the list too
    Map.Entry<String, Outcome> earlier = replies.get(command.commandId());
    if (earlier != null) {
      return CompletableFuture.completedFuture(
          earlier.getKey().equals(request)
              ? earlier.getValue()
              : new Outcome(
                  Decision.rejected(Rejection.Kind.KEY_REUSED, "key reused"),
                  List.of(),
                  Optional.empty(),
                  Instant.parse("2026-01-01T00:00:01Z")));
    }
    ListState state = states.getOrDefault(command.listId(), ListState.initial());
    Decision decision = decider.decide(command, state);
    List<Long> indexes = new ArrayList<>();
    if (decision instanceof Decision.Accepted a) {
      for (RegistryEvent e : a.events()) {
        state = state.evolve(e);
        if (e instanceof IndexesAllocated ia) {
          for (long c = ia.fromCursor(); c < ia.fromCursor() + ia.count(); c++) {
            indexes.add(state.meta().permutation().apply(c));
          }
        }
      }
      states.put(command.listId(), state);
    }
    Outcome outcome =
        new Outcome(
            decision,
            indexes,
            Optional.ofNullable(state.meta()),
            Instant.parse("2026-01-01T00:00:01Z"));
    replies.put(command.commandId(), Map.entry(request, outcome));
    long delay = answerDelayMillis;
    if (delay > 0) {
      return CompletableFuture.supplyAsync(
          () -> outcome,
          CompletableFuture.delayedExecutor(delay, java.util.concurrent.TimeUnit.MILLISECONDS));
    }
    return CompletableFuture.completedFuture(outcome);
  }

  @Override
  public CompletableFuture<Optional<EntryView>> entry(ListId list, long idx) {
    ListState state = states.get(list);
    if (state == null || !state.exists()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    if (idx < 0 || idx >= state.meta().size()) {
      return CompletableFuture.failedFuture(
          new CommandGateway.Refused(
              "index " + idx + " is outside the list's range [0, " + state.meta().size() + ")"));
    }
    return CompletableFuture.completedFuture(
        Optional.of(
            new EntryView(
                list,
                idx,
                state.statusAt(idx),
                state.meta().isAllocated(idx),
                false,
                state.meta().version())));
  }

  /** Commands other than the ones a test set up. */
  public int count() {
    return commands.size();
  }
}
