package io.statusreg.bench.writes;

import io.statusreg.bench.BenchContext;
import io.statusreg.bench.harness.Commands;
import io.statusreg.bench.harness.ProcStats;
import io.statusreg.bench.harness.ProducerPerf;
import io.statusreg.bench.harness.RegistryClient;
import io.statusreg.bench.harness.RegistryServer;
import io.statusreg.bench.harness.Seeding;
import io.statusreg.bench.harness.Wrk;
import io.statusreg.bench.results.Part;
import io.statusreg.bench.results.PartRecorder;
import io.statusreg.bench.results.Series;
import io.statusreg.bench.stats.Percentiles;
import io.statusreg.registry.Actor;
import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.EventCodec;
import io.statusreg.registry.events.StatusChanged;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Status changes per second accepted through the HTTP API (single PUTs and bulk POSTs), beside the
 * rate of Kafka's own producer performance tool writing the same event payloads (one {@code
 * StatusChanged} record per change, acks=all, idempotent) to the same broker.
 */
public final class WritesBench {
  private static final Logger log = LoggerFactory.getLogger(WritesBench.class);
  static final String NAME = "writes";
  static final int SINGLE_WORKERS = 64;
  static final int BULK_WORKERS = 4;
  static final int BULK_BATCH = 1_000;
  static final String RAW_TOPIC = "bench.raw-events";
  static final int ALLOC_WORKERS = 4;
  static final int ALLOC_BATCH = 50;
  // Warm-ups, not recorded: long enough for the JIT to finish with the server's command path
  // (after 2 s the server still spent 1.6 cores compiling during the measured single PUTs: 16.7 ms
  // of CPU per change cold against 2.7 ms warm, bench/results/2026-12-02-ack).
  static final Duration SINGLE_WARM_UP = Duration.ofSeconds(10);
  static final Duration BULK_WARM_UP = Duration.ofSeconds(4);
  static final Duration ALLOC_WARM_UP = Duration.ofSeconds(3);

  private WritesBench() {}

