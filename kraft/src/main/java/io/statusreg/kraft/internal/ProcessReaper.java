package io.statusreg.kraft.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Ends the node processes this JVM started when it exits without closing its clusters: SIGTERM to
 * each, a few seconds for a clean stop, then SIGKILL. Only processes registered here (started by
 * this JVM, held by their handle) are ever signalled.
 */
public final class ProcessReaper {
  private static final long GRACE_MILLIS = 5_000;
  private static final Set<Process> live = ConcurrentHashMap.newKeySet();
  private static volatile boolean hookInstalled;

  private ProcessReaper() {}

  public static void register(Process process) {
    installHook();
    live.add(process);
  }

  public static void unregister(Process process) {
    live.remove(process);
  }

  private static synchronized void installHook() {
    if (hookInstalled) {
      return;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform().name("statusreg-kraft-reaper").unstarted(ProcessReaper::reapAll));
    hookInstalled = true;
  }

  static void reapAll() {
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
