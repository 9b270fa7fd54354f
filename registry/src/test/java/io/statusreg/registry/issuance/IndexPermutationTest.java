package io.statusreg.registry.issuance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusreg.registry.RegistryException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IndexPermutationTest {
  private static final IndexPermutation.Key KEY = new IndexPermutation.Key(1, 2);

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 7, 8, 9, 16, 17})
  void everyTinySizeIsABijection(long size) {
    IndexPermutation perm = new IndexPermutation(size, KEY);
    Set<Long> seen = new HashSet<>();

    for (long c = 0; c < size; c++) {
      long idx = perm.apply(c);
      assertThat(idx).isBetween(0L, size - 1);
      assertThat(perm.inverse(idx)).isEqualTo(c);
      seen.add(idx);
    }

    assertThat(seen).hasSize((int) size);
  }

  @Test
  void theSameKeyAndSizeGiveTheSameOrderOnEveryReplay() {
    IndexPermutation first = new IndexPermutation(1000, new IndexPermutation.Key(42, -7));
    IndexPermutation replay = new IndexPermutation(1000, new IndexPermutation.Key(42, -7));

    for (long c = 0; c < 1000; c++) {
      assertThat(replay.apply(c)).isEqualTo(first.apply(c));
    }
  }

  @Test
  void indexesAreNotHandedOutInCursorOrder() {
    IndexPermutation perm = new IndexPermutation(100_000, KEY);
    List<Long> firstTen = new ArrayList<>();
    for (long c = 0; c < 10; c++) {
      firstTen.add(perm.apply(c));
    }

    assertThat(firstTen).isNotEqualTo(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L));
    assertThat(firstTen).doesNotContainSequence(0L, 1L);
  }

  @Test
  void theLargestSizesStayInsideTheirRange() {
    for (long size : new long[] {Long.MAX_VALUE, (1L << 62) + 1, 1L << 62, (1L << 40) + 3}) {
      IndexPermutation perm = new IndexPermutation(size, KEY);
      for (long c : new long[] {0, 1, size / 2, size - 2, size - 1}) {
        long idx = perm.apply(c);
        assertThat(idx).as("size %d cursor %d", size, c).isBetween(0L, size - 1);
        assertThat(perm.inverse(idx)).isEqualTo(c);
      }
    }
  }

  @Test
  void cursorsAndIndexesOutsideTheRangeAreRefused() {
    IndexPermutation perm = new IndexPermutation(10, KEY);

    assertThatThrownBy(() -> perm.apply(10))
        .isInstanceOf(RegistryException.InvalidInput.class)
        .hasMessageContaining("cursor 10");
    assertThatThrownBy(() -> perm.apply(-1)).isInstanceOf(RegistryException.InvalidInput.class);
    assertThatThrownBy(() -> perm.inverse(10))
        .isInstanceOf(RegistryException.InvalidInput.class)
        .hasMessageContaining("index 10");
  }

  @Test
  void aPermutationNeedsAPositiveSizeAndAKey() {
    assertThatThrownBy(() -> new IndexPermutation(0, KEY))
        .isInstanceOf(RegistryException.InvalidInput.class)
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> new IndexPermutation(5, null))
        .isInstanceOf(RegistryException.InvalidInput.class)
        .hasMessageContaining("key");
  }

  @Test
  void randomKeysDiffer() {
    SecureRandom random = new SecureRandom();

    assertThat(IndexPermutation.Key.random(random))
        .isNotEqualTo(IndexPermutation.Key.random(random));
  }
}
