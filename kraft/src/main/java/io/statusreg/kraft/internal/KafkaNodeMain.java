package io.statusreg.kraft.internal;

import java.io.IOException;

/**
 * Main class of a node process: {@code kafka.Kafka} with a guard that ends the node when the JVM
 * that started it dies (its stdin pipe closes), so that a crashed test run leaves no broker behind.
 */
public final class KafkaNodeMain {
  private static final long ORPHAN_GRACE_MILLIS = 10_000;

  private KafkaNodeMain() {}

  public static void main(String[] args) {
    Thread.ofPlatform().daemon().name("parent-watch").start(KafkaNodeMain::exitWhenOrphaned);
    kafka.Kafka.main(args);
  }

  private static void exitWhenOrphaned() {
    try {
      while (System.in.read() != -1) {
        // the parent never writes; we only wait for end of stream
      }
    } catch (IOException ignored) {
      // a broken pipe means the same as end of stream
    }
    System.err.println("statusreg-kraft: parent process gone, stopping this Kafka node");
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
