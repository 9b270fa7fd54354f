package io.statusreg.registry.lists;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusreg.registry.RegistryException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatusListTest {

  @Nested
  class IetfBitOrder {
    @Test
    void oneBitEntriesFillEachByteFromTheLeastSignificantBit() {
      byte[] bytes = StatusList.empty(1, 16).with(0, 1).with(3, 1).with(9, 1).toBytes();

      assertThat(bytes).containsExactly(0b0000_1001, 0b0000_0010);
    }

    @Test
    void twoBitEntriesSitAtTwiceTheirPositionInTheByte() {
      byte[] bytes = StatusList.empty(2, 8).with(1, 2).with(3, 3).with(4, 1).toBytes();

      assertThat(bytes).containsExactly(0b1100_1000, 0b0000_0001);
    }

    @Test
    void fourBitEntriesTakeOneNibbleEachLowNibbleFirst() {
      byte[] bytes = StatusList.empty(4, 3).with(0, 0xC).with(1, 0x3).with(2, 0xF).toBytes();

      assertThat(bytes).containsExactly(0x3C, 0x0F);
    }

    @Test
    void eightBitEntriesTakeOneByteEach() {
      byte[] bytes = StatusList.empty(8, 3).with(0, 0xFF).with(2, 0x0D).toBytes();

      assertThat(bytes).containsExactly(0xFF, 0x00, 0x0D);
    }

    @Test
    void theIetfSpecExampleForOneBitDecodesEntryByEntry() {
      // draft-ietf-oauth-status-list, section 4.1: 16 entries, bits 1, byte array [0xB9, 0xA3].
      StatusList list = StatusList.fromBytes(1, 16, new byte[] {(byte) 0xB9, (byte) 0xA3});

      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        statuses.add(list.get(i));
      }
      assertThat(statuses).containsExactly(1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1);
    }

    @Test
    void theIetfSpecExampleForTwoBitsDecodesEntryByEntry() {
      // draft-ietf-oauth-status-list, section 4.1: 12 entries, bits 2, bytes [0xC9, 0x44, 0xF9].
      StatusList list =
          StatusList.fromBytes(2, 12, new byte[] {(byte) 0xC9, (byte) 0x44, (byte) 0xF9});

      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        statuses.add(list.get(i));
      }
      assertThat(statuses).containsExactly(1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8})
    void setThenGetGivesTheValueBackAndLeavesNeighboursAlone(int bits) {
      int max = (1 << bits) - 1;
      StatusList list = StatusList.empty(bits, 64).with(10, max).with(11, 1);

      assertThat(list.get(9)).isZero();
      assertThat(list.get(10)).isEqualTo(max);
      assertThat(list.get(11)).isEqualTo(1);
      assertThat(list.get(12)).isZero();
      assertThat(list.with(10, 0).get(11)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void aValueWiderThanBitsIsRefused(int bits) {
      StatusList list = StatusList.empty(bits, 8);

      assertThatThrownBy(() -> list.with(0, 1 << bits))
          .isInstanceOf(RegistryException.InvalidInput.class)
          .hasMessageContaining("does not fit in " + bits + " bits");
      assertThatThrownBy(() -> list.with(0, -1)).isInstanceOf(RegistryException.InvalidInput.class);
    }
  }

  @Nested
  class Pages {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8})
    void theLastEntryOfPageZeroAndTheFirstOfPageOneLiveOnDifferentPages(int bits) {
      StatusList empty = StatusList.empty(bits, 3 * StatusList.PAGE_BYTES * 8L / bits);
      long perPage = empty.entriesPerPage();
      assertThat(perPage).isEqualTo(StatusList.PAGE_BYTES * 8L / bits);

      StatusList last = empty.with(perPage - 1, 1);
      StatusList first = empty.with(perPage, 1);

      assertThat(last.pageOf(perPage - 1)).isZero();
      assertThat(first.pageOf(perPage)).isEqualTo(1);
      assertThat(last.hasPage(0)).isTrue();
      assertThat(last.hasPage(1)).isFalse();
      assertThat(first.hasPage(0)).isFalse();
      assertThat(first.hasPage(1)).isTrue();
      assertThat(last.get(perPage - 1)).isEqualTo(1);
      assertThat(last.get(perPage)).isZero();
      assertThat(first.get(perPage)).isEqualTo(1);
      assertThat(first.get(perPage - 1)).isZero();

      byte[] lastBytes = last.toBytes();
      int shift = 8 - bits;
      assertThat(lastBytes[StatusList.PAGE_BYTES - 1] & 0xff).isEqualTo(1 << shift);
      assertThat(lastBytes[StatusList.PAGE_BYTES]).isZero();
      byte[] firstBytes = first.toBytes();
      assertThat(firstBytes[StatusList.PAGE_BYTES - 1]).isZero();
      assertThat(firstBytes[StatusList.PAGE_BYTES]).isEqualTo((byte) 1);
    }

    @Test
    void aPageWrittenBackToZerosIsDroppedAndTheListEqualsAFreshOne() {
      StatusList empty = StatusList.empty(1, 100_000);

      StatusList cleared = empty.with(70_000, 1).with(70_000, 0);

      assertThat(cleared.hasPage(2)).isFalse();
      assertThat(cleared).isEqualTo(empty).hasSameHashCodeAs(empty);
    }

    @Test
    void aPageReadsAsZerosWhenNeverWrittenAndAsACopyOtherwise() {
      StatusList list = StatusList.empty(8, 10_000).with(4097, 7);

      assertThat(list.page(0)).hasSize(StatusList.PAGE_BYTES).containsOnly(0);
      byte[] page = list.page(1);
      assertThat(page[1]).isEqualTo((byte) 7);
      page[1] = 9;
      assertThat(list.get(4097)).as("page() hands out a copy").isEqualTo(7);
    }

    @Test
    void withPageReplacesOnePageAndSharesTheRest() {
      StatusList list = StatusList.empty(8, 3 * StatusList.PAGE_BYTES).with(5, 2);
      byte[] page = new byte[StatusList.PAGE_BYTES];
      page[3] = 1;

      StatusList replaced = list.withPage(1, page);
      page[4] = 1;

      assertThat(replaced.get(5)).isEqualTo(2);
      assertThat(replaced.get(StatusList.PAGE_BYTES + 3)).isEqualTo(1);
      assertThat(replaced.get(StatusList.PAGE_BYTES + 4))
          .as("withPage copies its argument")
          .isZero();
      assertThat(list.get(StatusList.PAGE_BYTES + 3)).isZero();
      assertThat(replaced.withPage(1, new byte[StatusList.PAGE_BYTES]).hasPage(1)).isFalse();
    }

    @Test
    void withPageRefusesWrongLengthsPageNumbersAndPaddingInTheLastPage() {
      StatusList list = StatusList.empty(1, StatusList.PAGE_BYTES * 8L + 3);
      byte[] padded = new byte[StatusList.PAGE_BYTES];
      padded[0] = 0b0000_1000; // entry 3 of the last page does not exist

      assertThatThrownBy(() -> list.withPage(0, new byte[10]))
          .isInstanceOf(RegistryException.InvalidInput.class)
          .hasMessageContaining("4096 bytes, got 10");
      assertThatThrownBy(() -> list.withPage(2, new byte[StatusList.PAGE_BYTES]))
          .isInstanceOf(RegistryException.InvalidInput.class)
          .hasMessageContaining("page 2");
      assertThatThrownBy(() -> list.withPage(-1, new byte[StatusList.PAGE_BYTES]))
          .isInstanceOf(RegistryException.InvalidInput.class);
      assertThatThrownBy(() -> list.withPage(1, padded))
          .isInstanceOf(RegistryException.InvalidInput.class)
          .hasMessageContaining("beyond");
      padded[0] = 0b0000_0111;
      assertThat(list.withPage(1, padded).get(StatusList.PAGE_BYTES * 8L + 2)).isEqualTo(1);
    }
  }

  @Nested
  class Persistence {
    @Test
    void withLeavesTheOriginalUnchanged() {
      StatusList v1 = StatusList.empty(2, 1000).with(7, 1);

      StatusList v2 = v1.with(7, 2).with(999, 3);

      assertThat(v1.get(7)).isEqualTo(1);
      assertThat(v1.get(999)).isZero();
      assertThat(v2.get(7)).isEqualTo(2);
      assertThat(v2.get(999)).isEqualTo(3);
      assertThat(v1).isNotEqualTo(v2);
    }

    @Test
    void settingAnEntryToValidOnAnEmptyPageReturnsTheSameList() {
      StatusList empty = StatusList.empty(4, 100);

      assertThat(empty.with(3, 0)).isSameAs(empty);
    }
  }

  @Nested
  class Bytes {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8})
    void toBytesThenFromBytesGivesAnEqualList(int bits) {
      long size = 5 * StatusList.PAGE_BYTES * 8L / bits + 5;
      StatusList list =
          StatusList.empty(bits, size).with(0, 1).with(size / 2, (1 << bits) - 1).with(size - 1, 1);

      byte[] bytes = list.toBytes();
      StatusList back = StatusList.fromBytes(bits, size, bytes);

      assertThat(bytes).hasSize((int) list.byteLength());
      assertThat(back).isEqualTo(list).hasSameHashCodeAs(list);
      assertThat(back.toBytes()).isEqualTo(bytes);
      assertThat(back.hasPage(1)).as("all-zero pages stay absent").isFalse();
    }

    @Test
    void fromBytesCopiesItsInput() {
      byte[] bytes = {1, 0};
      StatusList list = StatusList.fromBytes(1, 16, bytes);

      bytes[0] = 0;

      assertThat(list.get(0)).isEqualTo(1);
    }

    @Test
    void fromBytesRefusesSetPaddingBits() {
      // 3 entries at 1 bit use the 3 low bits; bit 3 is padding.
      assertThatThrownBy(() -> StatusList.fromBytes(1, 3, new byte[] {0b0000_1000}))
          .isInstanceOf(RegistryException.InvalidInput.class)
          .hasMessageContaining("beyond its 3 entries");
      // 3 entries at 4 bits: the high nibble of byte 1 is padding.
      assertThatThrownBy(() -> StatusList.fromBytes(4, 3, new byte[] {0, 0x10}))
          .isInstanceOf(RegistryException.InvalidInput.class);
      assertThat(StatusList.fromBytes(1, 3, new byte[] {0b0000_0111}).histogram())
          .containsExactly(0, 3);
    }

    @Test
    void fromBytesRefusesTheWrongLength() {
      assertThatThrownBy(() -> StatusList.fromBytes(2, 9, new byte[2]))
          .isInstanceOf(RegistryException.InvalidInput.class)
          .hasMessageContaining("needs 3 bytes, got 2");
    }
  }

  @Nested
  class Shape {
    @ParameterizedTest
    @ValueSource(ints = {0, 3, 5, 16, -1})
    void bitsOtherThanOneTwoFourOrEightAreRefused(int bits) {
      assertThatThrownBy(() -> StatusList.empty(bits, 8))
          .isInstanceOf(RegistryException.InvalidInput.class)
          .hasMessageContaining("bits must be 1, 2, 4 or 8");
    }

    @Test
    void sizesOutsideOneToTheLargestArrayAreRefused() {
      assertThatThrownBy(() -> StatusList.empty(1, 0))
          .isInstanceOf(RegistryException.InvalidInput.class);
      assertThatThrownBy(() -> StatusList.empty(8, StatusList.MAX_BYTES + 1))
          .isInstanceOf(RegistryException.InvalidInput.class);
      assertThatThrownBy(() -> StatusList.empty(8, Long.MAX_VALUE / 4))
          .as("a size whose bit count overflows a long")
          .isInstanceOf(RegistryException.InvalidInput.class);
      assertThatThrownBy(() -> StatusList.empty(1, Long.MAX_VALUE))
          .isInstanceOf(RegistryException.InvalidInput.class);
      assertThat(StatusList.empty(8, StatusList.MAX_BYTES).byteLength())
          .isEqualTo(StatusList.MAX_BYTES);
    }

    @Test
    void aHundredMillionOneBitEntriesCanBeSetAndReadAtTheEnd() {
      long size = 100_000_000L;
      StatusList list = StatusList.empty(1, size);

      StatusList revoked = list.with(size - 1, 1);

      assertThat(revoked.get(size - 1)).isEqualTo(1);
      assertThat(revoked.get(size - 2)).isZero();
      assertThat(revoked.byteLength()).isEqualTo(12_500_000L);
      assertThat(revoked.pageCount()).isEqualTo(3052);
      assertThat(revoked.histogram()).containsExactly(size - 1, 1);
      List<Long> nonZero = new ArrayList<>();
      revoked.forEachNonZero(nonZero::add);
      assertThat(nonZero).containsExactly(size - 1);
      List<Integer> pages = new ArrayList<>();
      revoked.forEachPage(pages::add);
      assertThat(pages).containsExactly(3051);

      byte[] bytes = revoked.toBytes();
      assertThat(bytes).hasSize(12_500_000);
      assertThat(bytes[12_499_999]).isEqualTo((byte) 0x80);
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, 10, Long.MAX_VALUE, Long.MIN_VALUE})
    void anIndexOutsideTheListIsRefusedWithIndexOutOfRange(long idx) {
      StatusList list = StatusList.empty(2, 10);

      assertThatThrownBy(() -> list.get(idx))
          .isInstanceOf(StatusList.IndexOutOfRange.class)
          .hasMessageContaining("index " + idx)
          .hasMessageContaining("[0, 10)");
      assertThatThrownBy(() -> list.with(idx, 1)).isInstanceOf(StatusList.IndexOutOfRange.class);
      assertThatThrownBy(() -> list.pageOf(idx)).isInstanceOf(StatusList.IndexOutOfRange.class);
    }
  }

  @Nested
  class Counting {
    @Test
    void histogramCountsEveryValueAndValidIsTheRest() {
      StatusList list =
          StatusList.empty(2, 50_000).with(1, 1).with(2, 2).with(3, 2).with(40_000, 3);

      assertThat(list.histogram()).containsExactly(49_996, 1, 2, 1);
    }

    @Test
    void forEachNonZeroVisitsNonValidIndexesInAscendingOrder() {
      StatusList list =
          StatusList.empty(4, 30_000).with(20_000, 12).with(3, 1).with(8191, 2).with(8192, 1);
      List<Long> seen = new ArrayList<>();

      list.forEachNonZero(seen::add);

      assertThat(seen).containsExactly(3L, 8191L, 8192L, 20_000L);
    }
  }
}
