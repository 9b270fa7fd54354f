package io.statusreg.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.chaos.report.ChaosReport.Check;
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
}
