package io.statusreg.registry.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The allocation permutation is a bijection of [0, size) for every size and key. */
class IndexPermutationPropertiesTest {

  @Provide
  Arbitrary<IndexPermutation.Key> keys() {
    return Combinators.combine(Arbitraries.longs(), Arbitraries.longs())
        .as(IndexPermutation.Key::new);
  }

  @Property(tries = 400)
  void everyCursorMapsToADistinctIndexInRangeAndBack(
      @ForAll @IntRange(min = 1, max = 5000) int size, @ForAll("keys") IndexPermutation.Key key) {
    IndexPermutation perm = new IndexPermutation(size, key);
    BitSet seen = new BitSet(size);

    for (int c = 0; c < size; c++) {
      long idx = perm.apply(c);
      assertThat(idx).isBetween(0L, size - 1L);
      assertThat(seen.get((int) idx)).as("index %d handed out twice", idx).isFalse();
      seen.set((int) idx);
      assertThat(perm.inverse(idx)).isEqualTo(c);
    }

    assertThat(seen.cardinality()).isEqualTo(size);
  }

  @Property(tries = 300)
  void inverseUndoesApplyForLargeSizes(
      @ForAll @LongRange(min = 5001, max = 1L << 36) long size,
      @ForAll("keys") IndexPermutation.Key key,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seed) {
    IndexPermutation perm = new IndexPermutation(size, key);

    for (long c : new long[] {0, size - 1, seed % size, (seed >>> 7) % size}) {
      long idx = perm.apply(c);
      assertThat(idx).isBetween(0L, size - 1);
      assertThat(perm.inverse(idx)).isEqualTo(c);
      assertThat(perm.apply(perm.inverse(c))).isEqualTo(c);
    }
  }

  @Property(tries = 200)
  void differentKeysGiveDifferentOrders(
      @ForAll @IntRange(min = 10_000, max = 1_000_000) int size,
      @ForAll("keys") IndexPermutation.Key a,
      @ForAll("keys") IndexPermutation.Key b) {
    net.jqwik.api.Assume.that(!a.equals(b));
    IndexPermutation pa = new IndexPermutation(size, a);
    IndexPermutation pb = new IndexPermutation(size, b);

    int same = 0;
    for (int c = 0; c < 32; c++) {
      if (pa.apply(c) == pb.apply(c)) {
        same++;
      }
    }

    // Two independent random orders agree on a given cursor with probability 1/size.
    assertThat(same).isLessThan(3);
  }
}
