package io.statusreg.kraft.internal;

import io.statusreg.kraft.KafkaClusterException;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Builds the {@code server.properties} of one combined broker+controller node: loopback listeners
 * on the layout's ports, a single-voter bootstrap quorum for one node or a static voter set for
 * more, internal topics replicated like user topics, and buffers sized for a small heap.
 */
public final class BrokerConfig {
  /** Dedupe buffer of the log cleaner; the 128 MiB default dominates a small heap. */
  public static final long CLEANER_DEDUPE_BUFFER_BYTES = 4L * 1024 * 1024;

  /** Partitions of {@code __consumer_offsets} and {@code __transaction_state}, default 50. */
  public static final int INTERNAL_TOPIC_PARTITIONS = 5;

  private BrokerConfig() {}

  /**
   * The properties of node {@code nodeId}. {@code overrides} are applied last and win over every
   * default here.
   */
  public static SortedMap<String, String> forNode(
      ClusterLayout layout,
      int nodeId,
      Path logDir,
      int defaultPartitions,
      boolean controlledShutdown,
      Map<String, String> overrides) {
    NodeAddress self = layout.node(nodeId);
    ReplicationDefaults replication = ReplicationDefaults.forSize(layout.size());
    String rf = Short.toString(replication.replicationFactor());
    String minIsr = Integer.toString(replication.minInsyncReplicas());

    SortedMap<String, String> p = new TreeMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(nodeId));
    p.put(
        "listeners",
        "PLAINTEXT://" + self.brokerEndpoint() + ",CONTROLLER://" + self.controllerEndpoint());
    p.put("advertised.listeners", p.get("listeners"));
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    if (layout.size() == 1) {
      // Dynamic quorum, formatted with --standalone: the voter's endpoint is recorded at format
      // time.
      p.put("controller.quorum.bootstrap.servers", self.controllerEndpoint());
    } else {
      p.put("controller.quorum.voters", layout.quorumVoters());
    }
    p.put("log.dirs", logDir.toAbsolutePath().toString());

    p.put("num.partitions", Integer.toString(defaultPartitions));
    p.put("default.replication.factor", rf);
    p.put("min.insync.replicas", minIsr);
    p.put("offsets.topic.replication.factor", rf);
    p.put("offsets.topic.num.partitions", Integer.toString(INTERNAL_TOPIC_PARTITIONS));
    p.put("transaction.state.log.replication.factor", rf);
    p.put("transaction.state.log.min.isr", minIsr);
    p.put("transaction.state.log.num.partitions", Integer.toString(INTERNAL_TOPIC_PARTITIONS));
    p.put("share.coordinator.state.topic.replication.factor", rf);
    p.put("share.coordinator.state.topic.min.isr", minIsr);
    p.put(
        "share.coordinator.state.topic.num.partitions",
        Integer.toString(INTERNAL_TOPIC_PARTITIONS));
    p.put("auto.create.topics.enable", "false");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("group.streams.initial.rebalance.delay.ms", "0");
    p.put("controlled.shutdown.enable", Boolean.toString(controlledShutdown));

    // Small footprint: a few MiB of cleaner buffer and fewer threads than a production broker.
    p.put("log.cleaner.dedupe.buffer.size", Long.toString(CLEANER_DEDUPE_BUFFER_BYTES));
    p.put("log.cleaner.threads", "1");
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    p.put("background.threads", "4");
    p.put("num.recovery.threads.per.data.dir", "1");

    p.putAll(overrides);
    return p;
  }

  public static Properties toProperties(Map<String, String> config) {
    Properties props = new Properties();
    props.putAll(config);
    return props;
  }

  /** Writes {@code config} as a sorted, human-readable properties file. */
  public static void write(Map<String, String> config, Path file) {
    StringBuilder text = new StringBuilder("# Written by statusreg-kraft on every start.\n");
    new TreeMap<>(config)
        .forEach(
            (key, value) -> {
              if (key.contains("\n") || value.contains("\n")) {
                throw new IllegalArgumentException("broker property with a line break: " + key);
              }
              text.append(key).append('=').append(value.replace("\\", "\\\\")).append('\n');
            });
    try {
      Files.createDirectories(file.getParent());
      try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        writer.write(text.toString());
      }
    } catch (IOException e) {
      throw new KafkaClusterException("writing broker config " + file, e);
    }
  }
}
