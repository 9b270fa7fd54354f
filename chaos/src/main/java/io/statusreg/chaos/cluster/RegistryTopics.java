package io.statusreg.chaos.cluster;

import io.statusreg.streams.RegistryNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Creates the registry's topics before any instance starts, as the SRE tool does in production
 * ({@code serve} does not create them), from the same {@code STATUSREG_*} settings the instances
 * get, so partitions, replication factor and {@code min.insync.replicas} match.
 */
public final class RegistryTopics {
  private RegistryTopics() {}

  /** Returns the names of the topics it created (existing ones are left as they are). */
  public static List<String> create(Map<String, String> environment, Duration timeout) {
    return RegistryNode.createTopics(HarnessKafka.settings(environment), timeout);
  }
}
