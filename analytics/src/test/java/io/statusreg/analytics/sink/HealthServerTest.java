package io.statusreg.analytics.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HealthServerTest {

  @Test
  void probesFollowTheSinkAndMetricsAreServed() throws Exception {
    AtomicBoolean ready = new AtomicBoolean(false);
    try (HealthServer server =
        HealthServer.start(
            0, () -> true, ready::get, () -> "statusreg_analytics_sink_lag_records 7\n")) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      URI base = URI.create("http://127.0.0.1:" + server.port());
      assertThat(get(http, base.resolve("/health/live")).statusCode()).isEqualTo(200);
      assertThat(get(http, base.resolve("/health/ready")).statusCode()).isEqualTo(503);
      ready.set(true);
      assertThat(get(http, base.resolve("/health/ready")).statusCode()).isEqualTo(200);
      HttpResponse<String> metrics = get(http, base.resolve("/metrics"));
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("statusreg_analytics_sink_lag_records 7");
    }
  }

  private static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
