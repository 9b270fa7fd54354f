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

  /**
   * The write acknowledgement alert takes a p99 with histogram_quantile: issuer writes (and only
   * they) land in a histogram with the fixed buckets of WRITE_ACK_BUCKETS and +Inf.
   */
  @Test
  void issuerWritesFillABoundedHistogramThatOtherRequestsLeaveAlone() {
    ApiMetrics metrics = new ApiMetrics(Clock.systemUTC());
    String put = "/issuers/{issuer}/lists/{list}/entries/{idx}";
    metrics.request(put, "PUT", 200, 1500f);
    metrics.request(put, "PUT", 200, 30f);
    metrics.request("/issuers/{issuer}/allocations", "POST", 201, 40_000f);
    metrics.request(put, "GET", 200, 2000f); // a read of an entry: no write
    metrics.request("/statuslists/{issuer}/{list}", "GET", 200, 2000f); // a verifier
    metrics.request("/issuers/{issuer}/secret/{x}", "POST", 404, 2000f); // no route: unmatched
    String text = metrics.scrape();
    metrics.close();

    String series =
        "statusreg_api_write_ack_seconds_bucket{route=\"" + put + "\",status=\"200\",le=";
    assertThat(text)
        .contains(series + "\"0.025\"} 0")
        .contains(series + "\"0.05\"} 1")
        .contains(series + "\"1.0\"} 1")
        .contains(series + "\"2.5\"} 2")
        .contains(series + "\"+Inf\"} 2")
        .contains(
            "statusreg_api_write_ack_seconds_bucket{route=\"/issuers/{issuer}/allocations\","
                + "status=\"201\",le=\"30.0\"} 0")
        .contains(
            "statusreg_api_write_ack_seconds_bucket{route=\"/issuers/{issuer}/allocations\","
                + "status=\"201\",le=\"+Inf\"} 1")
        .contains("statusreg_api_write_ack_seconds_count{route=\"" + put + "\",status=\"200\"} 2");
    long buckets = text.lines().filter(l -> l.startsWith(series)).count();
    assertThat(buckets).isEqualTo(ApiMetrics.WRITE_ACK_BUCKETS.size() + 1);
    assertThat(text.lines().filter(l -> l.startsWith("statusreg_api_write_ack_seconds_count")))
        .as("only the two write routes")
        .hasSize(2);
  }
}
