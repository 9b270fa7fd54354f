package io.statusreg.chaos.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhasesTest {
  @Test
  void refusedFetchesAreCountedPerInstanceAndNoOtherFailureCounts() {
    Phases phases = new Phases("kill -9 registry-1");
    Phases.Phase p = phases.current();
    phases.fetch(p, false, 0, FetchLoad.refusedAt("registry-1"));
    phases.fetch(p, false, 0, FetchLoad.refusedAt("registry-1"));
    phases.fetch(p, false, 0, "timeout at registry-1");
    phases.fetch(p, false, 0, FetchLoad.refusedAt("registry-10"));
    phases.fetch(p, true, 1_000, null);

    Phases.Summary s = phases.summaries().getFirst();
    assertThat(s.fetchesFailed()).isEqualTo(4);
    assertThat(s.fetchesRefusedBy("registry-1")).isEqualTo(2);
    assertThat(s.fetchesRefusedBy("registry-10")).isEqualTo(1);
    assertThat(s.fetchesRefusedBy("registry-2")).isZero();
  }

  @Test
  void theWarmUpStaysInItsPhaseButOutOfTheWholeRunsWriteLatencies() {
    Phases phases = new Phases(Phases.WARM_UP);
    phases.writeAcked(phases.current(), 6_000_000); // a cold cluster's 6 s
    phases.begin("baseline");
    phases.writeAcked(phases.current(), 80_000);
    phases.writeAcked(phases.current(), 120_000);

    assertThat(phases.summaries().getFirst().writeLatency().count()).isEqualTo(1);
    assertThat(phases.allWriteLatency().count()).isEqualTo(2);
    assertThat(phases.allWriteLatency().maxMs()).isLessThan(200);
  }
}
