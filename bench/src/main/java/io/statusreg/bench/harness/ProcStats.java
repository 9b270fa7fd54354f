package io.statusreg.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

  /**
   * Bytes {@code dir} takes on disk (allocated blocks, as {@code du -sk} counts them: Kafka's
   * preallocated, sparse index files count for what they use), 0 when missing, -1 when unknown.
   */
  public static long diskBytes(Path dir) {
    if (!Files.exists(dir)) {
      return 0;
    }
    try {
      Process p =
          new ProcessBuilder("du", "-sk", dir.toString()).redirectErrorStream(false).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return Long.parseLong(out.split("\\s+")[0]) * 1024;
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
