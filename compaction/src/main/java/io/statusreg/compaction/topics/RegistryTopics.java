package io.statusreg.compaction.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The registry's topics (DESIGN.md, Topics) for a given replication: names, partitions and the
 * configs the tools check.
 *
 * <p>Interim: the authoritative catalogue is {@code io.statusreg.streams.TopicCatalogue}, being
 * written on the {@code streams} branch; once it is merged this class only adapts it to {@link
 * TopicCatalogue} and keeps no spec of its own.
 */
public final class RegistryTopics implements TopicCatalogue {
  public static final String EVENTS = "statusreg.events";
  public static final String COMMANDS = "statusreg.commands";
  public static final String TOKENS = "statusreg.tokens";
  public static final String SNAPSHOTS = "statusreg.snapshots";
  public static final String DLQ = "statusreg.dlq";

  /** Partitions of the keyed topics: sized for the largest expected cluster, never changed. */
  public static final int KEYED_PARTITIONS = 12;

  /** Largest snapshot record (one chunk plus headers); snapshots of big lists are chunked. */
  public static final int SNAPSHOT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

  /** Largest token record: a 10M-entry 1-bit list deflates to a few hundred KiB, times three. */
  public static final int TOKEN_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

  private final List<TopicSpec> topics;

  private RegistryTopics(List<TopicSpec> topics) {
    this.topics = List.copyOf(topics);
  }

  /**
   * The catalogue for a cluster: replication factor 3 and {@code min.insync.replicas=2} in
   * production; 1 and 1 on a one-node dev broker.
   */
  public static RegistryTopics forReplication(short replicationFactor, int minInsyncReplicas) {
    String minIsr = Integer.toString(minInsyncReplicas);
    List<TopicSpec> t = new ArrayList<>();
    t.add(
        new TopicSpec(
            EVENTS,
            KEYED_PARTITIONS,
            replicationFactor,
            Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG,
                "-1",
                TopicConfig.RETENTION_BYTES_CONFIG,
                "-1",
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                minIsr,
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                Integer.toString(1024 * 1024))));
    t.add(
        new TopicSpec(
            COMMANDS,
            KEYED_PARTITIONS,
            replicationFactor,
            Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG,
                Long.toString(7L * 24 * 3600 * 1000),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                minIsr,
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                Integer.toString(1024 * 1024))));
    t.add(
        new TopicSpec(
            TOKENS,
            KEYED_PARTITIONS,
            replicationFactor,
            Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                minIsr,
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                Integer.toString(TOKEN_MAX_MESSAGE_BYTES))));
    t.add(
        new TopicSpec(
            SNAPSHOTS,
            KEYED_PARTITIONS,
            replicationFactor,
            Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                minIsr,
                // Keep the previous generation readable for a while (RETENTION rules, README).
                TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG,
                Long.toString(3600_000L),
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                Integer.toString(SNAPSHOT_MAX_MESSAGE_BYTES))));
    t.add(
        new TopicSpec(
            DLQ,
            3,
            replicationFactor,
            Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG,
                Long.toString(30L * 24 * 3600 * 1000),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                minIsr,
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                Integer.toString(8 * 1024 * 1024))));
    return new RegistryTopics(t);
  }

  /** Replication for a cluster of {@code brokers} nodes: 3/2 from three nodes, else n/1. */
  public static RegistryTopics forCluster(int brokers) {
    short rf = (short) Math.min(3, Math.max(1, brokers));
    return forReplication(rf, rf >= 3 ? 2 : 1);
  }

  @Override
  public List<TopicSpec> topics() {
    return topics;
  }

  /** This catalogue with one topic's spec replaced. */
  public TopicCatalogue with(TopicSpec replaced) {
    List<TopicSpec> copy = new ArrayList<>();
    for (TopicSpec s : topics) {
      copy.add(s.name().equals(replaced.name()) ? replaced : s);
    }
    return new RegistryTopics(copy);
  }
}
