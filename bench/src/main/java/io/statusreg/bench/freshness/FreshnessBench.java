package io.statusreg.bench.freshness;

import io.statusreg.bench.BenchContext;
import io.statusreg.bench.harness.RegistryClient;
import io.statusreg.bench.harness.RegistryServer;
import io.statusreg.bench.harness.Seeding;
import io.statusreg.bench.results.Part;
import io.statusreg.bench.results.PartRecorder;
import io.statusreg.bench.results.Series;
import io.statusreg.bench.stats.Percentiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Time from a change being acknowledged (202) to the first fetch that shows it, at a steady write
 * rate, with {@code publish.interval.ms} at its default (1000) and at 250: a fresh dev server for
 * each interval.
 */
public final class FreshnessBench {
  private static final Logger log = LoggerFactory.getLogger(FreshnessBench.class);
  static final String NAME = "freshness";
  static final double RATE = 20; // changes per second
  static final int[] INTERVALS = {1000, 250};

  private FreshnessBench() {}

  public static Part run(BenchContext ctx) throws Exception {
    PartRecorder rec = new PartRecorder(NAME, ctx.commandLine());
    List<Series.Line> dist = new ArrayList<>();
    List<Series.Line> overTime = new ArrayList<>();
    for (int interval : INTERVALS) {
      Path work = ctx.scratch(NAME + "-" + interval);
      Map<String, String> settings = new HashMap<>(Seeding.serverSettings());
      settings.put("publish.interval.ms", Integer.toString(interval));
      try (RegistryServer server = RegistryServer.dev(work.resolve("data"), "1g", settings)) {
        server.awaitReady(Duration.ofMinutes(3));
        RegistryClient client = new RegistryClient(server.baseUrl(), server.devToken());
        String list = client.createList(1, 1L << 20);
        long n = (long) Math.ceil(RATE * ctx.duration().toSeconds()) + 10;
        long[] indexes = Seeding.allocate(client, list, n);
        Seeding.awaitPublished(client, list, 0, Duration.ofMinutes(1));
        FreshnessProbe.Outcome o =
            FreshnessProbe.run(
                client,
                list,
                indexes,
                RATE,
                ctx.duration(),
                Duration.ofSeconds(Math.max(5, 3 * interval / 1000)),
                Duration.ofMillis(5));
        Percentiles p = o.ackToVisibleMs().percentiles();
        Percentiles ack = o.sendToAckMs().percentiles();
        String how = ctx.commandLine() + "  (server: " + server.commandLine() + ")";
        String key = "interval_" + interval + ".";
        String what = "publish.interval.ms=" + interval + ", " + (int) RATE + " changes/s";
        log.info(
            "{}: p50 {} p99 {} max {} ms ({} changes, {} never seen)",
            what,
            p.at(50),
            p.at(99),
            p.max(),
            o.changes(),
            o.neverSeen());
        rec.figure(key + "p50_ms", what + ": ack to visible p50", p.at(50), "ms", how);
        rec.figure(key + "p99_ms", what + ": ack to visible p99", p.at(99), "ms", how);
        rec.figure(
            key + "max_ms",
            what + ": ack to visible max",
            p.max(),
            "ms",
            how,
            o.changes()
                + " changes acknowledged, "
                + o.neverSeen()
                + " never seen, "
                + o.failed()
                + " not accepted; "
                + o.polls()
                + " polls (every 5 ms, If-None-Match), "
                + o.tokensSeen()
                + " new tokens");
        rec.figure(
            key + "achieved_rate",
            what + ": changes acknowledged per second (achieved)",
            o.changes() / (double) ctx.duration().toSeconds(),
            "changes/s",
            how);
        rec.figure(key + "ack_p50_ms", what + ": PUT send to 202 p50", ack.at(50), "ms", how);
        rec.figure(key + "ack_p99_ms", what + ": PUT send to 202 p99", ack.at(99), "ms", how);
        if (o.neverSeen() > 0 || o.failed() > 0) {
          rec.note(
              what
                  + ": "
                  + o.neverSeen()
                  + " acknowledged changes never showed in a fetch"
                  + " within the settle time; "
                  + o.failed()
                  + " PUTs not accepted");
        }
        List<Series.Point> pts = new ArrayList<>();
        for (double q : new double[] {1, 5, 10, 25, 50, 75, 90, 95, 99, 100}) {
          pts.add(new Series.Point(q, p.at(q)));
        }
        dist.add(new Series.Line("interval " + interval + " ms", pts));
        List<Series.Point> tl = new ArrayList<>();
        for (double[] t : o.timeline()) {
          tl.add(new Series.Point(t[0], t[1]));
        }
        overTime.add(new Series.Line("interval " + interval + " ms", tl));
      }
    }
    rec.series(
        new Series(
            "freshness-distribution",
            NAME,
            "ack to first fetch showing the change, by percentile",
            Series.PERCENTILES,
            "percentile",
            "ms",
            dist));
    rec.series(
        new Series(
            "freshness-over-time",
            NAME,
            "ack to visible for each change over the run",
            Series.LINE,
            "time of ack (s)",
            "ms",
            overTime));
    return rec.write(ctx.partFile(NAME), Part.OK);
  }
}
