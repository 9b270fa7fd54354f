package io.statusreg.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Memory and CPU time of a process from {@code /proc} and size of a folder on disk. */
public final class ProcStats {
  /** Unit of the times in {@code /proc/<pid>/stat} (USER_HZ, 100 on Linux's architectures). */
  private static final long USER_HZ = 100;

  private ProcStats() {}

  /**
   * CPU time {@code pid} has used so far, user and system, in milliseconds (10 ms resolution), or
   * -1 when unknown.
   */
  public static long cpuMillis(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // After "pid (comm) ": the command name may hold spaces, so fields count from its ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
      return ticks * 1000 / USER_HZ;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

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
