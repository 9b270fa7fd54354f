package io.statusreg.streams.internal;

import io.statusreg.registry.RegistryException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Small binary values of the topology's own stores (never on a public topic). */
final class StoreCodecs {
  private StoreCodecs() {}

  /** Pages above this many are tracked as "all pages dirty". */
  static final int MAX_DIRTY_PAGES = 1024;

  /** Changed indexes above this many are no longer tracked one by one (pages still are). */
  static final int MAX_DIRTY_INDEXES = 4096;

  /**
   * A list with changes no publication shows yet: the time of the oldest such change, the changed
   * pages ({@code allPages} when too many to track, or for a new list) and the changed indexes
   * ({@code null} when more than {@value #MAX_DIRTY_INDEXES} changed since the last publication;
   * then the pages answer, coarsely). A change of metadata only (an allocation) has no page and no
   * index.
   *
   * <p>Wire: {@code 2, oldest (8), page count or -1 (4), pages (4 each), index count or -1 (4),
   * indexes (8 each)}. Version 1 (no indexes) still decodes, with {@code indexes == null}.
   */
  record Dirty(long oldestChangeAt, boolean allPages, int[] pages, long[] indexes) {
    /** Whether {@code idx} (on {@code page}) changed since the last publication. */
    boolean covers(long idx, int page) {
      if (allPages) {
        return true;
      }
      if (indexes != null) {
        return Arrays.binarySearch(indexes, idx) >= 0;
      }
      return Arrays.binarySearch(pages, page) >= 0;
    }

    Dirty merge(long at, boolean all, int[] morePages, long[] moreIndexes) {
      long oldest = Math.min(oldestChangeAt, at);
      if (allPages || all) {
        return new Dirty(oldest, true, new int[0], new long[0]);
      }
      int[] mergedPages = union(pages, morePages);
      long[] mergedIndexes = indexes == null ? null : union(indexes, moreIndexes);
      return bounded(oldest, mergedPages, mergedIndexes);
    }

    static Dirty of(long at, boolean all, int[] pages, long[] indexes) {
      if (all) {
        return new Dirty(at, true, new int[0], new long[0]);
      }
      return bounded(
          at,
          Arrays.stream(pages).distinct().sorted().toArray(),
          Arrays.stream(indexes).distinct().sorted().toArray());
    }

    private static Dirty bounded(long at, int[] pages, long[] indexes) {
      if (pages.length > MAX_DIRTY_PAGES) {
        return new Dirty(at, true, new int[0], new long[0]);
      }
      return new Dirty(
          at, false, pages, indexes == null || indexes.length > MAX_DIRTY_INDEXES ? null : indexes);
    }

    private static int[] union(int[] a, int[] b) {
      return java.util.stream.IntStream.concat(Arrays.stream(a), Arrays.stream(b))
          .distinct()
          .sorted()
          .toArray();
    }

    private static long[] union(long[] a, long[] b) {
      return java.util.stream.LongStream.concat(Arrays.stream(a), Arrays.stream(b))
          .distinct()
          .sorted()
          .toArray();
    }

    byte[] encode() {
      int n = indexes == null ? 0 : indexes.length;
      ByteBuffer b = ByteBuffer.allocate(1 + 8 + 4 + 4 * pages.length + 4 + 8 * n);
      b.put((byte) 2).putLong(oldestChangeAt).putInt(allPages ? -1 : pages.length);
      for (int p : pages) {
        b.putInt(p);
      }
      b.putInt(indexes == null ? -1 : n);
      for (int i = 0; i < n; i++) {
        b.putLong(indexes[i]);
      }
      return b.array();
    }

    static Dirty decode(byte[] bytes) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      byte version = b.get();
      if (version != 1 && version != 2) {
        throw new RegistryException("unsupported dirty-list value version " + version);
      }
      long oldest = b.getLong();
      int n = b.getInt();
      int[] pages = new int[Math.max(0, n)];
      for (int i = 0; i < pages.length; i++) {
        pages[i] = b.getInt();
      }
      long[] indexes = null;
      if (version == 2) {
        int m = b.getInt();
        if (m >= 0) {
          indexes = new long[m];
          for (int i = 0; i < m; i++) {
            indexes[i] = b.getLong();
          }
        }
      }
      if (n < 0) {
        return new Dirty(oldest, true, new int[0], new long[0]);
      }
      return new Dirty(oldest, false, pages, indexes);
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
