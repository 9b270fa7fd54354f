package io.statusreg.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.streams.internal.StoreCodecs.Dirty;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DirtyListTest {
  private static final long PER_PAGE = 32_768; // 1-bit list, 4 KiB pages

  private static int page(long idx) {
    return (int) (idx / PER_PAGE);
  }

  @Test
  void coversExactlyTheChangedIndexesAcrossMergesAndEncodings() {
    Random random = new Random(42);
    for (int run = 0; run < 200; run++) {
      Set<Long> changed = new HashSet<>();
      Dirty d = null;
      int batches = 1 + random.nextInt(10);
      for (int b = 0; b < batches; b++) {
        int n = random.nextInt(20);
        long[] idx = new long[n];
        int[] pages = new int[n];
        for (int i = 0; i < n; i++) {
          idx[i] = random.nextLong(4 * PER_PAGE);
          pages[i] = page(idx[i]);
          changed.add(idx[i]);
        }
        d = d == null ? Dirty.of(b, false, pages, idx) : d.merge(b, false, pages, idx);
        d = Dirty.decode(d.encode());
      }
      assertThat(d.oldestChangeAt()).isZero();
      for (int probe = 0; probe < 500; probe++) {
        long idx =
            probe % 2 == 0 && !changed.isEmpty()
                ? changed.stream().skip(random.nextInt(changed.size())).findFirst().orElseThrow()
                : random.nextLong(4 * PER_PAGE);
        assertThat(d.covers(idx, page(idx))).as("index %d", idx).isEqualTo(changed.contains(idx));
      }
    }
  }

  @Test
  void unionIsTheSortedSetUnionWithRepeatsAndEmptySides() {
    Random random = new Random(7);
    for (int run = 0; run < 2_000; run++) {
      java.util.TreeSet<Long> expected = new java.util.TreeSet<>();
      long[] a = new long[random.nextInt(12)];
      for (int i = 0; i < a.length; i++) {
        a[i] = random.nextInt(16) - 4; // a small range: repeats within and across the sides
        expected.add(a[i]);
      }
      long[] more = new long[random.nextInt(12)];
      int[] morePages = new int[more.length];
      for (int i = 0; i < more.length; i++) {
        more[i] = random.nextInt(16) - 4;
        morePages[i] = (int) more[i];
        expected.add(more[i]);
      }
      long[] sorted = Dirty.sortedUnique(a);
      assertThat(sorted).isSorted().doesNotHaveDuplicates();
      long[] want = expected.stream().mapToLong(Long::longValue).toArray();
      assertThat(Dirty.union(sorted, more)).containsExactly(want);
      int[] pagesSorted =
          Dirty.sortedUnique(java.util.Arrays.stream(a).mapToInt(x -> (int) x).toArray());
      assertThat(Dirty.union(pagesSorted, morePages))
          .containsExactly(java.util.Arrays.stream(want).mapToInt(x -> (int) x).toArray());
    }
  }

  @Test
  void tooManyIndexesFallBackToPagesAndTooManyPagesToTheWholeList() {
    long[] many = new long[StoreCodecs.MAX_DIRTY_INDEXES + 1];
    for (int i = 0; i < many.length; i++) {
      many[i] = i; // all on page 0
    }
    Dirty coarse = Dirty.decode(Dirty.of(1, false, new int[] {0}, many).encode());
    assertThat(coarse.indexes()).isNull();
    assertThat(coarse.covers(PER_PAGE - 1, 0)).as("same page, coarse").isTrue();
    assertThat(coarse.covers(PER_PAGE, 1)).isFalse();
    Dirty merged = coarse.merge(0, false, new int[] {2}, new long[] {2 * PER_PAGE});
    assertThat(merged.indexes()).as("stays coarse until published").isNull();
    assertThat(merged.covers(2 * PER_PAGE + 5, 2)).isTrue();

    int[] pages = new int[StoreCodecs.MAX_DIRTY_PAGES + 1];
    for (int i = 0; i < pages.length; i++) {
      pages[i] = i;
    }
    Dirty all = Dirty.of(1, false, pages, new long[0]);
    assertThat(all.allPages()).isTrue();
    assertThat(Dirty.decode(all.encode()).covers(123_456_789L, 3767)).isTrue();
  }

  @Test
  void aMetadataOnlyChangeCoversNoEntryAndANewListCoversAll() {
    Dirty allocation = Dirty.of(5, false, new int[0], new long[0]);
    assertThat(allocation.covers(7, 0)).isFalse();
    Dirty created = Dirty.of(5, true, new int[0], new long[0]);
    assertThat(created.covers(7, 0)).isTrue();
    assertThat(allocation.merge(3, true, new int[0], new long[0]).covers(7, 0)).isTrue();
  }

  @Test
  void version1ValuesStillDecodeAsPageGranular() {
    byte[] v1 =
        ByteBuffer.allocate(1 + 8 + 4 + 4).put((byte) 1).putLong(9).putInt(1).putInt(3).array();
    Dirty d = Dirty.decode(v1);
    assertThat(d.oldestChangeAt()).isEqualTo(9);
    assertThat(d.indexes()).isNull();
    assertThat(d.covers(3 * PER_PAGE + 1, 3)).isTrue();
    assertThat(d.covers(0, 0)).isFalse();
  }
}
