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
      return bounded(at, sortedUnique(pages), sortedUnique(indexes));
    }

    private static Dirty bounded(long at, int[] pages, long[] indexes) {
      if (pages.length > MAX_DIRTY_PAGES) {
        return new Dirty(at, true, new int[0], new long[0]);
      }
      return new Dirty(
          at, false, pages, indexes == null || indexes.length > MAX_DIRTY_INDEXES ? null : indexes);
    }

    /**
     * The union of a sorted set (ascending, no repeats: what {@link #of} and this method return)
     * and any array: one sort of {@code more} and one linear merge, no boxing. (Every command
     * merges its few changed entries into the list's mark, which holds up to {@value
     * #MAX_DIRTY_INDEXES} indexes.)
     */
    static int[] union(int[] sorted, int[] more) {
      return toInts(union(toLongs(sorted), toLongs(more))); // pages: at most MAX_DIRTY_PAGES
    }

    /** As {@link #union(int[], int[])}, for indexes. */
    static long[] union(long[] sorted, long[] more) {
      long[] b = sortedUnique(more);
      if (b.length == 0) {
        return sorted;
      }
      long[] out = new long[sorted.length + b.length];
      int i = 0;
      int j = 0;
      int n = 0;
      while (i < sorted.length && j < b.length) {
        long x = sorted[i];
        long y = b[j];
        if (x < y) {
          out[n++] = x;
          i++;
        } else if (y < x) {
          out[n++] = y;
          j++;
        } else {
          out[n++] = x;
          i++;
          j++;
        }
      }
      while (i < sorted.length) {
        out[n++] = sorted[i++];
      }
      while (j < b.length) {
        out[n++] = b[j++];
      }
      return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** A sorted copy of {@code a} without repeats. */
    static int[] sortedUnique(int[] a) {
      return toInts(sortedUnique(toLongs(a)));
    }

    private static long[] toLongs(int[] a) {
      return Arrays.stream(a).asLongStream().toArray();
    }

    private static int[] toInts(long[] a) {
      return Arrays.stream(a).mapToInt(x -> (int) x).toArray();
    }

    /** A sorted copy of {@code a} without repeats. */
    static long[] sortedUnique(long[] a) {
      long[] c = a.clone();
      Arrays.sort(c);
      int n = 0;
      for (int i = 0; i < c.length; i++) {
        if (n == 0 || c[n - 1] != c[i]) {
          c[n++] = c[i];
        }
      }
      return n == c.length ? c : Arrays.copyOf(c, n);
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
