package io.statusreg.bench.scale;

import io.statusreg.bench.BenchContext;
import io.statusreg.bench.harness.Metrics;
import io.statusreg.bench.harness.ProcStats;
import io.statusreg.bench.harness.RegistryClient;
import io.statusreg.bench.harness.RegistryServer;
import io.statusreg.bench.harness.Seeding;
import io.statusreg.bench.results.Part;
import io.statusreg.bench.results.PartRecorder;
import io.statusreg.bench.results.Series;
import io.statusreg.bench.stats.Percentiles;
import io.statusreg.bench.stats.Samples;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 100 lists of 1M entries and one of 10M on one dev server: its memory (RSS, heap) and the size of
 * its RocksDB state and Kafka logs on disk; the time to re-publish the 10M list after a change; the
 * time for a new instance with an empty state folder to be ready and to serve the 10M list.
 */
public final class ScaleBench {
  private static final Logger log = LoggerFactory.getLogger(ScaleBench.class);
  static final String NAME = "scale";
  static final int PUBLISH_INTERVAL_MS = 100;

  private ScaleBench() {}

  public static Part run(BenchContext ctx) throws Exception {
    PartRecorder rec = new PartRecorder(NAME, ctx.commandLine());
    int lists = ctx.quick() ? 10 : 100;
    long listSize = 1_000_000;
    long bigSize = ctx.quick() ? 2_000_000 : 10_000_000;
    int perList = 200; // changes per 1M list: touches most of its 31 pages
    int big = ctx.quick() ? 2_000 : 10_000;
    Path work = ctx.scratch(NAME);
    Path data = work.resolve("data");
    Map<String, String> settings = new HashMap<>(Seeding.serverSettings());
    settings.put("publish.interval.ms", Integer.toString(PUBLISH_INTERVAL_MS));
    try (RegistryServer server = RegistryServer.dev(data, "1g", settings)) {
      server.awaitReady(Duration.ofMinutes(3));
      String how = ctx.commandLine() + "  (server: " + server.commandLine() + ")";
      RegistryClient client = new RegistryClient(server.baseUrl(), server.devToken());
      long rssEmpty = ProcStats.rssBytes(server.pid());
      rec.figure(
          "rss_empty_bytes",
          "server RSS before any list (broker + Streams + HTTP, one JVM)",
          rssEmpty,
          "bytes",
          how);

      // The lists, 4 at a time; the big one first, one bulk request at a time.
      long t0 = System.nanoTime();
      java.util.concurrent.atomic.AtomicInteger unavailable =
          new java.util.concurrent.atomic.AtomicInteger();
      String bigList = client.createList(1, bigSize);
      long[] bigIdx = Seeding.allocate(client, bigList, big + 20);
      unavailable.addAndGet(
          Seeding.setAll(client, bigList, java.util.Arrays.copyOf(bigIdx, big), "INVALID", 1));
      List<String> names = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
        List<Future<String>> fs = new ArrayList<>();
        for (int i = 0; i < lists; i++) {
          fs.add(
              pool.submit(
                  () -> {
                    String l = client.createList(1, listSize);
                    long[] idx = Seeding.allocate(client, l, perList);
                    unavailable.addAndGet(Seeding.setAll(client, l, idx, "INVALID", 1));
                    return l;
                  }));
        }
        for (Future<String> f : fs) {
          names.add(f.get());
        }
      }
      Seeding.awaitPublished(client, bigList, big, Duration.ofMinutes(3));
      for (String l : names) {
        Seeding.awaitPublished(client, l, perList, Duration.ofMinutes(2));
      }
      double loadSeconds = (System.nanoTime() - t0) / 1e9;
      rec.figure(
          "load_seconds",
          lists
              + " lists of "
              + listSize
              + " ("
              + perList
              + " revoked each) and one of "
              + bigSize
              + " ("
              + big
              + " revoked), created, seeded"
              + " and all published",
          loadSeconds,
          "s",
          how);
      rec.figure(
          "seeding_503",
          "bulk requests answered 503 (registry did not answer within"
              + " the command timeout) while seeding, each retried",
          unavailable.get(),
          "requests",
          how);
      if (unavailable.get() > 0) {
        rec.note(
            unavailable.get()
                + " bulk requests were answered 503 while seeding with"
                + " publish.interval.ms="
                + PUBLISH_INTERVAL_MS
                + " (the 10M list re-published on"
                + " every tick while it kept changing); each was retried");
      }

      // Re-publication of the big list after one change, several times.
      Samples republish = new Samples(100);
      Samples sentToVisible = new Samples(100);
      int tries = ctx.quick() ? 3 : 10;
      for (int i = 0; i < tries; i++) {
        long idx = bigIdx[big + i];
        long sent = System.nanoTime();
        int code = client.put(bigList, idx, "INVALID");
        long ack = System.nanoTime();
        if (code != 202) {
          rec.note("a PUT on the big list answered " + code);
          continue;
        }
        long deadline = ack + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
          RegistryClient.Token t = client.fetch(bigList, null);
          if (t != null && t.list().get(idx) != 0) {
            republish.add((System.nanoTime() - ack) / 1_000_000);
            sentToVisible.add((System.nanoTime() - sent) / 1_000_000);
            break;
          }
          RegistryServer.sleep(5);
        }
        RegistryServer.sleep(300);
      }
      Percentiles rp = republish.percentiles();
      rec.figure(
          "big.republish_p50_ms",
          bigSize
              + "-entry list: change ack to a fetch showing it,"
              + " p50 (publish.interval.ms="
              + PUBLISH_INTERVAL_MS
              + ")",
          rp.at(50),
          "ms",
          how,
          republish.size()
              + " changes; includes up to one publish interval of waiting and the"
              + " poll (every ~5 ms plus the fetch and decode of the token)");
      rec.figure(
          "big.republish_max_ms",
          bigSize + "-entry list: change ack to visible, max",
          rp.max(),
          "ms",
          how);
      Percentiles sv = sentToVisible.percentiles();
      rec.figure(
          "big.sent_to_visible_p50_ms",
          bigSize + "-entry list: PUT sent to visible, p50",
          sv.at(50),
          "ms",
          how,
          "includes the PUT's own latency (command, EOS commit, reply)");
      rec.figure(
          "big.sent_to_visible_max_ms",
          bigSize + "-entry list: PUT sent to visible, max",
          sv.max(),
          "ms",
          how);
      RegistryClient.Token bigToken = client.fetch(bigList, null);
      rec.figure(
          "big.token_bytes",
          bigSize + "-entry list token size (JWT)",
          bigToken == null ? Double.NaN : bigToken.body().length,
          "bytes",
          "");

