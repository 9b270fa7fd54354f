package io.statusreg.bench.report;

import io.statusreg.bench.results.Figure;
import io.statusreg.bench.results.Machine;
import io.statusreg.bench.results.Part;
import io.statusreg.bench.results.Results;
import io.statusreg.bench.results.ResultsJson;
import io.statusreg.bench.results.Series;
import io.statusreg.bench.results.TargetCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Gathers the benchmarks' part files of one results folder into {@code results.json}, draws each
 * series as a PNG, and writes {@code report.md}: the goals and where each stands, every figure by
 * benchmark, the charts, the commands, and the change from the previous results folder.
 */
public final class ReportWriter {
  static final List<String> ORDER = List.of("reads", "writes", "freshness", "scale", "replay");

  private ReportWriter() {}

  /** Reads {@code dir/parts/*.json} into one result set. */
  public static Results gather(Path dir, String gitCommit) {
    List<Part> parts = new ArrayList<>();
    Path partsDir = dir.resolve("parts");
    if (Files.isDirectory(partsDir)) {
      try (Stream<Path> files = Files.list(partsDir)) {
        files
            .filter(f -> f.getFileName().toString().endsWith(".json"))
            .sorted()
            .forEach(f -> parts.add(ResultsJson.read(f, Part.class)));
      } catch (IOException e) {
        throw new UncheckedIOException("listing " + partsDir, e);
      }
    }
    parts.sort(Comparator.comparingInt(p -> rank(p.benchmark())));
    Map<String, Figure> byId = new LinkedHashMap<>();
    parts.forEach(p -> p.figures().forEach(f -> byId.put(f.id(), f)));
    return new Results(
        dir.getFileName().toString(),
        Instant.now().toString(),
        gitCommit,
        parts.isEmpty() ? Machine.current() : parts.getFirst().machine(),
        parts,
        Targets.check(byId));
  }

  private static int rank(String benchmark) {
    int i = ORDER.indexOf(benchmark);
    return i < 0 ? ORDER.size() : i;
  }

