package io.statusreg.bench.results;

import java.util.List;

/**
 * Data for one chart: one or more named lines of (x, y) points.
 *
 * @param id stable id, also the PNG's file name ({@code <id>.png})
 * @param kind how to draw it: {@code line} (throughput over time) or {@code percentiles} (latency
 *     distribution, x = percentile)
 */
public record Series(
    String id,
    String benchmark,
    String title,
    String kind,
    String xLabel,
    String yLabel,
    List<Line> lines) {
  public static final String LINE = "line";
  public static final String PERCENTILES = "percentiles";

  public Series {
    lines = List.copyOf(lines);
  }

  /** One named line. */
  public record Line(String name, List<Point> points) {
    public Line {
      points = List.copyOf(points);
    }
  }

  public record Point(double x, double y) {}
}
