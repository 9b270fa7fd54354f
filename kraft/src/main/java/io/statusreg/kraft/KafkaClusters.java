package io.statusreg.kraft;

import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Chooses the Kafka cluster integration tests run against: the embedded {@link KraftCluster} by
 * default, or {@link TestcontainersKafka} when {@code statusreg.test.kafka=testcontainers} (system
 * property, or environment variable {@code STATUSREG_TEST_KAFKA}) asks for it, one node is wanted
 * and a Docker engine answers.
 */
public final class KafkaClusters {
  /**
   * System property choosing the test cluster: {@code embedded} (default) or {@code
   * testcontainers}.
   */
  public static final String SELECTOR_PROPERTY = "statusreg.test.kafka";

  /** Environment variable read when {@link #SELECTOR_PROPERTY} is not set. */
  public static final String SELECTOR_ENV = "STATUSREG_TEST_KAFKA";

  private static final Logger log = LoggerFactory.getLogger(KafkaClusters.class);

  private KafkaClusters() {}

  /**
   * A started cluster of {@code nodes} nodes for a test class; close it when the class is done.
   *
   * @throws KafkaClusterException when it does not start
   */
  public static KafkaCluster forTests(int nodes) {
    KafkaCluster cluster = choose(nodes);
    try {
      cluster.start();
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** The cluster {@link #forTests(int)} would start, not yet started. */
  public static KafkaCluster choose(int nodes) {
    String setting = System.getProperty(SELECTOR_PROPERTY, System.getenv(SELECTOR_ENV));
    if (useTestcontainers(setting, nodes, KafkaClusters::dockerAvailable)) {
      return new TestcontainersKafka();
    }
    return KraftCluster.builder().nodes(nodes).build();
  }

  /**
   * True when {@code setting} asks for Testcontainers and it can serve: one node and a Docker
   * engine. Docker is only asked when the setting wants it.
   */
  static boolean useTestcontainers(String setting, int nodes, BooleanSupplier dockerAvailable) {
    if (setting == null || setting.isBlank()) {
      return false;
    }
    String wanted = setting.strip().toLowerCase(Locale.ROOT);
    if (wanted.equals("embedded") || wanted.equals("kraft")) {
      return false;
    }
    if (!wanted.equals("testcontainers")) {
      throw new IllegalArgumentException(
          SELECTOR_PROPERTY + " must be 'embedded' or 'testcontainers', was '" + setting + "'");
    }
    if (nodes != 1) {
      log.warn(
          "Testcontainers Kafka runs one node; using the embedded KRaft cluster for {}", nodes);
      return false;
    }
    if (!dockerAvailable.getAsBoolean()) {
      log.warn(
          "Testcontainers Kafka asked for, but no Docker engine answers; using embedded KRaft");
      return false;
    }
    return true;
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }
}
