package io.statusreg.api.testing;

import io.statusreg.registry.ListId;
import io.statusreg.registry.events.IndexesAllocated;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.fold.Decider;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.ListState;
import io.statusreg.registry.fold.RegistryCommand;
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
 * states, and records every command it saw.
 */
public final class FakeGateway implements CommandGateway {
  public final List<RegistryCommand> commands = new CopyOnWriteArrayList<>();
  public final Map<ListId, ListState> states = new ConcurrentHashMap<>();
  private final Decider decider = new Decider();
  public volatile boolean unavailable;
  public volatile boolean hang;

  @Override
  public synchronized CompletableFuture<Outcome> submit(RegistryCommand command) {
    commands.add(command);
    if (hang) {
      return new CompletableFuture<>();
    }
    if (unavailable) {
      return CompletableFuture.failedFuture(new IllegalStateException("kafka down (internal)"));
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
    return CompletableFuture.completedFuture(
        new Outcome(
            decision,
            indexes,
            Optional.ofNullable(state.meta()),
            Instant.parse("2026-01-01T00:00:01Z")));
  }

  @Override
  public CompletableFuture<Optional<EntryView>> entry(ListId list, long idx) {
    ListState state = states.get(list);
    if (state == null || !state.exists()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    boolean inRange = idx >= 0 && idx < state.meta().size();
    return CompletableFuture.completedFuture(
        Optional.of(
            new EntryView(
                list,
                idx,
                inRange ? state.statusAt(idx) : io.statusreg.registry.Status.VALID,
                inRange && state.meta().isAllocated(idx),
                false,
                state.meta().version())));
  }

  /** Commands other than the ones a test set up. */
  public int count() {
    return commands.size();
  }
}
