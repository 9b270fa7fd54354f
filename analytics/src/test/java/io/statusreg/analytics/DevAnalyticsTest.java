package io.statusreg.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.statusreg.registry.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dev keeps running whatever happens to analytics. */
class DevAnalyticsTest {
  @TempDir Path dataDir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private PrintStream printer() {
    return new PrintStream(out, true, StandardCharsets.UTF_8);
  }

  @Test
  void disabledAnalyticsStartsNothingAndSaysSo() {
    var started =
        DevAnalytics.start(
            dataDir,
            Settings.of(Map.of("analytics.enabled", "false")),
            new SimpleMeterRegistry(),
            printer());
    assertThat(started).isEmpty();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("analytics: off");
    assertThat(dataDir.resolve(DevAnalytics.JDBC_URL_FILE)).doesNotExist();
  }

  @Test
  void anUnreachableClickHouseLeavesDevRunningWithAnExplanation() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    var started =
        DevAnalytics.start(
            dataDir,
            Settings.of(
                Map.of(
                    "analytics.jdbc.url",
                    "jdbc:clickhouse:http://127.0.0.1:" + closedPort + "/default?compress=false",
                    "kafka.bootstrap.servers",
                    "127.0.0.1:1")),
            new SimpleMeterRegistry(),
            printer());
    assertThat(started).isEmpty();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("analytics: off, it did not start");
    assertThat(Files.exists(dataDir.resolve(DevAnalytics.JDBC_URL_FILE))).isFalse();
  }

  @Test
  void aTakenLocalPortFallsBackToAFreeOneAndSaysSo() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      assertThat(DevAnalytics.localPort(port, printer())).isZero();

      assertThat(out.toString(StandardCharsets.UTF_8))
          .contains("port " + port + " is taken")
          .contains(DevAnalytics.JDBC_URL_FILE);
    }
  }

  @Test
  void aFreeLocalPortIsKeptSilently() throws Exception {
    int free;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      free = s.getLocalPort();
    }

    assertThat(DevAnalytics.localPort(free, printer())).isEqualTo(free);
    assertThat(DevAnalytics.localPort(0, printer())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }
}
