package io.statusreg.kraft.internal;

import io.statusreg.common.OrphanWatcher;
import java.time.Duration;

/**
 * Main class of a node process: {@code kafka.Kafka} with a guard that ends the node when the JVM
 * that started it dies (its stdin pipe closes), so that a crashed test run leaves no broker behind.
 */
public final class KafkaNodeMain {
  private static final long ORPHAN_GRACE_MILLIS = 10_000;

  private KafkaNodeMain() {}

  public static void main(String[] args) {
    OrphanWatcher.watchStdin("this Kafka node", Duration.ofMillis(ORPHAN_GRACE_MILLIS));
    kafka.Kafka.main(args);
  }
}
