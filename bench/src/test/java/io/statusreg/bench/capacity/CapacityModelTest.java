package io.statusreg.bench.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.bench.results.Figure;
import io.statusreg.bench.results.Machine;
import io.statusreg.bench.results.Part;
import io.statusreg.bench.results.ResultsJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CapacityModelTest {
  @TempDir Path results;

  private void part(String date, String benchmark, int nproc, Figure... figures) throws Exception {
    Path parts = Files.createDirectories(results.resolve(date).resolve("parts"));
    Machine m = new Machine(nproc, "Test CPU", 8L << 30, "OpenJDK 25", "Linux", 1.0);
    ResultsJson.write(
        parts.resolve(benchmark + ".json"),
        new Part(
            benchmark, Part.OK, "bench", "t0", "t1", m, List.of(figures), List.of(), List.of()));
  }

  private static Figure writes(String id, double value) {
    return Figure.of(id, "writes", id, value, "1/s", "bench writes");
  }

  @Test
  void theNewestFolderWinsPerFigureAndKeepsItsMachine() throws Exception {
    part("2026-01-01", "writes", 2, writes("writes.bulk.changes_per_s", 1_000));
    part(
        "2026-02-01",
        "writes",
        8,
        writes("writes.bulk.changes_per_s", 4_000),
        writes("writes.raw.records_per_s", 9_000));

    Map<String, CapacityModel.Input> latest = CapacityModel.latest(results);

    assertThat(latest.get("writes.bulk.changes_per_s"))
        .isEqualTo(
            new CapacityModel.Input(
                "writes.bulk.changes_per_s", 4_000, "2026-02-01/writes.json", 8));
  }

  @Test
  void costPerChangeUsesTheCoresOfTheMachineThatMeasuredIt() throws Exception {
    // 8 cores at 4,000 changes/s: 2,000 core-us a change (2 cores would give 500)
    part("2026-02-01", "writes", 8, writes("writes.bulk.changes_per_s", 4_000));

    String out = print();

    assertThat(out)
        .containsPattern("machine\\.nproc of writes\\.bulk\\.changes_per_s +8\\.00 +2026-02-01")
        .containsPattern("CPU per change, core-us +2\\.00k ")
        // alloc is not measured: it borrows the bulk figure and that figure's machine
        .containsPattern("CPU per allocated index, core-us +2\\.00k ")
        .containsPattern(
            "machine\\.nproc of reads\\.large\\.statusreg\\.rps +2\\.00 +NOT MEASURED");
  }

  /**
   * Every recorded {@code bench/results/<day>/capacity.txt} (docs/capacity.md quotes the newest) is
   * what the model prints from the figures of that folder and the ones before it: computed, not
   * typed.
   */
  @ParameterizedTest
  @ValueSource(strings = {"2026-12-01", "2026-12-03-writes"})
  void theRecordedCapacityOutputIsWhatTheModelPrintsFromThoseFigures(String day) throws Exception {
    Path recorded = Path.of("results", day, "capacity.txt");
    try (var dirs = Files.list(Path.of("results"))) {
      for (Path dir : dirs.filter(d -> d.getFileName().toString().compareTo(day) <= 0).toList()) {
        Path parts = dir.resolve("parts");
        if (!Files.isDirectory(parts)) {
          continue;
        }
        Path copy = Files.createDirectories(results.resolve(dir.getFileName()).resolve("parts"));
        try (var files = Files.list(parts)) {
          for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
            Files.copy(f, copy.resolve(f.getFileName()));
          }
        }
      }
    }

    assertThat(print().strip())
        .isEqualTo(Files.readString(recorded, StandardCharsets.UTF_8).strip());
  }

  private String print() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CapacityModel.run(results, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
