package io.statusreg.bench.results;

import java.util.List;

/**
 * What one benchmark run produced, written to {@code parts/<benchmark>.json} and gathered by the
 * report into {@code results.json}.
 *
 * @param status {@code ok}, {@code partial} (some figures missing, see notes), {@code skipped} or
 *     {@code failed}
 * @param command the bench command that ran it
 */
public record Part(
    String benchmark,
    String status,
    String command,
    String started,
    String finished,
    Machine machine,
    List<Figure> figures,
    List<Series> series,
    List<String> notes) {
  public static final String OK = "ok";
  public static final String PARTIAL = "partial";
  public static final String SKIPPED = "skipped";
  public static final String FAILED = "failed";

  public Part {
    figures = List.copyOf(figures);
    series = List.copyOf(series);
    notes = List.copyOf(notes);
  }
}
