package io.statusreg.chaos.cluster;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Main class of a registry instance process: runs the real main class (first argument) with the
 * rest of the arguments, and ends the process when the harness that started it dies (its stdin pipe
 * closes), so that a crashed or killed harness leaves no instance behind. The exit is a normal
 * {@code System.exit}: the instance's own shutdown hooks close it cleanly.
 */
public final class OrphanGuardMain {
  private static final long ORPHAN_GRACE_MILLIS = 20_000;

  private OrphanGuardMain() {}

  public static void main(String[] args) throws Throwable {
    if (args.length == 0) {
      System.err.println("usage: OrphanGuardMain <main class> [args...]");
      System.exit(2);
    }
    Thread.ofPlatform().daemon().name("parent-watch").start(OrphanGuardMain::exitWhenOrphaned);
    Method main = Class.forName(args[0]).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void exitWhenOrphaned() {
    try {
      while (System.in.read() != -1) {
        // the harness never writes; only the end of the stream matters
      }
    } catch (IOException ignored) {
      // a broken pipe means the same as the end of the stream
    }
    System.err.println("statusreg-chaos: harness process gone, stopping this instance");
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try {
                Thread.sleep(ORPHAN_GRACE_MILLIS);
              } catch (InterruptedException ignored) {
                // halt anyway
              }
              Runtime.getRuntime().halt(3);
            });
    System.exit(3);
  }
}
