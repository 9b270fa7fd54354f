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
 * The chaos scenarios against real processes: 3 KRaft nodes and 3-6 registry instances ({@code
 * io.statusreg.app.Main serve}) on loopback, under issuer and verifier load. CI runs scenarios 1
 * (rolling restart, with a {@value #CI_POD_DELAY} pod delay instead of the default 30 s), 3
 * (scale-in) and 4 (kill -9 of an instance) with short load; the others run with {@code
 * -Dchaos.all=true} or from {@code ./statusreg chaos}. Every run asserts the scenario's checks but
 * the timing goals: no failed fetch, nothing lost or applied twice, versions only increase, no
 * false session expiry; the issuer goals (ack p99 and publication pause in every phase) are
 * measured into the report, not asserted (see {@link #assertPassed}). Reports go to {@code
 * chaos/target/chaos-results/}.
 */
@Tag("integration")
@Tag("chaos")
class ChaosIT {
  private static final String SHORT_LOAD = "30s";
  private static final String CI_POD_DELAY = "5s";

  /** Shorter than the CLI's 30 s: CI records the timing goals, it does not judge them. */
  private static final String CI_WARM_UP = "10s";

  /**
   * The harness's own limit for one run (brokers up, instances ready, load, disruptions, checks). A
   * loaded CI machine once took 57 s to start the three brokers and 38 s to make the instances
   * ready, and a rolling restart ran past the 5 minutes this was before; each test's JUnit limit
   * stays a minute above it, so the harness's watchdog ends a run first and reports what it saw.
   */
  private static final String RUN_TIMEOUT = "7m";

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void rollingRestartHandsEachInstancesListsOverAndLosesNothing() {
    ChaosReport report = run(Scenario.ROLLING_RESTART, "--pod-delay", CI_POD_DELAY);

    assertPassed(report);
    assertThat(report.disruptions()).hasSize(3);
    assertThat(report.traffic().fetchesFailed()).isZero();
  }

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void scaleInLeavesTheGroupByItselfAndHandsItsListsOver() {
    ChaosReport report = run(Scenario.SCALE_IN);

    assertPassed(report);
    assertThat(report.checks())
        .anySatisfy(c -> assertThat(c.name()).contains("left the group by itself"));
  }

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void killMinus9OfAnInstanceLosesNoAcknowledgedChangeAndAppliesNoneTwice() {
    ChaosReport report = run(Scenario.KILL_INSTANCE);

    assertPassed(report);
    assertThat(report.data().duplicateEventIds()).isZero();
    assertThat(report.data().lostChanges()).isZero();
  }

  @Test
  @EnabledIfSystemProperty(named = "chaos.all", matches = "true")
  @Timeout(value = 9, unit = TimeUnit.MINUTES)
  void scaleOutToFourThenSixFailsNoFetchAndLosesNothing() {
    assertPassed(run(Scenario.SCALE_OUT));
  }

  @Test
  @EnabledIfSystemProperty(named = "chaos.all", matches = "true")
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void aLostNodeStrandsItsListsAtMostThirtySeconds() {
    assertPassed(run(Scenario.NODE_LOSS));
  }

  @Test
  @EnabledIfSystemProperty(named = "chaos.all", matches = "true")
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void killMinus9OfAKafkaNodeLosesNoAcknowledgedChangeAndWritesGoOn() {
    assertPassed(run(Scenario.KILL_BROKER));
  }

  @Test
  @EnabledIfSystemProperty(named = "chaos.all", matches = "true")
  @Timeout(value = 30, unit = TimeUnit.MINUTES)
  void versionUpgradeFromThePreviousReleaseReadsEachOthersRecords() {
    assertPassed(run(Scenario.VERSION_UPGRADE, "--pod-delay", CI_POD_DELAY, "--timeout", "28m"));
  }

  @Test
  @EnabledIfSystemProperty(named = "chaos.all", matches = "true")
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void rollingRestartWithDynamicMembershipLosesNothing() {
    ChaosReport report = run(Scenario.ROLLING_RESTART_DYNAMIC, "--pod-delay", CI_POD_DELAY);

    assertPassed(report);
    assertThat(report.disruptions()).hasSize(3);
  }

  private static ChaosReport run(Scenario scenario, String... extra) {
    Path root = Path.of(System.getProperty("chaos.reportRoot", "target/chaos-results"));
    Path dir = root.resolve(scenario.id()).toAbsolutePath();
    List<String> args = new ArrayList<>();
    args.addAll(List.of(scenario.id(), "--duration", SHORT_LOAD, "--report-dir", dir.toString()));
    args.addAll(List.of("--timeout", RUN_TIMEOUT, "--write-rate", "8", "--fetch-rate", "25"));
    args.addAll(List.of("--warm-up", CI_WARM_UP));
    args.addAll(List.of(extra)); // a later --timeout wins
    ChaosOptions options = ChaosOptions.parse(args, Path.of("."));
    ChaosReport report = new ScenarioRunner(options).run();
    ReportWriter.write(report, dir);
    return report;
  }

  /**
   * Asserts the data goals (no failed fetch, nothing lost, nothing applied twice, versions only
   * increase, the run itself completed) and every non-timing check. The timing goals (write ack
   * p99, publication pause) are measured and written to the report and its summary line, but not
   * asserted here: CI shares its two cores with the build, and a timing goal is reached when a run
   * on a quiet machine shows it (chaos/reports/), never by a timed test.
   */
  private static void assertPassed(ChaosReport report) {
    System.out.println(report.summaryLine());
    assertThat(report.error()).as("chaos %s did not complete", report.scenario()).isNull();
    assertThat(report.checks()).as("chaos %s made no checks", report.scenario()).isNotEmpty();
    List<ChaosReport.Check> failed =
        report.checks().stream().filter(c -> !c.passed() && !c.timingGoal()).toList();
    assertThat(failed)
        .as("chaos %s failed:%n%s", report.scenario(), ReportWriter.markdown(report))
        .isEmpty();
  }
}
