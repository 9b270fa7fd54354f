package io.statusreg.registry.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.statusreg.registry.lists.StatusList;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class W3cVectorsTest {
  static Stream<Arguments> cases() {
    return StreamSupport.stream(Vectors.w3c().get("cases").spliterator(), false)
        .map(c -> Arguments.of(c.get("name").asText(), c));
  }

  static Map<Long, Integer> expected(JsonNode c) {
    Map<Long, Integer> out = new TreeMap<>();
    c.get("set")
        .properties()
        .forEach(e -> out.put(Long.parseLong(e.getKey()), e.getValue().asInt()));
    return out;
  }

  static Map<Long, Integer> nonZero(StatusList list) {
    Map<Long, Integer> out = new TreeMap<>();
    list.forEachNonZero(i -> out.put(i, list.get(i)));
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void givenW3cVector_whenDecoded_thenExactlyTheListedEntriesAreSet(String name, JsonNode c) {
    int statusSize = c.get("statusSize").asInt();

    StatusList list =
        BitstringStatusList.decode(
            c.get("encodedList").asText(), statusSize, StatusListEncoding.DEFAULT_MAX_ENTRIES);

    assertThat(list.size()).isEqualTo(c.get("entries").asLong());
    assertThat(nonZero(list)).isEqualTo(expected(c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void givenW3cVectorEntries_whenEncodedByUs_thenDecodingGivesTheSameBitstring(
      String name, JsonNode c) {
    int statusSize = c.get("statusSize").asInt();
    StatusList list = StatusList.empty(statusSize, c.get("entries").asLong());
    for (Map.Entry<Long, Integer> e : expected(c).entrySet()) {
      list = list.with(e.getKey(), e.getValue());
    }
    byte[] theirs =
        BitstringStatusList.toBitstring(
            BitstringStatusList.decode(c.get("encodedList").asText(), statusSize, 1 << 20));

    String ours = BitstringStatusList.encode(list);

    assertThat(ours).startsWith("u");
    assertThat(
            BitstringStatusList.toBitstring(BitstringStatusList.decode(ours, statusSize, 1 << 20)))
        .isEqualTo(theirs);
  }
}