  public static Part run(BenchContext ctx) throws Exception {
    PartRecorder rec = new PartRecorder(NAME, ctx.commandLine());
    Path work = ctx.scratch(NAME);
    try (RegistryServer server =
        RegistryServer.dev(work.resolve("data"), "1g", Seeding.serverSettings())) {
      server.awaitReady(Duration.ofMinutes(3));
      String bootstrap =
          server.kafkaBootstrap().orElseThrow(() -> new IllegalStateException("no broker address"));
      RegistryClient client = new RegistryClient(server.baseUrl(), server.devToken());
      String list = client.createList(2, 1L << 20);
      int singleSlice = 16;
      long[] single = Seeding.allocate(client, list, (long) SINGLE_WORKERS * singleSlice);
      long[] bulk = Seeding.allocate(client, list, (long) BULK_WORKERS * BULK_BATCH);
      String how = ctx.commandLine() + "  (server: " + server.commandLine() + ")";

      WriteLoad.run(client, list, single, SINGLE_WORKERS, 1, SINGLE_WARM_UP, 200_000);
      WriteLoad.run(client, list, bulk, BULK_WORKERS, BULK_BATCH, BULK_WARM_UP, 400);

      // Single PUTs, twice: from wrk (one C thread) and from this JVM's HttpClient (64 virtual
      // threads, which took a large share of the machine's two cores from the server beside it).
      // The wrk figures are the ones named writes.single.* when wrk is
      // installed; the JVM's are writes.single_java.* then.
      boolean wrk = Commands.onPath("wrk");
      String javaKey = wrk ? "single_java" : "single";
      long cpu0 = ProcStats.cpuMillis(server.pid());
      WriteLoad.Outcome s =
          WriteLoad.run(client, list, single, SINGLE_WORKERS, 1, ctx.duration(), 2_000_000);
      long cpuJ = ProcStats.cpuMillis(server.pid());
      outcome(rec, javaKey, "single PUT, " + SINGLE_WORKERS + " concurrent (JVM client)", s, how);
      cpuPerChange(rec, javaKey, "single PUT (JVM client)", cpuJ - cpu0, s.acceptedChanges(), how);
      double singleRate = s.rate();
      if (wrk) {
        singleRate = wrkSingles(rec, work, server, list, single, ctx.duration());
      } else {
        rec.note("wrk is not installed: writes.single.* are from the JVM client");
      }
      long cpu1 = ProcStats.cpuMillis(server.pid());
      WriteLoad.Outcome b =
          WriteLoad.run(client, list, bulk, BULK_WORKERS, BULK_BATCH, ctx.duration(), 200_000);
      long cpu2 = ProcStats.cpuMillis(server.pid());
      outcome(
          rec, "bulk", "bulk POST of " + BULK_BATCH + ", " + BULK_WORKERS + " concurrent", b, how);
      cpuPerChange(rec, "bulk", "bulk POST", cpu2 - cpu1, b.acceptedChanges(), how);
      String allocList = client.createList(2, 1L << 26);
      allocations(client, allocList, ALLOC_WARM_UP);
      long cpu3 = ProcStats.cpuMillis(server.pid());
      Alloc a = allocations(client, allocList, ctx.duration());
      long cpu4 = ProcStats.cpuMillis(server.pid());
      cpuPerChange(rec, "alloc", "bulk allocation", cpu4 - cpu3, a.indexes(), how);
      rec.figure(
          "alloc.indexes_per_s",
          "bulk allocation (batch issuance), POST allocations count="
              + ALLOC_BATCH
              + ", "
              + ALLOC_WORKERS
              + " concurrent: indexes handed out per second",
          a.indexesPerSecond(),
          "indexes/s",
          how,
          a.requests() + " requests answered 201, " + a.failures() + " failed");
      rec.series(
          new Series(
              "writes-over-time",
              NAME,
              "status changes accepted per second (HTTP API)",
              Series.LINE,
              "second",
              "changes/s",
              List.of(perSecond("single PUT", s), perSecond("bulk POST", b))));

      // The yardstick: Kafka's producer tool, same broker, same payloads, one record per change.
      Path payloads = work.resolve("status-changed-payloads.txt");
      writePayloads(payloads, list, bulk);
      ProducerPerf.createTopic(bootstrap, RAW_TOPIC, 12);
      long records = ctx.quick() ? 50_000 : 200_000;
      ProducerPerf.Result raw =
          ProducerPerf.run(
              work, "raw", bootstrap, RAW_TOPIC, records, payloads, Duration.ofMinutes(5));
      rec.figure(
          "raw.records_per_s",
          "Kafka ProducerPerformance, payloads of the registry's StatusChanged record size, acks=all"
              + " idempotent linger.ms=1",
          raw.recordsPerSecond(),
          "records/s",
          raw.command(),
          raw.records()
              + " records, p99 "
              + raw.p99Ms()
              + " ms; payload "
              + payloadBytes(payloads)
              + " bytes avg");
      rec.figure(
          "raw.p99_ms",
          "Kafka ProducerPerformance p99 send latency",
          raw.p99Ms(),
          "ms",
          raw.command());
      rec.figure(
          "bulk.ratio",
          "bulk changes/s through the API / raw producer records/s",
          b.rate() / raw.recordsPerSecond(),
          "ratio",
          how + "  vs  " + raw.command());
      rec.figure(
          "alloc.ratio",
          "allocated indexes/s through the API / raw producer records/s",
          a.indexesPerSecond() / raw.recordsPerSecond(),
          "ratio",
          how + "  vs  " + raw.command());
      rec.figure(
          "single.ratio",
          "single-PUT changes/s through the API / raw producer records/s",
          singleRate / raw.recordsPerSecond(),
          "ratio",
          how + "  vs  " + raw.command());
      rec.note(
          "The API path per request: one command record to statusreg.commands, the Streams task"
              + " deciding it and writing the events, changelog and reply in its exactly_once_v2"
              + " transaction, and the reply read back (once decided, before the commit) for the"
              + " 202; the raw producer writes one event record per change and nothing else.");
    }
    return rec.write(ctx.partFile(NAME), Part.OK);
  }

  record Alloc(long indexes, long requests, long failures, double seconds) {
    double indexesPerSecond() {
      return seconds > 0 ? indexes / seconds : 0;
    }
  }

