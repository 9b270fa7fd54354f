package io.statusreg.streams.publication;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The order in which one publication tick publishes what is due, and where it stops.
 *
 * <p>Every item carries the moment it became due: a changed list its oldest unpublished change, a
 * token refresh the token's refresh time. Items run oldest first whatever their kind, so a refresh
 * put off by a tick's budget is older than every change made after it and runs before them: a task
 * whose changes alone fill every tick's budget still refreshes its tokens before they expire (when
 * changes always came first, a busy task could starve its refreshes until the tokens ran out).
 *
 * <p>No item starts once the budget is spent, but the first one always runs, so every tick makes
 * progress however big a list is. What is left stays due for the next tick.
 *
 * @param <T> what one item publishes
 */
public final class PublicationQueue<T> {
  /** One list due for publication since {@code dueAt} (epoch ms). */
  public record Item<T>(String listKey, long dueAt, T work) {
    public Item {
      Objects.requireNonNull(listKey, "listKey");
    }
  }

  private final List<Item<T>> items = new ArrayList<>();

  /** Adds an item; items due at the same moment keep the order in which they were added. */
  public PublicationQueue<T> add(String listKey, long dueAt, T work) {
    items.add(new Item<>(listKey, dueAt, work));
    return this;
  }

  /** The items oldest first, the order {@link #drain} runs them in. */
  public List<Item<T>> ordered() {
    List<Item<T>> sorted = new ArrayList<>(items);
    sorted.sort(Comparator.comparingLong(Item::dueAt)); // stable: ties keep insertion order
    return sorted;
  }

  /**
   * Publishes items oldest first until the budget is spent: the first item always runs, a later one
   * only while {@code nanoTime} is inside {@code budget} from the start.
   *
   * @return the items not run, oldest first (empty when all ran)
   */
  public List<Item<T>> drain(Duration budget, LongSupplier nanoTime, Consumer<Item<T>> publish) {
    List<Item<T>> sorted = ordered();
    long end = nanoTime.getAsLong() + budget.toNanos();
    for (int i = 0; i < sorted.size(); i++) {
      if (i > 0 && nanoTime.getAsLong() - end > 0) {
        return List.copyOf(sorted.subList(i, sorted.size()));
      }
      publish.accept(sorted.get(i));
    }
    return List.of();
  }
}
