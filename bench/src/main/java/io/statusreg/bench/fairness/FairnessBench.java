package io.statusreg.bench.fairness;

import io.statusreg.bench.BenchContext;
import io.statusreg.bench.freshness.FreshnessProbe;
import io.statusreg.bench.harness.Metrics;
import io.statusreg.bench.harness.RegistryClient;
import io.statusreg.bench.harness.RegistryServer;
import io.statusreg.bench.harness.Seeding;
import io.statusreg.bench.results.Part;
import io.statusreg.bench.results.PartRecorder;
import io.statusreg.bench.stats.Percentiles;
import io.statusreg.bench.stats.Samples;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether big lists hold up another list's freshness: four large 8-bit lists changed continuously
 * (bulk revocations) while a small list gets single changes at 20/s, {@code publish.interval.ms}
 * 250, one dev server. Figures: the small list's ack-to-visible p50/p99/max, and for the first
 * large list the time from a change's 202 to the first token showing it (a sparse probe: one change
 * every 2 s, decoded only while a change is pending), with the server's own publish timer.
 *
 * <p>Scale: {@code -Dstatusreg.bench.fairness.entries} (default 100,000,000) entries per large
 * list; {@code --quick} uses 10M.
 */
public final class FairnessBench {
  private static final Logger log = LoggerFactory.getLogger(FairnessBench.class);
  static final String NAME = "fairness";
  static final int BIG_LISTS = 4;
  static final int INTERVAL_MS = 250;
  static final double SMALL_RATE = 20;
  static final int BULK = 25; // changes per bulk request and large list, every 250 ms

  /**
   * Indexes per allocation request on an 8-bit list: each entry of the answer carries its 256 W3C
   * status messages, so 10,000 at once is a reply of hundreds of MB.
   */
  static final int ALLOCATE_CHUNK = 250;

  private FairnessBench() {}

  public static Part run(BenchContext ctx) throws Exception {
    long entries =
        Long.getLong("statusreg.bench.fairness.entries", ctx.quick() ? 10_000_000L : 100_000_000L);
    PartRecorder rec = new PartRecorder(NAME, ctx.commandLine());
    Path work = ctx.scratch(NAME);
    Map<String, String> settings = new HashMap<>(Seeding.serverSettings());
    settings.put("publish.interval.ms", Integer.toString(INTERVAL_MS));
    try (RegistryServer server = RegistryServer.dev(work.resolve("data"), "4g", settings)) {
      server.awaitReady(Duration.ofMinutes(3));
      RegistryClient client = new RegistryClient(server.baseUrl(), server.devToken());
      long seconds = ctx.duration().toSeconds();
      long perBig = (long) (seconds * (1000.0 / INTERVAL_MS) * BULK) + 2 * BULK;
      List<String> big = new ArrayList<>();
      List<long[]> bigIndexes = new ArrayList<>();
      for (int i = 0; i < BIG_LISTS; i++) {
        String l = client.createList(8, entries);
        big.add(l);
        bigIndexes.add(allocate(client, l, perBig + seconds));
        Seeding.awaitPublished(client, l, 0, Duration.ofMinutes(2));
      }
      String small = client.createList(1, 1L << 20);
      long[] smallIndexes =
          Seeding.allocate(client, small, (long) Math.ceil(SMALL_RATE * seconds) + 10);
      Seeding.awaitPublished(client, small, 0, Duration.ofMinutes(1));
      log.info(
          "fairness: {} lists of {} entries at 8 bits, small list {}", BIG_LISTS, entries, small);

      long end = System.nanoTime() + ctx.duration().toNanos();
      AtomicLong bigChanges = new AtomicLong();
      AtomicLong bigFailed = new AtomicLong();
      Samples bigVisible = new Samples(10_000);
      List<Thread> loaders = new ArrayList<>();
      for (int i = 0; i < BIG_LISTS; i++) {
        String list = big.get(i);
        long[] idx = bigIndexes.get(i);
        // the first list keeps one index in every 2 s for the sparse probe
        int probeSlots = i == 0 ? (int) seconds : 0;
        loaders.add(
            Thread.ofVirtual()
                .start(() -> load(client, list, idx, probeSlots, end, bigChanges, bigFailed)));
      }
      Thread bigProbe =
          Thread.ofPlatform()
              .name("fairness-big-probe")
              .start(
                  () -> probeBig(client, big.get(0), bigIndexes.get(0), seconds, end, bigVisible));
      FreshnessProbe.Outcome o =
          FreshnessProbe.run(
              client,
              small,
              smallIndexes,
              SMALL_RATE,
              ctx.duration(),
              Duration.ofSeconds(5),
              Duration.ofMillis(5));
      for (Thread t : loaders) {
        t.join();
      }
      bigProbe.join(30_000);
      String metrics = Metrics.scrape(server.baseUrl());

      String how = ctx.commandLine() + "  (server: " + server.commandLine() + ")";
      String what =
          BIG_LISTS
              + " lists of "
              + entries
              + " entries at 8 bits, "
              + BULK * 1000 / INTERVAL_MS
              + " changes/s each, publish.interval.ms="
              + INTERVAL_MS;
      Percentiles p = o.ackToVisibleMs().percentiles();
      rec.figure(
          "small.p50_ms", "small list ack to visible p50 beside " + what, p.at(50), "ms", how);
      rec.figure(
          "small.p99_ms", "small list ack to visible p99 beside " + what, p.at(99), "ms", how);
      rec.figure(
          "small.max_ms",
          "small list ack to visible max",
          p.max(),
          "ms",
          how,
          o.changes() + " changes, " + o.neverSeen() + " never seen, " + o.failed() + " failed");
      Percentiles b = bigVisible.percentiles();
      rec.figure("big.p50_ms", "large list ack to visible p50 (" + what + ")", b.at(50), "ms", how);
      rec.figure("big.max_ms", "large list ack to visible max", b.max(), "ms", how);
      rec.figure(
          "publish.p99_ms",
          "server publish timer p99 (every list)",
          1000 * Metrics.sum(metrics, "statusreg_publisher_publish_seconds", "quantile=\"0.99\""),
          "ms",
          how);
      rec.figure(
          "publish.max_ms",
          "server publish timer max (every list)",
          1000 * Metrics.sum(metrics, "statusreg_publisher_publish_seconds_max"),
          "ms",
          how);
      rec.figure(
          "lag.p99_ms",
          "server publication lag p99 (every list)",
          1000 * Metrics.sum(metrics, "statusreg_publication_lag_seconds", "quantile=\"0.99\""),
          "ms",
          how);
      rec.figure(
          "big.changes",
          "large-list changes accepted",
          bigChanges.get(),
          "changes",
          how,
          bigFailed.get() + " bulk requests not accepted");
      rec.figure(
          "publisher.failures",
          "publication failures",
          Metrics.sum(metrics, "statusreg_publisher_failures_total"),
          "failures",
          how);
      log.info(
          "fairness: small p50 {} p99 {} max {} ms; large ack->visible p50 {} max {} ms ({} samples)",
          p.at(50),
          p.at(99),
          p.max(),
          b.at(50),
          b.max(),
          bigVisible.size());
    }
    return rec.write(ctx.partFile(NAME), Part.OK);
  }

