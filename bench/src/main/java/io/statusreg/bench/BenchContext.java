package io.statusreg.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;

/**
 * Where a benchmark writes (results folder, scratch folder) and how long it measures.
 *
 * @param home the repository's top folder
 * @param resultsDir {@code bench/results/<date>}: small files that are committed
 * @param scratchRoot {@code bench/target/bench-work}: server data, logs, payloads (never committed)
 * @param duration how long one measurement lasts (one wrk run, one write phase)
 * @param rounds how many times reads alternate statusreg and nginx
 * @param connections concurrent connections of the reads benchmark
 * @param quick smaller data sets (for trying the harness out; figures are then not comparable)
 * @param commandLine the bench command as typed, for the figures' provenance
 */
public record BenchContext(
    Path home,
    Path resultsDir,
    Path scratchRoot,
    Duration duration,
    int rounds,
    int connections,
    boolean quick,
    String commandLine) {

  public static Path defaultResultsDir(Path home) {
    return home.resolve("bench/results").resolve(LocalDate.now().toString());
  }

  /** A fresh scratch folder for {@code name} (emptied first). */
  public Path scratch(String name) {
    Path dir = scratchRoot.resolve(name);
    deleteTree(dir);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("creating " + dir, e);
    }
    return dir;
  }

  public Path partFile(String benchmark) {
    return resultsDir.resolve("parts").resolve(benchmark + ".json");
  }

  public static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      io.statusreg.common.FileTrees.deleteRecursively(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("deleting " + dir, e);
    }
  }
}