  /** The newest {@code results.json} in a sibling folder named before {@code dir}, if any. */
  public static Optional<Results> previous(Path dir) {
    Path parent = dir.toAbsolutePath().getParent();
    String name = dir.getFileName().toString();
    if (parent == null || !Files.isDirectory(parent)) {
      return Optional.empty();
    }
    try (Stream<Path> siblings = Files.list(parent)) {
      return siblings
          .filter(Files::isDirectory)
          .filter(d -> d.getFileName().toString().compareTo(name) < 0)
          .filter(d -> Files.isRegularFile(d.resolve("results.json")))
          .max(Comparator.comparing(d -> d.getFileName().toString()))
          .map(d -> ResultsJson.read(d.resolve("results.json"), Results.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Writes results.json, the charts and report.md into {@code dir}. */
  public static Path write(Path dir, Results results, Optional<Results> previous) {
    ResultsJson.write(dir.resolve("results.json"), results);
    for (Part p : results.parts()) {
      for (Series s : p.series()) {
        Charts.write(s, dir.resolve(s.id() + ".png"));
      }
    }
    Path report = dir.resolve("report.md");
    try {
      Files.writeString(report, markdown(results, previous, dir));
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + report, e);
    }
    return report;
  }

  /** The report's text. */
  public static String markdown(Results r, Optional<Results> previous) {
    return markdown(r, previous, null);
  }

  /** The report's text, with {@code dir/notes.md} (what the person who ran it noticed) if any. */
  public static String markdown(Results r, Optional<Results> previous, Path dir) {
    StringBuilder md = new StringBuilder();
    md.append("# statusreg end-to-end benchmarks, ").append(r.date()).append("\n\n");
    Machine m = r.machine();
    md.append("Machine: ")
        .append(m.nproc())
        .append(" cores (")
        .append(m.cpuModel())
        .append("), ")
        .append(
            m.memTotalBytes() < 0
                ? "?"
                : String.format(Locale.ROOT, "%.1f GiB", m.memTotalBytes() / (double) (1L << 30)))
        .append(" RAM, ")
        .append(m.jdk())
        .append(", ")
        .append(m.os())
        .append(
            String.format(
                Locale.ROOT,
                "; load average %.1f when the first benchmark began.",
                m.loadAverageAtStart()))
        .append("\n");
    if (r.gitCommit() != null && !r.gitCommit().isBlank()) {
      md.append("Built from commit `").append(r.gitCommit()).append("`.\n");
    }
    md.append("Every figure, with the exact command that produced it, is in `results.json`;")
        .append(" `$BENCH_CP` in a command stands for the bench class path")
        .append(" (`bench/target/statusreg-bench-*.jar:$(cat bench/target/classpath.txt)`).\n\n");

    Path notes = dir == null ? null : dir.resolve("notes.md");
    if (notes != null && Files.isRegularFile(notes)) {
      try {
        md.append("## Run notes\n\n").append(Files.readString(notes).trim()).append("\n\n");
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + notes, e);
      }
    }
    md.append("## Goals\n\nGoals, not assertions: a missed goal is a finding.\n\n");
    md.append("| goal | figure | measured | verdict | beside it |\n|---|---|---|---|---|\n");
    for (TargetCheck t : r.targets()) {
      StringBuilder beside = new StringBuilder();
      for (String[] c : Targets.CONTEXT.getOrDefault(t.figureId(), List.of())) {
        r.figure(c[1])
            .ifPresent(
                f ->
                    beside
                        .append(beside.isEmpty() ? "" : "; ")
                        .append(c[0])
                        .append(" ")
                        .append(value(f.value(), f.unit())));
      }
      md.append("| ")
          .append(t.goal())
          .append(" | `")
          .append(t.figureId())
          .append("` | ")
          .append(Double.isNaN(t.actual()) ? "-" : value(t.actual(), t.unit()))
          .append(" | **")
          .append(t.verdict())
          .append("** | ")
          .append(beside)
          .append(" |\n");
    }
    md.append("\n");

    Set<String> ran = new LinkedHashSet<>();
    for (Part p : r.parts()) {
      ran.add(p.benchmark());
      md.append("## ").append(p.benchmark()).append(" (").append(p.status()).append(")\n\n");
      md.append("Ran ").append(p.started()).append(" to ").append(p.finished()).append(".\n\n");
      if (!p.figures().isEmpty()) {
        md.append("| figure | value | id |\n|---|---|---|\n");
        for (Figure f : p.figures()) {
          md.append("| ")
              .append(f.name())
              .append(f.note().isEmpty() ? "" : " (" + f.note() + ")")
              .append(" | ")
              .append(value(f.value(), f.unit()))
              .append(" | `")
              .append(f.id())
              .append("` |\n");
        }
        md.append("\n");
      }
      for (Series s : p.series()) {
        md.append("![").append(s.title()).append("](").append(s.id()).append(".png)\n\n");
      }
      if (!p.notes().isEmpty()) {
        md.append("Notes:\n\n");
        for (String n : p.notes()) {
          md.append("- ").append(n).append("\n");
        }
        md.append("\n");
      }
      Set<String> commands = new LinkedHashSet<>();
      commands.add(p.command());
      p.figures().stream().map(Figure::command).filter(c -> !c.isBlank()).forEach(commands::add);
      md.append("<details><summary>commands</summary>\n\n```\n");
      commands.forEach(c -> md.append(c).append("\n"));
      md.append("```\n\n</details>\n\n");
    }
    for (String b : ORDER) {
      if (!ran.contains(b)) {
        md.append("## ")
            .append(b)
            .append(" (not run)\n\nNo results for this benchmark in this")
            .append(" folder: run `./statusreg bench ")
            .append(b)
            .append("`.\n\n");
      }
    }

    md.append("## Compared with the previous run\n\n");
    if (previous.isEmpty()) {
      md.append("No earlier `results.json` under `bench/results/`: nothing to compare.\n");
    } else {
      Results prev = previous.get();
      md.append("Previous: ")
          .append(prev.date())
          .append(" (")
          .append(prev.machine().nproc())
          .append(" cores, ")
          .append(prev.machine().cpuModel())
          .append(").\n\n| figure | previous | now | change |\n|---|---|---|---|\n");
      Map<String, Figure> before = new LinkedHashMap<>();
      prev.figures().forEach(f -> before.put(f.id(), f));
      int rows = 0;
      for (Figure f : r.figures()) {
        Figure b = before.get(f.id());
        if (b == null) {
          continue;
        }
        rows++;
        String change =
            b.value() == 0 || Double.isNaN(b.value()) || Double.isNaN(f.value())
                ? "-"
                : String.format(Locale.ROOT, "%+.1f%%", 100 * (f.value() - b.value()) / b.value());
        md.append("| `")
            .append(f.id())
            .append("` | ")
            .append(value(b.value(), b.unit()))
            .append(" | ")
            .append(value(f.value(), f.unit()))
            .append(" | ")
            .append(change)
            .append(" |\n");
      }
      if (rows == 0) {
        md.append("| (no figure in common) | | | |\n");
      }
    }
    return md.toString();
  }

  static String value(double v, String unit) {
    if (Double.isNaN(v)) {
      return "not measured";
    }
    return switch (unit) {
      case "bytes" ->
          v >= 1 << 20
              ? String.format(Locale.ROOT, "%.1f MiB", v / (1 << 20))
              : v >= 1 << 10
                  ? String.format(Locale.ROOT, "%.1f KiB", v / (1 << 10))
                  : String.format(Locale.ROOT, "%.0f B", v);
      case "ratio" -> String.format(Locale.ROOT, "%.2f", v);
      case "ms" -> String.format(Locale.ROOT, v < 10 ? "%.2f ms" : "%.0f ms", v);
      default -> String.format(Locale.ROOT, v < 100 ? "%.2f %s" : "%,.0f %s", v, unit);
    };
  }
}
