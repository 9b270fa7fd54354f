package io.statusreg.registry.testing;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small property runner: checks a property against generated values and, on failure, reports the
 * property, the run's seed, the try and the value, so that the failure can be replayed with {@code
 * -Dstatusreg.props.seed=<seed>}. A failing list is shrunk by removing elements while it still
 * fails. We keep our own runner because the author of jqwik, which we used before, asks AI agents
 * (who help maintain this code) not to use it.
 *
 * <p>One base seed serves a whole run: {@code statusreg.props.seed}, or a random one. Each property
 * mixes its name into it, so properties draw independent values. {@code statusreg.props.tries}
 * overrides every property's number of tries.
 */
public final class Property {
  public static final String SEED = "statusreg.props.seed";
  public static final String TRIES = "statusreg.props.tries";
  private static final long RUN_SEED = longSetting(SEED, new SecureRandom().nextLong());
  private static final int MAX_VALUE_CHARS = 2_000;
  private static final int MAX_SHRINK_CHECKS = 2_000;

  /** The check of one value; it fails by throwing, usually an AssertJ {@link AssertionError}. */
  @FunctionalInterface
  public interface Check<T> {
    void accept(T value) throws Exception;
  }

  private Property() {}

  /** Checks {@code property} against {@code tries} values of {@code gen}, from the run's seed. */
  public static <T> void forAll(String name, int tries, Gen<T> gen, Check<? super T> property) {
    forAll(RUN_SEED, name, tries, gen, property);
  }

  /** As {@link #forAll(String, int, Gen, Check)}, from an explicit base seed. */
  public static <T> void forAll(
      long seed, String name, int tries, Gen<T> gen, Check<? super T> property) {
    long n = longSetting(TRIES, tries);
    if (n < 1 || n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(TRIES + " must be between 1 and 2^31-1, was " + n);
    }
    SplittableRandom random = new SplittableRandom(seed ^ name.hashCode());
    for (int i = 1; i <= n; i++) {
      T value = gen.next(random);
      Throwable failure = failureOf(property, value);
      if (failure != null) {
        String message =
            "property '%s' failed at try %d of %d with seed %d (replay: -D%s=%d)%n  value: %s"
                .formatted(name, i, n, seed, SEED, seed, cut(value));
        Object smaller = shrink(value, property);
        if (smaller != value) {
          failure = failureOf(property, smaller);
          message += "%n  shrunk: %s".formatted(cut(smaller));
        }
        throw new AssertionError(message + "%n  %s".formatted(failure), failure);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> Throwable failureOf(Check<? super T> property, Object value) {
    try {
      property.accept((T) value);
      return null;
    } catch (Exception | AssertionError e) {
      return e;
    }
  }

  /** A list is shrunk by removing chunks of halving size while the property still fails. */
  private static <T> Object shrink(T value, Check<? super T> property) {
    if (!(value instanceof List<?> list)) {
      return value;
    }
    List<?> current = list;
    int checks = 0;
    for (int chunk = Math.max(1, current.size() / 2); chunk >= 1; chunk /= 2) {
      for (int from = 0; from + chunk <= current.size() && checks < MAX_SHRINK_CHECKS; ) {
        List<Object> candidate = new ArrayList<>(current.subList(0, from));
        candidate.addAll(current.subList(from + chunk, current.size()));
        checks++;
        if (failureOf(property, candidate) != null) {
          current = candidate;
        } else {
          from += chunk;
        }
      }
    }
    return current == list ? value : current;
  }

  private static String cut(Object value) {
    String s = value instanceof byte[] b ? HexFormat.of().formatHex(b) : String.valueOf(value);
    return s.length() <= MAX_VALUE_CHARS
        ? s
        : s.substring(0, MAX_VALUE_CHARS) + "... (" + s.length() + " chars)";
  }

  private static long longSetting(String name, long fallback) {
    String raw = System.getProperty(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      return Long.parseLong(raw.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, was '" + raw + "'", e);
    }
  }
}
