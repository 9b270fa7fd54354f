package io.statusreg.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosOptionsTest {
  @Test
  void scenarioByNumberOrNameWithDurationAndReportDir() {
    ChaosOptions o =
        ChaosOptions.parse(
            List.of("3", "--duration", "90s", "--report-dir", "/tmp/r", "--env", "STATUSREG_X=1"),
            Path.of("/home"));
    assertThat(o.scenario()).isEqualTo(Scenario.SCALE_IN);
    assertThat(o.podDelay()).isEqualTo(ChaosOptions.DEFAULT_POD_DELAY);
    assertThat(o.podDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.duration()).isEqualTo(Duration.ofSeconds(90));
    assertThat(o.warmUp()).isEqualTo(Duration.ofSeconds(30));
    assertThat(ChaosOptions.parse(List.of("1", "--warm-up", "0s"), Path.of("/h")).warmUp())
        .isZero();
    assertThat(o.reportDir()).isEqualTo(Path.of("/tmp/r"));
    assertThat(o.extraSettings()).containsEntry("STATUSREG_X", "1");
    assertThat(ChaosOptions.parse(List.of("rolling-restart-dynamic"), Path.of("/h")).scenario())
        .isEqualTo(Scenario.ROLLING_RESTART_DYNAMIC);
  }

  @Test
  void brokerPropertiesAreKafkaPropertyNames() {
    ChaosOptions o =
        ChaosOptions.parse(
            List.of(
                "kill-broker",
                "--broker",
                "broker.session.timeout.ms=3000",
                "--broker",
                "broker.heartbeat.interval.ms=500"),
            Path.of("/h"));
    assertThat(o.brokerProperties())
        .containsEntry("broker.session.timeout.ms", "3000")
        .containsEntry("broker.heartbeat.interval.ms", "500")
        .hasSize(2);
    assertThat(ChaosOptions.parse(List.of("1"), Path.of("/h")).brokerProperties()).isEmpty();
    for (String bad : List.of("=1", "no-value", "Upper.Case=1", "a b=1")) {
      assertThatThrownBy(() -> ChaosOptions.parse(List.of("6", "--broker", bad), Path.of("/h")))
          .as(bad)
          .hasMessageContaining("--broker");
    }
  }

  @Test
  void secureIsOffByDefaultAndRefusesKafkaSettingsItDecidesItself() {
    assertThat(ChaosOptions.parse(List.of("kill-instance"), Path.of("/h")).secure()).isFalse();
    ChaosOptions o =
        ChaosOptions.parse(
            List.of("kill-instance", "--secure", "--env", "STATUSREG_KAFKA_CLIENT_LINGER_MS=5"),
            Path.of("/h"));
    assertThat(o.secure()).isTrue();
    assertThat(o.extraSettings()).containsEntry("STATUSREG_KAFKA_CLIENT_LINGER_MS", "5");
    assertThat(ChaosOptions.USAGE).contains("--secure");
    for (String clash :
        List.of(
            "STATUSREG_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092",
            "STATUSREG_KAFKA_SECURITY_PROTOCOL=PLAINTEXT",
            "STATUSREG_KAFKA_SASL_JAAS_CONFIG_FILE=/x",
            "STATUSREG_KAFKA_SSL_TRUSTSTORE_LOCATION=/y")) {
      assertThatThrownBy(
              () ->
                  ChaosOptions.parse(
                      List.of("kill-instance", "--secure", "--env", clash), Path.of("/h")))
          .as(clash)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--secure")
          .hasMessageContaining(clash.substring(0, clash.indexOf('=')));
      // without --secure the same setting is the run's own business
      assertThat(ChaosOptions.parse(List.of("4", "--env", clash), Path.of("/h")).secure())
          .isFalse();
    }
  }

  @Test
  void soakIsRefusedForAScenarioThatDoesNotEndWhereItStarted() {
    for (String once : List.of("scale-out", "scale-in", "node-loss", "version-upgrade")) {
      assertThatThrownBy(() -> ChaosOptions.parse(List.of(once, "--soak"), Path.of("/h")))
          .as(once)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--soak")
          .hasMessageContaining(once);
    }
    assertThat(ChaosOptions.parse(List.of("kill-instance", "--soak"), Path.of("/h")).soak())
        .isTrue();
  }

  @Test
  void soakDefaultsToThirtyMinutesAndReportsGoUnderChaosResults() {
    ChaosOptions o = ChaosOptions.parse(List.of("kill-broker", "--soak"), Path.of("/h"));
    assertThat(o.duration()).isEqualTo(Duration.ofMinutes(30));
    assertThat(o.reportDir().toString()).startsWith("/h/chaos/results/").endsWith("-kill-broker");
  }

  @Test
  void everyScenarioOfTheIssueHasItsNumberAndName() {
    String[] names = {
      "rolling-restart",
      "scale-out",
      "scale-in",
      "kill-instance",
      "node-loss",
      "kill-broker",
      "version-upgrade"
    };
    for (int i = 0; i < names.length; i++) {
      assertThat(Scenario.parse(Integer.toString(i + 1))).isEqualTo(Scenario.parse(names[i]));
      assertThat(Scenario.parse(names[i]).id()).isEqualTo(names[i]);
    }
    assertThat(Scenario.SCALE_IN.instances()).isEqualTo(4);
    assertThat(Scenario.NODE_LOSS.goal()).isEqualTo(Duration.ofSeconds(30));
    // issue 13: only an instance that never returns has the 30 s bound; one back after 5 s has 2 s
    assertThat(Scenario.KILL_INSTANCE.goal()).isEqualTo(Duration.ofSeconds(2));
    assertThat(Scenario.SCALE_IN.goal()).isEqualTo(Duration.ofSeconds(2));
    assertThat(Scenario.ROLLING_RESTART.goal()).isEqualTo(Duration.ofSeconds(2));
    ChaosOptions o =
        ChaosOptions.parse(
            List.of("version-upgrade", "--pod-delay", "5s", "--previous", "v1.2"), Path.of("/h"));
    assertThat(o.podDelay()).isEqualTo(Duration.ofSeconds(5));
    assertThat(o.previous()).isEqualTo("v1.2");
    assertThatThrownBy(
            () -> ChaosOptions.parse(List.of("7", "--previous", "a;rm -rf /"), Path.of("/h")))
        .hasMessageContaining("--previous");
  }

  @Test
  void unknownScenarioOrOptionIsRefused() {
    assertThatThrownBy(() -> ChaosOptions.parse(List.of("9"), Path.of("/h")))
        .hasMessageContaining("unknown scenario");
    assertThatThrownBy(() -> ChaosOptions.parse(List.of("1", "--bogus"), Path.of("/h")))
        .hasMessageContaining("unknown option");
  }
}
