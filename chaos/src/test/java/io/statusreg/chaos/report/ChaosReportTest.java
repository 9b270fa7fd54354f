package io.statusreg.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.chaos.load.Latencies;
import io.statusreg.chaos.load.Phases;
import io.statusreg.chaos.report.ChaosReport.Check;
import io.statusreg.chaos.report.ChaosReport.PhaseGoal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChaosReportTest {
  @Test
  void onlyTheAckP99AndPublicationPauseChecksAreTimingGoals() {
    assertThat(new Check(Check.ACK_P99_GOAL + " <= 2000 ms in every phase", false, "").timingGoal())
        .isTrue();
    assertThat(new Check(Check.PUBLICATION_PAUSE_GOAL + " <= 2000 ms", false, "").timingGoal())
        .isTrue();
    // the data goals ChaosIT asserts whatever the machine
    for (String data :
        new String[] {
          "load ran",
          "no acknowledged change lost",
          "no change applied twice",
          "token versions only increase (per instance)",
          "zero failed verifier fetches",
          "no session expiry of a live instance (session.timeout.ms long enough)"
        }) {
      assertThat(new Check(data, false, "").timingGoal()).as(data).isFalse();
    }
  }

  private static Phases.Summary phase(long acked, long failedAttempts, double ackP99Ms) {
    Instant t = Instant.parse("2026-12-01T21:00:00Z");
    Latencies.Summary writes =
        acked == 0
            ? new Latencies.Summary(0, 0, 0, 0)
            : new Latencies.Summary(acked, 1, ackP99Ms, ackP99Ms);
    return new Phases.Summary(
        "p",
        t,
        t.plusSeconds(10),
        100,
        0,
        new Latencies.Summary(100, 1, 2, 3),
        acked,
        failedAttempts,
        writes,
        Map.of());
  }

  @Test
  void aPhaseWhoseWritesAllFailedMissesTheAckGoalInsteadOfMeetingItWithAnEmptySample() {
    PhaseGoal stalled = PhaseGoal.judge(phase(0, 145, 0), 0, "-", 2_000);
    assertThat(stalled.ackP99Ms()).isZero();
    assertThat(stalled.ackMet()).isFalse();
    assertThat(stalled.met()).isFalse();

    PhaseGoal idle = PhaseGoal.judge(phase(0, 0, 0), 0, "-", 2_000);
    assertThat(idle.ackMet()).as("no write tried: nothing to judge").isTrue();

    assertThat(PhaseGoal.judge(phase(40, 3, 1_500), 0, "-", 2_000).met()).isTrue();
    assertThat(PhaseGoal.judge(phase(40, 0, 2_500), 0, "-", 2_000).ackMet()).isFalse();
    PhaseGoal paused = PhaseGoal.judge(phase(40, 0, 100), 2_001, "issuer/list", 2_000);
    assertThat(paused.ackMet()).isTrue();
    assertThat(paused.met()).isFalse();
  }
}
