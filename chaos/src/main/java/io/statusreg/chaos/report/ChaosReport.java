package io.statusreg.chaos.report;

import io.statusreg.chaos.load.Phases;
import io.statusreg.chaos.verify.DataChecks;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What one run measured, and its pass/fail checks. */
public record ChaosReport(
    String scenario,
    String description,
    boolean staticMembership,
    boolean soak,
    Instant started,
    Instant finished,
    Map<String, String> settings,
    Traffic traffic,
    List<Phases.Summary> phases,
    List<Disruption> disruptions,
    List<RebalanceSeen> rebalances,
    Map<String, Long> groupGenerations,
    Map<String, List<String>> metricsRebalanceLines,
    DataChecks.Result data,
    Versions versions,
    List<Check> checks,
    Goals goals,
    List<String> failureSamples,
    List<String> notes,
    String error) {

  /** Totals of the load. */
  public record Traffic(
      long fetchesOk,
      long fetchesFailed,
      long fetchesSkipped,
      long changesAcknowledged,
      long changesUnacknowledged,
      List<String> unacknowledgedSamples,
      long writeTicksStarved,
      long allocationTopUps) {}

  /**
   * One disruption: what was done to which target, how long the stop took, how long until it served
   * again, rebalances on the other instances inside its window, and the longest pause of a list's
   * publication inside it.
   */
  public record Disruption(
      String action,
      String target,
      Instant at,
      Instant recoveredAt,
      double stopSeconds,
      double recoverySeconds,
      long survivorRebalances,
      long survivorRebalancesByMetric,
      double longestPublicationPauseSeconds,
      String pausedList,
      long fetchesFailed,
      long writesAcknowledged) {}

  /** A rebalance seen in an instance's log; {@code moved}: it added or revoked a partition. */
  public record RebalanceSeen(
      String instance, Instant from, Instant to, double seconds, boolean moved) {}

  /** Token versions as fetched. */
  public record Versions(
      long regressionsPerInstance,
      List<String> regressionSamples,
      long staleAcrossInstances,
      long fetchesWithoutVersion,
      Map<String, Long> finalVersions) {}

  /**
   * The issuer-side goals: write acknowledgement p99 and the longest publication pause (a change
   * waiting for its list's next version), per phase and over the whole run, against {@code goalMs}.
   */
  public record Goals(
      long goalMs,
      long ackP99Ms,
      long maxPublicationPauseMs,
      String pausedList,
      long fetchFailed,
      long lost,
      long doubled,
      List<PhaseGoal> phases) {}

  /**
   * One phase against the goals ({@code pauseMs} clipped to the phase). {@code ackMet}: the ack p99
   * is within the goal, and it was measured at all: a phase whose write attempts failed without a
   * single acknowledgement has an empty sample (p99 0) and misses the goal rather than meeting it.
   */
  public record PhaseGoal(
      String phase,
      long writesAcked,
      long ackP99Ms,
      boolean ackMet,
      long pauseMs,
      String pausedList,
      boolean met) {

    /** Judges {@code phase} against {@code goalMs}, with the longest pause measured in it. */
    public static PhaseGoal judge(
        Phases.Summary phase, long pauseMs, String pausedList, long goalMs) {
      long p99 = Math.round(phase.writeLatency().p99Ms());
      boolean measured = phase.writesAcked() > 0 || phase.writeAttemptsFailed() == 0;
      boolean ackMet = measured && p99 <= goalMs;
      return new PhaseGoal(
          phase.name(),
          phase.writesAcked(),
          p99,
          ackMet,
          pauseMs,
          pausedList,
          ackMet && pauseMs <= goalMs);
    }
  }

  /**
   * The run's one machine-readable line: {@code chaos: <scenario> PASS|FAIL fetch_failed=<n>
   * lost=<n> doubled=<n> ack_p99_ms=<n> max_publication_pause_ms=<n>}, figures over the whole run
   * ({@code lost} and {@code doubled} are -1 when the data checks did not run or could not
   * establish them).
   */
  public String summaryLine() {
    Goals g = goals == null ? new Goals(0, 0, 0, "-", 0, 0, 0, List.of()) : goals;
    return "chaos: "
        + scenario
        + (passed() ? " PASS" : " FAIL")
        + " fetch_failed="
        + g.fetchFailed()
        + " lost="
        + g.lost()
        + " doubled="
        + g.doubled()
        + " ack_p99_ms="
        + g.ackP99Ms()
        + " max_publication_pause_ms="
        + g.maxPublicationPauseMs();
  }

  /** A pass/fail check with what was measured. */
  public record Check(String name, boolean passed, String detail) {
    /** The name of the write-acknowledgement p99 goal's check starts with this. */
    public static final String ACK_P99_GOAL = "write ack p99";

    /** The name of the publication-pause goal's check starts with this. */
    public static final String PUBLICATION_PAUSE_GOAL = "longest publication pause";

    /**
     * Whether this check judges a timing goal (ack p99, publication pause): measured on whatever
     * machine runs it, so a timed test records it rather than asserting it.
     */
    public boolean timingGoal() {
      return name.startsWith(ACK_P99_GOAL) || name.startsWith(PUBLICATION_PAUSE_GOAL);
    }
  }

  public boolean passed() {
    return error == null && !checks.isEmpty() && checks.stream().allMatch(Check::passed);
  }
}
