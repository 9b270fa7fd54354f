package io.statusreg.chaos.load;

import java.util.Arrays;

/** Latencies in microseconds, kept whole (a run holds at most a few hundred thousand). */
public final class Latencies {
  private long[] values = new long[1024];
  private int count;

  public synchronized void add(long micros) {
    if (count == values.length) {
      values = Arrays.copyOf(values, values.length * 2);
    }
    values[count++] = micros;
  }

  public synchronized Summary summary() {
    if (count == 0) {
      return new Summary(0, 0, 0, 0);
    }
    long[] sorted = Arrays.copyOf(values, count);
    Arrays.sort(sorted);
    return new Summary(
        count, ms(percentile(sorted, 50)), ms(percentile(sorted, 99)), ms(sorted[count - 1]));
  }

  private static long percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static double ms(long micros) {
    return Math.round(micros / 10.0) / 100.0;
  }

  /** Count and p50/p99/max in milliseconds. */
  public record Summary(long count, double p50Ms, double p99Ms, double maxMs) {}
}
