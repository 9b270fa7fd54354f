package io.statusreg.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.api.http.ReadDeadlines;
import io.statusreg.api.metrics.ApiMetrics;
import io.statusreg.api.metrics.MetricNames;
import io.statusreg.api.testing.FakeDirectory;
import io.statusreg.api.verifier.TokenCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every statusreg metric the process exports follows {@code statusreg_<component>_<thing>_<unit>},
 * and every metric the alert rules and the dashboard use is one the process exports.
 */
class MetricNamesTest {
  private static final Pattern SAMPLE = Pattern.compile("(?m)^(statusreg_[a-z_]+)[ {]");

  private static Set<String> exported() {
    ApiMetrics metrics = new ApiMetrics(Clock.systemUTC()).withJvm();
    metrics.bindStreams(() -> "RUNNING", () -> 0L, new String[] {"RUNNING", "ERROR"});
    metrics.bindStreamsHealth(() -> 0L, () -> 0.0);
    metrics.bindPeerRemovals(() -> 0L);
    metrics.bindReadiness(() -> true);
    metrics.bindTokenCache(new TokenCache(new FakeDirectory()));
    metrics.bindPublisher(
        new io.statusreg.streams.publication.PublisherMetrics(),
        new io.statusreg.streams.publication.SegmentCache(1 << 20));
    new ReadDeadlines(Duration.ofSeconds(1), Duration.ofSeconds(1), metrics.registry());
    metrics.request("/issuers/{issuer}/allocations", "POST", 201, 3f);
    metrics.statusChanges("accepted", 1);
    metrics.allocated(1);
    String text = metrics.scrape();
    metrics.close();
    Set<String> names = new TreeSet<>();
    Matcher m = SAMPLE.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  @Test
  void everyExportedNameFollowsTheRule() {
    Set<String> names = exported();
    assertThat(names)
        .contains(
            "statusreg_http_requests_seconds_count",
            "statusreg_http_connections_cut_total",
            "statusreg_tokens_cached_lists",
            "statusreg_tokens_earliest_expiry_seconds",
            "statusreg_streams_thread_failures_total",
            "statusreg_streams_consumer_lag_records",
            "statusreg_streams_peer_removals_total",
            "statusreg_publisher_published_lists_total",
            "statusreg_publisher_published_bytes_total",
            "statusreg_publisher_publish_seconds_count",
            "statusreg_publisher_failures_total",
            "statusreg_publisher_backoff_lists",
            "statusreg_publisher_segment_cache_bytes",
            "statusreg_publisher_segment_misses_total");
    for (String name : names) {
      assertThat(name).as("metric name").matches(MetricNames.RULE);
    }
  }

  @Test
  void theRuleRefusesANameWithoutAUnit() {
    assertThat("statusreg_tokens_cached").doesNotMatch(MetricNames.RULE);
    assertThat("statusreg_http_requests").doesNotMatch(MetricNames.RULE);
  }

  @Test
  void everyStatusregMetricOfTheAlertsAndTheDashboardIsExported() throws Exception {
    Set<String> exported = exported();
    exported.add("statusreg_analytics_sink_lag_records"); // the analytics sink's own process
    Path monitoring = Path.of("..", "ops", "monitoring");
    for (String file : List.of("alerts.yaml", "grafana-dashboard.json")) {
      String text = Files.readString(monitoring.resolve(file));
      Matcher m = Pattern.compile("statusreg_[a-z_]+").matcher(text);
      int found = 0;
      while (m.find()) {
        found++;
        assertThat(exported).as("%s uses %s", file, m.group()).contains(m.group());
      }
      assertThat(found).as("metrics used in %s", file).isGreaterThan(5);
    }
  }
}
