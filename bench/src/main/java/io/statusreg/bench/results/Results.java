package io.statusreg.bench.results;

import java.util.List;
import java.util.Optional;

/**
 * Everything a run of the benchmarks produced: the content of {@code results.json}.
 *
 * @param date the results folder's name ({@code yyyy-MM-dd})
 * @param gitCommit the commit the benchmarks were built from, when known
 * @param parts each benchmark's run, with its figures, series and notes
 * @param targets the stated goals and where each stands
 */
public record Results(
    String date,
    String generatedAt,
    String gitCommit,
    Machine machine,
    List<Part> parts,
    List<TargetCheck> targets) {
  public Results {
    parts = List.copyOf(parts);
    targets = List.copyOf(targets);
  }

  /** Every figure of every part, in order. */
  public List<Figure> figures() {
    return parts.stream().flatMap(p -> p.figures().stream()).toList();
  }

  public Optional<Figure> figure(String id) {
    return figures().stream().filter(f -> f.id().equals(id)).findFirst();
  }

  public Optional<Part> part(String benchmark) {
    return parts.stream().filter(p -> p.benchmark().equals(benchmark)).findFirst();
  }
}
