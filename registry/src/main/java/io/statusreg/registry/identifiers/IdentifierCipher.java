package io.statusreg.registry.identifiers;

import io.statusreg.registry.RegistryException;
import io.statusreg.registry.issuance.IndexPermutation;
import java.security.GeneralSecurityException;
import java.util.OptionalLong;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Maps an identifier list's allocation slots to document identifiers and back: the identifier of
 * slot {@code s} is AES-128 of the 16-byte big-endian block {@code s} under the list's secret
 * 128-bit key (the same random key a status list uses for its index permutation).
 *
 * <p>AES is a permutation of 128-bit blocks, so distinct slots give distinct identifiers (unique
 * without remembering any of them), and without the key an identifier reveals nothing about the
 * slot or about any other identifier (unpredictable: a pseudorandom permutation). The registry
 * therefore stores only the allocation cursor and, for revocations, one bit per slot; an identifier
 * presented for revocation is decrypted back to its slot, and anything that does not decrypt to an
 * allocated slot (the upper 64 bits must be zero, a 2^-64 chance for a forged value) is refused.
 *
 * <p>Thread-safe: each call uses its own {@link Cipher}. {@link Batch} keeps one for bulk use.
 */
public final class IdentifierCipher {
  /** Bytes of every identifier this registry hands out (ISO 18013-5 suggests 16). */
  public static final int IDENTIFIER_BYTES = 16;

  private final SecretKeySpec key;

  public IdentifierCipher(IndexPermutation.Key key) {
    byte[] raw = new byte[16];
    putLong(raw, 0, key.k0());
    putLong(raw, 8, key.k1());
    this.key = new SecretKeySpec(raw, "AES");
  }

  /** The identifier of {@code slot}. */
  public byte[] identifier(long slot) {
    return batch().identifier(slot);
  }

  /** The slot {@code identifier} was made from, or empty when no slot gives it. */
  public OptionalLong slotOf(byte[] identifier) {
    return slots().slotOf(identifier);
  }

  /** A decryptor for many identifiers in a row (one revocation request), from one thread. */
  public Slots slots() {
    try {
      Cipher c = Cipher.getInstance("AES/ECB/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key);
      return new Slots(c);
    } catch (GeneralSecurityException e) {
      throw new RegistryException("AES is missing from this JVM", e);
    }
  }

  /** Decrypts identifiers with one cipher instance; not thread-safe. */
  public static final class Slots {
    private final Cipher cipher;
    private final byte[] block = new byte[16];

    private Slots(Cipher cipher) {
      this.cipher = cipher;
    }

    /** The slot {@code identifier} was made from, or empty when no slot gives it. */
    public OptionalLong slotOf(byte[] identifier) {
      if (identifier == null || identifier.length != IDENTIFIER_BYTES) {
        return OptionalLong.empty();
      }
      try {
        cipher.doFinal(identifier, 0, IDENTIFIER_BYTES, block, 0);
      } catch (GeneralSecurityException e) {
        throw new RegistryException("decrypting an identifier", e);
      }
      if (getLong(block, 0) != 0) {
        return OptionalLong.empty();
      }
      long slot = getLong(block, 8);
      return slot < 0 ? OptionalLong.empty() : OptionalLong.of(slot);
    }
  }

  /** An encryptor for many slots in a row, from one thread. */
  public Batch batch() {
    try {
      Cipher c = Cipher.getInstance("AES/ECB/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key);
      return new Batch(c);
    } catch (GeneralSecurityException e) {
      throw new RegistryException("AES is missing from this JVM", e);
    }
  }

  /** Encrypts slots with one cipher instance; not thread-safe. */
  public static final class Batch {
    private final Cipher cipher;
    private final byte[] block = new byte[16];

    private Batch(Cipher cipher) {
      this.cipher = cipher;
    }

    public byte[] identifier(long slot) {
      byte[] out = new byte[IDENTIFIER_BYTES];
      identifier(slot, out, 0);
      return out;
    }

    /** Writes the identifier of {@code slot} into {@code out[offset, offset + 16)}. */
    public void identifier(long slot, byte[] out, int offset) {
      if (slot < 0) {
        throw new IllegalArgumentException("slot must not be negative, got " + slot);
      }
      putLong(block, 0, 0);
      putLong(block, 8, slot);
      try {
        cipher.doFinal(block, 0, 16, out, offset);
      } catch (GeneralSecurityException e) {
        throw new RegistryException("encrypting identifier slot " + slot, e);
      }
    }
  }

  private static void putLong(byte[] b, int at, long v) {
    for (int i = 0; i < 8; i++) {
      b[at + i] = (byte) (v >>> (56 - 8 * i));
    }
  }

  private static long getLong(byte[] b, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[at + i] & 0xff);
    }
    return v;
  }
}
