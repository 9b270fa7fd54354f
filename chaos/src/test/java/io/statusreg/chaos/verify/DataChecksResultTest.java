package io.statusreg.chaos.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataChecksResultTest {
  private static DataChecks.Result result(
      long acked, long found, boolean converged, long duplicates, List<String> errors) {
    return new DataChecks.Result(
        acked,
        found,
        0,
        10,
        0,
        0,
        List.of(),
        4,
        Duration.ofSeconds(1),
        converged,
        acked,
        acked,
        duplicates,
        List.of(),
        0,
        List.of(),
        acked,
        0,
        errors);
  }

  @Test
  void theSummaryCountsAreKnownOnlyWhenTheChecksCouldEstablishThem() {
    DataChecks.Result clean = result(40, 40, true, 0, List.of());
    assertThat(clean.noneLost()).isTrue();
    assertThat(clean.lostOrUnknown()).isZero();
    assertThat(clean.doubledOrUnknown()).isZero();

    DataChecks.Result lostTwo = result(40, 38, true, 1, List.of());
    assertThat(lostTwo.lostOrUnknown()).isEqualTo(2);
    assertThat(lostTwo.doubledOrUnknown()).isEqualTo(1);

    // nothing counted as lost, but the loss check fails: the line must not say lost=0
    DataChecks.Result unconverged = result(40, 40, false, 0, List.of());
    assertThat(unconverged.noneLost()).isFalse();
    assertThat(unconverged.lostOrUnknown()).isEqualTo(-1);

    DataChecks.Result unreadable = result(40, 40, true, 0, List.of("reading the log: timeout"));
    assertThat(unreadable.noneLost()).isFalse();
    assertThat(unreadable.lostOrUnknown()).isEqualTo(-1);
    assertThat(unreadable.doubledOrUnknown()).isEqualTo(-1);
  }
}
