package io.statusreg.streams.publication;

import io.statusreg.streams.publication.PublisherMetrics.Failure;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task's publications with metrics and back-off. A list whose publication fails is not tried
 * again at every tick: its next attempt waits {@link #FIRST_BACKOFF}, then twice as long after each
 * further failure, up to {@link #MAX_BACKOFF}; the first success ends it. The log gets one line
 * when a list enters back-off and one when it recovers, never one per attempt (the later failures
 * are counted, and logged at debug). One per task, used on its stream thread.
 */
public final class PublishAttempts {
  private static final Logger log = LoggerFactory.getLogger(PublishAttempts.class);

  /** The wait after a list's first failed publication. */
  public static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

  /**
   * The longest wait between two attempts: a list whose signer works again is re-published within a
   * minute, far inside {@code refresh.margin.ms} (10 minutes by default) before its token expires,
   * while a list that cannot be signed costs one attempt a minute.
   */
  public static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

  private final Clock clock;
  private final PublisherMetrics metrics;
  private final Map<String, Backoff> backoffs = new HashMap<>();

  /** A list in back-off: its failures in a row and when it may be tried again (epoch ms). */
  private record Backoff(int failures, long nextAttemptAt, Failure reason) {}

  public PublishAttempts(Clock clock, PublisherMetrics metrics) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** Whether {@code listKey} may be published now (it is not waiting out a back-off). */
  public boolean due(String listKey) {
    Backoff b = backoffs.get(listKey);
    return b == null || b.nextAttemptAt() <= clock.millis();
  }

  /** When {@code listKey} may be tried again (epoch ms), or 0 when it is not in back-off. */
  public long nextAttemptAt(String listKey) {
    Backoff b = backoffs.get(listKey);
    return b == null ? 0 : b.nextAttemptAt();
  }

  /**
   * Runs one publication of {@code listKey}: {@code work} signs it and hands the token on and
   * returns its bytes. Returns whether it succeeded; a failure is counted, and starts or lengthens
   * the list's back-off.
   */
  public boolean run(String listKey, Supplier<Long> work) {
    long start = System.nanoTime();
    long bytes;
    try {
      bytes = work.get();
    } catch (RuntimeException e) {
      failed(listKey, e);
      return false;
    }
    metrics.published(bytes, Duration.ofNanos(System.nanoTime() - start));
    Backoff b = backoffs.remove(listKey);
    if (b != null) {
      metrics.backoffLeft();
      log.info(
          "published list {} again after {} failed attempt(s) ({}); back-off ended",
          listKey,
          b.failures(),
          b.reason().label());
    }
    return true;
  }

  private void failed(String listKey, RuntimeException e) {
    Failure reason = e instanceof PublicationException p ? p.reason() : Failure.OTHER;
    metrics.failed(reason);
    Backoff before = backoffs.get(listKey);
    int failures = before == null ? 1 : before.failures() + 1;
    long wait = delay(failures).toMillis();
    backoffs.put(listKey, new Backoff(failures, clock.millis() + wait, reason));
    if (before == null) {
      metrics.backoffEntered();
      log.warn(
          "publishing list {} failed ({}: {}); backing off: next attempt in {} ms, doubling up to"
              + " {} s while it fails",
          listKey,
          reason.label(),
          describe(e),
          wait,
          MAX_BACKOFF.toSeconds());
      log.debug("publishing list {} failed", listKey, e);
    } else {
      log.debug(
          "publishing list {} failed again ({} in a row, {}); next attempt in {} ms",
          listKey,
          failures,
          describe(e),
          wait);
    }
  }

  /** The wait after the {@code failures}-th failure in a row. */
  static Duration delay(int failures) {
    int doublings = Math.min(failures - 1, 30);
    long ms = FIRST_BACKOFF.toMillis() << doublings;
    return Duration.ofMillis(Math.min(ms, MAX_BACKOFF.toMillis()));
  }

  /** The failure's own message and its root cause's, without a stack trace. */
  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String own = e.getClass().getSimpleName() + ": " + e.getMessage();
    return root == e
        ? own
        : own + " (cause " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
  }

  /** A list that no longer exists: its back-off goes with it. */
  public void forget(String listKey) {
    if (backoffs.remove(listKey) != null) {
      metrics.backoffLeft();
    }
  }

  /** The task is closed: its lists leave the back-off gauge (their new owner starts afresh). */
  public void close() {
    for (int i = 0; i < backoffs.size(); i++) {
      metrics.backoffLeft();
    }
    backoffs.clear();
  }

  /** Lists of this task in back-off. */
  public int inBackoff() {
    return backoffs.size();
  }
}
