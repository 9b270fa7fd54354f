package io.statusreg.registry.identifiers;

import io.statusreg.registry.lists.StatusList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encodes the {@code identifiers} map of an identifier list, {@code {* bstr => {}}}, from the
 * list's revocation bits (bit {@code s} set = the identifier of slot {@code s} is revoked).
 *
 * <p>Each revoked identifier takes 18 bytes: {@code 0x50}, its 16 bytes, {@code 0xa0} (the empty
 * IdentifierInfo map). The map lists identifiers in slot order, one page of {@value
 * StatusList#PAGE_BYTES} bytes (32,768 slots) after the other. Keys of a CBOR map need no order,
 * and slot order makes the map a concatenation of per-page fragments: a fragment is cached with a
 * copy of the page it came from, so re-publishing a list after one revocation encrypts and encodes
 * one page and copies the others (the cache is bounded by {@code maxCachedBytes}; a page that fell
 * out of it is encoded again).
 *
 * <p>Thread-safe: the cache is guarded by this instance.
 */
public final class IdentifierListEncoding {
  /** Bytes one identifier takes in the map: bstr head, 16 bytes, empty map. */
  public static final int ENTRY_BYTES = 2 + IdentifierCipher.IDENTIFIER_BYTES;

  private record Fragment(byte[] page, byte[] encoded, int count) {
    long bytes() {
      return page.length + encoded.length + 64L;
    }
  }

  private record PageKey(String list, int page) {}

  private final long maxCachedBytes;
  private final LinkedHashMap<PageKey, Fragment> cache = new LinkedHashMap<>(64, 0.75f, true);
  private long cachedBytes;

  /** An encoding that caches up to {@code maxCachedBytes} of page fragments (0: none). */
  public IdentifierListEncoding(long maxCachedBytes) {
    if (maxCachedBytes < 0) {
      throw new IllegalArgumentException("cache size must not be negative");
    }
    this.maxCachedBytes = maxCachedBytes;
  }

  /** The encoded map and how many identifiers it holds. */
  public record Encoded(byte[] map, long count) {}

  /**
   * The {@code identifiers} map of list {@code listKey} whose revoked slots are the set bits of
   * {@code revoked} (a 1-bit list), with identifiers from {@code cipher}.
   */
  public Encoded encode(String listKey, StatusList revoked, IdentifierCipher cipher) {
    if (revoked.bits() != 1) {
      throw new IllegalArgumentException("an identifier list keeps one bit per slot");
    }
    int pages = revoked.pageCount();
    Fragment[] fragments = new Fragment[pages];
    long count = 0;
    long length = 0;
    IdentifierCipher.Batch batch = null;
    for (int p = 0; p < pages; p++) {
      if (!revoked.hasPage(p)) {
        continue;
      }
      byte[] page = revoked.page(p);
      Fragment f = cached(listKey, p, page);
      if (f == null) {
        if (batch == null) {
          batch = cipher.batch();
        }
        f = fragment(page, (long) p * revoked.entriesPerPage(), batch);
        remember(listKey, p, f);
      }
      fragments[p] = f;
      count += f.count;
      length += f.encoded.length;
    }
    byte[] head = head(count);
    long total = head.length + length;
    if (total > Integer.MAX_VALUE - 64) {
      throw new IllegalStateException("identifier list too large to encode: " + count);
    }
    byte[] out = new byte[(int) total];
    System.arraycopy(head, 0, out, 0, head.length);
    int at = head.length;
    for (Fragment f : fragments) {
      if (f != null) {
        System.arraycopy(f.encoded, 0, out, at, f.encoded.length);
        at += f.encoded.length;
      }
    }
    return new Encoded(out, count);
  }

  private synchronized Fragment cached(String listKey, int page, byte[] bytes) {
    if (maxCachedBytes == 0) {
      return null;
    }
    Fragment f = cache.get(new PageKey(listKey, page));
    return f != null && Arrays.equals(f.page, bytes) ? f : null;
  }

  private synchronized void remember(String listKey, int page, Fragment f) {
    if (maxCachedBytes == 0 || f.bytes() > maxCachedBytes) {
      return;
    }
    Fragment old = cache.put(new PageKey(listKey, page), f);
    if (old != null) {
      cachedBytes -= old.bytes();
    }
    cachedBytes += f.bytes();
    var it = cache.entrySet().iterator();
    while (cachedBytes > maxCachedBytes && it.hasNext()) {
      Map.Entry<PageKey, Fragment> eldest = it.next();
      cachedBytes -= eldest.getValue().bytes();
      it.remove();
    }
  }

  /** Encodes one page: every set bit's identifier as a map entry, in slot order. */
  private static Fragment fragment(byte[] page, long firstSlot, IdentifierCipher.Batch batch) {
    int count = 0;
    for (byte b : page) {
      count += Integer.bitCount(b & 0xff);
    }
    byte[] out = new byte[count * ENTRY_BYTES];
    int at = 0;
    for (int i = 0; i < page.length; i++) {
      int b = page[i] & 0xff;
      while (b != 0) {
        int bit = Integer.numberOfTrailingZeros(b);
        b &= b - 1;
        long slot = firstSlot + 8L * i + bit;
        out[at] = 0x50;
        batch.identifier(slot, out, at + 1);
        out[at + 1 + IdentifierCipher.IDENTIFIER_BYTES] = (byte) 0xa0;
        at += ENTRY_BYTES;
      }
    }
    return new Fragment(page.clone(), out, count);
  }

  /** CBOR head of a map with {@code n} pairs. */
  static byte[] head(long n) {
    if (n < 24) {
      return new byte[] {(byte) (0xa0 | n)};
    } else if (n < 0x100) {
      return new byte[] {(byte) 0xb8, (byte) n};
    } else if (n < 0x10000) {
      return new byte[] {(byte) 0xb9, (byte) (n >>> 8), (byte) n};
    } else if (n < 0x1_0000_0000L) {
      return new byte[] {
        (byte) 0xba, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n
      };
    }
    throw new IllegalArgumentException("map too large: " + n);
  }
}
