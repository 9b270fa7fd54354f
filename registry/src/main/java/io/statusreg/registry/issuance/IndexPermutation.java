package io.statusreg.registry.issuance;

import io.statusreg.registry.RegistryException;
import java.security.SecureRandom;

/**
 * A keyed pseudorandom permutation of {@code [0, size)}: allocation cursor {@code c} maps to index
 * {@code perm(c)}, so indexes are random (EUDI ARF VCR_17), unique, never reused and the same on
 * every replay.
 *
 * <p>A balanced Feistel network over the smallest even power of two {@code >= size}, with
 * SipHash-2-4 keyed by the list's 128-bit key as round function, and cycle walking to stay inside
 * {@code [0, size)} (at most four steps expected, since the domain is under four times the size).
 * For sizes above 2<sup>62</sup> the domain is all 64 bits, so values are compared unsigned.
 */
public final class IndexPermutation {
  private static final int ROUNDS = 6;

  /** A list's permutation key, drawn once at list creation and carried by its event. */
  public record Key(long k0, long k1) {
    public static Key random(SecureRandom random) {
      return new Key(random.nextLong(), random.nextLong());
    }
  }

  private final long size;
  private final Key key;
  private final int halfBits;
  private final long halfMask;

  public IndexPermutation(long size, Key key) {
    if (size < 1) {
      throw new RegistryException.InvalidInput("permutation size must be at least 1, got " + size);
    }
    if (key == null) {
      throw new RegistryException.InvalidInput("a permutation needs a key");
    }
    this.size = size;
    this.key = key;
    int domainBits = Math.max(2, 64 - Long.numberOfLeadingZeros(size - 1));
    this.halfBits = (domainBits + 1) / 2;
    this.halfMask = (1L << halfBits) - 1;
  }

  public long size() {
    return size;
  }

  /** The index for allocation cursor {@code cursor} in {@code [0, size)}. */
  public long apply(long cursor) {
    if (cursor < 0 || cursor >= size) {
      throw new RegistryException.InvalidInput(
          "cursor " + cursor + " is outside [0, " + size + ")");
    }
    long x = cursor;
    do {
      x = encrypt(x);
    } while (Long.compareUnsigned(x, size) >= 0);
    return x;
  }

  /** The cursor whose index is {@code index}: the inverse of {@link #apply}. */
  public long inverse(long index) {
    if (index < 0 || index >= size) {
      throw new RegistryException.InvalidInput("index " + index + " is outside [0, " + size + ")");
    }
    long x = index;
    do {
      x = decrypt(x);
    } while (Long.compareUnsigned(x, size) >= 0);
    return x;
  }

  private long encrypt(long x) {
    long left = x >>> halfBits;
    long right = x & halfMask;
    for (int round = 0; round < ROUNDS; round++) {
      long next = left ^ (prf(round, right) & halfMask);
      left = right;
      right = next;
    }
    return (left << halfBits) | right;
  }

  private long decrypt(long x) {
    long left = x >>> halfBits;
    long right = x & halfMask;
    for (int round = ROUNDS - 1; round >= 0; round--) {
      long previous = right ^ (prf(round, left) & halfMask);
      right = left;
      left = previous;
    }
    return (left << halfBits) | right;
  }

  /** SipHash-2-4 of the 16-byte message (round, value) under the list key. */
  private long prf(long round, long value) {
    long v0 = 0x736f6d6570736575L ^ key.k0();
    long v1 = 0x646f72616e646f6dL ^ key.k1();
    long v2 = 0x6c7967656e657261L ^ key.k0();
    long v3 = 0x7465646279746573L ^ key.k1();
    long[] words = {round, value, 16L << 56};
    for (int w = 0; w < words.length; w++) {
      long m = words[w];
      v3 ^= m;
      for (int i = 0; i < 2; i++) {
        v0 += v1;
        v1 = Long.rotateLeft(v1, 13) ^ v0;
        v0 = Long.rotateLeft(v0, 32);
        v2 += v3;
        v3 = Long.rotateLeft(v3, 16) ^ v2;
        v0 += v3;
        v3 = Long.rotateLeft(v3, 21) ^ v0;
        v2 += v1;
        v1 = Long.rotateLeft(v1, 17) ^ v2;
        v2 = Long.rotateLeft(v2, 32);
      }
      v0 ^= m;
    }
    v2 ^= 0xff;
    for (int i = 0; i < 4; i++) {
      v0 += v1;
      v1 = Long.rotateLeft(v1, 13) ^ v0;
      v0 = Long.rotateLeft(v0, 32);
      v2 += v3;
      v3 = Long.rotateLeft(v3, 16) ^ v2;
      v0 += v3;
      v3 = Long.rotateLeft(v3, 21) ^ v0;
      v2 += v1;
      v1 = Long.rotateLeft(v1, 17) ^ v2;
      v2 = Long.rotateLeft(v2, 32);
    }
    return v0 ^ v1 ^ v2 ^ v3;
  }
}
