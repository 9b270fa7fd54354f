package io.statusreg.bench;

import io.statusreg.bench.freshness.FreshnessBench;
import io.statusreg.bench.harness.Commands;
import io.statusreg.bench.reads.ReadsBench;
import io.statusreg.bench.replay.ReplayRun;
import io.statusreg.bench.report.ReportWriter;
import io.statusreg.bench.results.Part;
import io.statusreg.bench.results.PartRecorder;
import io.statusreg.bench.results.Results;
import io.statusreg.bench.scale.ScaleBench;
import io.statusreg.bench.writes.WritesBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./statusreg bench <what> [options]}: the end-to-end benchmarks and their report. Each
 * benchmark writes {@code bench/results/<date>/parts/<what>.json}; {@code report} gathers them into
 * {@code results.json}, PNG charts and {@code report.md}.
 */
public final class BenchMain {
  private static final Logger log = LoggerFactory.getLogger(BenchMain.class);

  static final String USAGE =
      """
      usage: statusreg bench <what> [options]

        reads      fetch rate and latency of a ~2 KB and a ~150 KB token, beside nginx (same bytes)
        writes     status changes/s through the API (PUT, bulk POST), beside Kafka's producer tool
        freshness  change acknowledged -> first fetch showing it, publish.interval.ms 1000 and 250
        fairness   a small list's freshness beside four large 8-bit lists changed continuously
        scale      100 lists of 1M + one of 10M: memory, disk, 10M re-publish, new instance ready
        replay     events folded per second from the log
        all        every benchmark above, then the report
        report     gather the results folder into results.json, PNG charts and report.md
        capacity   print docs/capacity.md's model from the newest figures under bench/results/

      options:
        --duration S     seconds per measurement (default 10)
        --rounds N       reads: statusreg/nginx alternations (default 3)
        --connections N  reads: concurrent connections (default 64)
        --results DIR    results folder (default bench/results/<today>)
        --quick          smaller data sets, to try the harness (figures not comparable)
      """;

  static final List<String> BENCHMARKS =
      List.of("reads", "writes", "freshness", "fairness", "scale", "replay");

  private BenchMain() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Parsed options. */
  record Options(
      String what, Duration duration, int rounds, int connections, Path results, boolean quick) {}

