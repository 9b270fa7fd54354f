package io.statusreg.bench.reads;

import java.util.Random;
import java.util.zip.Deflater;

/**
 * How many random entries of a 1-bit list must be set for its token to reach a size: the published
 * {@code lst} is the zlib (DEFLATE) of the packed bits in base64url, and allocated indexes are a
 * pseudorandom permutation, so a list with {@code k} random bits set compresses like one simulated
 * here with the same level.
 */
public final class TokenPlanner {
  private TokenPlanner() {}

  /**
   * Base64url length (no padding) of the zlib of a {@code size}-entry list with {@code set} bits.
   */
  public static long lstChars(long size, long set, int level, long seed) {
    byte[] packed = new byte[(int) ((size + 7) / 8)];
    Random random = new Random(seed);
    long done = 0;
    while (done < set) {
      long idx = (long) (random.nextDouble() * size);
      int bit = (int) (idx % 8);
      int at = (int) (idx / 8);
      if ((packed[at] & (1 << bit)) == 0) {
        packed[at] |= (byte) (1 << bit);
        done++;
      }
    }
    Deflater d = new Deflater(level);
    try {
      d.setInput(packed);
      d.finish();
      byte[] buf = new byte[packed.length + 1024];
      long total = 0;
      while (!d.finished()) {
        total += d.deflate(buf);
      }
      return (total * 4 + 2) / 3;
    } finally {
      d.end();
    }
  }

  /**
   * The smallest number of set entries (to within 1%) whose {@code lst} reaches {@code lstChars};
   * {@code size} when even a full half cannot.
   */
  public static long entriesFor(long size, long targetChars, int level) {
    long lo = 0;
    long hi = size / 2;
    if (lstChars(size, hi, level, 1) < targetChars) {
      return hi;
    }
    while (hi - lo > Math.max(1, lo / 100)) {
      long mid = (lo + hi) >>> 1;
      if (lstChars(size, mid, level, 1) < targetChars) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return hi;
  }
}
