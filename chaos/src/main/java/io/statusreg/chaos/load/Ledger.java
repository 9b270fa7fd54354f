package io.statusreg.chaos.load;

import io.statusreg.registry.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Every status change the registry acknowledged, and the harness's model of each entry: its last
 * acknowledged status, whether a change is in flight, and whether its status is uncertain (a change
 * that was neither acknowledged nor refused, so the registry may or may not have applied it).
 *
 * <p>One change at a time per entry, so the last acknowledged change is the entry's final status.
 * INVALID is terminal (EUDI ARF VCR_04): an entry once revoked gets no further change.
 */
public final class Ledger {
  /** An acknowledged change: the registry answered 2xx with these event ids. */
  public record Change(
      ListRef list,
      long idx,
      Status status,
      List<String> eventIds,
      Instant firstSentAt,
      Instant ackAt,
      String instance,
      int attempts) {}

  /** A change that was not acknowledged: refused (4xx) or given up after retries. */
  public record Unacknowledged(
      ListRef list, long idx, Status status, String outcome, Instant at, int attempts) {}

  /** An entry of a list. */
  public record Entry(ListRef list, long idx) {}

  private static final class State {
    Status status = Status.VALID;
    boolean inFlight;
    boolean uncertain;
  }

  private final Map<Entry, State> entries = new HashMap<>();
  private final List<Entry> changeable = new ArrayList<>();
  private final List<Change> acknowledged = new ArrayList<>();
  private final List<Unacknowledged> unacknowledged = new ArrayList<>();
  private final Map<ListRef, Integer> allocated = new HashMap<>();

  /** Adds freshly allocated (VALID) indexes of a list. */
  public synchronized void allocated(ListRef list, List<Long> indexes) {
    for (long idx : indexes) {
      Entry e = new Entry(list, idx);
      if (entries.putIfAbsent(e, new State()) == null) {
        changeable.add(e);
      }
    }
    allocated.merge(list, indexes.size(), Integer::sum);
  }

  /** A planned change: an idle entry and the status to move it to. */
  public record Planned(Entry entry, Status from, Status to) {}

  /**
   * Picks a random idle entry that can still change and reserves it; empty when none is left.
   * Transitions: VALID to SUSPENDED or INVALID; SUSPENDED to VALID (reinstate) or INVALID.
   */
  public synchronized java.util.Optional<Planned> plan(double revokeShare) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int tries = 0; tries < 32 && !changeable.isEmpty(); tries++) {
      int i = random.nextInt(changeable.size());
      Entry e = changeable.get(i);
      State s = entries.get(e);
      if (s.inFlight) {
        continue;
      }
      Status to;
      if (random.nextDouble() < revokeShare) {
        to = Status.INVALID;
      } else {
        to = s.status == Status.VALID ? Status.SUSPENDED : Status.VALID;
      }
      s.inFlight = true;
      return java.util.Optional.of(new Planned(e, s.status, to));
    }
    return java.util.Optional.empty();
  }

  public synchronized void acknowledged(Planned p, Change change) {
    State s = entries.get(p.entry());
    s.inFlight = false;
    s.status = p.to();
    acknowledged.add(change);
    if (p.to().isTerminal()) {
      changeable.remove(p.entry());
    }
  }

  /** The change was refused or given up: the entry's status is no longer known for certain. */
  public synchronized void unacknowledged(Planned p, Unacknowledged what) {
    State s = entries.get(p.entry());
    s.inFlight = false;
    s.uncertain = true;
    unacknowledged.add(what);
    changeable.remove(p.entry());
  }

  /** Share of entries that can still change (neither revoked nor uncertain). */
  public synchronized double changeableShare(ListRef list) {
    long total = entries.keySet().stream().filter(e -> e.list().equals(list)).count();
    long open = changeable.stream().filter(e -> e.list().equals(list)).count();
    return total == 0 ? 0 : (double) open / total;
  }

  public synchronized List<Change> acknowledged() {
    return List.copyOf(acknowledged);
  }

  public synchronized List<Unacknowledged> unacknowledged() {
    return List.copyOf(unacknowledged);
  }

  /** The expected final status of every entry whose status is certain. */
  public synchronized Map<Entry, Status> expectedFinal() {
    Map<Entry, Status> out = new HashMap<>();
    entries.forEach(
        (e, s) -> {
          if (!s.uncertain) {
            out.put(e, s.status);
          }
        });
    return out;
  }

  public synchronized java.util.Set<Entry> uncertain() {
    java.util.Set<Entry> out = new java.util.HashSet<>();
    entries.forEach(
        (e, s) -> {
          if (s.uncertain) {
            out.add(e);
          }
        });
    return out;
  }

  public synchronized long inFlight() {
    return entries.values().stream().filter(s -> s.inFlight).count();
  }
}
