package io.statusreg.analytics.sink;

import io.statusreg.registry.Actor;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.events.StatusChanged;
import io.statusreg.registry.fold.Decider;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.ListState;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.issuance.IndexPermutation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A valid random history of registry events, decided by the registry's own {@link Decider} and
 * folded with {@link ListState}: lists are created, indexes allocated, then entries are suspended,
 * reinstated and revoked (never after a revocation) until exactly {@code statusChanges} status
 * changes exist; one list is retired at the end.
 */
record EventScript(
    List<RegistryEvent> events, Map<ListId, ListState> states, Map<Status, Long> byNewStatus) {

  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final Reason[] REVOCATION_REASONS = {
    Reason.KEY_COMPROMISE, Reason.SUPERSEDED, Reason.FRAUD, Reason.HOLDER_REQUEST
  };

  long statusChanges() {
    return events.stream().filter(e -> e instanceof StatusChanged).count();
  }

  long listEvents() {
    return events.size() - statusChanges();
  }

  static EventScript generate(long seed, int lists, int allocatePerList, int statusChanges) {
    Random random = new Random(seed);
    Decider decider = new Decider();
    Map<ListId, ListState> states = new LinkedHashMap<>();
    List<RegistryEvent> events = new ArrayList<>();
    Instant[] clock = {T0};
    for (int i = 0; i < lists; i++) {
      ListId id = ListId.of("issuer-" + (i % 3), "list-" + i);
      Actor actor = Actor.issuer("client-" + (i % 3));
      states.put(id, ListState.initial());
      apply(
          decider,
          states,
          events,
          new RegistryCommand.CreateList(
              uuid(random),
              id,
              2,
              allocatePerList * 2L,
              Duration.ofMinutes(5),
              Duration.ofDays(1),
              Purpose.REVOCATION,
              new IndexPermutation.Key(random.nextLong(), random.nextLong()),
              actor,
              tick(clock, random)));
      apply(
          decider,
          states,
          events,
          new RegistryCommand.AllocateIndexes(
              uuid(random), id, allocatePerList, actor, tick(clock, random)));
    }
    List<ListId> ids = List.copyOf(states.keySet());
    int made = 0;
    while (made < statusChanges) {
      ListId id = ids.get(random.nextInt(ids.size()));
      ListState state = states.get(id);
      int wanted = Math.min(1 + random.nextInt(3), statusChanges - made);
      List<RegistryCommand.Change> changes = new ArrayList<>();
      List<Long> used = new ArrayList<>();
      for (int attempt = 0; changes.size() < wanted && attempt < 50; attempt++) {
        long idx = state.meta().permutation().apply(random.nextInt(allocatePerList));
        Status current = state.statusAt(idx);
        if (current.isTerminal() || used.contains(idx)) {
          continue;
        }
        used.add(idx);
        changes.add(next(current, random));
        changes.set(
            changes.size() - 1,
            new RegistryCommand.Change(
                idx, changes.getLast().status(), changes.getLast().reason()));
      }
      if (changes.isEmpty()) {
        continue;
      }
      made +=
          apply(
              decider,
              states,
              events,
              new RegistryCommand.ChangeStatus(
                  uuid(random),
                  id,
                  changes,
                  random.nextInt(10) == 0 ? Actor.operator("ops") : Actor.issuer("client"),
                  tick(clock, random)));
    }
    apply(
        decider,
        states,
        events,
        new RegistryCommand.RetireList(
            uuid(random), ids.getLast(), Actor.operator("ops"), tick(clock, random)));
    Map<Status, Long> byStatus = new EnumMap<>(Status.class);
    for (RegistryEvent e : events) {
      if (e instanceof StatusChanged s) {
        byStatus.merge(s.status(), 1L, Long::sum);
      }
    }
    return new EventScript(List.copyOf(events), states, byStatus);
  }

  private static RegistryCommand.Change next(Status current, Random random) {
    boolean revoke = random.nextInt(10) < 4;
    if (revoke) {
      return new RegistryCommand.Change(
          0, Status.INVALID, REVOCATION_REASONS[random.nextInt(REVOCATION_REASONS.length)]);
    }
    return current == Status.SUSPENDED
        ? new RegistryCommand.Change(0, Status.VALID, Reason.REINSTATEMENT)
        : new RegistryCommand.Change(0, Status.SUSPENDED, Reason.INVESTIGATION);
  }

  private static int apply(
      Decider decider,
      Map<ListId, ListState> states,
      List<RegistryEvent> events,
      RegistryCommand command) {
    ListState state = states.get(command.listId());
    return switch (decider.decide(command, state)) {
      case Decision.Accepted accepted -> {
        states.put(command.listId(), state.evolveAll(accepted.events()));
        events.addAll(accepted.events());
        yield (int) accepted.events().stream().filter(e -> e instanceof StatusChanged).count();
      }
      case Decision.Rejected rejected ->
          throw new AssertionError("the script made a refused command: " + rejected);
    };
  }

  private static Instant tick(Instant[] clock, Random random) {
    clock[0] = clock[0].plusMillis(1 + random.nextInt(60_000));
    return clock[0];
  }

  private static UUID uuid(Random random) {
    return new UUID(random.nextLong(), random.nextLong());
  }
}
