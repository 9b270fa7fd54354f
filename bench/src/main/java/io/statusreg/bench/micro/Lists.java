package io.statusreg.bench.micro;

import io.statusreg.registry.lists.StatusList;
import java.util.SplittableRandom;

/** Builds benchmark lists straight from packed bytes (no per-entry copying). */
final class Lists {
  private Lists() {}

  /** A list of {@code entries} at {@code bits} with {@code fraction} of entries set to 1. */
  static StatusList random(int bits, long entries, double fraction, long seed) {
    byte[] packed = new byte[(int) StatusList.byteLength(bits, entries)];
    SplittableRandom random = new SplittableRandom(seed);
    long toSet = Math.round(entries * fraction);
    int perByte = 8 / bits;
    for (long n = 0; n < toSet; n++) {
      long idx = random.nextLong(entries);
      int value = bits == 1 ? 1 : 1 + random.nextInt((1 << bits) - 1);
      packed[(int) (idx / perByte)] |= (byte) (value << ((idx % perByte) * bits));
    }
    return StatusList.fromBytes(bits, entries, packed);
  }
}
