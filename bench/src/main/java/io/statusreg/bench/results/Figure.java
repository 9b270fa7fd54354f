package io.statusreg.bench.results;

import java.util.Objects;

/**
 * One measured figure.
 *
 * @param id stable dotted id, e.g. {@code reads.small.ratio}; the report compares runs by it
 * @param benchmark the benchmark that produced it ({@code reads}, {@code writes}, ...)
 * @param name what it is, for a human
 * @param value the number (NaN when it could not be measured)
 * @param unit its unit ({@code req/s}, {@code ms}, {@code ratio}, {@code bytes}, ...)
 * @param command the exact command that produced it (a wrk, nginx, producer or bench command line)
 * @param note anything a reader needs to weigh it, or empty
 */
public record Figure(
    String id,
    String benchmark,
    String name,
    double value,
    String unit,
    String command,
    String note) {
  public Figure {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(benchmark, "benchmark");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(unit, "unit");
    command = command == null ? "" : command;
    note = note == null ? "" : note;
  }

  public static Figure of(
      String id, String benchmark, String name, double value, String unit, String command) {
    return new Figure(id, benchmark, name, value, unit, command, "");
  }

  public Figure withNote(String text) {
    return new Figure(id, benchmark, name, value, unit, command, text);
  }
}
