package io.statusreg.bench.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Events counted per one-second bucket from a start time, for throughput-over-time charts. Bounded:
 * events after the last bucket are counted in it.
 */
public final class RateSeries {
  private final long startNanos;
  private final AtomicLongArray buckets;

  public RateSeries(long startNanos, int seconds) {
    this.startNanos = startNanos;
    this.buckets = new AtomicLongArray(Math.max(1, seconds));
  }

  public void add(long nowNanos, long count) {
    long second = Math.max(0, (nowNanos - startNanos) / 1_000_000_000L);
    buckets.addAndGet((int) Math.min(buckets.length() - 1, second), count);
  }

  /** Per-second counts of the first {@code seconds} buckets. */
  public List<Long> perSecond(int seconds) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < Math.min(seconds, buckets.length()); i++) {
      out.add(buckets.get(i));
    }
    return out;
  }
}
