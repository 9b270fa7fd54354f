package io.statusreg.registry.fold;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.registry.Actor;
import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.IndexesAllocated;
import io.statusreg.registry.events.ListCreated;
import io.statusreg.registry.events.ListFull;
import io.statusreg.registry.events.ListRetired;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.events.StatusChanged;
import io.statusreg.registry.fold.RegistryCommand.Change;
import io.statusreg.registry.issuance.IndexPermutation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of decide and evolve over generated histories. */
class FoldPropertiesTest {
  private static final ListId LIST = ListId.of("acme", "props");
  private static final ListId OTHER = ListId.of("acme", "other");
  private static final Actor ACTOR = Actor.issuer("prop");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Decider DECIDER = new Decider();

  // ---- raw events, valid or not, as a partition could deliver them ----

  @Provide
  Arbitrary<List<RegistryEvent>> eventLogs() {
    Arbitrary<EventId> ids =
        Arbitraries.integers().between(0, 40).map(n -> new EventId(new UUID(7, n)));
    Arbitrary<Instant> times = Arbitraries.longs().between(0, 10_000).map(T0::plusSeconds);
    Arbitrary<ListId> lists =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(9, Arbitraries.just(LIST)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(OTHER)));
    Arbitrary<RegistryEvent> created =
        Combinators.combine(
                ids,
                lists,
                Arbitraries.of(1, 2, 4, 8, 3),
                Arbitraries.longs().between(0, 300),
                times)
            .as(
                (id, list, bits, size, at) ->
                    new ListCreated(
                        id,
                        list,
                        bits,
                        size,
                        Duration.ofMinutes(1),
                        Duration.ofHours(1),
                        Purpose.REVOCATION,
                        new IndexPermutation.Key(1, 2),
                        ACTOR,
                        at));
    Arbitrary<RegistryEvent> allocated =
        Combinators.combine(
                ids,
                lists,
                Arbitraries.longs().between(-2, 300),
                Arbitraries.integers().between(-1, 50),
                times)
            .as(
                (id, list, from, count, at) ->
                    new IndexesAllocated(id, list, from, count, ACTOR, at));
    Arbitrary<RegistryEvent> changed =
        Combinators.combine(
                ids,
                lists,
                Arbitraries.longs().between(-1, 300),
                Arbitraries.of(Status.class),
                Arbitraries.of(Status.class),
                times)
            .as(
                (id, list, idx, previous, status, at) ->
                    new StatusChanged(
                        id, list, idx, previous, status, Reason.UNSPECIFIED, ACTOR, at));
    Arbitrary<RegistryEvent> full =
        Combinators.combine(ids, lists, Arbitraries.longs().between(0, 300), times)
            .as((id, list, cursor, at) -> new ListFull(id, list, cursor, ACTOR, at));
    Arbitrary<RegistryEvent> retired =
        Combinators.combine(ids, lists, times)
            .as((id, list, at) -> new ListRetired(id, list, ACTOR, at));
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(2, created),
            net.jqwik.api.Tuple.of(4, allocated),
            net.jqwik.api.Tuple.of(10, changed),
            net.jqwik.api.Tuple.of(1, full),
            net.jqwik.api.Tuple.of(1, retired))
        .list()
        .ofMaxSize(120)
        .map(
            log -> {
              // Most logs start with a creation, as a partition's log does.
              List<RegistryEvent> out = new ArrayList<>();
              out.add(
                  new ListCreated(
                      new EventId(new UUID(8, 0)),
                      LIST,
                      2,
                      200,
                      Duration.ofMinutes(1),
                      Duration.ofHours(1),
                      Purpose.SUSPENSION,
                      new IndexPermutation.Key(3, 4),
                      ACTOR,
                      T0));
              out.addAll(log);
              return out;
            });
  }

  @Property(tries = 400)
  void replayingTheSameEventsGivesTheSameStateBitForBit(
      @ForAll("eventLogs") List<RegistryEvent> log) {
    ListState first = ListState.initial().evolveAll(log);
    ListState second = ListState.initial().evolveAll(log);

    assertThat(second).isEqualTo(first);
    assertThat(second.meta()).isEqualTo(first.meta());
    if (first.exists()) {
      assertThat(second.entries().toBytes()).isEqualTo(first.entries().toBytes());
    }
  }

  @Property(tries = 400)
  void redeliveringAnyEventRightAfterItselfChangesNothing(
      @ForAll("eventLogs") List<RegistryEvent> log) {
    List<RegistryEvent> withRetries = new ArrayList<>();
    for (RegistryEvent e : log) {
      withRetries.add(e);
      withRetries.add(e);
    }

    assertThat(ListState.initial().evolveAll(withRetries))
        .isEqualTo(ListState.initial().evolveAll(log));
  }

  @Property(tries = 400)
  void anyEventLogNeverBringsARevokedEntryBack(@ForAll("eventLogs") List<RegistryEvent> log) {
    ListState state = ListState.initial();
    Set<Long> revoked = new HashSet<>();
    for (RegistryEvent e : log) {
      ListState before = state;
      state = state.evolve(e);
      if (state.exists()) {
        if (before.exists()) {
          assertThat(state.meta().listId()).isEqualTo(before.meta().listId());
        }
        for (long idx : revoked) {
          assertThat(state.statusAt(idx)).as("index %d after %s", idx, e).isEqualTo(Status.INVALID);
        }
        var entries = state.entries();
        entries.forEachNonZero(
            idx -> {
              if (entries.get(idx) == Status.INVALID.code()) {
                revoked.add(idx);
              }
            });
      }
    }
  }

  // ---- commands, decided and evolved as the partition owner does ----

  /** A command's intent; concrete indexes are picked from what the state has allocated. */
  sealed interface Intent {}

  record Allocate(boolean other, int count) implements Intent {}

  record Changes(boolean other, List<Integer> picks, List<Status> statuses) implements Intent {}

  record Retire(boolean other) implements Intent {}

  @Provide
  Arbitrary<List<Intent>> intents() {
    Arbitrary<Boolean> which = Arbitraries.of(false, false, true);
    Arbitrary<Intent> allocate =
        Combinators.combine(which, Arbitraries.integers().between(1, 20)).as(Allocate::new);
    Arbitrary<Intent> changes =
        Combinators.combine(
                which,
                Arbitraries.integers().between(-5, 500).list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.of(
                        Status.VALID,
                        Status.INVALID,
                        Status.SUSPENDED,
                        Status.APPLICATION_3,
                        Status.APPLICATION_12)
                    .list()
                    .ofMinSize(4)
                    .ofMaxSize(4))
            .as(Changes::new);
    Arbitrary<Intent> retire = which.map(Retire::new);
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, allocate),
            net.jqwik.api.Tuple.of(8, changes),
            net.jqwik.api.Tuple.of(1, retire))
        .list()
        .ofMaxSize(60);
  }

  /** Two lists (1000 entries at 2 bits, 60 entries at 1 bit) driven by interleaved commands. */
  private static final class World {
    final Map<ListId, ListState> states = new HashMap<>();
    final Map<ListId, List<Long>> handedOut = new HashMap<>();
    final Map<ListId, Set<Long>> revoked = new HashMap<>();
    int commands;

    World() {
      apply(create(LIST, 2, 1000));
      apply(create(OTHER, 1, 60));
    }

    RegistryCommand create(ListId list, int bits, long size) {
      return new RegistryCommand.CreateList(
          next(),
          list,
          bits,
          size,
          Duration.ofMinutes(1),
          Duration.ofHours(1),
          Purpose.REVOCATION,
          new IndexPermutation.Key(list.hashCode(), 99),
          ACTOR,
          T0);
    }

    UUID next() {
      return new UUID(42, ++commands);
    }

    Decision apply(RegistryCommand c) {
      ListState state = states.getOrDefault(c.listId(), ListState.initial());
      Decision d = DECIDER.decide(c, state);
      if (d instanceof Decision.Accepted a) {
        ListState after = state.evolveAll(a.events());
        for (RegistryEvent e : a.events()) {
          if (e instanceof IndexesAllocated alloc) {
            IndexPermutation perm = after.meta().permutation();
            for (long cur = alloc.fromCursor(); cur < alloc.fromCursor() + alloc.count(); cur++) {
              handedOut.computeIfAbsent(c.listId(), k -> new ArrayList<>()).add(perm.apply(cur));
            }
          }
          if (e instanceof StatusChanged s && s.status() == Status.INVALID) {
            revoked.computeIfAbsent(c.listId(), k -> new HashSet<>()).add(s.idx());
          }
        }
        states.put(c.listId(), after);
      }
      return d;
    }

    RegistryCommand concrete(Intent intent) {
      ListId list =
          switch (intent) {
            case Allocate a -> a.other() ? OTHER : LIST;
            case Changes ch -> ch.other() ? OTHER : LIST;
            case Retire r -> r.other() ? OTHER : LIST;
          };
      return switch (intent) {
        case Allocate a -> new RegistryCommand.AllocateIndexes(next(), list, a.count(), ACTOR, T0);
        case Retire r -> new RegistryCommand.RetireList(next(), list, ACTOR, T0);
        case Changes ch -> {
          List<Long> mine = handedOut.getOrDefault(list, List.of());
          List<Change> changes = new ArrayList<>();
          for (int i = 0; i < ch.picks().size(); i++) {
            int pick = ch.picks().get(i);
            // Mostly allocated indexes; sometimes a raw (maybe unallocated or out of range) one.
            long idx =
                pick >= 0 && !mine.isEmpty() && pick % 7 != 0 ? mine.get(pick % mine.size()) : pick;
            changes.add(new Change(idx, ch.statuses().get(i), Reason.UNSPECIFIED));
          }
          yield new RegistryCommand.ChangeStatus(next(), list, changes, ACTOR, T0);
        }
      };
    }
  }

  @Property(tries = 300)
  void onceRevokedAnEntryStaysRevokedWhateverCommandsFollow(
      @ForAll("intents") List<Intent> intents) {
    World world = new World();
    for (Intent intent : intents) {
      RegistryCommand command = world.concrete(intent);
      Decision d = world.apply(command);
      for (Map.Entry<ListId, Set<Long>> e : world.revoked.entrySet()) {
        for (long idx : e.getValue()) {
          assertThat(world.states.get(e.getKey()).statusAt(idx))
              .as("%s index %d after %s -> %s", e.getKey(), idx, command, d)
              .isEqualTo(Status.INVALID);
        }
      }
    }
  }

  @Property(tries = 300)
  void interleavedAllocationsNeverHandOutAnIndexTwice(@ForAll("intents") List<Intent> intents) {
    World world = new World();
    for (Intent intent : intents) {
      world.apply(world.concrete(intent));
    }

    for (Map.Entry<ListId, List<Long>> e : world.handedOut.entrySet()) {
      ListMeta meta = world.states.get(e.getKey()).meta();
      assertThat(e.getValue()).doesNotHaveDuplicates().allMatch(i -> i >= 0 && i < meta.size());
      assertThat(e.getValue()).hasSize((int) meta.cursor()).allMatch(meta::isAllocated);
    }
  }

  @Property(tries = 200)
  void aRejectedCommandLeavesTheStateAsItWas(@ForAll("intents") List<Intent> intents) {
    World world = new World();
    for (Intent intent : intents) {
      RegistryCommand command = world.concrete(intent);
      ListState before = world.states.get(command.listId());
      Decision d = world.apply(command);
      if (d instanceof Decision.Rejected) {
        assertThat(world.states.get(command.listId())).isSameAs(before);
      }
    }
  }
}
