package io.statusreg.bench.reads;

import io.statusreg.bench.BenchContext;
import io.statusreg.bench.harness.Commands;
import io.statusreg.bench.harness.Nginx;
import io.statusreg.bench.harness.RegistryClient;
import io.statusreg.bench.harness.RegistryServer;
import io.statusreg.bench.harness.Seeding;
import io.statusreg.bench.harness.Wrk;
import io.statusreg.bench.results.Part;
import io.statusreg.bench.results.PartRecorder;
import io.statusreg.bench.results.Series;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifier fetch throughput and latency of a small (~2 KB) and a large (~150 KB) token at N
 * connections, against a statusreg dev server and, in the same run, nginx serving the very same
 * bytes from files. The two are measured alternately, several rounds, and compared round by round,
 * so that the noise of a shared machine hits both sides alike.
 */
public final class ReadsBench {
  private static final Logger log = LoggerFactory.getLogger(ReadsBench.class);
  static final String NAME = "reads";
  static final String ACCEPT = "application/statuslist+jwt";
  static final int LEVEL = 6;

  /** A token to fetch: its label, list size and target size in bytes. */
  record Shape(String label, long size, long targetBytes) {}

  private ReadsBench() {}

  public static Part run(BenchContext ctx) throws Exception {
    PartRecorder rec = new PartRecorder(NAME, ctx.commandLine());
    if (!Commands.onPath("wrk") || !Commands.onPath("nginx")) {
      rec.missing(
          "wrk or nginx is not installed (the bench script installs them with apt-get);"
              + " reads not measured");
      return rec.write(ctx.partFile(NAME), Part.SKIPPED);
    }
    List<Shape> shapes =
        List.of(
            new Shape("small", 1L << 20, 2_000),
            new Shape("large", ctx.quick() ? 1L << 20 : 2L << 20, ctx.quick() ? 20_000 : 150_000));
    Path work = ctx.scratch(NAME);
    Map<String, byte[]> bodies = new LinkedHashMap<>();
    Map<String, String> lists = new LinkedHashMap<>();
    try (RegistryServer server =
        RegistryServer.dev(work.resolve("data"), "1g", Seeding.serverSettings())) {
      Duration ready = server.awaitReady(Duration.ofMinutes(3));
      rec.figure(
          "server.start_to_ready_ms",
          "dev server start to ready (broker + topology + HTTP)",
          ready.toMillis(),
          "ms",
          server.commandLine());
      RegistryClient client = new RegistryClient(server.baseUrl(), server.devToken());
      for (Shape s : shapes) {
        // The JWT payload is base64url of JSON claims holding lst (itself base64url): lst grows
        // by 4/3 again, plus ~400 bytes of header, other claims and signature.
        long lstTarget = Math.max(100, (s.targetBytes() - 400) * 3 / 4);
        long set = TokenPlanner.entriesFor(s.size(), lstTarget, LEVEL);
        String list = client.createList(1, s.size());
        long[] idx = Seeding.allocate(client, list, set);
        Seeding.setAll(client, list, idx, "INVALID");
        RegistryClient.Token t = Seeding.awaitPublished(client, list, set, Duration.ofMinutes(2));
        log.info(
            "{} token: list {} of {} entries, {} set, {} bytes",
            s.label(),
            list,
            s.size(),
            set,
            t.body().length);
        bodies.put(s.label(), t.body());
        lists.put(s.label(), list);
        rec.figure(
            s.label() + ".token_bytes",
            s.label() + " token size (JWT, " + s.size() + " entries, " + set + " set)",
            t.body().length,
            "bytes",
            "");
      }
      Map<String, byte[]> files = new LinkedHashMap<>();
      bodies.forEach((label, body) -> files.put(label + ".jwt", body));
      Path nginxDir = ctx.resultsDir().resolve("nginx");
      int cores = Runtime.getRuntime().availableProcessors();
      try (Nginx nginx = Nginx.start(nginxDir, files, cores, ACCEPT)) {
        rec.note(
            "nginx: "
                + cores
                + " worker processes, config in nginx/nginx.conf; command: "
                + nginx.commandLine());
        measure(ctx, rec, work, server, nginx, lists);
      }
      rec.note("server log: " + work.resolve("data-server.log") + " (not kept)");
    }
    return rec.write(ctx.partFile(NAME), Part.OK);
  }

