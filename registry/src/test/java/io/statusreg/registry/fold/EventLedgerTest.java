package io.statusreg.registry.fold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusreg.registry.EventId;
import io.statusreg.registry.testing.Gen;
import io.statusreg.registry.testing.Property;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventLedgerTest {
  private static EventId id(int n) {
    return new EventId(new UUID(0, n));
  }

  @Test
  void aRecordedIdIsContainedAndAnotherIsNot() {
    EventLedger ledger = EventLedger.recent(4).record(id(1));

    assertThat(ledger.contains(id(1))).isTrue();
    assertThat(ledger.contains(id(2))).isFalse();
  }

  @Test
  void theNilIdIsRememberedAndForgottenLikeAnyOther() {
    // id(0) is the nil UUID, whose two zero halves are also what an empty table slot holds
    EventLedger ledger = EventLedger.recent(3).record(id(0));
    assertThat(ledger.contains(id(0))).isTrue();

    EventLedger once = ledger.record(id(1)).record(id(2)).record(id(3));
    EventLedger twice = ledger.record(id(1)).record(id(2)).record(id(0)).record(id(3));

    assertThat(once.contains(id(0))).as("recorded once, three ids ago").isFalse();
    assertThat(twice.contains(id(0))).as("its second copy is still in the window").isTrue();
    assertThat(twice.contains(id(1))).isFalse();
  }

  @Test
  void theLedgerForgetsIdsOlderThanItsCapacity() {
    EventLedger ledger = EventLedger.recent(3);
    for (int n = 1; n <= 5; n++) {
      ledger = ledger.record(id(n));
    }

    assertThat(ledger.contains(id(1))).isFalse();
    assertThat(ledger.contains(id(2))).isFalse();
    assertThat(ledger.contains(id(3))).isTrue();
    assertThat(ledger.contains(id(5))).isTrue();
  }

  @Test
  void recordingLeavesTheOlderLedgerAsItWas() {
    EventLedger before = EventLedger.recent(3).record(id(1));

    EventLedger after = before.record(id(2));

    assertThat(before.contains(id(2))).isFalse();
    assertThat(after.contains(id(2))).isTrue();
  }

  @Test
  void anOlderLedgerStillKnowsItsIdsAfterALaterOneEvictedThem() {
    // given a ledger that has seen 1 and 2 with room for two
    EventLedger older = EventLedger.recent(2).record(id(1)).record(id(2));
    // when the line goes on and 1 leaves the newer window
    EventLedger newer = older.record(id(3)).record(id(4));

    // then the older ledger still answers for 1 and 2, and not for what came later
    assertThat(newer.contains(id(1))).isFalse();
    assertThat(older.contains(id(1))).isTrue();
    assertThat(older.contains(id(2))).isTrue();
    assertThat(older.contains(id(3))).isFalse();
    // and a branch recorded from the older ledger keeps its own window
    EventLedger branch = older.record(id(9));
    assertThat(branch.contains(id(2))).isTrue();
    assertThat(branch.contains(id(9))).isTrue();
    assertThat(branch.contains(id(3))).isFalse();
    assertThat(newer.contains(id(9))).isFalse();
  }

  @Test
  void anIdRecordedTwiceStaysUntilItsLastCopyLeavesTheWindow() {
    EventLedger ledger = EventLedger.recent(3).record(id(1)).record(id(2)).record(id(1));

    ledger = ledger.record(id(3)).record(id(4));

    assertThat(ledger.contains(id(1))).isTrue();
    assertThat(ledger.record(id(5)).contains(id(1))).isFalse();
  }

  @Test
  void aCapacityBelowOneIsRefused() {
    assertThatThrownBy(() -> EventLedger.recent(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity");
  }

  @Test
  void theNoneLedgerRemembersNothing() {
    assertThat(EventLedger.none().record(id(1)).contains(id(1))).isFalse();
  }

  /** One step: record an id into version {@code from}, or ask version {@code from} about an id. */
  record Step(boolean record, int from, int id) {}

  static Gen<List<Step>> steps() {
    Gen<Boolean> records = Gen.elementOf(true, true, false);
    Gen<Integer> froms = Gen.ints(0, 1000);
    Gen<Integer> ids = Gen.ints(0, 12);
    Gen<Step> step = r -> new Step(records.next(r), froms.next(r), ids.next(r));
    return step.list(0, 80);
  }

  /**
   * Every version of a ledger, old or new, answers like a naive model: the last {@code capacity}
   * ids recorded on the way to that version. Each capacity from 1 to 6 gets its own 500 tries.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6})
  void everyVersionContainsExactlyTheLastCapacityIdsOfItsHistory(int capacity) {
    Property.forAll(
        "everyVersionContainsExactlyTheLastCapacityIdsOfItsHistory(" + capacity + ")",
        500,
        steps(),
        steps -> {
          List<EventLedger> versions = new ArrayList<>(List.of(EventLedger.recent(capacity)));
          List<List<Integer>> histories = new ArrayList<>(List.of(List.of()));

          for (Step step : steps) {
            int from = step.from() % versions.size();
            List<Integer> history = histories.get(from);
            if (step.record()) {
              List<Integer> longer = new ArrayList<>(history);
              longer.add(step.id());
              versions.add(versions.get(from).record(id(step.id())));
              histories.add(longer);
            }
            List<Integer> window =
                history.subList(Math.max(0, history.size() - capacity), history.size());
            assertThat(versions.get(from).contains(id(step.id())))
                .as("version %d with history %s asked for %d", from, history, step.id())
                .isEqualTo(window.contains(step.id()));
          }
        });
  }
}
