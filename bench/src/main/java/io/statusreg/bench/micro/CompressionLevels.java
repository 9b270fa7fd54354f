package io.statusreg.bench.micro;

import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.StatusListEncoding;
import java.util.Locale;

/**
 * zlib level 6 against level 9 for the whole {@code lst} of a list, as published today: bytes and
 * the best of three compressions (ms), for 1M and 10M entries, 1 and 2 bits, 0.1% and 1% set (the
 * lists of {@link TokenPublishBenchmark}). The README's "Compression level" quotes its output.
 *
 * <pre>
 * ./mvnw -q -pl bench -am package -DskipTests
 * java -Xmx2g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
 *     io.statusreg.bench.micro.CompressionLevels
 * </pre>
 */
public final class CompressionLevels {
  private CompressionLevels() {}

  public static void main(String[] args) {
    System.out.println("| entries | bits | set | level 6 | level 9 | 9 vs 6 size | 9 vs 6 time |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (long entries : new long[] {1_000_000L, 10_000_000L}) {
      for (int bits : new int[] {1, 2}) {
        for (double fraction : new double[] {0.001, 0.01}) {
          StatusList list = Lists.random(bits, entries, fraction, 42);
          long[] size = new long[10];
          long[] nanos = new long[10];
          for (int level : new int[] {6, 9}) {
            StatusListEncoding enc = StatusListEncoding.level(level);
            enc.compress(list);
            nanos[level] = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
              long t0 = System.nanoTime();
              size[level] = enc.compress(list).length;
              nanos[level] = Math.min(nanos[level], System.nanoTime() - t0);
            }
          }
          System.out.printf(
              Locale.ROOT,
              "| %d | %d | %.1f%% | %d B, %d ms | %d B, %d ms | %.2f | %.1fx |%n",
              entries,
              bits,
              fraction * 100,
              size[6],
              nanos[6] / 1_000_000,
              size[9],
              nanos[9] / 1_000_000,
              (double) size[9] / size[6],
              (double) nanos[9] / nanos[6]);
        }
      }
    }
  }
}
