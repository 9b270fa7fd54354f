package io.statusreg.registry.lists;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/** A StatusList behaves like a plain {@code int[]} of its entries, for every bits and size. */
class StatusListPropertiesTest {

  record Scenario(int bits, int size, List<Tuple2<Integer, Integer>> writes) {}

  @Provide
  Arbitrary<Scenario> scenarios() {
    return Arbitraries.of(1, 2, 4, 8)
        .flatMap(
            bits ->
                Arbitraries.oneOf(
                        Arbitraries.integers().between(1, 100),
                        Arbitraries.integers().between(1, 3 * StatusList.PAGE_BYTES * 8 / bits))
                    .flatMap(
                        size -> {
                          Arbitrary<Integer> index =
                              Arbitraries.oneOf(
                                  Arbitraries.integers().between(0, size - 1),
                                  Arbitraries.of(0, size - 1),
                                  Arbitraries.integers()
                                      .between(0, size - 1)
                                      .map(i -> pageEdge(i, bits, size)));
                          Arbitrary<Integer> value =
                              Arbitraries.integers().between(0, (1 << bits) - 1);
                          return Combinators.combine(index, value)
                              .as(Tuple::of)
                              .list()
                              .ofMaxSize(60)
                              .map(writes -> new Scenario(bits, size, writes));
                        }));
  }

  /** An index next to a page boundary, where off-by-one errors live. */
  private static int pageEdge(int i, int bits, int size) {
    int perPage = StatusList.PAGE_BYTES * 8 / bits;
    int edge = (i / perPage) * perPage + (i % 2 == 0 ? 0 : perPage - 1);
    return Math.min(edge, size - 1);
  }

  @Property(tries = 300)
  void getReturnsWhatTheNaiveModelHolds(@ForAll("scenarios") Scenario s) {
    int[] model = new int[s.size()];
    StatusList list = StatusList.empty(s.bits(), s.size());
    for (Tuple2<Integer, Integer> w : s.writes()) {
      model[w.get1()] = w.get2();
      list = list.with(w.get1(), w.get2());
    }

    for (int i = 0; i < s.size(); i++) {
      assertThat(list.get(i)).as("entry %d", i).isEqualTo(model[i]);
    }
    assertThat(list.toBytes()).isEqualTo(naivePack(s.bits(), model));
  }

  @Property(tries = 300)
  void histogramAndForEachNonZeroAgreeWithTheModel(@ForAll("scenarios") Scenario s) {
    int[] model = new int[s.size()];
    StatusList list = StatusList.empty(s.bits(), s.size());
    for (Tuple2<Integer, Integer> w : s.writes()) {
      model[w.get1()] = w.get2();
      list = list.with(w.get1(), w.get2());
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
  }

  @Property(tries = 200)
  void bytesRoundTripThroughFromBytes(@ForAll("scenarios") Scenario s) {
    StatusList list = StatusList.empty(s.bits(), s.size());
    for (Tuple2<Integer, Integer> w : s.writes()) {
      list = list.with(w.get1(), w.get2());
    }

    StatusList back = StatusList.fromBytes(s.bits(), s.size(), list.toBytes());

    assertThat(back).isEqualTo(list);
    assertThat(back.hashCode()).isEqualTo(list.hashCode());
  }

  @Property(tries = 200)
  void rebuildingFromPagesGivesAnEqualList(@ForAll("scenarios") Scenario s) {
    StatusList list = StatusList.empty(s.bits(), s.size());
    for (Tuple2<Integer, Integer> w : s.writes()) {
      list = list.with(w.get1(), w.get2());
    }

    StatusList rebuilt = StatusList.empty(s.bits(), s.size());
    for (int p = 0; p < list.pageCount(); p++) {
      rebuilt = rebuilt.withPage(p, list.page(p));
    }

    assertThat(rebuilt).isEqualTo(list);
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
