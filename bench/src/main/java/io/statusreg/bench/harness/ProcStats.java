package io.statusreg.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Memory of a process from {@code /proc} and size of a folder on disk. */
public final class ProcStats {
  private ProcStats() {}

  /** Resident set size of {@code pid} in bytes (VmRSS), or -1 when unknown. */
  public static long rssBytes(long pid) {
    return statusField(pid, "VmRSS:");
  }

  /** Peak resident set size of {@code pid} in bytes (VmHWM), or -1 when unknown. */
  public static long peakRssBytes(long pid) {
    return statusField(pid, "VmHWM:");
  }

  private static long statusField(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** Total size of the regular files under {@code dir} (apparent size), 0 when missing. */
  public static long diskBytes(Path dir) {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (IOException e) {
                  return 0; // deleted while walking (RocksDB compaction)
                }
              })
          .sum();
    } catch (IOException | UncheckedIOException e) {
      return -1;
    }
  }
}