  /** {@link #ALLOC_WORKERS} threads allocating {@link #ALLOC_BATCH} indexes a request. */
  static Alloc allocations(RegistryClient client, String list, Duration duration)
      throws InterruptedException {
    java.util.concurrent.atomic.AtomicLong indexes = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();
    long t0 = System.nanoTime();
    long end = t0 + duration.toNanos();
    List<Thread> threads = new java.util.ArrayList<>();
    for (int w = 0; w < ALLOC_WORKERS; w++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (System.nanoTime() < end) {
                      try {
                        indexes.addAndGet(client.allocate(list, ALLOC_BATCH).length);
                        requests.incrementAndGet();
                      } catch (java.io.IOException | RuntimeException e) {
                        failures.incrementAndGet();
                      }
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    return new Alloc(indexes.get(), requests.get(), failures.get(), (System.nanoTime() - t0) / 1e9);
  }

  /**
   * Single PUTs from wrk, 64 connections, over the same indexes: an unrecorded warm-up, then the
   * measured run. Records writes.single.* and returns the changes per second.
   */
  private static double wrkSingles(
      PartRecorder rec,
      Path work,
      RegistryServer server,
      String list,
      long[] indexes,
      Duration duration) {
    String prefix = "/issuers/" + RegistryClient.ISSUER + "/lists/" + list + "/entries/";
    String auth = "Bearer " + server.devToken();
    Wrk.runPuts(
        work,
        "single-warm",
        server.baseUrl(),
        prefix,
        indexes,
        auth,
        SINGLE_WORKERS,
        SINGLE_WARM_UP);
    long c0 = ProcStats.cpuMillis(server.pid());
    Wrk.Result r =
        Wrk.runPuts(
            work, "single", server.baseUrl(), prefix, indexes, auth, SINGLE_WORKERS, duration);
    long c1 = ProcStats.cpuMillis(server.pid());
    double rate = r.changed() / r.seconds();
    String what = "single PUT, " + SINGLE_WORKERS + " in flight (wrk)";
    log.info("{}: {} changes/s, {} failed requests", what, rate, r.errors() + r.non2xx());
    rec.figure(
        "single.changes_per_s",
        what + ": entries changed (202 naming an event) per second",
        rate,
        "changes/s",
        r.command(),
        r.requests()
            + " requests, "
            + r.changed()
            + " changed an entry, "
            + (r.errors() + r.non2xx())
            + " failed (socket errors or not 2xx), in "
            + String.format(Locale.ROOT, "%.1f", r.seconds())
            + " s");
    rec.figure(
        "single.p50_ms", what + ": request latency p50", r.p50Us() / 1000, "ms", r.command());
    rec.figure(
        "single.p99_ms", what + ": request latency p99", r.p99Us() / 1000, "ms", r.command());
    if (r.errors() + r.non2xx() > 0) {
      rec.note(what + ": " + (r.errors() + r.non2xx()) + " requests failed");
    }
    cpuPerChange(rec, "single", what, c1 - c0, r.changed(), r.command());
    return rate;
  }

  private static void outcome(
      PartRecorder rec, String key, String what, WriteLoad.Outcome o, String how) {
    Percentiles p = o.latencyUs().percentiles();
    log.info("{}: {} changes/s, {} failed requests", what, o.rate(), o.failedRequests());
    rec.figure(
        key + ".changes_per_s",
        what + ": changes accepted (202) per second",
        o.rate(),
        "changes/s",
        how,
        o.acceptedRequests()
            + " requests accepted, "
            + o.failedRequests()
            + " failed, in "
            + String.format(Locale.ROOT, "%.1f", o.seconds())
            + " s");
    rec.figure(key + ".p50_ms", what + ": request latency p50", p.at(50) / 1000, "ms", how);
    rec.figure(key + ".p99_ms", what + ": request latency p99", p.at(99) / 1000, "ms", how);
    if (o.failedRequests() > 0) {
      rec.note(what + ": " + o.failedRequests() + " requests were not accepted");
    }
  }

  /**
   * The server process's CPU time (user + system, every thread: API, Streams, the in-process
   * broker, the background publication) over a load run, per change (or index) accepted in it. On a
   * busy machine the broker and the background work dominate it, so it is read beside the rate.
   */
  private static void cpuPerChange(
      PartRecorder rec, String key, String what, long cpuMillis, long changes, String how) {
    if (cpuMillis < 0 || changes <= 0) {
      rec.note(what + ": no CPU time per change (no /proc, or nothing accepted)");
      return;
    }
    rec.figure(
        key + ".cpu_us_per_change",
        what + ": server CPU time (all threads) per change accepted",
        cpuMillis * 1000.0 / changes,
        "us",
        how,
        cpuMillis + " ms of CPU for " + changes + " changes, /proc/<pid>/stat utime + stime");
  }

  private static Series.Line perSecond(String name, WriteLoad.Outcome o) {
    List<Series.Point> pts = new ArrayList<>();
    List<Long> per = o.perSecond();
    for (int i = 0; i < per.size(); i++) {
      pts.add(new Series.Point(i + 1, per.get(i)));
    }
    return new Series.Line(name, pts);
  }

  /**
   * One payload per line of the size of the StatusChanged records the registry writes to
   * statusreg.events (the binary form, {@code events.encoding}'s default): the event's binary
   * encoding written as URL-safe base64 and cut to the binary length, since the producer tool reads
   * payloads as newline-separated text.
   */
  static void writePayloads(Path file, String list, long[] indexes) throws java.io.IOException {
    StringBuilder out = new StringBuilder();
    ListId id = ListId.of(RegistryClient.ISSUER, list);
    for (int i = 0; i < Math.min(1000, indexes.length); i++) {
      StatusChanged e =
          new StatusChanged(
              EventId.random(),
              id,
              indexes[i],
              Status.VALID,
              Status.SUSPENDED,
              Reason.UNSPECIFIED,
              Actor.issuer("dev"),
              Instant.now());
      byte[] binary = EventCodec.encode(e, EventCodec.Format.BINARY);
      String text = Base64.getUrlEncoder().withoutPadding().encodeToString(binary);
      out.append(text, 0, binary.length).append('\n');
    }
    Files.writeString(file, out);
  }

  static long payloadBytes(Path file) throws java.io.IOException {
    List<String> lines = Files.readAllLines(file);
    return lines.isEmpty() ? 0 : lines.stream().mapToLong(String::length).sum() / lines.size();
  }
}
