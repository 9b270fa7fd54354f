package io.statusreg.registry.fold;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.registry.Actor;
import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.IdentifierRevoked;
import io.statusreg.registry.events.IndexesAllocated;
import io.statusreg.registry.events.ListCreated;
import io.statusreg.registry.events.ListFull;
import io.statusreg.registry.events.ListRetired;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.events.StatusChanged;
import io.statusreg.registry.fold.RegistryCommand.Change;
import io.statusreg.registry.identifiers.ListKind;
import io.statusreg.registry.issuance.IndexPermutation;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.testing.Gen;
import io.statusreg.registry.testing.Property;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Properties of decide and evolve over generated histories. */
class FoldPropertiesTest {
  private static final ListId LIST = ListId.of("acme", "props");
  private static final ListId OTHER = ListId.of("acme", "other");
  private static final Actor ACTOR = Actor.issuer("prop");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Decider DECIDER = new Decider();

  // ---- raw events, valid or not, as a partition could deliver them ----

  static Gen<List<RegistryEvent>> eventLogs() {
    Gen<EventId> ids = Gen.ints(0, 40).map(n -> new EventId(new UUID(7, n)));
    Gen<Instant> times = Gen.longs(0, 10_000).map(T0::plusSeconds);
    Gen<ListId> lists =
        Gen.frequency(Gen.weighted(9, Gen.constant(LIST)), Gen.weighted(1, Gen.constant(OTHER)));
    Gen<Integer> bits = Gen.elementOf(1, 2, 4, 8, 3);
    Gen<Long> sizes = Gen.longs(0, 300);
    Gen<ListKind> kinds =
        Gen.frequency(
            Gen.weighted(4, Gen.constant(ListKind.STATUS_LIST)),
            Gen.weighted(1, Gen.constant(ListKind.IDENTIFIER_LIST)));
    Gen<RegistryEvent> created =
        r ->
            new ListCreated(
                ids.next(r),
                lists.next(r),
                bits.next(r),
                sizes.next(r),
                Duration.ofMinutes(1),
                Duration.ofHours(1),
                Purpose.REVOCATION,
                new IndexPermutation.Key(1, 2),
                ACTOR,
                times.next(r),
                kinds.next(r));
    Gen<Long> froms = Gen.longs(-2, 300);
    Gen<Integer> counts = Gen.ints(-1, 50);
    Gen<RegistryEvent> allocated =
        r ->
            new IndexesAllocated(
                ids.next(r), lists.next(r), froms.next(r), counts.next(r), ACTOR, times.next(r));
    Gen<Long> indexes = Gen.longs(-1, 300);
    Gen<Status> statuses = Gen.enumValues(Status.class);
    Gen<RegistryEvent> changed =
        r ->
            new StatusChanged(
                ids.next(r),
                lists.next(r),
                indexes.next(r),
                statuses.next(r),
                statuses.next(r),
                Reason.UNSPECIFIED,
                ACTOR,
                times.next(r));
    Gen<Long> cursors = Gen.longs(0, 300);
    Gen<RegistryEvent> full =
        r -> new ListFull(ids.next(r), lists.next(r), cursors.next(r), ACTOR, times.next(r));
    Gen<RegistryEvent> retired =
        r -> new ListRetired(ids.next(r), lists.next(r), ACTOR, times.next(r));
    Gen<byte[]> identifiers = Gen.bytes(16, 16);
    Gen<RegistryEvent> revokedIdentifier =
        r ->
            new IdentifierRevoked(
                ids.next(r),
                lists.next(r),
                indexes.next(r),
                identifiers.next(r),
                Reason.KEY_COMPROMISE,
                ACTOR,
                times.next(r));
    // Most logs start with a creation, as a partition's log does: of a status list, or (one in
    // four) of an identifier list, whose revocations the same properties then cover.
    Gen<RegistryEvent> first =
        Gen.frequency(
            Gen.weighted(
                3,
                Gen.constant(
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
                        T0))),
            Gen.weighted(
                1,
                Gen.constant(
                    new ListCreated(
                        new EventId(new UUID(8, 1)),
                        LIST,
                        1,
                        200,
                        Duration.ofMinutes(1),
                        Duration.ofHours(1),
                        Purpose.REVOCATION,
                        new IndexPermutation.Key(3, 4),
                        ACTOR,
                        T0,
                        ListKind.IDENTIFIER_LIST))));
    Gen<List<RegistryEvent>> rest =
        Gen.<RegistryEvent>frequency(
                Gen.weighted(2, created),
                Gen.weighted(4, allocated),
                Gen.weighted(10, changed),
                Gen.weighted(5, revokedIdentifier),
                Gen.weighted(1, full),
                Gen.weighted(1, retired))
            .list(0, 120);
    return r -> {
      List<RegistryEvent> out = new ArrayList<>();
      out.add(first.next(r));
      out.addAll(rest.next(r));
      return out;
    };
  }

  @Test
  void aStoredListFoldedWithPagesLoadedOnDemandEqualsTheFullFold() {
    Property.forAll(
        "aStoredListFoldedWithPagesLoadedOnDemandEqualsTheFullFold",
        300,
        eventLogs(),
        log -> {
          int half = log.size() / 2;
          ListState stored = ListState.initial().evolveAll(log.subList(0, half));
          if (!stored.exists()) {
            return;
          }
          Map<Integer, byte[]> pages = new HashMap<>();
          for (int p = 0; p < stored.entries().pageCount(); p++) {
            if (stored.entries().hasPage(p)) {
              pages.put(p, stored.entries().page(p));
            }
          }
          ListState full = stored.evolveAll(log.subList(half, log.size()));

          ListState lazy =
              ListState.onDemand(stored.meta(), pages::get, stored.ledger())
                  .evolveAll(log.subList(half, log.size()));

          // Statuses read through the on-demand state are the full fold's, page read or not.
          for (long idx = 0; idx < full.meta().size(); idx++) {
            assertThat(lazy.statusAt(idx)).isEqualTo(full.statusAt(idx));
          }
          // Writing back exactly the written pages over the stored ones gives the full fold.
          StatusList written = stored.entries();
          for (int p : lazy.writtenPages()) {
            written = written.withPage(p, lazy.entries().page(p));
          }
          assertThat(written).isEqualTo(full.entries());
        });
  }

  @Test
  void replayingTheSameEventsGivesTheSameStateBitForBit() {
    Property.forAll(
        "replayingTheSameEventsGivesTheSameStateBitForBit",
        400,
        eventLogs(),
        log -> {
          ListState first = ListState.initial().evolveAll(log);
          ListState second = ListState.initial().evolveAll(log);

          assertThat(second).isEqualTo(first);
          assertThat(second.meta()).isEqualTo(first.meta());
          if (first.exists()) {
            assertThat(second.entries().toBytes()).isEqualTo(first.entries().toBytes());
          }
        });
  }

  @Test
  void aMutableFoldAgreesWithEvolvingOneEventAtATimeAndLeavesHandedOutStatesAlone() {
    Property.forAll(
        "aMutableFoldAgreesWithEvolvingOneEventAtATime",
        400,
        eventLogs(),
        log -> {
          ListState.Fold fold = ListState.initial().fold();
          ListState stepwise = ListState.initial();
          List<ListState> handedOut = new ArrayList<>();
          List<byte[]> handedOutBytes = new ArrayList<>();
          int i = 0;
          for (RegistryEvent e : log) {
            fold.apply(e);
            stepwise = stepwise.evolve(e);
            assertThat(fold.meta()).isEqualTo(stepwise.meta());
            if (i++ % 3 == 1) {
              ListState now = fold.state();
              assertThat(now).isEqualTo(stepwise);
              if (now.exists()) {
                handedOut.add(now);
                handedOutBytes.add(now.entries().toBytes());
              }
            }
          }

          assertThat(fold.state()).isEqualTo(stepwise);
          assertThat(fold.state().meta()).isEqualTo(stepwise.meta());
          for (int k = 0; k < handedOut.size(); k++) {
            assertThat(handedOut.get(k).entries().toBytes()).isEqualTo(handedOutBytes.get(k));
          }
        });
  }

  @Test
  void redeliveringAnyEventRightAfterItselfChangesNothing() {
    Property.forAll(
        "redeliveringAnyEventRightAfterItselfChangesNothing",
        400,
        eventLogs(),
        log -> {
          List<RegistryEvent> withRetries = new ArrayList<>();
          for (RegistryEvent e : log) {
            withRetries.add(e);
            withRetries.add(e);
          }

          assertThat(ListState.initial().evolveAll(withRetries))
              .isEqualTo(ListState.initial().evolveAll(log));
        });
  }

  @Test
  void anyEventLogNeverBringsARevokedEntryBack() {
    Property.forAll(
        "anyEventLogNeverBringsARevokedEntryBack",
        400,
        eventLogs(),
        log -> {
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
                assertThat(state.statusAt(idx))
                    .as("index %d after %s", idx, e)
                    .isEqualTo(Status.INVALID);
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
        });
  }

  // ---- commands, decided and evolved as the partition owner does ----

  /** A command's intent; concrete indexes are picked from what the state has allocated. */
  sealed interface Intent {}

  record Allocate(boolean other, int count) implements Intent {}

  record Changes(boolean other, List<Integer> picks, List<Status> statuses) implements Intent {}

  record Retire(boolean other) implements Intent {}

  static Gen<List<Intent>> intents() {
    Gen<Boolean> which = Gen.elementOf(false, false, true);
    Gen<Integer> counts = Gen.ints(1, 20);
    Gen<Intent> allocate = r -> new Allocate(which.next(r), counts.next(r));
    Gen<List<Integer>> picks = Gen.ints(-5, 500).list(1, 4);
    Gen<List<Status>> statuses =
        Gen.elementOf(
                Status.VALID,
                Status.INVALID,
                Status.SUSPENDED,
                Status.APPLICATION_3,
                Status.APPLICATION_12)
            .list(4, 4);
    Gen<Intent> changes = r -> new Changes(which.next(r), picks.next(r), statuses.next(r));
    Gen<Intent> retire = which.map(Retire::new);
    return Gen.<Intent>frequency(
            Gen.weighted(3, allocate), Gen.weighted(8, changes), Gen.weighted(1, retire))
        .list(0, 60);
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

  @Test
  void onceRevokedAnEntryStaysRevokedWhateverCommandsFollow() {
    Property.forAll(
        "onceRevokedAnEntryStaysRevokedWhateverCommandsFollow",
        300,
        intents(),
        intents -> {
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
        });
  }

  @Test
  void interleavedAllocationsNeverHandOutAnIndexTwice() {
    Property.forAll(
        "interleavedAllocationsNeverHandOutAnIndexTwice",
        300,
        intents(),
        intents -> {
          World world = new World();
          for (Intent intent : intents) {
            world.apply(world.concrete(intent));
          }

          for (Map.Entry<ListId, List<Long>> e : world.handedOut.entrySet()) {
            ListMeta meta = world.states.get(e.getKey()).meta();
            assertThat(e.getValue())
                .doesNotHaveDuplicates()
                .allMatch(i -> i >= 0 && i < meta.size());
            assertThat(e.getValue()).hasSize((int) meta.cursor()).allMatch(meta::isAllocated);
          }
        });
  }

  @Test
  void decidingIsPureAndARejectionCarriesNoEvents() {
    Property.forAll(
        "decidingIsPureAndARejectionCarriesNoEvents",
        200,
        intents(),
        intents -> {
          World world = new World();
          for (Intent intent : intents) {
            RegistryCommand command = world.concrete(intent);
            ListState state = world.states.getOrDefault(command.listId(), ListState.initial());
            ListMeta metaBefore = state.meta();
            byte[] entriesBefore = state.exists() ? state.entries().toBytes() : null;
            Decision first = DECIDER.decide(command, state);
            Decision second = DECIDER.decide(command, state);
            // the same command on the same state decides the same way, events and ids included
            assertThat(second).isEqualTo(first);
            // and deciding changed nothing in the state it read
            assertThat(state.meta()).isEqualTo(metaBefore);
            if (entriesBefore != null) {
              assertThat(state.entries().toBytes()).isEqualTo(entriesBefore);
            }
            if (first instanceof Decision.Rejected rejected) {
              assertThat(rejected.rejection().message()).isNotBlank();
            }
            world.apply(command);
          }
        });
  }
}
