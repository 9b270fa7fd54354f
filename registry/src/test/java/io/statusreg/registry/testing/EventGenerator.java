package io.statusreg.registry.testing;

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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * The one generator of synthetic but valid event histories (for the tests of every module and the
 * benchmarks), shared through the registry test-jar. Every command is decided by the registry's own
 * {@link Decider} and every event folded with {@link ListState}, so the final state of each list is
 * known. A fixed seed gives the same events.
 *
 * <p>Lists {@code issuer-<i % 3>/list-<i>} are created and indexes allocated; then entries are
 * suspended, reinstated and revoked (never after a revocation; revocations carry an RFC 5280
 * reason, suspensions {@code investigation}, reinstatements {@code reinstatement}; one command in
 * ten is an operator's) until exactly {@link #statusChanges} status changes exist; optionally the
 * last list is retired.
 */
public final class EventGenerator {
  /** The events in append order and each list's state after all of them. */
  public record Generated(List<RegistryEvent> events, Map<ListId, ListState> finalStates) {
    public long statusChanges() {
      return events.stream().filter(e -> e instanceof StatusChanged).count();
    }

    /** Events that are not status changes (creation, allocation, retirement, ...). */
    public long listEvents() {
      return events.size() - statusChanges();
    }

    /** Status changes per new status. */
    public Map<Status, Long> byNewStatus() {
      Map<Status, Long> out = new EnumMap<>(Status.class);
      for (RegistryEvent e : events) {
        if (e instanceof StatusChanged s) {
          out.merge(s.status(), 1L, Long::sum);
        }
      }
      return out;
    }
  }

  private static final Reason[] REVOCATION_REASONS = {
    Reason.KEY_COMPROMISE, Reason.SUPERSEDED, Reason.FRAUD, Reason.HOLDER_REQUEST
  };
  private static final int MAX_ALLOCATION = 10_000;

  private final long seed;
  private int lists = 3;
  private long size = 10_000;
  private int bits = 2;
  private long allocatePerList = 1_000;
  private long statusChanges = 1_000;
  private int maxBatch = 3;
  private int revocationPercent = 40;
  private long maxTickMillis = 1;
  private boolean retireLast;
  private Instant start = Instant.parse("2026-03-01T00:00:00Z");

  private EventGenerator(long seed) {
    this.seed = seed;
  }

  /** A generator with the given seed and small defaults (3 lists of 10,000 2-bit entries). */
  public static EventGenerator seed(long seed) {
    return new EventGenerator(seed);
  }

  public EventGenerator lists(int lists) {
    this.lists = positive(lists, "lists");
    return this;
  }

  /** Entries and bits per entry of every list. */
  public EventGenerator shape(long size, int bits) {
    this.size = positive(size, "size");
    this.bits = bits;
    return this;
  }

  /** Indexes allocated per list (at most its size); status changes pick among them. */
  public EventGenerator allocatePerList(long count) {
    this.allocatePerList = positive(count, "allocatePerList");
    return this;
  }

  /** Exactly this many status changes in all, on lists picked at random. */
  public EventGenerator statusChanges(long count) {
    if (count < 0) {
      throw new IllegalArgumentException("statusChanges must not be negative");
    }
    this.statusChanges = count;
    return this;
  }

  /** Most changes in one bulk command (default 3). */
  public EventGenerator maxBatch(int maxBatch) {
    this.maxBatch = positive(maxBatch, "maxBatch");
    return this;
  }

  /** Share of changes that revoke (default 40%). */
  public EventGenerator revocationPercent(int percent) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("revocationPercent must be 0..100");
    }
    this.revocationPercent = percent;
    return this;
  }

  /** Time of the first command; each next one is 1 ms to {@code maxTick} later (default 1 ms). */
  public EventGenerator start(Instant start, Duration maxTick) {
    this.start = start;
    this.maxTickMillis = positive(maxTick.toMillis(), "maxTick");
    return this;
  }

  /** Whether the last list is retired at the end. */
  public EventGenerator retireLast(boolean retire) {
    this.retireLast = retire;
    return this;
  }

  public Generated generate() {
    if (allocatePerList > size) {
      throw new IllegalArgumentException("allocatePerList exceeds the list size");
    }
    Random random = new Random(seed);
    Decider decider = new Decider();
    Map<ListId, ListState> states = new LinkedHashMap<>();
    List<RegistryEvent> events = new ArrayList<>();
    long[] clock = {start.toEpochMilli()};
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
              bits,
              size,
              Duration.ofMinutes(5),
              Duration.ofDays(1),
              Purpose.REVOCATION,
              new IndexPermutation.Key(random.nextLong(), random.nextLong()),
              actor,
              tick(clock, random)));
      for (long done = 0; done < allocatePerList; ) {
        int n = (int) Math.min(MAX_ALLOCATION, allocatePerList - done);
        apply(
            decider,
            states,
            events,
            new RegistryCommand.AllocateIndexes(uuid(random), id, n, actor, tick(clock, random)));
        done += n;
      }
    }
    List<ListId> ids = List.copyOf(states.keySet());
    long made = 0;
    int idle = 0;
    while (made < statusChanges) {
      ListId id = ids.get(random.nextInt(ids.size()));
      ListState state = states.get(id);
      long wanted = Math.min(1 + random.nextInt(maxBatch), statusChanges - made);
      List<RegistryCommand.Change> changes = new ArrayList<>();
      Set<Long> used = new HashSet<>();
      for (int attempt = 0; changes.size() < wanted && attempt < 50; attempt++) {
        long idx = state.meta().permutation().apply((long) (random.nextDouble() * allocatePerList));
        Status current = state.statusAt(idx);
        if (current.isTerminal() || !used.add(idx)) {
          continue;
        }
        changes.add(next(idx, current, random));
      }
      if (changes.isEmpty()) {
        if (++idle > 10_000) {
          throw new IllegalStateException(
              "every allocated entry is revoked: allocate more or revoke less");
        }
        continue;
      }
      idle = 0;
      Actor actor =
          random.nextInt(10) == 0
              ? Actor.operator("ops")
              : Actor.issuer("client-" + (ids.indexOf(id) % 3));
      apply(
          decider,
          states,
          events,
          new RegistryCommand.ChangeStatus(uuid(random), id, changes, actor, tick(clock, random)));
      made += changes.size();
    }
    if (retireLast && !ids.isEmpty()) {
      apply(
          decider,
          states,
          events,
          new RegistryCommand.RetireList(
              uuid(random), ids.getLast(), Actor.operator("ops"), tick(clock, random)));
    }
    return new Generated(List.copyOf(events), states);
  }

  /** Folds {@code events} from scratch, one list per key: the reference "full fold". */
  public static Map<ListId, ListState> fold(List<RegistryEvent> events) {
    Map<ListId, ListState> out = new LinkedHashMap<>();
    for (RegistryEvent e : events) {
      out.put(e.listId(), out.getOrDefault(e.listId(), ListState.initial()).evolve(e));
    }
    return out;
  }

  private RegistryCommand.Change next(long idx, Status current, Random random) {
    if (random.nextInt(100) < revocationPercent) {
      return new RegistryCommand.Change(
          idx, Status.INVALID, REVOCATION_REASONS[random.nextInt(REVOCATION_REASONS.length)]);
    }
    return current == Status.SUSPENDED
        ? new RegistryCommand.Change(idx, Status.VALID, Reason.REINSTATEMENT)
        : new RegistryCommand.Change(idx, Status.SUSPENDED, Reason.INVESTIGATION);
  }

  private static void apply(
      Decider decider,
      Map<ListId, ListState> states,
      List<RegistryEvent> events,
      RegistryCommand command) {
    ListState state = states.get(command.listId());
    switch (decider.decide(command, state)) {
      case Decision.Accepted accepted -> {
        states.put(command.listId(), state.evolveAll(accepted.events()));
        events.addAll(accepted.events());
      }
      case Decision.Rejected rejected ->
          throw new IllegalStateException("the generator made a refused command: " + rejected);
    }
  }

  private Instant tick(long[] clock, Random random) {
    clock[0] += maxTickMillis == 1 ? 1 : 1 + random.nextLong(maxTickMillis);
    return Instant.ofEpochMilli(clock[0]);
  }

  private static UUID uuid(Random random) {
    return new UUID(random.nextLong(), random.nextLong());
  }

  private static int positive(int v, String what) {
    if (v < 1) {
      throw new IllegalArgumentException(what + " must be positive");
    }
    return v;
  }

  private static long positive(long v, String what) {
    if (v < 1) {
      throw new IllegalArgumentException(what + " must be positive");
    }
    return v;
  }
}
