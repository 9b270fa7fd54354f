package io.statusreg.chaos.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.registry.Status;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LedgerAndVersionsTest {
  private final ListRef list = new ListRef("issuer-a", "l1");

  @Test
  void revokedEntriesGetNoFurtherChangeAndUnansweredOnesBecomeUncertain() {
    Ledger ledger = new Ledger();
    ledger.allocated(list, List.of(5L, 9L));

    Ledger.Planned revoke = ledger.plan(1.0).orElseThrow();
    assertThat(revoke.to()).isEqualTo(Status.INVALID);
    ledger.acknowledged(revoke, change(revoke));
    Ledger.Planned other = ledger.plan(0.0).orElseThrow();
    assertThat(other.entry()).isNotEqualTo(revoke.entry());
    assertThat(other.to()).isEqualTo(Status.SUSPENDED);
    ledger.unacknowledged(
        other,
        new Ledger.Unacknowledged(list, other.entry().idx(), other.to(), "x", Instant.now(), 1));

    assertThat(ledger.plan(0.0)).isEmpty();
    assertThat(ledger.expectedFinal())
        .containsExactlyEntriesOf(java.util.Map.of(revoke.entry(), Status.INVALID));
    assertThat(ledger.uncertain()).containsExactly(other.entry());
  }

  @Test
  void aVersionGoingDownOnOneInstanceIsARegressionButNotAcrossInstances() {
    VersionTracker v = new VersionTracker();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    v.observe("a", list, Optional.of("\"v3-abc\""), t);
    v.observe("b", list, Optional.of("\"v2-abc\""), t.plusSeconds(1));
    v.observe("a", list, Optional.of("\"v5-abc\""), t.plusSeconds(2));
    v.observe("a", list, Optional.of("\"v4-abc\""), t.plusSeconds(3));

    assertThat(v.staleAcrossInstances()).isEqualTo(2);
    assertThat(v.regressions()).singleElement().satisfies(r -> assertThat(r.to()).isEqualTo(4));
    assertThat(VersionTracker.version("W/\"v42-gz\"")).hasValue(42L);
    assertThat(VersionTracker.version("\"17-jwt-0a1b2c\"")).hasValue(17L);
  }

  @Test
  void aPendingPauseRunsFromTheFirstChangeSentUntilTheNextNewVersion() {
    VersionTracker v = new VersionTracker();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    v.observe("a", list, Optional.of("\"v1-abc\""), t);
    // Nothing sent for 20 s: an idle list, no pause.
    v.observe("a", list, Optional.of("\"v2-abc\""), t.plusSeconds(20));
    v.submitted(list, t.plusSeconds(21));
    v.submitted(list, t.plusSeconds(22));
    v.observe("a", list, Optional.of("\"v3-abc\""), t.plusSeconds(24)); // waited 3 s
    v.submitted(list, t.plusSeconds(25));
    v.observe("a", list, Optional.of("\"v4-abc\""), t.plusMillis(25_500));
    v.submitted(list, t.plusSeconds(30)); // still waiting at the end

    List<VersionTracker.Pause> all = v.longestPendingPauses(t, t.plusSeconds(40));
    assertThat(all)
        .singleElement()
        .satisfies(p -> assertThat(p.from()).isEqualTo(t.plusSeconds(30)));
    assertThat(all.getFirst().duration()).isEqualTo(java.time.Duration.ofSeconds(10));
    assertThat(v.longestPendingPauses(t, t.plusSeconds(26)).getFirst().duration())
        .isEqualTo(java.time.Duration.ofSeconds(3));
    assertThat(v.longestPendingPauses(t, t.plusSeconds(20))).isEmpty();
  }

  @Test
  void twoFetchesInFlightCompletingOutOfOrderAreNoRegression() {
    VersionTracker v = new VersionTracker();
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    // B is sent after A and answered first with v49; A, sent before B was answered, brings v48.
    v.observe("a", list, Optional.of("\"v49-abc\""), t.plusMillis(10), t.plusMillis(20));
    v.observe("a", list, Optional.of("\"v48-abc\""), t, t.plusMillis(30));
    assertThat(v.regressions()).isEmpty();

    // A fetch sent after v49 arrived that still gets v48 is one.
    v.observe("a", list, Optional.of("\"v48-abc\""), t.plusMillis(40), t.plusMillis(50));
    assertThat(v.regressions()).singleElement().satisfies(r -> assertThat(r.from()).isEqualTo(49));
  }

  private Ledger.Change change(Ledger.Planned p) {
    return new Ledger.Change(
        list, p.entry().idx(), p.to(), List.of("e"), Instant.now(), Instant.now(), "a", 1);
  }
}