      // Memory and disk, after a GC-independent settle.
      RegistryServer.sleep(2000);
      long rss = ProcStats.rssBytes(server.pid());
      rec.figure(
          "rss_bytes",
          "server RSS with every list loaded",
          rss,
          "bytes",
          how,
          "VmRSS from /proc/"
              + server.pid()
              + "/status; peak (VmHWM) "
              + ProcStats.peakRssBytes(server.pid()));
      String metrics = Metrics.scrape(server.baseUrl());
      rec.figure(
          "heap_used_bytes",
          "server JVM heap used (jvm_memory_used_bytes, area=heap)",
          Metrics.sum(metrics, "jvm_memory_used_bytes", "area=\"heap\""),
          "bytes",
          "GET " + server.baseUrl() + "/metrics");
      rec.figure(
          "nonheap_used_bytes",
          "server JVM non-heap used",
          Metrics.sum(metrics, "jvm_memory_used_bytes", "area=\"nonheap\""),
          "bytes",
          "GET " + server.baseUrl() + "/metrics");
      rec.figure(
          "rocksdb_disk_bytes",
          "RocksDB state on disk (state.dir)",
          ProcStats.diskBytes(data.resolve("streams")),
          "bytes",
          "du " + data.resolve("streams"));
      rec.figure(
          "kafka_disk_bytes",
          "Kafka logs on disk (topics, changelogs)",
          ProcStats.diskBytes(data.resolve("kafka")),
          "bytes",
          "du " + data.resolve("kafka"));

      // A new instance from an empty disk, joining the same application on the same broker.
      String bootstrap = server.kafkaBootstrap().orElse(null);
      if (bootstrap == null) {
        rec.missing("the dev server printed no broker address: new-instance time not measured");
      } else {
        Path state2 = work.resolve("instance-2-state");
        try (RegistryServer second =
            RegistryServer.serve(data, state2, bootstrap, "bench-2", "1g")) {
          Duration ready = second.awaitReady(Duration.ofMinutes(4));
          rec.figure(
              "new_instance.ready_ms",
              "new instance (empty state.dir) start to ready",
              ready.toMillis(),
              "ms",
              second.commandLine());
          long served = awaitServed(second.baseUrl(), bigList, Duration.ofMinutes(2));
          rec.figure(
              "new_instance.serves_big_ms",
              "new instance start to serving the " + bigSize + "-entry list",
              served < 0 ? Double.NaN : ready.toMillis() + served,
              "ms",
              second.commandLine());
          rec.figure(
              "new_instance.rss_bytes",
              "new instance RSS once ready",
              ProcStats.rssBytes(second.pid()),
              "bytes",
              second.commandLine());
          rec.figure(
              "new_instance.rocksdb_disk_bytes",
              "new instance state.dir after start",
              ProcStats.diskBytes(state2),
              "bytes",
              "du " + state2);
        } catch (RuntimeException e) {
          log.warn("new instance", e);
          rec.missing(
              "new instance did not become ready: "
                  + e.getMessage().lines().findFirst().orElse(""));
        }
      }
      rec.series(
          new Series(
              "scale-republish",
              NAME,
              bigSize
                  + "-entry list: change ack to"
                  + " visible (publish.interval.ms="
                  + PUBLISH_INTERVAL_MS
                  + ")",
              Series.PERCENTILES,
              "percentile",
              "ms",
              List.of(new Series.Line("re-publish", points(rp)))));
    }
    return rec.write(ctx.partFile(NAME), Part.OK);
  }

  static List<Series.Point> points(Percentiles p) {
    List<Series.Point> pts = new ArrayList<>();
    for (double q : new double[] {0, 10, 25, 50, 75, 90, 100}) {
      pts.add(new Series.Point(q, p.at(q)));
    }
    return pts;
  }

  /** Milliseconds from now until {@code list}'s token is served by {@code base}, or -1. */
  private static long awaitServed(String base, String list, Duration timeout) {
    HttpClient http = HttpClient.newHttpClient();
    long t0 = System.nanoTime();
    while (System.nanoTime() - t0 < timeout.toNanos()) {
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(base + RegistryClient.tokenPath(list)))
                    .header("Accept", "application/statuslist+jwt")
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return (System.nanoTime() - t0) / 1_000_000;
        }
      } catch (Exception e) {
        // not yet
      }
      RegistryServer.sleep(50);
    }
    return -1;
  }
}
