package io.statusreg.registry.tokens;

import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.TokenException.Reason;
import io.statusreg.registry.tokens.internal.Base64Url;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The W3C Bitstring Status List v1.0 {@code encodedList} codec: multibase {@code u} + base64url (no
 * padding) of the GZIP of the bitstring, at least {@value #MIN_ENTRIES} entries.
 *
 * <p>The bit order is the opposite of IETF's: index 0 is the most significant bit of byte 0, and
 * with {@code statusSize > 1} each entry is a group of consecutive bits, most significant first.
 * This class converts from and to {@link StatusList}, which keeps the IETF order, so the same list
 * serves both formats. {@code statusSize} is 1, 2, 4 or 8 (the sizes a {@link StatusList} has).
 *
 * <p>Decoding untrusted input is bounded as for {@link StatusListEncoding}: strict base64url and at
 * most {@code cap + 1} bytes inflated; failures are {@link TokenException}s.
 */
public final class BitstringStatusList {
  /** The minimum number of entries of an encoded list (the W3C herd-privacy floor). */
  public static final int MIN_ENTRIES = 131_072;

  private static final byte[][] SWAP = new byte[9][];

  static {
    for (int bits : new int[] {1, 2, 4, 8}) {
      byte[] table = new byte[256];
      int per = 8 / bits;
      int mask = (1 << bits) - 1;
      for (int v = 0; v < 256; v++) {
        int out = 0;
        for (int j = 0; j < per; j++) {
          out |= ((v >>> (j * bits)) & mask) << (8 - (j + 1) * bits);
        }
        table[v] = (byte) out;
      }
      SWAP[bits] = table;
    }
  }

  private BitstringStatusList() {}

  /** {@code encodedList} of {@code list} at GZIP level 6, padded to {@value #MIN_ENTRIES}. */
  public static String encode(StatusList list) {
    return encode(list, 6);
  }

  /** {@code encodedList} of {@code list} at the given GZIP level (0-9). */
  public static String encode(StatusList list, int level) {
    if (level < 0 || level > 9) {
      throw new IllegalArgumentException("gzip level must be 0-9, got " + level);
    }
    return gzipEncoded(toBitstring(list), level);
  }

  /**
   * {@code encodedList} of a 1-bit W3C bitstring over {@code list}: bit {@code i} (MSB first) is
   * set where entry {@code i} holds {@code value}; padded to {@value #MIN_ENTRIES} entries. This is
   * how a multi-bit list is shown to W3C verifiers under one purpose (see {@link W3cForm}).
   */
  public static String encodeFlags(StatusList list, int value, int level) {
    if (level < 0 || level > 9) {
      throw new IllegalArgumentException("gzip level must be 0-9, got " + level);
    }
    if (value <= 0 || value >= 1 << list.bits()) {
      throw new IllegalArgumentException(
          "flagged value must be 1.." + ((1 << list.bits()) - 1) + ", got " + value);
    }
    long entries = Math.max(list.size(), MIN_ENTRIES);
    byte[] bitstring = new byte[(int) StatusList.byteLength(1, entries)];
    list.forEachNonZero(
        idx -> {
          if (list.get(idx) == value) {
            bitstring[(int) (idx >>> 3)] |= (byte) (0x80 >>> (int) (idx & 7));
          }
        });
    return gzipEncoded(bitstring, level);
  }

  private static String gzipEncoded(byte[] bitstring, int level) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, bitstring.length / 64));
    try (GZIPOutputStream gz =
        new GZIPOutputStream(out, 64 * 1024) {
          {
            def.setLevel(level == 6 ? Deflater.DEFAULT_COMPRESSION : level);
          }
        }) {
      gz.write(bitstring);
    } catch (IOException e) {
      throw new IllegalStateException("gzip into memory failed", e);
    }
    return multibase(out.toByteArray());
  }

  /** The {@code encodedList} text of GZIP bytes: multibase {@code u} + base64url, no padding. */
  public static String multibase(byte[] gzip) {
    return "u" + Base64Url.encode(gzip);
  }

  /**
   * The W3C bytes of one IETF page of a {@code bits}-bit list, as stored (MSB first): the same
   * length as the page. Bytes past the list's end are zero in a page, and stay zero.
   */
  public static byte[] bitstringPage(byte[] ietfPage, int bits) {
    byte[] swap = SWAP[bits];
    byte[] out = new byte[ietfPage.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = swap[ietfPage[i] & 0xff];
    }
    return out;
  }

  /**
   * The 1-bit W3C bytes of one IETF page of a {@code bits}-bit list: bit {@code i} (MSB first) set
   * where the page's entry {@code i} holds {@code value}; {@code page.length * 8 / bits / 8} bytes.
   */
  public static byte[] flagsPage(byte[] ietfPage, int bits, int value) {
    int perByte = 8 / bits;
    int mask = (1 << bits) - 1;
    byte[] out = new byte[ietfPage.length / bits];
    for (int i = 0; i < ietfPage.length; i++) {
      int b = ietfPage[i] & 0xff;
      if (b == 0) {
        continue;
      }
      for (int e = 0; e < perByte; e++) {
        if (((b >>> (e * bits)) & mask) == value) {
          int entry = i * perByte + e;
          out[entry >>> 3] |= (byte) (0x80 >>> (entry & 7));
        }
      }
    }
    return out;
  }

  /**
   * The uncompressed W3C bitstring of {@code list}: MSB-first, at least {@value #MIN_ENTRIES}
   * entries (zero padded).
   */
  public static byte[] toBitstring(StatusList list) {
    byte[] ietf = list.toBytes();
    long entries = Math.max(list.size(), MIN_ENTRIES);
    byte[] out = Arrays.copyOf(ietf, (int) StatusList.byteLength(list.bits(), entries));
    byte[] swap = SWAP[list.bits()];
    for (int i = 0; i < ietf.length; i++) {
      out[i] = swap[ietf[i] & 0xff];
    }
    return out;
  }

  /** The list held by an uncompressed W3C bitstring (one entry per {@code statusSize} bits). */
  public static StatusList fromBitstring(byte[] bitstring, int statusSize) {
    StatusListEncoding.checkBits(statusSize);
    if (bitstring.length == 0) {
      throw new TokenException(Reason.BAD_LST, "encodedList holds an empty bitstring");
    }
    byte[] ietf = new byte[bitstring.length];
    byte[] swap = SWAP[statusSize];
    for (int i = 0; i < ietf.length; i++) {
      ietf[i] = swap[bitstring[i] & 0xff];
    }
    return StatusList.fromBytes(statusSize, (long) ietf.length * (8 / statusSize), ietf);
  }

  /**
   * Decodes an {@code encodedList}: its list has {@code bytes * 8 / statusSize} entries, at most
   * {@code maxEntries} (more is {@link Reason#LST_TOO_LARGE}).
   */
  public static StatusList decode(String encodedList, int statusSize, long maxEntries) {
    StatusListEncoding.checkBits(statusSize);
    if (encodedList == null || !encodedList.startsWith("u")) {
      throw new TokenException(
          Reason.BAD_LST, "encodedList must be multibase base64url (start with 'u')");
    }
    byte[] gzip;
    try {
      gzip = Base64Url.decode(encodedList.substring(1));
    } catch (Base64Url.Invalid e) {
      throw new TokenException(Reason.BAD_LST, "encodedList is " + e.getMessage());
    }
    return fromBitstring(
        gunzip(gzip, StatusListEncoding.capBytes(statusSize, maxEntries)), statusSize);
  }

  /** Inflates GZIP data, never producing more than {@code maxBytes + 1} bytes. */
  static byte[] gunzip(byte[] gzip, long maxBytes) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip), 8192)) {
      byte[] out = new byte[(int) Math.min(maxBytes + 1, Math.max(256, (long) gzip.length * 4))];
      int total = 0;
      while (true) {
        if (total == out.length) {
          if (total > maxBytes) {
            break;
          }
          out = Arrays.copyOf(out, (int) Math.min(maxBytes + 1, (long) out.length * 2));
        }
        int n = in.read(out, total, out.length - total);
        if (n < 0) {
          break;
        }
        total += n;
      }
      if (total > maxBytes) {
        throw new TokenException(
            Reason.LST_TOO_LARGE,
            "encodedList inflates to more than the cap of " + maxBytes + " bytes");
      }
      return Arrays.copyOf(out, total);
    } catch (IOException e) {
      throw new TokenException(
          Reason.BAD_LST, "encodedList is not valid GZIP: " + e.getMessage(), e);
    }
  }
}
