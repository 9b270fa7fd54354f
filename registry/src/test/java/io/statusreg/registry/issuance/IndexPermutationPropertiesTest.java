package io.statusreg.registry.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.registry.testing.Gen;
import io.statusreg.registry.testing.Property;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** The allocation permutation is a bijection of [0, size) for every size and key. */
class IndexPermutationPropertiesTest {

  static Gen<IndexPermutation.Key> keys() {
    Gen<Long> longs = Gen.longs();
    return r -> new IndexPermutation.Key(longs.next(r), longs.next(r));
  }

  record Small(int size, IndexPermutation.Key key) {}

  @Test
  void everyCursorMapsToADistinctIndexInRangeAndBack() {
    Gen<Integer> sizes = Gen.ints(1, 5000);
    Gen<IndexPermutation.Key> keys = keys();

    Property.forAll(
        "everyCursorMapsToADistinctIndexInRangeAndBack",
        400,
        r -> new Small(sizes.next(r), keys.next(r)),
        p -> {
          int size = p.size();
          IndexPermutation perm = new IndexPermutation(size, p.key());
          BitSet seen = new BitSet(size);

          for (int c = 0; c < size; c++) {
            long idx = perm.apply(c);
            assertThat(idx).isBetween(0L, size - 1L);
            assertThat(seen.get((int) idx)).as("index %d handed out twice", idx).isFalse();
            seen.set((int) idx);
            assertThat(perm.inverse(idx)).isEqualTo(c);
          }

          assertThat(seen.cardinality()).isEqualTo(size);
        });
  }

  record Large(long size, IndexPermutation.Key key, long seed) {}

  @Test
  void inverseUndoesApplyForLargeSizes() {
    Gen<Long> sizes = Gen.longs(5001, 1L << 36);
    Gen<IndexPermutation.Key> keys = keys();
    Gen<Long> seeds = Gen.longs(0, Long.MAX_VALUE);

    Property.forAll(
        "inverseUndoesApplyForLargeSizes",
        300,
        r -> new Large(sizes.next(r), keys.next(r), seeds.next(r)),
        p -> {
          long size = p.size();
          IndexPermutation perm = new IndexPermutation(size, p.key());

          for (long c : new long[] {0, size - 1, p.seed() % size, (p.seed() >>> 7) % size}) {
            long idx = perm.apply(c);
            assertThat(idx).isBetween(0L, size - 1);
            assertThat(perm.inverse(idx)).isEqualTo(c);
            assertThat(perm.apply(perm.inverse(c))).isEqualTo(c);
          }
        });
  }

  record TwoKeys(int size, IndexPermutation.Key a, IndexPermutation.Key b) {}

  @Test
  void differentKeysGiveDifferentOrders() {
    Gen<Integer> sizes = Gen.ints(10_000, 1_000_000);
    Gen<IndexPermutation.Key> keys = keys();
    Gen<TwoKeys> pairs =
        r -> {
          IndexPermutation.Key a = keys.next(r);
          IndexPermutation.Key b = keys.next(r);
          while (b.equals(a)) {
            b = keys.next(r);
          }
          return new TwoKeys(sizes.next(r), a, b);
        };

    Property.forAll(
        "differentKeysGiveDifferentOrders",
        200,
        pairs,
        p -> {
          IndexPermutation pa = new IndexPermutation(p.size(), p.a());
          IndexPermutation pb = new IndexPermutation(p.size(), p.b());

          int same = 0;
          for (int c = 0; c < 32; c++) {
            if (pa.apply(c) == pb.apply(c)) {
              same++;
            }
          }

          // Two independent random orders agree on a given cursor with probability 1/size.
          assertThat(same).isLessThan(3);
        });
  }
}
