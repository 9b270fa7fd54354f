package io.statusreg.bench.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsJsonTest {

  static Results sample() {
    Machine m = new Machine(2, "Test CPU @ 2.0GHz", 8L << 30, "OpenJDK 25", "Linux 6.1 amd64", 1.5);
    Part reads =
        new Part(
            "reads",
            Part.OK,
            "./statusreg bench reads --duration 5",
            "2026-01-01T10:00:00Z",
            "2026-01-01T10:01:00Z",
            m,
            List.of(
                Figure.of(
                    "reads.small.ratio",
                    "reads",
                    "small ratio",
                    0.42,
                    "ratio",
                    "wrk -t2 -c64 -d5s http://127.0.0.1:1/x"),
                new Figure(
                    "reads.small.statusreg.p99_ms",
                    "reads",
                    "p99",
                    Double.NaN,
                    "ms",
                    "",
                    "not measured")),
            List.of(
                new Series(
                    "reads-latency-small",
                    "reads",
                    "latency",
                    Series.PERCENTILES,
                    "percentile",
                    "ms",
                    List.of(
                        new Series.Line(
                            "statusreg",
                            List.of(new Series.Point(50, 1.5), new Series.Point(99, 4.0)))))),
            List.of("a note"));
    return new Results(
        "2026-01-01",
        "2026-01-01T10:02:00Z",
        "abc123",
        m,
        List.of(reads),
        List.of(
            new TargetCheck(
                "goal", "reads.small.ratio", ">=", 0.8, 0.42, "ratio", TargetCheck.MISSED)));
  }

  @Test
  void resultsSurviveARoundTripThroughJson() {
    Results r = sample();
    Results back = ResultsJson.read(ResultsJson.write(r), Results.class);
    assertThat(back).isEqualTo(r); // records: NaN equals NaN (Double.compare)
  }

  @Test
  void anUnmeasuredFigureStaysNaN(@TempDir Path dir) {
    Path file = dir.resolve("results.json");
    ResultsJson.write(file, sample());
    Results back = ResultsJson.read(file, Results.class);
    assertThat(back.figure("reads.small.statusreg.p99_ms").orElseThrow().value()).isNaN();
    assertThat(back.figure("reads.small.ratio").orElseThrow().command())
        .isEqualTo("wrk -t2 -c64 -d5s http://127.0.0.1:1/x");
  }

  @Test
  void aPartRecorderPrefixesIdsWithItsBenchmark() {
    PartRecorder rec = new PartRecorder("writes", "./statusreg bench writes");
    rec.figure("bulk.ratio", "bulk / raw", 0.6, "ratio", "cmd");
    rec.missing("raw producer not run");
    Part p = rec.finish(Part.OK);
    assertThat(p.figures()).extracting(Figure::id).containsExactly("writes.bulk.ratio");
    assertThat(p.status()).isEqualTo(Part.PARTIAL);
    assertThat(p.notes()).containsExactly("raw producer not run");
  }
}
