package io.statusreg.chaos.cluster;

import io.statusreg.common.OrphanWatcher;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
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
    OrphanWatcher.watchStdin("this instance", Duration.ofMillis(ORPHAN_GRACE_MILLIS));
    Method main = Class.forName(args[0]).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
