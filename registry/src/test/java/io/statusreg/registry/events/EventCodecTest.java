package io.statusreg.registry.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusreg.registry.Actor;
import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.Status;
import io.statusreg.registry.issuance.IndexPermutation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventCodecTest {
  private static final String ID = "6f1c2a4e-8d3b-4c55-9a7e-1b2c3d4e5f60";
  private static final String HEAD =
      "\"v\":1,\"id\":\""
          + ID
          + "\",\"list\":\"acme/main\",\"actor\":{\"kind\":\"issuer\",\"sub\":\"c1\"},\"at\":1700000000000";
  private static final String STATUS_CHANGED =
      "{"
          + HEAD
          + ",\"type\":\"status_changed\",\"idx\":42,\"previous\":0,\"status\":1,\"reason\":\"key_compromise\"}";

  private static RegistryEvent decode(String json) {
    return EventCodec.decode(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String replace(String json, String from, String to) {
    assertThat(json).contains(from);
    return json.replace(from, to);
  }

  @Test
  void theDocumentedWireFormDecodesToAStatusChange() {
    RegistryEvent event = decode(STATUS_CHANGED);

    assertThat(event)
        .isEqualTo(
            new StatusChanged(
                EventId.of(ID),
                ListId.of("acme", "main"),
                42,
                Status.VALID,
                Status.INVALID,
                Reason.KEY_COMPROMISE,
                Actor.issuer("c1"),
                Instant.ofEpochMilli(1_700_000_000_000L)));
  }

  @Test
  void aListCreatedCarriesItsKeyAsThirtyTwoHexDigitsAndLifetimesInSeconds() {
    ListCreated created =
        new ListCreated(
            EventId.of(ID),
            ListId.of("acme", "main"),
            2,
            1000,
            Duration.ofMinutes(5),
            Duration.ofDays(1),
            Purpose.SUSPENSION,
            new IndexPermutation.Key(1, -1),
            Actor.SYSTEM,
            Instant.ofEpochMilli(5));

    String json = new String(EventCodec.encode(created), StandardCharsets.UTF_8);

    assertThat(json)
        .contains("\"type\":\"list_created\"")
        .contains("\"v\":1")
        .contains("\"key\":\"0000000000000001ffffffffffffffff\"")
        .contains("\"ttl\":300")
        .contains("\"validity\":86400")
        .contains("\"purpose\":\"suspension\"")
        .contains("\"actor\":{\"kind\":\"system\",\"sub\":\"statusreg\"}");
    assertThat(EventCodec.decode(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(created);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "not json", "{", "[1,2]", "42", "null", "\"text\"", "{} {}", "{\"v\":1}}"})
  void anythingButOneJsonObjectIsInvalidInput(String input) {
    assertThatThrownBy(() -> decode(input)).isInstanceOf(RegistryException.InvalidInput.class);
  }

  @Test
  void nullBytesAreInvalidInput() {
    assertThatThrownBy(() -> EventCodec.decode(null))
        .isInstanceOf(RegistryException.InvalidInput.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"0", "3", "-1", "true", "\"1\"", "1.0", "4294967297", "99999999999999999999999"})
  void anyVersionButTheIntegersOneAndTwoIsRefused(String version) {
    String json = replace(STATUS_CHANGED, "\"v\":1", "\"v\":" + version);

    assertThatThrownBy(() -> decode(json)).isInstanceOf(RegistryException.InvalidInput.class);
  }

  @Test
  void anUnknownTypeIsRefusedByName() {
    String json = replace(STATUS_CHANGED, "status_changed", "status_exploded");

    assertThatThrownBy(() -> decode(json))
        .isInstanceOf(RegistryException.InvalidInput.class)
        .hasMessageContaining("unknown event type status_exploded");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"idx\":42",
        "\"reason\":\"key_compromise\"",
        "\"at\":1700000000000",
        "\"sub\":\"c1\""
      })
  void aMissingFieldIsNamed(String field) {
    String json = replace(STATUS_CHANGED, field, "\"unused\":0");

    assertThatThrownBy(() -> decode(json))
        .isInstanceOf(RegistryException.InvalidInput.class)
        .hasMessageContaining(field.substring(1, field.indexOf('"', 1)));
  }

  @Test
  void wrongTypesAreRefused() {
    for (String[] edit :
        new String[][] {
          {"\"idx\":42", "\"idx\":\"42\""},
          {"\"idx\":42", "\"idx\":42.5"},
          {"\"idx\":42", "\"idx\":null"},
          {"\"type\":\"status_changed\"", "\"type\":7"},
          {"\"at\":1700000000000", "\"at\":[1]"},
          {"\"actor\":{\"kind\":\"issuer\",\"sub\":\"c1\"}", "\"actor\":\"issuer\""},
          {"\"kind\":\"issuer\"", "\"kind\":\"robot\""},
          {"\"status\":1", "\"status\":5"},
          {"\"reason\":\"key_compromise\"", "\"reason\":\"bored\""},
        }) {
      String json = replace(STATUS_CHANGED, edit[0], edit[1]);
      assertThatThrownBy(() -> decode(json))
          .as(edit[1])
          .isInstanceOf(RegistryException.InvalidInput.class);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"not-a-uuid", "", "6f1c2a4e-8d3b-4c55-9a7e-1b2c3d4e5f6g", "1-2-3-4-5-6"})
  void aBadEventIdIsRefused(String id) {
    String json = replace(STATUS_CHANGED, ID, id);

    assertThatThrownBy(() -> decode(json)).isInstanceOf(RegistryException.InvalidInput.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"acme", "/main", "acme/", "ACME/main", "acme/ma in", "acme/main/extra", "a..b/c"})
  void aBadListKeyIsRefused(String key) {
    String json = replace(STATUS_CHANGED, "\"list\":\"acme/main\"", "\"list\":\"" + key + "\"");

    assertThatThrownBy(() -> decode(json)).isInstanceOf(RegistryException.InvalidInput.class);
  }

  @Test
  void numbersTooLargeForTheirFieldAreRefusedNotTruncated() {
    // 2^32 + 1 would read as 1 (INVALID) if it were cut to an int.
    for (String[] edit :
        new String[][] {
          {"\"status\":1", "\"status\":4294967297"},
          {"\"previous\":0", "\"previous\":4294967296"},
          {"\"idx\":42", "\"idx\":18446744073709551616"},
          {"\"at\":1700000000000", "\"at\":1e400"},
        }) {
      String json = replace(STATUS_CHANGED, edit[0], edit[1]);
      assertThatThrownBy(() -> decode(json))
          .as(edit[1])
          .isInstanceOf(RegistryException.InvalidInput.class);
    }
    String created =
        "{"
            + HEAD
            + ",\"type\":\"list_created\",\"bits\":4294967297,\"size\":10,\"ttl\":1,"
            + "\"validity\":1,\"purpose\":\"revocation\",\"key\":\"0000000000000001ffffffffffffffff\"}";
    assertThatThrownBy(() -> decode(created))
        .isInstanceOf(RegistryException.InvalidInput.class)
        .hasMessageContaining("bits");
    String allocated =
        "{" + HEAD + ",\"type\":\"indexes_allocated\",\"from\":0,\"count\":4294967297}";
    assertThatThrownBy(() -> decode(allocated))
        .isInstanceOf(RegistryException.InvalidInput.class)
        .hasMessageContaining("count");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"00", "0000000000000001ffffffffffffffffff", "zz00000000000001ffffffffffffffff"})
  void aBadPermutationKeyIsRefused(String key) {
    String created =
        "{"
            + HEAD
            + ",\"type\":\"list_created\",\"bits\":1,\"size\":10,\"ttl\":1,"
            + "\"validity\":1,\"purpose\":\"revocation\",\"key\":\""
            + key
            + "\"}";

    assertThatThrownBy(() -> decode(created)).isInstanceOf(RegistryException.InvalidInput.class);
  }

  @Test
  void deeplyNestedJsonIsRefusedCleanly() {
    String deep = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);

    assertThatThrownBy(() -> decode(deep)).isInstanceOf(RegistryException.InvalidInput.class);
  }
}
