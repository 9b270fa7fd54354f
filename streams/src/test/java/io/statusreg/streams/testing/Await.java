package io.statusreg.streams.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling for integration tests. */
public final class Await {
  private Await() {}

  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      pause(Duration.ofMillis(50));
    }
  }

  /** Waits while observing: polls {@code check} every 50 ms for {@code duration}. */
  public static void observe(Duration duration, Runnable check) {
    long deadline = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < deadline) {
      check.run();
      pause(Duration.ofMillis(50));
    }
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }
}
