package io.statusreg.bench.stats;

import java.util.Arrays;

/**
 * Percentiles of a sample by the nearest-rank method: the p-th percentile of n sorted values is the
 * value at rank {@code ceil(p/100 * n)} (1-based), so it is always an observed value, p100 is the
 * maximum and p0 the minimum.
 */
public final class Percentiles {
  private final double[] sorted;

  private Percentiles(double[] sorted) {
    this.sorted = sorted;
  }

  /** Copies and sorts {@code values}. */
  public static Percentiles of(double... values) {
    double[] copy = values.clone();
    Arrays.sort(copy);
    return new Percentiles(copy);
  }

  /** Copies and sorts {@code values}. */
  public static Percentiles of(long... values) {
    double[] copy = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      copy[i] = values[i];
    }
    Arrays.sort(copy);
    return new Percentiles(copy);
  }

  public int count() {
    return sorted.length;
  }

  public boolean isEmpty() {
    return sorted.length == 0;
  }

  /** The nearest-rank percentile {@code p} in [0, 100]; NaN for an empty sample. */
  public double at(double p) {
    if (p < 0 || p > 100 || Double.isNaN(p)) {
      throw new IllegalArgumentException("percentile must be in [0, 100], got " + p);
    }
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  public double min() {
    return sorted.length == 0 ? Double.NaN : sorted[0];
  }

  public double max() {
    return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
  }

  public double mean() {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double sum = 0;
    for (double v : sorted) {
      sum += v;
    }
    return sum / sorted.length;
  }

  /**
   * The median: the middle value, or the mean of the two middle values of an even-sized sample
   * (unlike {@code at(50)}, which is the lower of the two); NaN for an empty sample.
   */
  public double median() {
    int n = sorted.length;
    if (n == 0) {
      return Double.NaN;
    }
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** The sorted sample (a copy). */
  public double[] sorted() {
    return sorted.clone();
  }
}
