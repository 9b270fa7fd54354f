package io.statusreg.registry.fold;

import static io.statusreg.registry.fold.Fixtures.DECIDER;
import static io.statusreg.registry.fold.Fixtures.ISSUER;
import static io.statusreg.registry.fold.Fixtures.LIST;
import static io.statusreg.registry.fold.Fixtures.T0;
import static io.statusreg.registry.fold.Fixtures.accepted;
import static io.statusreg.registry.fold.Fixtures.allocate;
import static io.statusreg.registry.fold.Fixtures.change;
import static io.statusreg.registry.fold.Fixtures.changes;
import static io.statusreg.registry.fold.Fixtures.create;
import static io.statusreg.registry.fold.Fixtures.given;
import static io.statusreg.registry.fold.Fixtures.indexAt;
import static io.statusreg.registry.fold.Fixtures.indexesOf;
import static io.statusreg.registry.fold.Fixtures.rejected;
import static io.statusreg.registry.fold.Fixtures.retire;
import static io.statusreg.registry.fold.Fixtures.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.IndexesAllocated;
import io.statusreg.registry.events.ListCreated;
import io.statusreg.registry.events.ListFull;
import io.statusreg.registry.events.ListRetired;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.events.StatusChanged;
import io.statusreg.registry.fold.RegistryCommand.AllocateIndexes;
import io.statusreg.registry.fold.RegistryCommand.ChangeStatus;
import io.statusreg.registry.fold.RegistryCommand.CreateList;
import io.statusreg.registry.lists.StatusList;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FoldTest {

  @Nested
  class CreatingAList {
    @Test
    void givenNoListWhenCreatedThenTheListExistsEmptyWithItsShape() {
      CreateList command = create(2, 1000);

      List<RegistryEvent> events = accepted(DECIDER.decide(command, ListState.initial()));
      ListState state = ListState.initial().evolveAll(events);

      assertThat(events).singleElement().isInstanceOf(ListCreated.class);
      ListCreated created = (ListCreated) events.getFirst();
      assertThat(created.bits()).isEqualTo(2);
      assertThat(created.size()).isEqualTo(1000);
      assertThat(created.purpose()).isEqualTo(Purpose.REVOCATION);
      assertThat(created.permutationKey()).isEqualTo(Fixtures.KEY);
      assertThat(state.exists()).isTrue();
      assertThat(state.meta().cursor()).isZero();
      assertThat(state.meta().version()).isEqualTo(1);
      assertThat(state.meta().remaining()).isEqualTo(1000);
      assertThat(state.entries().histogram()).containsExactly(1000, 0, 0, 0);
    }

    @Test
    void givenAListWhenCreatedAgainThenListExists() {
      ListState state = given(create(1, 100));

      assertThat(rejected(DECIDER.decide(create(1, 100), state)).kind())
          .isEqualTo(Rejection.Kind.LIST_EXISTS);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 5, 16, -1})
    void bitsOtherThanOneTwoFourOrEightAreUnprocessable(int bits) {
      Rejection r = rejected(DECIDER.decide(create(bits, 100), ListState.initial()));

      assertThat(r.kind()).isEqualTo(Rejection.Kind.UNPROCESSABLE);
      assertThat(r.message()).contains("bits");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, 100_000_001, Long.MAX_VALUE})
    void sizesOutsideTheLimitsAreUnprocessable(long size) {
      Rejection r = rejected(DECIDER.decide(create(1, size), ListState.initial()));

      assertThat(r.kind()).isEqualTo(Rejection.Kind.UNPROCESSABLE);
      assertThat(r.message()).contains("size");
    }

    @Test
    void sizesThatAStatusListCannotHoldAreUnprocessableEvenUnderLooseLimits() {
      Decider loose =
          new Decider(new Decider.Limits(Long.MAX_VALUE, 10, 10, Duration.ofDays(366), 1000));

      Rejection r =
          rejected(loose.decide(create(8, StatusList.MAX_BYTES + 1), ListState.initial()));

      assertThat(r.kind()).isEqualTo(Rejection.Kind.UNPROCESSABLE);
    }

    @Test
    void ttlAndValidityMustBePositiveOrderedAndBounded() {
      Duration min = Duration.ofMinutes(1);
      for (CreateList bad :
          List.of(
              create(1, 10, Duration.ZERO, Duration.ofDays(1)),
              create(1, 10, Duration.ofSeconds(-1), Duration.ofDays(1)),
              create(1, 10, Duration.ofHours(2), Duration.ofHours(1)),
              create(1, 10, min, Duration.ofDays(367)))) {
        Rejection r = rejected(DECIDER.decide(bad, ListState.initial()));
        assertThat(r.kind()).as("%s", bad).isEqualTo(Rejection.Kind.UNPROCESSABLE);
        assertThat(r.message()).contains("ttl");
      }
      accepted(DECIDER.decide(create(1, 10, min, min), ListState.initial()));
      accepted(DECIDER.decide(create(1, 10, min, Duration.ofDays(366)), ListState.initial()));
    }

    @Test
    void aCreateCommandWithoutLifetimesOrKeyIsInvalidInput() {
      assertThatThrownBy(
              () ->
                  new CreateList(
                      UUID.randomUUID(),
                      LIST,
                      1,
                      10,
                      null,
                      Duration.ofDays(1),
                      Purpose.REVOCATION,
                      Fixtures.KEY,
                      ISSUER,
                      T0))
          .isInstanceOf(RegistryException.InvalidInput.class)
          .hasMessageContaining("ttl");
      assertThatThrownBy(() -> new AllocateIndexes(UUID.randomUUID(), null, 1, ISSUER, T0))
          .isInstanceOf(RegistryException.InvalidInput.class);
    }
  }

  @Nested
  class Allocating {
    @Test
    void givenANewListWhenAllocatingThenCursorsAreHandedOutInSequence() {
      ListState state = given(create(1, 100));

      List<RegistryEvent> first = accepted(DECIDER.decide(allocate(3), state));
      ListState afterFirst = state.evolveAll(first);
      List<RegistryEvent> second = accepted(DECIDER.decide(allocate(2), afterFirst));
      ListState afterSecond = afterFirst.evolveAll(second);

      assertThat(((IndexesAllocated) first.getFirst()).fromCursor()).isZero();
      assertThat(((IndexesAllocated) first.getFirst()).count()).isEqualTo(3);
      assertThat(((IndexesAllocated) second.getFirst()).fromCursor()).isEqualTo(3);
      assertThat(afterSecond.meta().cursor()).isEqualTo(5);
      assertThat(afterSecond.meta().remaining()).isEqualTo(95);
      List<Long> handedOut = indexesOf(afterSecond, first);
      handedOut.addAll(indexesOf(afterSecond, second));
      assertThat(handedOut).doesNotHaveDuplicates().allMatch(i -> i >= 0 && i < 100);
      assertThat(handedOut).allMatch(afterSecond.meta()::isAllocated);
      assertThat(afterSecond.meta().isAllocated(indexAt(afterSecond, 5))).isFalse();
    }

    @Test
    void whenTheLastIndexIsHandedOutThenListFullIsEmittedAndLaterAllocationsAreRefused() {
      ListState state = given(create(1, 10), allocate(7));

      List<RegistryEvent> events = accepted(DECIDER.decide(allocate(3), state));
      ListState full = state.evolveAll(events);

      assertThat(events).hasSize(2);
      assertThat(events.get(0)).isInstanceOf(IndexesAllocated.class);
      assertThat(events.get(1)).isInstanceOf(ListFull.class);
      assertThat(((ListFull) events.get(1)).cursor()).isEqualTo(10);
      assertThat(full.meta().full()).isTrue();
      assertThat(full.meta().remaining()).isZero();
      Rejection r = rejected(DECIDER.decide(allocate(1), full));
      assertThat(r.kind()).isEqualTo(Rejection.Kind.LIST_FULL);
    }

    @Test
    void askingForMoreThanIsLeftIsListFullAndHandsOutNothing() {
      ListState state = given(create(1, 10), allocate(8));

      Rejection r = rejected(DECIDER.decide(allocate(3), state));

      assertThat(r.kind()).isEqualTo(Rejection.Kind.LIST_FULL);
      assertThat(r.message()).contains("2 indexes left");
    }

    @Test
    void aSizeOneListIsFullAfterOneAllocation() {
      ListState state = given(create(1, 1));

      List<RegistryEvent> events = accepted(DECIDER.decide(allocate(1), state));

      assertThat(events).hasSize(2);
      assertThat(indexesOf(state, events)).containsExactly(0L);
    }

    @Test
    void givenARetiredListWhenAllocatingThenListRetired() {
      ListState state = given(create(1, 100), allocate(1), retire());

      assertThat(state.meta().retired()).isTrue();
      assertThat(rejected(DECIDER.decide(allocate(1), state)).kind())
          .isEqualTo(Rejection.Kind.LIST_RETIRED);
    }

    @Test
    void retiringTwiceIsANoOpAndARetiredListStillTakesStatusChanges() {
      ListState state = given(create(1, 100), allocate(1), retire());
      long idx = indexAt(state, 0);

      assertThat(accepted(DECIDER.decide(retire(), state))).isEmpty();
      ListState revoked = given(create(1, 100), allocate(1), retire(), change(idx, Status.INVALID));
      assertThat(revoked.statusAt(idx)).isEqualTo(Status.INVALID);
    }

    @Test
    void anAllocationAboveTheLimitIsUnprocessable() {
      ListState state = given(create(1, 100_000));

      assertThat(rejected(DECIDER.decide(allocate(10_001), state)).kind())
          .isEqualTo(Rejection.Kind.UNPROCESSABLE);
      assertThatThrownBy(() -> allocate(0)).isInstanceOf(RegistryException.InvalidInput.class);
    }
  }

  @Nested
  class SuspensionLists {
    private RegistryCommand.CreateList suspension(int bits) {
      return new RegistryCommand.CreateList(
          Fixtures.nextId(),
          LIST,
          bits,
          1000,
          Duration.ofMinutes(5),
          Duration.ofDays(1),
          Purpose.SUSPENSION,
          Fixtures.KEY,
          ISSUER,
          T0);
    }

    @Test
    void aOneBitSuspensionListIsRefusedBecauseItCouldNeverBeUnSuspended() {
      Rejection r = rejected(DECIDER.decide(suspension(1), ListState.initial()));
      assertThat(r.kind()).isEqualTo(Rejection.Kind.UNPROCESSABLE);
      assertThat(r.message()).contains("at least 2 bits");
      accepted(DECIDER.decide(suspension(2), ListState.initial()));
    }

    @Test
    void aSuspensionIsReversibleAndOnlyValidAndSuspendedAreTaken() {
      ListState state = given(suspension(2), allocate(3));
      long idx = indexAt(state, 0);
      ListState suspended =
          state.evolveAll(accepted(DECIDER.decide(change(idx, Status.SUSPENDED), state)));
      ListState back =
          suspended.evolveAll(accepted(DECIDER.decide(change(idx, Status.VALID), suspended)));
      ListState again =
          back.evolveAll(accepted(DECIDER.decide(change(idx, Status.SUSPENDED), back)));

      assertThat(suspended.statusAt(idx)).isEqualTo(Status.SUSPENDED);
      assertThat(back.statusAt(idx)).isEqualTo(Status.VALID);
      assertThat(again.statusAt(idx)).isEqualTo(Status.SUSPENDED);
      for (Status other : List.of(Status.INVALID, Status.APPLICATION_3)) {
        Rejection r = rejected(DECIDER.decide(change(idx, other), again));
        assertThat(r.kind()).as("%s", other).isEqualTo(Rejection.Kind.UNPROCESSABLE);
        assertThat(r.message()).contains("VALID and SUSPENDED only");
      }
    }
  }

  @Nested
  class ChangingStatus {
    private final ListState allocated = given(create(2, 1000), allocate(10));
    private final long idx = indexAt(allocated, 0);

    @Test
    void validToSuspendedToValidWorks() {
      ListState suspended = allocated.evolveAll(accepted(decide(change(idx, Status.SUSPENDED))));
      List<RegistryEvent> reinstate =
          accepted(DECIDER.decide(change(idx, Status.VALID), suspended));
      ListState valid = suspended.evolveAll(reinstate);

      assertThat(suspended.statusAt(idx)).isEqualTo(Status.SUSPENDED);
      assertThat(reinstate)
          .singleElement()
          .isInstanceOfSatisfying(
              StatusChanged.class,
              e -> {
                assertThat(e.previous()).isEqualTo(Status.SUSPENDED);
                assertThat(e.status()).isEqualTo(Status.VALID);
                assertThat(e.idx()).isEqualTo(idx);
              });
      assertThat(valid.statusAt(idx)).isEqualTo(Status.VALID);
      assertThat(valid.entries().get(idx)).isZero();
    }

    @Test
    void revocationIsTerminalForDecide() {
      ListState revoked = allocated.evolveAll(accepted(decide(change(idx, Status.INVALID))));

      for (Status later : List.of(Status.VALID, Status.SUSPENDED, Status.APPLICATION_3)) {
        Rejection r = rejected(DECIDER.decide(change(idx, later), revoked));
        assertThat(r.kind()).as("%s", later).isEqualTo(Rejection.Kind.CONFLICT);
      }
      assertThat(revoked.statusAt(idx)).isEqualTo(Status.INVALID);
    }

    @Test
    void aReinstateForcedIntoEvolveAfterRevocationIsIgnoredAndCounted() {
      ListState revoked = allocated.evolveAll(accepted(decide(change(idx, Status.INVALID))));
      StatusChanged forced =
          new StatusChanged(
              EventId.random(),
              LIST,
              idx,
              Status.INVALID,
              Status.VALID,
              Reason.REINSTATEMENT,
              ISSUER,
              T0.plusSeconds(60));

      ListState after = revoked.evolve(forced);

      assertThat(after.statusAt(idx)).isEqualTo(Status.INVALID);
      assertThat(after.meta().ignored()).isEqualTo(revoked.meta().ignored() + 1);
      assertThat(after.meta().version()).isEqualTo(revoked.meta().version());
      assertThat(after.entries()).isEqualTo(revoked.entries());
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, 1000, Long.MAX_VALUE})
    void anIndexOutOfRangeIsUnprocessable(long outside) {
      Rejection r = rejected(DECIDER.decide(change(outside, Status.INVALID), allocated));

      assertThat(r.kind()).isEqualTo(Rejection.Kind.UNPROCESSABLE);
      assertThat(r.message()).contains("outside");
    }

    @Test
    void aNeverAllocatedIndexIsUnprocessable() {
      long free = indexAt(allocated, 10);

      Rejection r = rejected(DECIDER.decide(change(free, Status.INVALID), allocated));

      assertThat(r.kind()).isEqualTo(Rejection.Kind.UNPROCESSABLE);
      assertThat(r.message()).contains("never allocated");
    }

    @Test
    void applicationValuesNeedEnoughBits() {
      ListState oneBit = given(create(1, 100), allocate(1));
      ListState twoBits = given(create(2, 100), allocate(1));
      ListState fourBits = given(create(4, 100), allocate(1));

      assertThat(rejected(decideOn(oneBit, Status.SUSPENDED)).kind())
          .isEqualTo(Rejection.Kind.UNPROCESSABLE);
      assertThat(rejected(decideOn(oneBit, Status.APPLICATION_3)).message()).contains("2 bits");
      accepted(decideOn(twoBits, Status.APPLICATION_3));
      assertThat(rejected(decideOn(twoBits, Status.APPLICATION_12)).message()).contains("4 bits");
      assertThat(rejected(decideOn(twoBits, Status.APPLICATION_15)).kind())
          .isEqualTo(Rejection.Kind.UNPROCESSABLE);
      ListState twelve = fourBits.evolveAll(accepted(decideOn(fourBits, Status.APPLICATION_12)));
      assertThat(twelve.entries().get(indexAt(fourBits, 0))).isEqualTo(12);
    }

    @Test
    void aStatusTooWideForTheListForcedIntoEvolveIsIgnoredAndCounted() {
      ListState oneBit = given(create(1, 100), allocate(1));
      long at = indexAt(oneBit, 0);

      ListState after =
          oneBit.evolve(
              new StatusChanged(
                  EventId.random(),
                  LIST,
                  at,
                  Status.VALID,
                  Status.APPLICATION_3,
                  Reason.UNSPECIFIED,
                  ISSUER,
                  T0));

      assertThat(after.entries().get(at)).isZero();
      assertThat(after.meta().ignored()).isEqualTo(1);
    }

    @Test
    void theSameStatusAgainIsANoOpWithNoEvents() {
      assertThat(accepted(decide(change(idx, Status.VALID)))).isEmpty();
      ListState revoked = allocated.evolveAll(accepted(decide(change(idx, Status.INVALID))));
      assertThat(accepted(DECIDER.decide(change(idx, Status.INVALID), revoked))).isEmpty();
    }

    @Test
    void aBulkChangeIsRefusedWholeWhenOneChangeIsBad() {
      long a = indexAt(allocated, 1);
      long b = indexAt(allocated, 2);
      long never = indexAt(allocated, 500);

      Rejection r =
          rejected(
              decide(
                  changes(
                      to(a, Status.INVALID), to(never, Status.INVALID), to(b, Status.SUSPENDED))));

      assertThat(r.kind()).isEqualTo(Rejection.Kind.UNPROCESSABLE);
    }

    @Test
    void aBulkChangeThatRevokesThenReinstatesTheSameIndexIsAConflict() {
      Rejection r = rejected(decide(changes(to(idx, Status.INVALID), to(idx, Status.VALID))));

      assertThat(r.kind()).isEqualTo(Rejection.Kind.CONFLICT);
    }

    @Test
    void aGoodBulkChangeEmitsOneEventPerRealChangeInOrder() {
      long a = indexAt(allocated, 1);
      long b = indexAt(allocated, 2);
      ChangeStatus command =
          changes(
              to(a, Status.SUSPENDED),
              to(b, Status.VALID),
              to(a, Status.INVALID),
              to(idx, Status.INVALID));

      List<RegistryEvent> events = accepted(decide(command));
      ListState after = allocated.evolveAll(events);

      assertThat(events)
          .extracting(e -> ((StatusChanged) e).idx(), e -> ((StatusChanged) e).status())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(a, Status.SUSPENDED),
              org.assertj.core.groups.Tuple.tuple(a, Status.INVALID),
              org.assertj.core.groups.Tuple.tuple(idx, Status.INVALID));
      assertThat(((StatusChanged) events.get(1)).previous()).isEqualTo(Status.SUSPENDED);
      assertThat(events).extracting(RegistryEvent::id).doesNotHaveDuplicates();
      assertThat(after.entries().histogram()).containsExactly(998, 2, 0, 0);
      assertThat(after.meta().version()).isEqualTo(allocated.meta().version() + 3);
    }

    @Test
    void moreChangesThanTheLimitAreUnprocessable() {
      Decider strict = new Decider(new Decider.Limits(1000, 10, 2, Duration.ofDays(366), 1000));
      ChangeStatus three =
          changes(to(idx, Status.INVALID), to(idx, Status.INVALID), to(idx, Status.INVALID));

      assertThat(rejected(strict.decide(three, allocated)).kind())
          .isEqualTo(Rejection.Kind.UNPROCESSABLE);
    }

    private Decision decide(RegistryCommand command) {
      return DECIDER.decide(command, allocated);
    }

    private Decision decideOn(ListState state, Status status) {
      return DECIDER.decide(change(indexAt(state, 0), status), state);
    }
  }

  @Nested
  class UnknownLists {
    @Test
    void everyCommandButCreateOnAnUnknownListIsListNotFound() {
      ListState none = ListState.initial();

      for (RegistryCommand c :
          List.of(allocate(1), change(0, Status.INVALID), (RegistryCommand) retire())) {
        assertThat(rejected(DECIDER.decide(c, none)).kind())
            .as("%s", c)
            .isEqualTo(Rejection.Kind.LIST_NOT_FOUND);
      }
    }

    @Test
    void eventsBeforeTheListExistsChangeNothing() {
      ListState none = ListState.initial();

      ListState after =
          none.evolve(new ListRetired(EventId.random(), LIST, ISSUER, T0))
              .evolve(new IndexesAllocated(EventId.random(), LIST, 0, 1, ISSUER, T0));

      assertThat(after).isEqualTo(none);
      assertThat(after.exists()).isFalse();
    }

    @Test
    void anEventForAnotherListIsIgnoredAndCounted() {
      ListState state = given(create(1, 100), allocate(1));
      ListId other = ListId.of("acme", "other");

      ListState after =
          state.evolve(new IndexesAllocated(EventId.random(), other, 1, 5, ISSUER, T0));

      assertThat(after.meta().cursor()).isEqualTo(1);
      assertThat(after.meta().ignored()).isEqualTo(1);
    }
  }

  @Nested
  class Idempotence {
    @Test
    void theSameCommandDecidedTwiceGivesTheSameEventIds() {
      ListState state = given(create(1, 100), allocate(5));
      ChangeStatus command =
          changes(to(indexAt(state, 0), Status.INVALID), to(indexAt(state, 1), Status.INVALID));
      AllocateIndexes allocation = allocate(95);

      assertThat(accepted(DECIDER.decide(command, state)))
          .isEqualTo(accepted(DECIDER.decide(command, state)));
      assertThat(accepted(DECIDER.decide(allocation, state)))
          .extracting(RegistryEvent::id)
          .containsExactlyElementsOf(
              accepted(DECIDER.decide(allocation, state)).stream().map(RegistryEvent::id).toList())
          .containsExactly(allocation.eventId(0), allocation.eventId(1));
    }

    @Test
    void differentCommandsGiveDifferentEventIds() {
      ListState state = given(create(1, 100), allocate(5));

      RegistryEvent one =
          accepted(DECIDER.decide(change(indexAt(state, 0), Status.INVALID), state)).getFirst();
      RegistryEvent two =
          accepted(DECIDER.decide(change(indexAt(state, 0), Status.INVALID), state)).getFirst();

      assertThat(one.id()).isNotEqualTo(two.id());
    }

    @Test
    void theSameEventAppliedTwiceChangesNothing() {
      ListState state = given(create(2, 100), allocate(5));
      List<RegistryEvent> events =
          accepted(
              DECIDER.decide(
                  changes(
                      to(indexAt(state, 0), Status.SUSPENDED),
                      to(indexAt(state, 1), Status.INVALID)),
                  state));
      RegistryEvent allocation = accepted(DECIDER.decide(allocate(3), state)).getFirst();

      ListState once = state.evolveAll(events).evolve(allocation);
      ListState twice = once.evolveAll(events).evolve(allocation);

      assertThat(twice).isEqualTo(once);
      assertThat(twice.meta().version()).isEqualTo(once.meta().version());
      assertThat(twice.meta().cursor()).isEqualTo(8);
      assertThat(twice.meta().ignored()).isZero();
      assertThat(twice.entries().toBytes()).isEqualTo(once.entries().toBytes());
    }

    @Test
    void aRetriedSuspendAfterAReinstateDoesNotSuspendAgain() {
      ListState state = given(create(2, 100), allocate(1));
      long at = indexAt(state, 0);
      RegistryEvent suspend =
          accepted(DECIDER.decide(change(at, Status.SUSPENDED), state)).getFirst();
      ListState suspended = state.evolve(suspend);
      RegistryEvent reinstate =
          accepted(DECIDER.decide(change(at, Status.VALID), suspended)).getFirst();

      ListState after = suspended.evolve(reinstate).evolve(suspend);

      assertThat(after.statusAt(at)).isEqualTo(Status.VALID);
    }

    @Test
    void anOlderStateStillRecognisesEventsItHasApplied() {
      // given a state that has applied a suspension, and a later state past its ledger window
      ListState base =
          ListState.of(null, null, EventLedger.recent(2))
              .evolveAll(accepted(DECIDER.decide(create(2, 100), ListState.initial())));
      base = base.evolveAll(accepted(DECIDER.decide(allocate(10), base)));
      long at = indexAt(base, 0);
      RegistryEvent suspend =
          accepted(DECIDER.decide(change(at, Status.SUSPENDED), base)).getFirst();
      ListState older = base.evolve(suspend);
      ListState later = older;
      for (int c = 1; c < 4; c++) {
        later =
            later.evolveAll(
                accepted(DECIDER.decide(change(indexAt(base, c), Status.INVALID), later)));
      }

      // when the older state sees the suspension again
      ListState again = older.evolve(suspend);

      // then nothing changes
      assertThat(again).isEqualTo(older);
      assertThat(again.meta().version()).isEqualTo(older.meta().version());
    }
  }
}
