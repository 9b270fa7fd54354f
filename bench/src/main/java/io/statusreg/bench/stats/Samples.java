package io.statusreg.bench.stats;

import java.util.Arrays;

/**
 * A bounded, thread-safe collection of measurements (e.g. latencies in microseconds). Past its
 * capacity it keeps counting but drops the sample, so a long run cannot exhaust the heap; {@link
 * #dropped()} says how many were left out.
 */
public final class Samples {
  private final long[] values;
  private int size;
  private long dropped;

  public Samples(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.values = new long[capacity];
  }

  public synchronized void add(long value) {
    if (size < values.length) {
      values[size++] = value;
    } else {
      dropped++;
    }
  }

  public synchronized int size() {
    return size;
  }

  public synchronized long dropped() {
    return dropped;
  }

  public synchronized long[] toArray() {
    return Arrays.copyOf(values, size);
  }

  public Percentiles percentiles() {
    return Percentiles.of(toArray());
  }
}