  private static long[] allocate(RegistryClient client, String list, long total)
      throws IOException {
    long[] out = new long[(int) total];
    int n = 0;
    while (n < total) {
      long[] got = client.allocate(list, (int) Math.min(ALLOCATE_CHUNK, total - n));
      System.arraycopy(got, 0, out, n, got.length);
      n += got.length;
    }
    return out;
  }

  /** Bulk revocations of {@code idx} (after the probe's first slots), every 250 ms, until end. */
  private static void load(
      RegistryClient client,
      String list,
      long[] idx,
      int skip,
      long end,
      AtomicLong accepted,
      AtomicLong failed) {
    int at = skip;
    while (System.nanoTime() < end && at + BULK <= idx.length) {
      long t0 = System.nanoTime();
      List<RegistryClient.Change> changes = new ArrayList<>(BULK);
      for (int k = 0; k < BULK; k++) {
        changes.add(new RegistryClient.Change(idx[at++], "INVALID"));
      }
      try {
        if (client.bulk(list, changes) == 202) {
          accepted.addAndGet(BULK);
        } else {
          failed.incrementAndGet();
        }
      } catch (IOException e) {
        failed.incrementAndGet();
      }
      long wait = INTERVAL_MS - (System.nanoTime() - t0) / 1_000_000;
      if (wait > 0) {
        RegistryServer.sleep(wait);
      }
    }
  }

  /**
   * One change every 2 s on a large list; after each 202, polls (If-None-Match, 20 ms) and decodes
   * each new token until it shows the change.
   */
  private static void probeBig(
      RegistryClient client, String list, long[] idx, long slots, long end, Samples visible) {
    String etag = null;
    for (int s = 0; s < slots && System.nanoTime() < end; s++) {
      long started = System.nanoTime();
      try {
        if (client.put(list, idx[s], "INVALID") != 202) {
          continue;
        }
        long acked = System.nanoTime();
        long deadline = acked + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
          RegistryClient.Token t = client.fetch(list, etag);
          if (t != null) {
            etag = t.etag();
            if (t.list().get(idx[s]) != 0) {
              visible.add((System.nanoTime() - acked) / 1_000_000);
              break;
            }
          }
          RegistryServer.sleep(20);
        }
      } catch (IOException e) {
        log.warn("large-list probe: {}", e.toString());
      }
      long wait = 2_000 - (System.nanoTime() - started) / 1_000_000;
      if (wait > 0) {
        RegistryServer.sleep(wait);
      }
    }
  }
}
