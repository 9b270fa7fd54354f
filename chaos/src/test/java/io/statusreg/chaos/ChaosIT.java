package io.statusreg.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.chaos.report.ChaosReport;
import io.statusreg.chaos.report.ReportWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The chaos scenarios against real processes: 3 KRaft nodes and 3 registry instances ({@code
 * io.statusreg.app.Main serve}) on loopback, under issuer and verifier load. CI runs the rolling
 * restart and the kill -9 of an instance with short load; the others run with {@code
 * -Dchaos.all=true} or from {@code ./statusreg chaos}. Reports go to {@code
 * chaos/target/chaos-results/}.
 */
@Tag("integration")
@Tag("chaos")
class ChaosIT {
  private static final String SHORT_LOAD = "30s";

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void rollingRestartWithStaticMembershipFailsNoFetchMovesNoSurvivorTaskAndLosesNothing() {
    ChaosReport report = run(Scenario.ROLLING_RESTART);

    assertPassed(report);
    assertThat(report.disruptions()).hasSize(3);
    assertThat(report.traffic().fetchesFailed()).isZero();
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void killMinus9OfAnInstanceLosesNoAcknowledgedChangeAndAppliesNoneTwice() {
    ChaosReport report = run(Scenario.KILL_INSTANCE);

    assertPassed(report);
    assertThat(report.data().duplicateEventIds()).isZero();
    assertThat(report.data().lostChanges()).isZero();
  }

  @Test
  @EnabledIfSystemProperty(named = "chaos.all", matches = "true")
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void scaleOutAndBackUnderLoadFailsNoFetchAndLosesNothing() {
    assertPassed(run(Scenario.SCALE_OUT));
  }

  @Test
  @EnabledIfSystemProperty(named = "chaos.all", matches = "true")
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void killMinus9OfAKafkaNodeLosesNoAcknowledgedChangeAndWritesGoOn() {
    assertPassed(run(Scenario.KILL_BROKER));
  }

  @Test
  @EnabledIfSystemProperty(named = "chaos.all", matches = "true")
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void rollingRestartWithDynamicMembershipLosesNothing() {
    ChaosReport report = run(Scenario.ROLLING_RESTART_DYNAMIC);

    assertPassed(report);
    assertThat(report.disruptions()).hasSize(3);
  }

  private static ChaosReport run(Scenario scenario) {
    Path root = Path.of(System.getProperty("chaos.reportRoot", "target/chaos-results"));
    Path dir = root.resolve(scenario.id()).toAbsolutePath();
    List<String> args = new ArrayList<>();
    args.addAll(List.of(scenario.id(), "--duration", SHORT_LOAD, "--report-dir", dir.toString()));
    args.addAll(List.of("--timeout", "5m", "--write-rate", "8", "--fetch-rate", "25"));
    ChaosOptions options = ChaosOptions.parse(args, Path.of("."));
    ChaosReport report = new ScenarioRunner(options).run();
    ReportWriter.write(report, dir);
    return report;
  }

  private static void assertPassed(ChaosReport report) {
    assertThat(report.passed())
        .as("chaos %s failed:%n%s", report.scenario(), ReportWriter.markdown(report))
        .isTrue();
  }
}
