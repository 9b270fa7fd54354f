package io.statusreg.registry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingTest {
  private static final Setting<Integer> PARTITIONS =
      Setting.integer("events.partitions", 12, 1, 1000, "Partitions of the events topic.");
  private static final Setting<Long> MAX_SIZE =
      Setting.longValue("lists.max-size", 1000, 1, 100_000_000L, "Largest list.");
  private static final Setting<Boolean> GZIP = Setting.bool("http.gzip", true, "Compress.");
  private static final Setting<Duration> INTERVAL =
      Setting.millis("publish.interval", 1000, 10, 60_000, "How often lists are re-signed.");
  private static final Setting<String> BOOTSTRAP =
      Setting.string("kafka.bootstrap.servers", null, "Kafka brokers.");
  private static final Setting<String> PASSWORD =
      Setting.secret("keys.store-password", null, "Keystore password.");

  @Test
  void defaultsApplyWhenNothingIsSet() {
    Settings none = Settings.of(Map.of());

    assertThat(none.get(PARTITIONS)).isEqualTo(12);
    assertThat(none.get(MAX_SIZE)).isEqualTo(1000L);
    assertThat(none.get(GZIP)).isTrue();
    assertThat(none.get(INTERVAL)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void valuesAreTrimmedAndParsed() {
    Settings s =
        Settings.of(
            Map.of("events.partitions", " 48 ", "http.gzip", "FALSE", "publish.interval", "250"));

    assertThat(s.get(PARTITIONS)).isEqualTo(48);
    assertThat(s.get(GZIP)).isFalse();
    assertThat(s.get(INTERVAL)).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void environmentNamesArePrefixedUpperCaseWithUnderscores() {
    assertThat(BOOTSTRAP.envName()).isEqualTo("STATUSREG_KAFKA_BOOTSTRAP_SERVERS");
    assertThat(MAX_SIZE.envName()).isEqualTo("STATUSREG_LISTS_MAX_SIZE");
  }

  @Test
  void aValueThatDoesNotParseNamesTheSettingItsVariableTheValueAndTheExpectation() {
    Settings s = Settings.of(Map.of("events.partitions", "lots"));

    assertThatThrownBy(() -> s.get(PARTITIONS))
        .isInstanceOf(Setting.ConfigException.class)
        .hasMessageContaining("events.partitions")
        .hasMessageContaining("STATUSREG_EVENTS_PARTITIONS")
        .hasMessageContaining("'lots'")
        .hasMessageContaining("an integer in [1, 1000]");
  }

  @Test
  void aValueOutsideItsRangeIsRefusedTheSameWay() {
    for (Map.Entry<Setting<?>, String> bad :
        Map.<Setting<?>, String>of(
                PARTITIONS, "0", MAX_SIZE, "100000001", INTERVAL, "5", GZIP, "yes")
            .entrySet()) {
      Settings s = Settings.of(Map.of(bad.getKey().name(), bad.getValue()));
      assertThatThrownBy(() -> s.get(bad.getKey()))
          .isInstanceOf(Setting.ConfigException.class)
          .hasMessageContaining(bad.getKey().name())
          .hasMessageContaining("'" + bad.getValue() + "'")
          .hasMessageContaining(bad.getKey().constraint());
    }
  }

  @Test
  void aMissingRequiredSettingIsNamedWithItsDoc() {
    assertThatThrownBy(() -> Settings.of(Map.of()).get(BOOTSTRAP))
        .isInstanceOf(Setting.ConfigException.class)
        .hasMessageContaining("kafka.bootstrap.servers")
        .hasMessageContaining("STATUSREG_KAFKA_BOOTSTRAP_SERVERS")
        .hasMessageContaining("is required")
        .hasMessageContaining("Kafka brokers.");
  }

  @Test
  void aSecretNeverAppearsInAnErrorOrTheDocumentation() {
    Setting<Integer> pin =
        new Setting<>(
            "keys.pin", "1234", "A PIN.", Integer::valueOf, v -> v < 10_000, "a PIN", true);
    Settings s = Settings.of(Map.of("keys.pin", "hunter2-secret"));

    assertThatThrownBy(() -> s.get(pin))
        .isInstanceOf(Setting.ConfigException.class)
        .hasMessageContaining("keys.pin")
        .hasMessageContaining("<hidden>")
        .hasMessageNotContaining("hunter2")
        .hasNoCause();
    assertThat(Settings.describe(List.of(pin, PASSWORD, PARTITIONS)))
        .doesNotContain("1234")
        .contains("| `keys.pin` | `STATUSREG_KEYS_PIN` | `<hidden>` | A PIN. |")
        .contains("(required)")
        .contains("`12`");
    assertThat(Settings.of(Map.of("keys.store-password", "s3cret")).get(PASSWORD))
        .isEqualTo("s3cret");
  }

  @Test
  void laterSourcesWin() {
    Properties file = new Properties();
    file.setProperty("events.partitions", "3");
    file.setProperty("http.gzip", "false");
    file.setProperty("publish.interval", "100");
    Map<String, String> env =
        Map.of(
            "STATUSREG_EVENTS_PARTITIONS",
            "6",
            "STATUSREG_HTTP_GZIP",
            "true",
            "STATUSREG_OTHER",
            "x");

    Settings s =
        Settings.from(
            file, env, Map.of("events.partitions", "9"), List.of(PARTITIONS, GZIP, INTERVAL));

    assertThat(s.get(PARTITIONS)).as("override beats env beats file").isEqualTo(9);
    assertThat(s.get(GZIP)).as("env beats file").isTrue();
    assertThat(s.get(INTERVAL)).as("file beats default").isEqualTo(Duration.ofMillis(100));
    assertThat(s.raw()).doesNotContainKey("other").doesNotContainKey("STATUSREG_OTHER");
    assertThat(s.with("events.partitions", "10").get(PARTITIONS)).isEqualTo(10);
    assertThat(s.get(PARTITIONS)).isEqualTo(9);
  }
}
