package io.statusreg.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.bench.results.Figure;
import io.statusreg.bench.results.Part;
import io.statusreg.bench.results.PartRecorder;
import io.statusreg.bench.results.Results;
import io.statusreg.bench.results.ResultsJson;
import io.statusreg.bench.results.Series;
import io.statusreg.bench.results.TargetCheck;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

  /** A small fixed result set: a reads part and a writes part, written as part files. */
  static void writeParts(Path dir, double smallRatio) {
    PartRecorder reads = new PartRecorder("reads", "./statusreg bench reads");
    reads.figure(
        "small.ratio",
        "small token: statusreg / nginx",
        smallRatio,
        "ratio",
        "wrk -t2 -c64 -d10s http://127.0.0.1:1/statuslists/demo/a");
    reads.figure("small.statusreg.p99_ms", "small p99", 3.2, "ms", "wrk ...");
    reads.series(
        new Series(
            "reads-latency-small",
            "reads",
            "small token latency",
            Series.PERCENTILES,
            "percentile",
            "latency (ms)",
            List.of(
                new Series.Line(
                    "statusreg",
                    List.of(
                        new Series.Point(50, 1.1),
                        new Series.Point(90, 2.0),
                        new Series.Point(99, 3.2),
                        new Series.Point(100, 9))),
                new Series.Line(
                    "nginx", List.of(new Series.Point(50, 0.4), new Series.Point(99, 1.0))))));
    reads.write(dir.resolve("parts/reads.json"), Part.OK);
    PartRecorder writes = new PartRecorder("writes", "./statusreg bench writes");
    writes.figure("bulk.ratio", "bulk / raw producer", 0.61, "ratio", "ProducerPerformance ...");
    writes.series(
        new Series(
            "writes-over-time",
            "writes",
            "changes per second",
            Series.LINE,
            "second",
            "changes/s",
            List.of(
                new Series.Line(
                    "bulk",
                    List.of(
                        new Series.Point(1, 900),
                        new Series.Point(2, 1100),
                        new Series.Point(3, 1000))))));
    writes.missing("single PUT not measured");
    writes.write(dir.resolve("parts/writes.json"), Part.OK);
  }

  @Test
  void reportHasATableOfFiguresAndGoalsAndAPngPerSeries(@TempDir Path root) throws Exception {
    Path dir = root.resolve("2026-01-02");
    writeParts(dir, 0.9);
    Results r = ReportWriter.gather(dir, "deadbeef");
    Path report = ReportWriter.write(dir, r, Optional.empty());

    String md = Files.readString(report);
    assertThat(md).contains("| figure | value | id |");
    assertThat(md).contains("| goal | figure | measured | verdict | beside it |");
    assertThat(md).contains("| small token: statusreg / nginx | 0.90 | `reads.small.ratio` |");
    assertThat(md).contains("![small token latency](reads-latency-small.png)");
    assertThat(md).contains("## freshness (not run)");
    assertThat(md).contains("writes (partial)");
    assertThat(md).contains("single PUT not measured");

    BufferedImage png = ImageIO.read(dir.resolve("reads-latency-small.png").toFile());
    assertThat(png).isNotNull();
    assertThat(png.getWidth()).isEqualTo(Charts.WIDTH);
    assertThat(ImageIO.read(dir.resolve("writes-over-time.png").toFile())).isNotNull();

    Results json = ResultsJson.read(dir.resolve("results.json"), Results.class);
    assertThat(json.figures())
        .extracting(Figure::id)
        .contains("reads.small.ratio", "reads.small.statusreg.p99_ms", "writes.bulk.ratio");
    assertThat(json.gitCommit()).isEqualTo("deadbeef");
  }

  @Test
  void goalsAreJudgedAndUnmeasuredOnesSaySo(@TempDir Path root) {
    Path dir = root.resolve("2026-01-02");
    writeParts(dir, 0.5);
    Map<String, String> verdicts =
        ReportWriter.gather(dir, "").targets().stream()
            .collect(
                java.util.stream.Collectors.toMap(TargetCheck::figureId, TargetCheck::verdict));
    assertThat(verdicts.get("reads.small.ratio")).isEqualTo(TargetCheck.MISSED);
    assertThat(verdicts.get("reads.small.statusreg.p99_ms")).isEqualTo(TargetCheck.MET);
    assertThat(verdicts.get("writes.bulk.ratio")).isEqualTo(TargetCheck.MET);
    assertThat(verdicts.get("freshness.interval_250.p99_ms")).isEqualTo(TargetCheck.NOT_MEASURED);
  }

  @Test
  void theReportComparesWithThePreviousResultsFolder(@TempDir Path root) throws Exception {
    Path before = root.resolve("2026-01-01");
    writeParts(before, 0.5);
    ReportWriter.write(before, ReportWriter.gather(before, ""), Optional.empty());
    Path now = root.resolve("2026-01-02");
    writeParts(now, 0.6);

    Optional<Results> previous = ReportWriter.previous(now);
    assertThat(previous).isPresent();
    assertThat(previous.get().date()).isEqualTo("2026-01-01");
    String md = Files.readString(ReportWriter.write(now, ReportWriter.gather(now, ""), previous));
    assertThat(md).contains("| `reads.small.ratio` | 0.50 | 0.60 | +20.0% |");
  }

  @Test
  void aChartWithNoPointsStillRenders() {
    BufferedImage img =
        Charts.render(
            new Series(
                "empty",
                "reads",
                "nothing",
                Series.LINE,
                "x",
                "y",
                List.of(new Series.Line("none", List.of()))));
    assertThat(img.getHeight()).isEqualTo(Charts.HEIGHT);
  }
}
