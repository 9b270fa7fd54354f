package io.statusreg.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.api.ApiSettings;
import io.statusreg.registry.config.Settings;
import io.statusreg.streams.StreamsSettings;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The URIs dev publishes its lists under name the port its server listens on. */
class DevPublicPortTest {
  private static Settings dev(Map<String, String> env, Map<String, String> overrides) {
    return DevCommand.withPublicPort(
        Settings.from(new Properties(), env, overrides, RegistryProcess.knownSettings()), env);
  }

  @Test
  void portZeroBecomesAFreePortThatThePublicBaseUrlNames() {
    Settings s = dev(Map.of(), Map.of("http.port", "0"));

    int port = s.get(ApiSettings.HTTP_PORT);
    assertThat(port).isBetween(1, 65535);
    assertThat(s.get(StreamsSettings.PUBLIC_BASE_URL)).isEqualTo("http://localhost:" + port);
  }

  @Test
  void thePortOfTheEnvironmentIsUsedWhenNoPortIsGiven() {
    Settings s = dev(Map.of("STATUSREG_HTTP_PORT", "18089"), Map.of());

    assertThat(s.get(ApiSettings.HTTP_PORT)).isEqualTo(18089);
    assertThat(s.get(StreamsSettings.PUBLIC_BASE_URL)).isEqualTo("http://localhost:18089");
  }

  @Test
  void aPublicBaseUrlFromTheEnvironmentIsKept() {
    Settings s =
        dev(
            Map.of("STATUSREG_PUBLIC_BASE_URL", "https://status.example"),
            Map.of("http.port", "0"));

    assertThat(s.get(ApiSettings.HTTP_PORT)).isNotZero();
    assertThat(s.get(StreamsSettings.PUBLIC_BASE_URL)).isEqualTo("https://status.example");
  }
}
