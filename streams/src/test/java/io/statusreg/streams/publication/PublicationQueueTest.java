package io.statusreg.streams.publication;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.streams.publication.PublicationQueue.Item;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A tick publishes oldest first, changes and refreshes alike, starts nothing once its budget is
 * spent (but always its first item), and so cannot starve a token's refresh behind a stream of
 * newer changes. A fake nano clock that each publication advances by its cost.
 */
class PublicationQueueTest {
  private static final Duration BUDGET = Duration.ofMillis(100);

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  /** A publication that costs {@code millis} of the fake clock and records its list. */
  private <T> java.util.function.Consumer<Item<T>> costing(long millis, List<String> published) {
    return item -> {
      published.add(item.listKey());
      nanos.addAndGet(Duration.ofMillis(millis).toNanos());
    };
  }

  @Test
  void runsOldestFirstWhateverTheKindAndKeepsTheOrderOfTies() {
    PublicationQueue<String> queue =
        new PublicationQueue<String>()
            .add("changed-late", 3_000, "change")
            .add("refresh", 1_000, null)
            .add("changed-early", 500, "change")
            .add("tie-a", 2_000, "change")
            .add("tie-b", 2_000, null);

    assertThat(queue.ordered())
        .extracting(Item::listKey)
        .containsExactly("changed-early", "refresh", "tie-a", "tie-b", "changed-late");
  }

  @Test
  void startsNothingOnceTheBudgetIsSpentAndReturnsWhatIsLeftOldestFirst() {
    PublicationQueue<String> queue = new PublicationQueue<>();
    for (int i = 0; i < 5; i++) {
      queue.add("list-" + i, 1_000 + i, "change");
    }
    List<String> published = new ArrayList<>();

    // 60 ms each: the second starts at 60 ms (inside 100 ms), the third would start at 120 ms
    List<Item<String>> left = queue.drain(BUDGET, nanos::get, costing(60, published));

    assertThat(published).containsExactly("list-0", "list-1");
    assertThat(left).extracting(Item::listKey).containsExactly("list-2", "list-3", "list-4");
  }

  @Test
  void theFirstItemRunsEvenWhenItAloneOverrunsTheBudget() {
    PublicationQueue<String> queue =
        new PublicationQueue<String>().add("big", 1, "change").add("small", 2, "change");
    List<String> published = new ArrayList<>();

    List<Item<String>> left = queue.drain(BUDGET, nanos::get, costing(6_700, published));

    assertThat(published).containsExactly("big");
    assertThat(left).extracting(Item::listKey).containsExactly("small");
  }

  @Test
  void everythingRunsWhenTheBudgetAllows() {
    PublicationQueue<String> queue =
        new PublicationQueue<String>().add("a", 2, "change").add("b", 1, null);
    List<String> published = new ArrayList<>();

    assertThat(queue.drain(BUDGET, nanos::get, costing(10, published))).isEmpty();
    assertThat(published).containsExactly("b", "a");
  }

  /**
   * Ticks of 250 ms in which new changes alone would fill every budget: a refresh due at 1 000 runs
   * after the two changes older than it, at the third tick, never behind the newer ones.
   */
  @Test
  void aStreamOfNewerChangesCannotStarveARefresh() {
    List<Item<String>> carried = new ArrayList<>();
    carried.add(new Item<>("old-change-1", 900, "change"));
    carried.add(new Item<>("old-change-2", 950, "change"));
    carried.add(new Item<>("token-refresh", 1_000, null));
    List<String> published = new ArrayList<>();
    int refreshedAtTick = -1;
    for (int tick = 1; tick <= 6 && refreshedAtTick < 0; tick++) {
      long now = 1_000 + 250L * tick;
      PublicationQueue<String> queue = new PublicationQueue<>();
      // the new changes first, as a task's dirty lists are listed before its refreshes
      for (int i = 0; i < 3; i++) {
        queue.add("new-change-" + tick + "-" + i, now - 10 + i, "change");
      }
      carried.forEach(item -> queue.add(item.listKey(), item.dueAt(), item.work()));
      int before = published.size();
      carried = new ArrayList<>(queue.drain(BUDGET, nanos::get, costing(150, published)));
      if (published.subList(before, published.size()).contains("token-refresh")) {
        refreshedAtTick = tick;
      }
    }

    assertThat(refreshedAtTick).isEqualTo(3);
    assertThat(published).startsWith("old-change-1", "old-change-2", "token-refresh");
  }
}
