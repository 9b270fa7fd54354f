package io.statusreg.streams.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node does when a stream thread dies, and whether it is still live.
 *
 * <ul>
 *   <li>An {@link Error} anywhere in the cause chain (out of memory, a linkage error) is not
 *       recoverable in-process: the client shuts down, Streams goes to ERROR and liveness fails.
 *   <li>Any other exception restarts the failed work: its tasks are re-initialised from their last
 *       committed state (under exactly_once_v2 the failed transaction was aborted, so nothing of
 *       the failed attempt is visible). Without static membership the thread is replaced. With
 *       static membership ({@code restartClient}) replacing is wrong: the new thread joins with a
 *       new {@code group.instance.id} suffix while the dead thread's static member keeps its
 *       partitions until {@code session.timeout.ms}, so its lists stop publishing for that long.
 *       The client is shut down instead and {@code RegistryNode} restarts it in-process with the
 *       same configuration, so the same member ids come back and get their tasks at once.
 *   <li>A failure that comes back every time (a record that cannot be written, say) would make the
 *       replacements loop forever while the node looks alive and answers nothing: after {@code
 *       threshold} failures within {@code window}, {@link #crashLooping()} is true, the node
 *       reports itself not live (so an orchestrator restarts it and an operator sees it) and the
 *       log says so.
 * </ul>
 */
public final class StreamFailures implements StreamsUncaughtExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(StreamFailures.class);

  public static final int DEFAULT_THRESHOLD = 3;
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

  private final Clock clock;
  private final boolean restartClient;
  private final int threshold;
  private final Duration window;
  private final Deque<Long> recent = new ArrayDeque<>();
  private final AtomicLong total = new AtomicLong();

  public StreamFailures(Clock clock, int threshold, Duration window) {
    this(clock, false, threshold, window);
  }

  /**
   * @param restartClient answer a recoverable failure with {@code SHUTDOWN_CLIENT} (the owner
   *     restarts the client with the same member ids) instead of {@code REPLACE_THREAD}
   */
  public StreamFailures(Clock clock, boolean restartClient, int threshold, Duration window) {
    if (threshold < 1 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("threshold and window must be positive");
    }
    this.clock = clock;
    this.restartClient = restartClient;
    this.threshold = threshold;
    this.window = window;
  }

  public StreamFailures(Clock clock) {
    this(clock, false, DEFAULT_THRESHOLD, DEFAULT_WINDOW);
  }

  public StreamFailures(Clock clock, boolean restartClient) {
    this(clock, restartClient, DEFAULT_THRESHOLD, DEFAULT_WINDOW);
  }

  @Override
  public StreamThreadExceptionResponse handle(Throwable failure) {
    total.incrementAndGet();
    if (isFatal(failure)) {
      log.error(
          "stream thread {} failed with an unrecoverable error; shutting the registry node's"
              + " Streams client down (liveness reports DOWN)",
          Thread.currentThread().getName(),
          failure);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    int failures = record();
    if (restartClient) {
      log.error(
          "stream thread {} failed ({} within {}); shutting the Streams client down to restart it"
              + " in-process with the same static member ids (a replaced thread would join as a"
              + " new member and strand the old one's tasks until session.timeout.ms){}",
          Thread.currentThread().getName(),
          failures,
          window,
          failures >= threshold ? "; crash looping: liveness reports DOWN" : "",
          failure);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    if (failures >= threshold) {
      log.error(
          "stream thread {} failed ({} failures within {}): replacing it, but the node is crash"
              + " looping and liveness reports DOWN until the failures stop",
          Thread.currentThread().getName(),
          failures,
          window,
          failure);
    } else {
      log.error(
          "stream thread {} failed; replacing it (its tasks resume from their last commit)",
          Thread.currentThread().getName(),
          failure);
    }
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  /** Whether at least {@code threshold} stream threads failed within the last {@code window}. */
  public synchronized boolean crashLooping() {
    expire(clock.millis());
    return recent.size() >= threshold;
  }

  /** Stream thread failures since start. */
  public long total() {
    return total.get();
  }

  private synchronized int record() {
    long now = clock.millis();
    recent.addLast(now);
    expire(now);
    return recent.size();
  }

  private void expire(long now) {
    while (!recent.isEmpty() && recent.peekFirst() <= now - window.toMillis()) {
      recent.removeFirst();
    }
  }

  /** Whether the failure is an {@link Error} (other than an assertion) anywhere in its chain. */
  public static boolean isFatal(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof Error && !(t instanceof AssertionError)) {
        return true;
      }
    }
    return false;
  }
}
