package io.statusreg.registry.lists;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.registry.testing.Gen;
import io.statusreg.registry.testing.Property;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A StatusList behaves like a plain {@code int[]} of its entries, for every bits and size. */
class StatusListPropertiesTest {

  record Write(int index, int value) {}

  record Scenario(int bits, int size, List<Write> writes) {}

  static Gen<Scenario> scenarios() {
    return Gen.elementOf(1, 2, 4, 8)
        .flatMap(
            bits ->
                Gen.oneOf(Gen.ints(1, 100), Gen.ints(1, 3 * StatusList.PAGE_BYTES * 8 / bits))
                    .flatMap(
                        size -> {
                          Gen<Integer> index =
                              Gen.oneOf(
                                  Gen.ints(0, size - 1),
                                  Gen.elementOf(0, size - 1),
                                  Gen.ints(0, size - 1).map(i -> pageEdge(i, bits, size)));
                          Gen<Integer> value = Gen.ints(0, (1 << bits) - 1);
                          Gen<Write> write = r -> new Write(index.next(r), value.next(r));
                          return write.list(0, 60).map(writes -> new Scenario(bits, size, writes));
                        }));
  }

  /** An index next to a page boundary, where off-by-one errors live. */
  private static int pageEdge(int i, int bits, int size) {
    int perPage = StatusList.PAGE_BYTES * 8 / bits;
    int edge = (i / perPage) * perPage + (i % 2 == 0 ? 0 : perPage - 1);
    return Math.min(edge, size - 1);
  }

  @Test
  void getReturnsWhatTheNaiveModelHolds() {
    Property.forAll(
        "getReturnsWhatTheNaiveModelHolds",
        300,
        scenarios(),
        s -> {
          int[] model = new int[s.size()];
          StatusList list = StatusList.empty(s.bits(), s.size());
          for (Write w : s.writes()) {
            model[w.index()] = w.value();
            list = list.with(w.index(), w.value());
          }

          for (int i = 0; i < s.size(); i++) {
            assertThat(list.get(i)).as("entry %d", i).isEqualTo(model[i]);
          }
          assertThat(list.toBytes()).isEqualTo(naivePack(s.bits(), model));
        });
  }

  @Test
  void histogramAndForEachNonZeroAgreeWithTheModel() {
    Property.forAll(
        "histogramAndForEachNonZeroAgreeWithTheModel",
        300,
        scenarios(),
        s -> {
          int[] model = new int[s.size()];
          StatusList list = StatusList.empty(s.bits(), s.size());
          for (Write w : s.writes()) {
            model[w.index()] = w.value();
            list = list.with(w.index(), w.value());
          }

          long[] counts = new long[1 << s.bits()];
          List<Long> nonZero = new ArrayList<>();
          for (int i = 0; i < model.length; i++) {
            counts[model[i]]++;
            if (model[i] != 0) {
              nonZero.add((long) i);
            }
          }
          List<Long> visited = new ArrayList<>();
          list.forEachNonZero(visited::add);
          assertThat(list.histogram()).isEqualTo(counts);
          assertThat(visited).isEqualTo(nonZero);
        });
  }

  @Test
  void bytesRoundTripThroughFromBytes() {
    Property.forAll(
        "bytesRoundTripThroughFromBytes",
        200,
        scenarios(),
        s -> {
          StatusList list = StatusList.empty(s.bits(), s.size());
          for (Write w : s.writes()) {
            list = list.with(w.index(), w.value());
          }

          StatusList back = StatusList.fromBytes(s.bits(), s.size(), list.toBytes());

          assertThat(back).isEqualTo(list);
          assertThat(back.hashCode()).isEqualTo(list.hashCode());
        });
  }

  @Test
  void rebuildingFromPagesGivesAnEqualList() {
    Property.forAll(
        "rebuildingFromPagesGivesAnEqualList",
        200,
        scenarios(),
        s -> {
          StatusList list = StatusList.empty(s.bits(), s.size());
          for (Write w : s.writes()) {
            list = list.with(w.index(), w.value());
          }

          StatusList rebuilt = StatusList.empty(s.bits(), s.size());
          for (int p = 0; p < list.pageCount(); p++) {
            rebuilt = rebuilt.withPage(p, list.page(p));
          }

          assertThat(rebuilt).isEqualTo(list);
        });
  }

  /**
   * IETF packing written the obvious way: entry i at bit (i mod (8/bits))*bits of byte i/(8/bits).
   */
  private static byte[] naivePack(int bits, int[] entries) {
    int perByte = 8 / bits;
    byte[] out = new byte[(entries.length * bits + 7) / 8];
    for (int i = 0; i < entries.length; i++) {
      out[i / perByte] |= (byte) (entries[i] << ((i % perByte) * bits));
    }
    return out;
  }
}
