package io.statusreg.chaos.load;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The phases of a run ("baseline", "restart registry-1", ...): every fetch and write is counted in
 * the phase that was current when it started.
 */
public final class Phases {
  /** Counters and latencies of one phase. */
  public static final class Phase {
    final String name;
    final Instant start;
    volatile Instant end;
    final Latencies fetchLatency = new Latencies();
    final Latencies writeLatency = new Latencies();
    final AtomicLong fetchesOk = new AtomicLong();
    final AtomicLong fetchesFailed = new AtomicLong();
    final AtomicLong writesAcked = new AtomicLong();
    final AtomicLong writeAttemptsFailed = new AtomicLong();
    final Map<String, AtomicLong> failureReasons = new ConcurrentHashMap<>();

    Phase(String name, Instant start) {
      this.name = name;
      this.start = start;
    }

    public String name() {
      return name;
    }
  }

  /** What a phase looked like, for the report. */
  public record Summary(
      String name,
      Instant start,
      Instant end,
      long fetchesOk,
      long fetchesFailed,
      Latencies.Summary fetchLatency,
      long writesAcked,
      long writeAttemptsFailed,
      Latencies.Summary writeLatency,
      Map<String, Long> failureReasons) {

    /**
     * Fetches of this phase that {@code instance} refused (its port closed: killed, not yet out).
     */
    public long fetchesRefusedBy(String instance) {
      return failureReasons.getOrDefault(FETCH + FetchLoad.refusedAt(instance), 0L);
    }
  }

  /** The prefix of a failed fetch's reason in {@link Summary#failureReasons}. */
  static final String FETCH = "fetch: ";

  /**
   * The phase of load on the freshly started cluster before the baseline: in the tables, left out
   * of the whole run's write latencies and of the issuer goals.
   */
  public static final String WARM_UP = "warm-up";

  private final List<Phase> all = new ArrayList<>();
  private volatile Phase current;
  private final ConcurrentLinkedQueue<String> failureSamples = new ConcurrentLinkedQueue<>();
  private final AtomicLong samples = new AtomicLong();
  private final Latencies allWrites = new Latencies();

  public Phases(String first) {
    begin(first);
  }

  public synchronized Phase begin(String name) {
    Instant now = Instant.now();
    if (current != null) {
      current.end = now;
    }
    current = new Phase(name, now);
    all.add(current);
    return current;
  }

  public Phase current() {
    return current;
  }

  public synchronized void end() {
    if (current != null && current.end == null) {
      current.end = Instant.now();
    }
  }

  void fetch(Phase p, boolean ok, long micros, String failure) {
    if (ok) {
      p.fetchesOk.incrementAndGet();
      p.fetchLatency.add(micros);
    } else {
      p.fetchesFailed.incrementAndGet();
      p.failureReasons.computeIfAbsent(FETCH + failure, k -> new AtomicLong()).incrementAndGet();
      sample(p.name + ": fetch " + failure);
    }
  }

  void writeAcked(Phase p, long micros) {
    p.writesAcked.incrementAndGet();
    p.writeLatency.add(micros);
    if (!p.name.equals(WARM_UP)) {
      allWrites.add(micros);
    }
  }

  void writeAttemptFailed(Phase p, String failure) {
    p.writeAttemptsFailed.incrementAndGet();
    p.failureReasons.computeIfAbsent("write: " + failure, k -> new AtomicLong()).incrementAndGet();
  }

  private void sample(String what) {
    if (samples.incrementAndGet() <= 50) {
      failureSamples.add(Instant.now() + " " + what);
    }
  }

  public List<String> failureSamples() {
    return List.copyOf(failureSamples);
  }

  public synchronized List<Summary> summaries() {
    List<Summary> out = new ArrayList<>();
    for (Phase p : all) {
      Map<String, Long> reasons = new java.util.TreeMap<>();
      p.failureReasons.forEach((k, v) -> reasons.put(k, v.get()));
      out.add(
          new Summary(
              p.name,
              p.start,
              p.end,
              p.fetchesOk.get(),
              p.fetchesFailed.get(),
              p.fetchLatency.summary(),
              p.writesAcked.get(),
              p.writeAttemptsFailed.get(),
              p.writeLatency.summary(),
              reasons));
    }
    return out;
  }

  /** Write acknowledgement latencies of the whole run (every phase but the warm-up together). */
  public Latencies.Summary allWriteLatency() {
    return allWrites.summary();
  }

  public long totalFetchesFailed() {
    return summaries().stream().mapToLong(Summary::fetchesFailed).sum();
  }

  public long totalFetchesOk() {
    return summaries().stream().mapToLong(Summary::fetchesOk).sum();
  }

  /** Failed fetches in phases whose start lies in {@code [from, to]}. */
  public long fetchesFailedBetween(Instant from, Instant to) {
    return summaries().stream()
        .filter(s -> !s.start().isBefore(from) && !s.start().isAfter(to))
        .mapToLong(Summary::fetchesFailed)
        .sum();
  }
}
