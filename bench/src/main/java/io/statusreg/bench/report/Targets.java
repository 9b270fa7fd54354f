package io.statusreg.bench.report;

import io.statusreg.bench.results.Figure;
import io.statusreg.bench.results.TargetCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The goals of the end-to-end benchmarks and where each measured figure stands. */
public final class Targets {
  /** A goal on one figure. */
  record Goal(String goal, String figureId, String comparison, double threshold, String unit) {}

  static final List<Goal> GOALS =
      List.of(
          new Goal(
              "fetch rate >= 0.8 of nginx's for the same bytes (small token)",
              "reads.small.ratio",
              ">=",
              0.8,
              "ratio"),
          new Goal(
              "fetch rate >= 0.8 of nginx's for the same bytes (large token)",
              "reads.large.ratio",
              ">=",
              0.8,
              "ratio"),
          new Goal(
              "fetch p99 < 5 ms at 64 connections (small token)",
              "reads.small.statusreg.p99_ms",
              "<",
              5,
              "ms"),
          new Goal(
              "fetch p99 < 5 ms at 64 connections (large token)",
              "reads.large.statusreg.p99_ms",
              "<",
              5,
              "ms"),
          new Goal(
              "freshness p99 <= 1 s at publish.interval.ms=250",
              "freshness.interval_250.p99_ms",
              "<=",
              1000,
              "ms"),
          new Goal(
              "bulk changes >= 0.5 of the raw producer rate",
              "writes.bulk.ratio",
              ">=",
              0.5,
              "ratio"),
          new Goal(
              "a 10M list re-published within 200 ms of a change (judged on the upper bound:"
                  + " PUT sent to visible, slowest sample)",
              "scale.big.sent_to_visible_max_ms",
              "<=",
              200,
              "ms"),
          new Goal(
              "allocated indexes >= 0.5 of the raw producer rate",
              "writes.alloc.ratio",
              ">=",
              0.5,
              "ratio"),
          new Goal(
              "replay >= 0.5 of a raw consumer reading the same topic (binary events)",
              "replay.ratio",
              ">=",
              0.5,
              "ratio"),
          new Goal(
              "fold alone >= 1,000,000 events/s (binary decode + fold)",
              "replay.fold_alone.events_per_s",
              ">=",
              1_000_000,
              "events/s"),
          new Goal(
              "a 100M-entry 8-bit list re-compressed <= 200 ms after one change (segmented, p50)",
              "republish.segmented.p50_ms",
              "<=",
              200,
              "ms"));

  /** Figures shown beside each goal's verdict, to weigh it: label and figure id. */
  static final Map<String, List<String[]>> CONTEXT =
      Map.of(
          "reads.small.ratio",
          List.of(
              new String[] {"statusreg", "reads.small.statusreg.rps"},
              new String[] {"nginx", "reads.small.nginx.rps"}),
          "reads.large.ratio",
          List.of(
              new String[] {"statusreg", "reads.large.statusreg.rps"},
              new String[] {"nginx", "reads.large.nginx.rps"}),
          "reads.small.statusreg.p99_ms",
          List.of(
              new String[] {"nginx p99, same run", "reads.small.nginx.p99_ms"},
              new String[] {"statusreg p50", "reads.small.statusreg.p50_ms"}),
          "reads.large.statusreg.p99_ms",
          List.of(
              new String[] {"nginx p99, same run", "reads.large.nginx.p99_ms"},
              new String[] {"statusreg p50", "reads.large.statusreg.p50_ms"}),
          "freshness.interval_250.p99_ms",
          List.of(
              new String[] {"p50", "freshness.interval_250.p50_ms"},
              new String[] {"max", "freshness.interval_250.max_ms"}),
          "writes.bulk.ratio",
          List.of(
              new String[] {"bulk", "writes.bulk.changes_per_s"},
              new String[] {"raw producer", "writes.raw.records_per_s"}),
          "scale.big.sent_to_visible_max_ms",
          List.of(
              new String[] {"p50", "scale.big.sent_to_visible_p50_ms"},
              new String[] {"lower bound (202 to visible), max", "scale.big.republish_max_ms"}));

  private Targets() {}

  public static List<TargetCheck> check(Function<String, Optional<Figure>> figures) {
    List<TargetCheck> out = new ArrayList<>();
    for (Goal g : GOALS) {
      double actual = figures.apply(g.figureId()).map(Figure::value).orElse(Double.NaN);
      String verdict;
      if (Double.isNaN(actual)) {
        verdict = TargetCheck.NOT_MEASURED;
      } else {
        boolean met =
            switch (g.comparison()) {
              case ">=" -> actual >= g.threshold();
              case "<=" -> actual <= g.threshold();
              case "<" -> actual < g.threshold();
              default -> throw new IllegalStateException(g.comparison());
            };
        verdict = met ? TargetCheck.MET : TargetCheck.MISSED;
      }
      out.add(
          new TargetCheck(
              g.goal(), g.figureId(), g.comparison(), g.threshold(), actual, g.unit(), verdict));
    }
    return out;
  }

  public static List<TargetCheck> check(Map<String, Figure> byId) {
    return check(id -> Optional.ofNullable(byId.get(id)));
  }
}
