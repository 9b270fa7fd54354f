package io.statusreg.bench.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PercentilesTest {

  @Test
  void nearestRankPicksAnObservedValue() {
    Percentiles p = Percentiles.of(15, 20, 35, 40, 50);
    assertThat(p.at(5)).isEqualTo(15);
    assertThat(p.at(30)).isEqualTo(20);
    assertThat(p.at(40)).isEqualTo(20);
    assertThat(p.at(50)).isEqualTo(35);
    assertThat(p.at(100)).isEqualTo(50);
  }

  @Test
  void medianOfAnEvenSampleIsTheMeanOfTheMiddleTwo() {
    assertThat(Percentiles.of(4.0, 1.0, 3.0, 2.0).median()).isEqualTo(2.5);
    assertThat(Percentiles.of(5.0, 1.0, 3.0).median()).isEqualTo(3.0);
    assertThat(Percentiles.of(new double[0]).median()).isNaN();
  }

  @Test
  void zeroIsTheMinimumAndHundredTheMaximum() {
    Percentiles p = Percentiles.of(7L, 3L, 9L, 1L);
    assertThat(p.at(0)).isEqualTo(1);
    assertThat(p.min()).isEqualTo(1);
    assertThat(p.at(100)).isEqualTo(9);
    assertThat(p.max()).isEqualTo(9);
  }

  @Test
  void p99OfAHundredValuesIsTheNinetyNinth() {
    long[] v = new long[100];
    for (int i = 0; i < 100; i++) {
      v[i] = 100 - i; // unsorted on purpose: 100, 99, ..., 1
    }
    Percentiles p = Percentiles.of(v);
    assertThat(p.at(99)).isEqualTo(99);
    assertThat(p.at(50)).isEqualTo(50);
    assertThat(p.mean()).isEqualTo(50.5);
  }

  @Test
  void anEmptySampleHasNoPercentiles() {
    Percentiles p = Percentiles.of(new long[0]);
    assertThat(p.isEmpty()).isTrue();
    assertThat(p.at(50)).isNaN();
    assertThat(p.max()).isNaN();
  }

  @Test
  void aPercentileOutsideZeroToHundredIsRefused() {
    assertThatThrownBy(() -> Percentiles.of(1, 2).at(100.5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void samplesBeyondCapacityAreCountedAsDropped() {
    Samples s = new Samples(3);
    for (int i = 1; i <= 5; i++) {
      s.add(i);
    }
    assertThat(s.size()).isEqualTo(3);
    assertThat(s.dropped()).isEqualTo(2);
    assertThat(s.percentiles().max()).isEqualTo(3);
  }

  @Test
  void rateSeriesBucketsBySecondAndClampsTheLast() {
    RateSeries r = new RateSeries(0, 3);
    r.add(100_000_000L, 2);
    r.add(1_500_000_000L, 5);
    r.add(9_000_000_000L, 1); // past the end: counted in the last bucket
    assertThat(r.perSecond(3)).containsExactly(2L, 5L, 1L);
  }
}
