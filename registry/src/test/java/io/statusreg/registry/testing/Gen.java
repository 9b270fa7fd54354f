package io.statusreg.registry.testing;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * A generator of test values: a function of a random source. Number generators favour edge cases
 * (the bounds, zero, one, minus one) and small values, where bugs live, besides uniform picks.
 */
@FunctionalInterface
public interface Gen<T> {
  T next(RandomGenerator random);

  default <R> Gen<R> map(Function<? super T, ? extends R> f) {
    return r -> f.apply(next(r));
  }

  default <R> Gen<R> flatMap(Function<? super T, Gen<? extends R>> f) {
    return r -> f.apply(next(r)).next(r);
  }

  /** Lists of this generator's values, of a size between min and max inclusive. */
  default Gen<List<T>> list(int minSize, int maxSize) {
    Gen<Integer> sizes = ints(minSize, maxSize);
    return r -> {
      int n = sizes.next(r);
      List<T> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(next(r));
      }
      return out;
    };
  }

  static <T> Gen<T> constant(T value) {
    return r -> value;
  }

  /** Longs in [min, max]: one pick in ten an edge case, three near zero or min, six uniform. */
  static Gen<Long> longs(long min, long max) {
    if (min > max) {
      throw new IllegalArgumentException("empty range [" + min + ", " + max + "]");
    }
    long anchor = min <= 0 && 0 <= max ? 0 : min;
    long[] edges = {min, max, anchor, clamp(1, min, max), clamp(-1, min, max)};
    return r -> {
      int pick = r.nextInt(10);
      if (pick == 0) {
        return edges[r.nextInt(edges.length)];
      }
      if (pick < 4) {
        long offset = anchor == 0 ? r.nextLong(-256, 257) : r.nextLong(0, 257);
        // max - anchor read unsigned is the room above anchor, even when it overflows a long.
        boolean beyondMax = offset > 0 && Long.compareUnsigned(offset, max - anchor) > 0;
        return beyondMax ? max : clamp(anchor + offset, min, max);
      }
      if (min == Long.MIN_VALUE && max == Long.MAX_VALUE) {
        return r.nextLong();
      }
      return max == Long.MAX_VALUE ? r.nextLong(min - 1, max) + 1 : r.nextLong(min, max + 1);
    };
  }

  static Gen<Long> longs() {
    return longs(Long.MIN_VALUE, Long.MAX_VALUE);
  }

  static Gen<Integer> ints(int min, int max) {
    return longs(min, max).map(Long::intValue);
  }

  static Gen<Integer> ints() {
    return ints(Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  static Gen<Boolean> booleans() {
    return RandomGenerator::nextBoolean;
  }

  /** Big integers in [min, max], with the bounds and the edges of the long range among them. */
  static Gen<BigInteger> bigIntegers(BigInteger min, BigInteger max) {
    BigInteger one = BigInteger.ONE;
    List<BigInteger> edges =
        List.of(
            min,
            max,
            BigInteger.ZERO,
            BigInteger.valueOf(Long.MAX_VALUE),
            BigInteger.valueOf(Long.MAX_VALUE).add(one),
            BigInteger.valueOf(Long.MIN_VALUE),
            BigInteger.valueOf(Long.MIN_VALUE).subtract(one));
    Gen<BigInteger> edge = elementOf(edges);
    int shifts = Math.max(1, Math.max(min.bitLength(), max.bitLength()) - 62);
    Gen<BigInteger> wide = r -> BigInteger.valueOf(r.nextLong()).shiftLeft(r.nextInt(shifts));
    return r -> ((r.nextInt(5) == 0) ? edge : wide).next(r).max(min).min(max);
  }

  /** Finite doubles: edge cases, two-decimal values of any magnitude, and raw bit patterns. */
  static Gen<Double> doubles() {
    Gen<Double> edge =
        elementOf(0.0, -0.0, 1.0, -1.0, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE);
    return r ->
        switch (r.nextInt(4)) {
          case 0 -> edge.next(r);
          case 1 -> Math.round(r.nextDouble(-1e6, 1e6) * 100) / 100.0;
          default -> {
            double d = Double.longBitsToDouble(r.nextLong());
            yield Double.isFinite(d) ? d : r.nextDouble();
          }
        };
  }

  /** Byte arrays of a length in [minLength, maxLength]. */
  static Gen<byte[]> bytes(int minLength, int maxLength) {
    Gen<Integer> lengths = ints(minLength, maxLength);
    return r -> {
      byte[] out = new byte[lengths.next(r)];
      r.nextBytes(out);
      return out;
    };
  }

  /** Strings of chars drawn from {@code alphabet}. */
  static Gen<String> strings(String alphabet, int minLength, int maxLength) {
    return chars(r -> alphabet.charAt(r.nextInt(alphabet.length())), minLength, maxLength);
  }

  /** Strings of any chars: ASCII, controls, any UTF-16 unit (lone surrogates too), emoji pairs. */
  static Gen<String> strings(int minLength, int maxLength) {
    Gen<Character> any =
        r ->
            (char)
                switch (r.nextInt(4)) {
                  case 0 -> r.nextInt(0x20, 0x7f);
                  case 1 -> r.nextInt(0, 0x20);
                  default -> r.nextInt(0, 0x10000);
                };
    Gen<String> unit = any.map(String::valueOf);
    Gen<String> pair = r -> Character.toString(r.nextInt(0x10000, 0x110000));
    Gen<String> piece = frequency(weighted(9, unit), weighted(1, pair));
    return r -> {
      int n = ints(minLength, maxLength).next(r);
      StringBuilder s = new StringBuilder(n);
      while (s.length() < n) {
        String p = piece.next(r);
        s.append(s.length() + p.length() <= n ? p : "x");
      }
      return s.toString();
    };
  }

  private static Gen<String> chars(Gen<Character> c, int minLength, int maxLength) {
    return c.list(minLength, maxLength)
        .map(cs -> cs.stream().map(String::valueOf).collect(Collectors.joining()));
  }

  @SafeVarargs
  static <T> Gen<T> elementOf(T... values) {
    return elementOf(List.of(values));
  }

  static <T> Gen<T> elementOf(List<T> values) {
    return r -> values.get(r.nextInt(values.size()));
  }

  static <E extends Enum<E>> Gen<E> enumValues(Class<E> type) {
    return elementOf(type.getEnumConstants());
  }

  @SafeVarargs
  static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
    return r -> gens[r.nextInt(gens.length)].next(r);
  }

  record Weighted<T>(int weight, Gen<? extends T> gen) {}

  static <T> Weighted<T> weighted(int weight, Gen<? extends T> gen) {
    return new Weighted<>(weight, gen);
  }

  /** Picks a generator with probability proportional to its weight. */
  @SafeVarargs
  static <T> Gen<T> frequency(Weighted<? extends T>... choices) {
    int total = 0;
    for (Weighted<? extends T> w : choices) {
      total += w.weight();
    }
    int sum = total;
    return r -> {
      int pick = r.nextInt(sum);
      for (Weighted<? extends T> w : choices) {
        pick -= w.weight();
        if (pick < 0) {
          return w.gen().next(r);
        }
      }
      throw new AssertionError("unreachable");
    };
  }

  private static long clamp(long v, long min, long max) {
    return Math.max(min, Math.min(max, v));
  }
}
