package io.statusreg.kraft;

import java.util.Objects;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A single Kafka broker in a Docker container (Testcontainers' {@code apache/kafka} image), for
 * machines with a Docker engine. Node operations are not supported: a restarted container would
 * come back on another mapped port.
 */
public final class TestcontainersKafka implements KafkaCluster {
  /** The image used unless another is given; override with {@code statusreg.test.kafka.image}. */
  public static final String DEFAULT_IMAGE = "apache/kafka:4.1.0";

  private final KafkaContainer container;
  private boolean started;
  private boolean closed;

  public TestcontainersKafka() {
    this(System.getProperty("statusreg.test.kafka.image", DEFAULT_IMAGE));
  }

  public TestcontainersKafka(String image) {
    this.container =
        new KafkaContainer(DockerImageName.parse(Objects.requireNonNull(image, "image")))
            .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
            .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
            .withEnv("KAFKA_MIN_INSYNC_REPLICAS", "1")
            .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
            .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
            .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
            .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
            .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1");
  }

  @Override
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("cluster is closed");
    }
    if (started) {
      throw new IllegalStateException("cluster is already started");
    }
    try {
      container.start();
    } catch (RuntimeException e) {
      throw new KafkaClusterException(
          "starting Kafka container " + container.getDockerImageName() + ": " + e.getMessage(), e);
    }
    started = true;
  }

  @Override
  public synchronized String bootstrapServers() {
    if (!started || closed) {
      throw new IllegalStateException("cluster is not running");
    }
    return container.getBootstrapServers();
  }

  @Override
  public int size() {
    return 1;
  }

  @Override
  public void stopNode(int nodeId) {
    throw unsupported("stopNode");
  }

  @Override
  public void killNode(int nodeId) {
    throw unsupported("killNode");
  }

  @Override
  public void startNode(int nodeId) {
    throw unsupported("startNode");
  }

  private static UnsupportedOperationException unsupported(String operation) {
    return new UnsupportedOperationException(
        operation + " is not supported on a Testcontainers broker; use KraftCluster");
  }

  @Override
  public short replicationFactor() {
    return 1;
  }

  @Override
  public int minInsyncReplicas() {
    return 1;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    container.close();
  }

  @Override
  public String toString() {
    return "TestcontainersKafka[" + container.getDockerImageName() + "]";
  }
}
