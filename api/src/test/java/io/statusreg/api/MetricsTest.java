package io.statusreg.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.api.metrics.ApiMetrics;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MetricsTest {
  @Test
  void streamsStateAndRebalancesSurviveGarbageCollection() {
    ApiMetrics metrics = new ApiMetrics(Clock.systemUTC());
    AtomicReference<String> state = new AtomicReference<>("RUNNING");
    AtomicLong rebalances = new AtomicLong(3);
    metrics.bindStreams(state::get, rebalances::get, new String[] {"RUNNING", "REBALANCING"});
    metrics.bindReadiness(() -> true);
    System.gc();
    String text = metrics.scrape();
    assertThat(text)
        .contains("statusreg_streams_state{state=\"RUNNING\"} 1.0")
        .contains("statusreg_streams_state{state=\"REBALANCING\"} 0.0")
        .contains("statusreg_streams_rebalances_total 3.0")
        .contains("statusreg_api_ready 1.0");
    metrics.close();
  }
}
