package io.statusreg.chaos.cluster;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The instance processes this JVM started, ended by a shutdown hook if the harness exits without
 * stopping them: SIGTERM, a grace period, then SIGKILL. Only processes registered here (started by
 * this JVM and held by their {@link Process} handle) are ever signalled.
 */
final class ChildProcesses {
  private static final long GRACE_MILLIS = 10_000;
  private static final Set<Process> live = ConcurrentHashMap.newKeySet();
  private static boolean hookInstalled;

  private ChildProcesses() {}

  static synchronized void register(Process process) {
    if (!hookInstalled) {
      Runtime.getRuntime()
          .addShutdownHook(
              Thread.ofPlatform().name("statusreg-chaos-reaper").unstarted(ChildProcesses::reap));
      hookInstalled = true;
    }
    live.add(process);
  }

  static void unregister(Process process) {
    live.remove(process);
  }

  private static void reap() {
    for (Process p : live) {
      p.destroy();
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
    for (Process p : live) {
      long left = deadline - System.nanoTime();
      try {
        if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
      }
    }
  }
}