  static Options parse(String[] args, Path home) {
    if (args.length == 0) {
      throw new IllegalArgumentException("which benchmark?");
    }
    String what = args[0];
    Duration duration = Duration.ofSeconds(10);
    int rounds = 3;
    int connections = 64;
    Path results = BenchContext.defaultResultsDir(home);
    boolean quick = false;
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--quick" -> quick = true;
        case "--duration" -> duration = Duration.ofSeconds(positive(a, value(args, ++i)));
        case "--rounds" -> rounds = (int) positive(a, value(args, ++i));
        case "--connections" -> connections = (int) positive(a, value(args, ++i));
        case "--results" -> results = Path.of(value(args, ++i)).toAbsolutePath();
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    return new Options(what, duration, rounds, connections, results, quick);
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      throw new IllegalArgumentException(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  private static long positive(String name, String raw) {
    try {
      long v = Long.parseLong(raw);
      if (v < 1 || v > 3600) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number in [1, 3600], got " + raw);
    }
  }

  static int run(String[] argv) {
    // The launcher passes its own first word through: ./statusreg bench reads -> [bench, reads].
    String[] args =
        argv.length > 0 && argv[0].equals("bench")
            ? java.util.Arrays.copyOfRange(argv, 1, argv.length)
            : argv;
    Path home = Path.of(System.getProperty("statusreg.home", ".")).toAbsolutePath().normalize();
    Options o;
    try {
      if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
        System.out.print(USAGE);
        return args.length == 0 ? 2 : 0;
      }
      o = parse(args, home);
    } catch (IllegalArgumentException e) {
      System.err.println("statusreg bench: " + e.getMessage());
      System.err.print(USAGE);
      return 2;
    }
    BenchContext ctx =
        new BenchContext(
            home,
            o.results(),
            home.resolve("bench/target/bench-work"),
            o.duration(),
            o.rounds(),
            o.connections(),
            o.quick(),
            "./statusreg bench " + String.join(" ", args));
    List<String> todo;
    switch (o.what()) {
      case "report" -> {
        return report(ctx);
      }
      case "capacity" -> {
        return io.statusreg.bench.capacity.CapacityModel.run(
            home.resolve("bench/results"), System.out);
      }
      case "all" -> todo = BENCHMARKS;
      default -> {
        if (!BENCHMARKS.contains(o.what())) {
          System.err.println("statusreg bench: unknown benchmark '" + o.what() + "'");
          System.err.print(USAGE);
          return 2;
        }
        todo = List.of(o.what());
      }
    }
    if (todo.contains("reads")) {
      ensureTools(ctx);
    }
    List<String> failed = new ArrayList<>();
    for (String b : todo) {
      long t0 = System.nanoTime();
      System.out.println("== bench " + b + " ...");
      Part p = runOne(ctx, b);
      System.out.printf(
          "== bench %s: %s in %d s (%s)%n",
          b, p.status(), (System.nanoTime() - t0) / 1_000_000_000L, ctx.partFile(b));
      if (!p.status().equals(Part.OK) && !p.status().equals(Part.PARTIAL)) {
        failed.add(b);
      }
    }
    if (o.what().equals("all")) {
      report(ctx);
    }
    return failed.isEmpty() ? 0 : 1;
  }

  static Part runOne(BenchContext ctx, String benchmark) {
    try {
      return switch (benchmark) {
        case "reads" -> ReadsBench.run(ctx);
        case "writes" -> WritesBench.run(ctx);
        case "freshness" -> FreshnessBench.run(ctx);
        case "fairness" -> io.statusreg.bench.fairness.FairnessBench.run(ctx);
        case "scale" -> ScaleBench.run(ctx);
        case "replay" -> ReplayRun.run(ctx);
        default -> throw new IllegalArgumentException(benchmark);
      };
    } catch (Exception e) {
      log.error("benchmark {} failed", benchmark, e);
      PartRecorder rec = new PartRecorder(benchmark, ctx.commandLine());
      rec.note(
          "failed: "
              + e.getClass().getSimpleName()
              + ": "
              + String.valueOf(e.getMessage())
                  .lines()
                  .limit(12)
                  .reduce((a, b) -> a + " / " + b)
                  .orElse(""));
      return rec.write(ctx.partFile(benchmark), Part.FAILED);
    }
  }

  static int report(BenchContext ctx) {
    Path dir = ctx.resultsDir();
    if (!Files.isDirectory(dir.resolve("parts"))) {
      System.err.println(
          "statusreg bench report: no results under "
              + dir
              + "/parts; run ./statusreg bench all (or one benchmark) first");
      return 1;
    }
    Results results = ReportWriter.gather(dir, gitCommit(ctx.home()));
    Optional<Results> previous = ReportWriter.previous(dir);
    Path report = ReportWriter.write(dir, results, previous);
    System.out.println(
        "statusreg bench report: wrote " + report + " and " + dir.resolve("results.json"));
    results.targets().forEach(t -> System.out.printf("  %-80s %s%n", t.goal(), t.verdict()));
    return 0;
  }

  /** Installs nginx and wrk with apt-get when they are missing (Debian packages). */
  static void ensureTools(BenchContext ctx) {
    if (Commands.onPath("nginx") && Commands.onPath("wrk")) {
      return;
    }
    if (!Commands.onPath("apt-get")) {
      log.warn("nginx or wrk missing and no apt-get: the reads benchmark will be skipped");
      return;
    }
    System.out.println("== installing nginx and wrk (apt-get) ...");
    Path logFile = ctx.scratchRoot().resolve("apt-get.log");
    Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
    List<String> install = List.of("apt-get", "install", "-y", "-q", "nginx", "wrk");
    if (Commands.run(install, env, logFile, Duration.ofMinutes(5)) != 0) {
      Commands.run(List.of("apt-get", "update", "-q"), env, logFile, Duration.ofMinutes(5));
      Commands.run(install, env, logFile, Duration.ofMinutes(5));
    }
  }

  static String gitCommit(Path home) {
    try {
      Process p =
          new ProcessBuilder("git", "-C", home.toString(), "rev-parse", "HEAD")
              .redirectErrorStream(true)
              .start();
      if (p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0) {
        return new String(p.getInputStream().readAllBytes()).trim();
      }
      p.destroyForcibly();
    } catch (Exception e) {
      // not a git checkout
    }
    return "";
  }
}
