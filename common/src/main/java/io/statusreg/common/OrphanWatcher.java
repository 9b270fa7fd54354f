package io.statusreg.common;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * The one orphan-process watcher: a child process (a Kafka node of a test cluster, a chaos
 * instance) that its parent starts with a stdin pipe ends itself when that pipe closes, that is
 * when the parent dies however it died, so that a crashed test run or harness leaves nothing
 * behind. The exit is a normal {@code System.exit} (the process's shutdown hooks close it cleanly);
 * if that has not finished after the grace period the process halts.
 */
public final class OrphanWatcher {
  /** Exit code of a process that stopped because its parent went away. */
  public static final int ORPHANED_EXIT_CODE = 3;

  private OrphanWatcher() {}

  /**
   * Starts the daemon thread that watches {@code System.in}.
   *
   * @param what what this process is, for the one line written to stderr when it stops
   * @param grace how long the shutdown hooks may take before the process halts
   */
  public static Thread watchStdin(String what, Duration grace) {
    return watch(System.in, what, grace, Runtime.getRuntime()::halt, System::exit);
  }

  /** Exit actions, so that the watcher can be tested without ending the test JVM. */
  @FunctionalInterface
  public interface Exit {
    void exit(int code);
  }

  /** Watches {@code in}; on its end calls {@code exit}, then {@code halt} after {@code grace}. */
  public static Thread watch(InputStream in, String what, Duration grace, Exit halt, Exit exit) {
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative");
    }
    return Thread.ofPlatform()
        .daemon()
        .name("parent-watch")
        .start(
            () -> {
              try {
                while (in.read() != -1) {
                  // the parent never writes; only the end of the stream matters
                }
              } catch (IOException ignored) {
                // a broken pipe means the same as the end of the stream
              }
              System.err.println("statusreg: parent process gone, stopping " + what);
              Thread.ofPlatform()
                  .daemon()
                  .name("orphan-halt")
                  .start(
                      () -> {
                        try {
                          Thread.sleep(grace);
                        } catch (InterruptedException ignored) {
                          // halt anyway
                        }
                        halt.exit(ORPHANED_EXIT_CODE);
                      });
              exit.exit(ORPHANED_EXIT_CODE);
            });
  }
}
