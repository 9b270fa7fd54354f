package io.statusreg.bench.results;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Collects one benchmark's figures, series and notes, and writes its part file. */
public final class PartRecorder {
  private final String benchmark;
  private final String command;
  private final String started = Instant.now().toString();
  private final List<Figure> figures = new ArrayList<>();
  private final List<Series> series = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private boolean partial;

  public PartRecorder(String benchmark, String command) {
    this.benchmark = benchmark;
    this.command = command;
  }

  public String benchmark() {
    return benchmark;
  }

  /** Adds a figure; returns it. */
  public synchronized Figure figure(
      String id, String name, double value, String unit, String command, String note) {
    Figure f = new Figure(benchmark + "." + id, benchmark, name, value, unit, command, note);
    figures.add(f);
    return f;
  }

  public Figure figure(String id, String name, double value, String unit, String command) {
    return figure(id, name, value, unit, command, "");
  }

  public synchronized void series(Series s) {
    series.add(s);
  }

  public synchronized void note(String text) {
    notes.add(text);
  }

  /** Marks the run as partial (some figures could not be measured) and says why. */
  public synchronized void missing(String why) {
    partial = true;
    notes.add(why);
  }

  public synchronized Part finish(String status) {
    String s = status.equals(Part.OK) && partial ? Part.PARTIAL : status;
    return new Part(
        benchmark,
        s,
        command,
        started,
        Instant.now().toString(),
        Machine.current(),
        figures,
        series,
        notes);
  }

  public Part write(Path file, String status) {
    Part part = finish(status);
    ResultsJson.write(file, part);
    return part;
  }
}
