package io.statusreg.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.bench.reads.TokenPlanner;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParsersTest {

  @Test
  void wrkResultsAreReadFromTheScriptsJsonLine() throws Exception {
    String out =
        """
        Running 2s test @ http://127.0.0.1:1/x
          2 threads and 64 connections
        WRKJSON {"requests":1000,"duration_us":2000000,"bytes":2580000,"errors":{"connect":0,"read":1,"write":0,"status":3,"timeout":2},"latency_us":{"min":100,"max":9000,"mean":640.5,"percentiles":[[50,500],[99,4000],[100,9000]]}}
        """;
    Wrk.Result r = Wrk.parse(out, "wrk ...");
    assertThat(r.requestsPerSecond()).isEqualTo(500.0);
    assertThat(r.p50Us()).isEqualTo(500);
    assertThat(r.p99Us()).isEqualTo(4000);
    assertThat(r.errors()).isEqualTo(3);
    assertThat(r.non2xx()).isEqualTo(3);
    assertThat(r.percentilesUs()).hasSize(3);
  }

  @Test
  void theWrkScriptSetsTheAcceptHeader() {
    assertThat(Wrk.script("application/statuslist+jwt"))
        .contains("wrk.headers[\"Accept\"] = \"application/statuslist+jwt\"")
        .contains("latency:percentile(p)");
  }

  @Test
  void producerPerformanceSummaryIsTheLastLine() {
    String out =
        """
        49381 records sent, 9876.2 records/sec (2.15 MB/sec), 850.3 ms avg latency, 1400.0 ms max latency.
        100000 records sent, 10123.456789 records/sec (2.20 MB/sec), 812.34 ms avg latency, 1500.00 ms max latency, 790 ms 50th, 1300 ms 95th, 1450 ms 99th, 1490 ms 99.9th.
        """;
    ProducerPerf.Result r = ProducerPerf.parse(out, "cmd");
    assertThat(r.records()).isEqualTo(100_000);
    assertThat(r.recordsPerSecond()).isEqualTo(10123.456789);
    assertThat(r.p99Ms()).isEqualTo(1450);
  }

  @Test
  void prometheusSamplesAreSummedByLabel() {
    String text =
        """
        # HELP jvm_memory_used_bytes The amount of used memory
        jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.0E7
        jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 3.0E7
        jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 5.0E7
        jvm_memory_used_bytes_other 9
        """;
    assertThat(Metrics.sum(text, "jvm_memory_used_bytes", "area=\"heap\"")).isEqualTo(4.0E7);
    assertThat(Metrics.sum(text, "jvm_memory_max_bytes")).isNaN();
  }

  @Test
  void settingsBecomeStatusregEnvironmentVariables() {
    assertThat(RegistryServer.envOf(Map.of("publish.interval.ms", "250")))
        .containsEntry("STATUSREG_PUBLISH_INTERVAL_MS", "250");
  }

  @Test
  void renderedCommandsQuoteWhatAShellWouldSplit() {
    assertThat(Commands.render(List.of("wrk", "-c64", "http://127.0.0.1:8/a b")))
        .isEqualTo("wrk -c64 'http://127.0.0.1:8/a b'");
  }

  @Test
  void theNginxConfigIsPrivateToItsFolder() {
    String conf = Nginx.config(java.nio.file.Path.of("/r/nginx"), 8081, 2, "application/x", false);
    assertThat(conf)
        .contains("listen 127.0.0.1:8081;")
        .contains("pid /r/nginx/nginx.pid;")
        .contains("access_log off;")
        .contains("default_type application/x;");
  }

  @Test
  void moreSetEntriesMakeALargerToken() {
    long few = TokenPlanner.lstChars(1 << 16, 10, 6, 1);
    long many = TokenPlanner.lstChars(1 << 16, 5_000, 6, 1);
    assertThat(many).isGreaterThan(few);
    long set = TokenPlanner.entriesFor(1 << 16, 2_000, 6);
    assertThat(TokenPlanner.lstChars(1 << 16, set, 6, 1)).isGreaterThanOrEqualTo(2_000);
  }
}
