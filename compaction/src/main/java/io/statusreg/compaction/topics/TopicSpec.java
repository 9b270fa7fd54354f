package io.statusreg.compaction.topics;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a topic must look like: name, partition count, replication factor and the topic-level
 * configs that are checked ({@code cleanup.policy}, {@code retention.ms}, {@code
 * min.insync.replicas}, {@code max.message.bytes}, ...). Configs not named here are left to the
 * broker's defaults and not compared.
 */
public record TopicSpec(
    String name, int partitions, short replicationFactor, Map<String, String> configs) {
  public TopicSpec {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("topic name must not be blank");
    }
    if (partitions < 1 || replicationFactor < 1) {
      throw new IllegalArgumentException(
          "topic " + name + " needs at least one partition and one replica");
    }
    configs = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(configs));
  }

  /** This spec with one config set (e.g. a bounded retention chosen by the operator). */
  public TopicSpec withConfig(String key, String value) {
    TreeMap<String, String> copy = new TreeMap<>(configs);
    copy.put(key, value);
    return new TopicSpec(name, partitions, replicationFactor, copy);
  }
}
