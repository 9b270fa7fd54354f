package io.statusreg.kraft;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * A running Kafka cluster that tests, {@code statusreg dev} and the chaos harness talk to.
 *
 * <p>Nodes are numbered {@code 1..size()}. Implementations: {@link KraftCluster} (real KRaft
 * brokers from the Kafka jars on the classpath, in this JVM or as separate processes) and {@link
 * TestcontainersKafka} (a Docker container). {@link KafkaClusters#forTests(int)} picks one.
 */
public interface KafkaCluster extends AutoCloseable {

  /**
   * Starts every node and returns once the cluster has acknowledged an {@code acks=all} write.
   *
   * @throws KafkaClusterException when the cluster does not become writable in time; the message
   *     names the log directory to look at
   * @throws IllegalStateException when already started or closed
   */
  void start();

  /** Comma-separated {@code host:port} list of every node's client listener. */
  String bootstrapServers();

  /** The number of nodes (brokers) the cluster was built with, running or not. */
  int size();

  /**
   * Stops a node cleanly (SIGTERM for a separate process) and waits for it to exit. Stopping a
   * stopped node does nothing.
   */
  void stopNode(int nodeId);

  /**
   * Stops a node abruptly: {@code kill -9} when the node is a separate process. A node inside this
   * JVM cannot be killed without killing the JVM; it is shut down as fast as Kafka allows.
   */
  void killNode(int nodeId);

  /**
   * Starts a stopped node again on its data and ports, and returns once it is a registered broker
   * and back in sync on the cluster's probe topic.
   *
   * @throws IllegalStateException when the node is running
   */
  void startNode(int nodeId);

  /** Replication factor for topics created on this cluster: 1 for one node, 3 for three. */
  short replicationFactor();

  /**
   * {@code min.insync.replicas} for topics created on this cluster: 1 for one node, 2 for three.
   */
  int minInsyncReplicas();

  /**
   * Topic-level configs to create topics with on this cluster ({@code min.insync.replicas}). The
   * replication factor is not a topic config: pass {@link #replicationFactor()} to {@link NewTopic}
   * or use {@link #newTopic(String, int)}.
   */
  default Map<String, String> recommendedTopicConfig() {
    return Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas()));
  }

  /** A topic spec with this cluster's replication factor and {@link #recommendedTopicConfig()}. */
  default NewTopic newTopic(String name, int partitions) {
    return new NewTopic(name, Optional.of(partitions), Optional.of(replicationFactor()))
        .configs(recommendedTopicConfig());
  }

  /** Client properties that reach this cluster ({@code bootstrap.servers}). */
  default Map<String, Object> clientConfig() {
    return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
  }

  /** Stops every node, releases its resources and deletes temporary data. Idempotent. */
  @Override
  void close();
}
