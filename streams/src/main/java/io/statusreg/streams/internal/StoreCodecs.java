package io.statusreg.streams.internal;

import io.statusreg.registry.RegistryException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Small binary values of the topology's own stores (never on a public topic). */
final class StoreCodecs {
  private StoreCodecs() {}

  /** Pages above this many are tracked as "all pages dirty". */
  static final int MAX_DIRTY_PAGES = 1024;

  /**
   * A list with changes no publication shows yet: the time of the oldest such change and the
   * changed pages ({@code allPages} when too many to track, or for a new list).
   */
  record Dirty(long oldestChangeAt, boolean allPages, int[] pages) {
    boolean covers(int page) {
      return allPages || Arrays.binarySearch(pages, page) >= 0;
    }

    Dirty merge(long at, boolean all, int[] more) {
      long oldest = Math.min(oldestChangeAt, at);
      if (allPages || all) {
        return new Dirty(oldest, true, new int[0]);
      }
      int[] merged =
          java.util.stream.IntStream.concat(Arrays.stream(pages), Arrays.stream(more))
              .distinct()
              .sorted()
              .toArray();
      return merged.length > MAX_DIRTY_PAGES
          ? new Dirty(oldest, true, new int[0])
          : new Dirty(oldest, false, merged);
    }

    static Dirty of(long at, boolean all, int[] pages) {
      int[] sorted = Arrays.stream(pages).distinct().sorted().toArray();
      return all || sorted.length > MAX_DIRTY_PAGES
          ? new Dirty(at, true, new int[0])
          : new Dirty(at, false, sorted);
    }

    byte[] encode() {
      ByteBuffer b = ByteBuffer.allocate(1 + 8 + 4 + 4 * pages.length);
      b.put((byte) 1).putLong(oldestChangeAt).putInt(allPages ? -1 : pages.length);
      for (int p : pages) {
        b.putInt(p);
      }
      return b.array();
    }

    static Dirty decode(byte[] bytes) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      check(b.get());
      long oldest = b.getLong();
      int n = b.getInt();
      if (n < 0) {
        return new Dirty(oldest, true, new int[0]);
      }
      int[] pages = new int[n];
      for (int i = 0; i < n; i++) {
        pages[i] = b.getInt();
      }
      return new Dirty(oldest, false, pages);
    }
  }

  /** The latest publication of a list, as the publisher needs it (times in epoch ms). */
  record Publication(
      long version, long issuedAt, long expiresAt, long refreshAt, long publishedAt) {
    byte[] encode() {
      return ByteBuffer.allocate(1 + 40)
          .put((byte) 1)
          .putLong(version)
          .putLong(issuedAt)
          .putLong(expiresAt)
          .putLong(refreshAt)
          .putLong(publishedAt)
          .array();
    }

    static Publication decode(byte[] bytes) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      check(b.get());
      return new Publication(b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong());
    }
  }

  private static void check(byte version) {
    if (version != 1) {
      throw new RegistryException("unsupported store value version " + version);
    }
  }
}