  private static void measure(
      BenchContext ctx,
      PartRecorder rec,
      Path work,
      RegistryServer server,
      Nginx nginx,
      Map<String, String> lists) {
    int threads =
        Math.max(1, Math.min(ctx.connections(), Runtime.getRuntime().availableProcessors()));
    Map<String, List<Double>> ratios = new LinkedHashMap<>();
    Map<String, Wrk.Result[]> last = new LinkedHashMap<>();
    List<Series.Line> ratioLines = new ArrayList<>();
    for (String label : lists.keySet()) {
      String ours = server.baseUrl() + RegistryClient.tokenPath(lists.get(label));
      String theirs = nginx.url(label + ".jwt");
      // Warm both (JIT, connections) before measuring.
      Wrk.run(
          work,
          label + "-warm-statusreg",
          ours,
          ACCEPT,
          threads,
          ctx.connections(),
          Duration.ofSeconds(ctx.quick() ? 1 : 3));
      Wrk.run(
          work,
          label + "-warm-nginx",
          theirs,
          ACCEPT,
          threads,
          ctx.connections(),
          Duration.ofSeconds(1));
      List<Double> rs = new ArrayList<>();
      List<Series.Point> pts = new ArrayList<>();
      for (int r = 1; r <= ctx.rounds(); r++) {
        boolean oursFirst = r % 2 == 1;
        Wrk.Result a;
        Wrk.Result b;
        if (oursFirst) {
          a =
              Wrk.run(
                  work,
                  label + "-r" + r + "-statusreg",
                  ours,
                  ACCEPT,
                  threads,
                  ctx.connections(),
                  ctx.duration());
          b =
              Wrk.run(
                  work,
                  label + "-r" + r + "-nginx",
                  theirs,
                  ACCEPT,
                  threads,
                  ctx.connections(),
                  ctx.duration());
        } else {
          b =
              Wrk.run(
                  work,
                  label + "-r" + r + "-nginx",
                  theirs,
                  ACCEPT,
                  threads,
                  ctx.connections(),
                  ctx.duration());
          a =
              Wrk.run(
                  work,
                  label + "-r" + r + "-statusreg",
                  ours,
                  ACCEPT,
                  threads,
                  ctx.connections(),
                  ctx.duration());
        }
        record(rec, label, "r" + r + ".statusreg", "statusreg, round " + r, a);
        record(rec, label, "r" + r + ".nginx", "nginx, round " + r, b);
        double ratio = a.requestsPerSecond() / b.requestsPerSecond();
        rec.figure(
            label + ".r" + r + ".ratio",
            label + " token: statusreg rate / nginx rate, round " + r,
            ratio,
            "ratio",
            a.command() + "  vs  " + b.command());
        rs.add(ratio);
        pts.add(new Series.Point(r, ratio));
        last.put(label, new Wrk.Result[] {a, b});
        if (a.non2xx() > 0 || a.errors() > 0) {
          rec.note(
              label
                  + " round "
                  + r
                  + ": statusreg had "
                  + a.non2xx()
                  + " non-2xx and "
                  + a.errors()
                  + " socket errors");
        }
      }
      ratios.put(label, rs);
      ratioLines.add(new Series.Line(label, pts));
      double med = median(rs);
      rec.figure(
          label + ".ratio",
          label + " token: statusreg / nginx fetch rate (median of " + rs.size() + " rounds)",
          med,
          "ratio",
          ctx.commandLine());
      summary(rec, label, "statusreg", ctx.rounds());
      summary(rec, label, "nginx", ctx.rounds());
      Wrk.Result[] pair = last.get(label);
      rec.series(
          new Series(
              "reads-latency-" + label,
              NAME,
              label
                  + " token ("
                  + pair[0].bytes() / Math.max(1, pair[0].requests())
                  + " B/response), "
                  + ctx.connections()
                  + " connections: latency by percentile (last round)",
              Series.PERCENTILES,
              "percentile",
              "latency (ms)",
              List.of(line("statusreg", pair[0]), line("nginx", pair[1]))));
    }
    rec.series(
        new Series(
            "reads-ratio-by-round",
            NAME,
            "statusreg / nginx fetch rate, by round",
            Series.LINE,
            "round",
            "ratio",
            ratioLines));
  }

  private static Series.Line line(String name, Wrk.Result r) {
    List<Series.Point> pts = new ArrayList<>();
    for (double[] p : r.percentilesUs()) {
      pts.add(new Series.Point(p[0], p[1] / 1000.0));
    }
    return new Series.Line(name, pts);
  }

  private static void record(PartRecorder rec, String label, String key, String who, Wrk.Result r) {
    rec.figure(
        label + "." + key + ".rps",
        label + " token, " + who + ": requests/s",
        r.requestsPerSecond(),
        "req/s",
        r.command());
    rec.figure(
        label + "." + key + ".p50_ms",
        label + " token, " + who + ": p50 latency",
        r.p50Us() / 1000.0,
        "ms",
        r.command());
    rec.figure(
        label + "." + key + ".p99_ms",
        label + " token, " + who + ": p99 latency",
        r.p99Us() / 1000.0,
        "ms",
        r.command());
  }

  /** Median rps and p99 over the rounds, from the figures already recorded. */
  private static void summary(PartRecorder rec, String label, String who, int rounds) {
    Part p = rec.finish(Part.OK);
    double[] rps = new double[rounds];
    double[] p50 = new double[rounds];
    double[] p99 = new double[rounds];
    for (int r = 1; r <= rounds; r++) {
      String base = NAME + "." + label + ".r" + r + "." + who + ".";
      rps[r - 1] = find(p, base + "rps");
      p50[r - 1] = find(p, base + "p50_ms");
      p99[r - 1] = find(p, base + "p99_ms");
    }
    rec.figure(
        label + "." + who + ".rps",
        label + " token, " + who + ": requests/s (median)",
        median(rps),
        "req/s",
        "");
    rec.figure(
        label + "." + who + ".p50_ms",
        label + " token, " + who + ": p50 latency (median)",
        median(p50),
        "ms",
        "");
    rec.figure(
        label + "." + who + ".p99_ms",
        label + " token, " + who + ": p99 latency (median)",
        median(p99),
        "ms",
        "");
  }

  private static double find(Part p, String id) {
    return p.figures().stream()
        .filter(f -> f.id().equals(id))
        .findFirst()
        .map(f -> f.value())
        .orElse(Double.NaN);
  }

  static double median(List<Double> values) {
    return median(values.stream().mapToDouble(Double::doubleValue).toArray());
  }

  static double median(double[] values) {
    return io.statusreg.bench.stats.Percentiles.of(values).median();
  }
}
