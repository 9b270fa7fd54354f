package io.statusreg.compaction.replay;

import io.statusreg.registry.Actor;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.fold.Decider;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.ListState;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.issuance.IndexPermutation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Synthetic but valid event sequences (for tests, the replay bench and dry runs), produced by the
 * registry's own {@link Decider} from random commands (a fixed seed gives the same events): lists
 * are created, indexes allocated, then entries revoked, suspended and reinstated. Every event is
 * also folded, so the expected state of each list is known.
 */
public final class EventSequences {
  /** The events in append order and each list's state after all of them. */
  public record Generated(List<RegistryEvent> events, Map<ListId, ListState> finalStates) {}

  private EventSequences() {}

  /**
   * Generates about {@code lists × changesPerList} status changes (plus creation and allocation)
   * with event times from {@code start}, one millisecond per command.
   */
  public static Generated generate(
      long seed, int lists, int changesPerList, long size, int bits, Instant start) {
    Random random = new Random(seed);
    Decider decider = new Decider();
    Map<ListId, ListState> states = new LinkedHashMap<>();
    List<RegistryEvent> events = new ArrayList<>();
    Actor actor = Actor.issuer("test-issuer");
    long[] clock = {start.toEpochMilli()};
    for (int l = 0; l < lists; l++) {
      ListId id = ListId.of("issuer" + (l % 3), "list-" + l);
      states.put(id, ListState.initial());
      apply(
          decider,
          states,
          events,
          new RegistryCommand.CreateList(
              uuid(random),
              id,
              bits,
              size,
              Duration.ofHours(1),
              Duration.ofDays(1),
              Purpose.REVOCATION,
              new IndexPermutation.Key(random.nextLong(), random.nextLong()),
              actor,
              Instant.ofEpochMilli(clock[0]++)));
      long allocated = 0;
      long want = Math.min(size, (long) changesPerList);
      while (allocated < want) {
        int n = (int) Math.min(10_000, want - allocated);
        apply(
            decider,
            states,
            events,
            new RegistryCommand.AllocateIndexes(
                uuid(random), id, n, actor, Instant.ofEpochMilli(clock[0]++)));
        allocated += n;
      }
    }
    List<ListId> ids = new ArrayList<>(states.keySet());
    Status[] targets = {Status.VALID, Status.SUSPENDED, Status.INVALID};
    Map<ListId, Integer> left = new HashMap<>();
    ids.forEach(id -> left.put(id, changesPerList));
    while (!left.isEmpty()) {
      ListId id = ids.get(random.nextInt(ids.size()));
      if (!left.containsKey(id)) {
        continue;
      }
      ListState state = states.get(id);
      int batch = Math.min(left.get(id), 1 + random.nextInt(20));
      List<RegistryCommand.Change> changes = new ArrayList<>();
      Set<Long> used = new java.util.HashSet<>();
      var perm = state.meta().permutation();
      for (int i = 0; i < batch * 2 && changes.size() < batch; i++) {
        long idx = perm.apply((long) (random.nextDouble() * state.meta().cursor()));
        Status current = state.statusAt(idx);
        if (current.isTerminal() || !used.add(idx)) {
          continue;
        }
        // Revocations are rarer than suspensions and reinstatements, as in practice.
        Status next = targets[random.nextInt(10) == 0 ? 2 : random.nextInt(2)];
        if (next == current) {
          next = current == Status.VALID ? Status.SUSPENDED : Status.VALID;
        }
        changes.add(new RegistryCommand.Change(idx, next, Reason.UNSPECIFIED));
      }
      if (changes.isEmpty()) {
        continue;
      }
      apply(
          decider,
          states,
          events,
          new RegistryCommand.ChangeStatus(
              uuid(random), id, changes, actor, Instant.ofEpochMilli(clock[0]++)));
      int remaining = left.get(id) - changes.size();
      if (remaining <= 0) {
        left.remove(id);
      } else {
        left.put(id, remaining);
      }
    }
    return new Generated(events, states);
  }

  /** Folds {@code events} from scratch, one list per key: the reference "full fold". */
  public static Map<ListId, ListState> fold(List<RegistryEvent> events) {
    Map<ListId, ListState> out = new LinkedHashMap<>();
    for (RegistryEvent e : events) {
      out.put(e.listId(), out.getOrDefault(e.listId(), ListState.initial()).evolve(e));
    }
    return out;
  }

  private static void apply(
      Decider decider,
      Map<ListId, ListState> states,
      List<RegistryEvent> events,
      RegistryCommand command) {
    ListState state = states.get(command.listId());
    if (!(decider.decide(command, state) instanceof Decision.Accepted accepted)) {
      throw new IllegalStateException("generator made a refused command: " + command);
    }
    for (RegistryEvent e : accepted.events()) {
      state = state.evolve(e);
      events.add(e);
    }
    states.put(command.listId(), state);
  }

  private static UUID uuid(Random random) {
    return new UUID(random.nextLong(), random.nextLong());
  }
}
