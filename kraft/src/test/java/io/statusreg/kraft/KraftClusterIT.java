package io.statusreg.kraft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real KRaft clusters inside the test JVM: one node on a persistent directory, and three nodes. */
@Tag("integration")
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class KraftClusterIT {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  @Test
  void singleNodeRoundTripSurvivesARestartOnTheSameDataDirAndPorts(@TempDir Path dataDir)
      throws Exception {
    String bootstrapBefore;
    List<String> written;
    try (KraftCluster kafka = KraftCluster.builder().dataDir(dataDir).build()) {
      kafka.start();
      bootstrapBefore = kafka.bootstrapServers();
      ClusterClient.createTopic(kafka, kafka.newTopic("events", 3));
      try (KafkaProducer<String, String> producer = ClusterClient.producer(kafka)) {
        written = ClusterClient.sendAll(producer, "events", "before", 0, 50);
      }

      assertThat(ClusterClient.readAll(kafka, "events", 50, READ_TIMEOUT))
          .containsExactlyInAnyOrderElementsOf(written);
    }

    try (KraftCluster kafka = KraftCluster.builder().dataDir(dataDir).build()) {
      kafka.start();

      assertThat(kafka.bootstrapServers()).isEqualTo(bootstrapBefore);
      List<String> all = new ArrayList<>(written);
      try (KafkaProducer<String, String> producer = ClusterClient.producer(kafka)) {
        all.addAll(ClusterClient.sendAll(producer, "events", "after", 0, 10));
      }
      assertThat(ClusterClient.readAll(kafka, "events", all.size(), READ_TIMEOUT))
          .containsExactlyInAnyOrderElementsOf(all);
    }
    assertThat(dataDir.resolve("cluster.properties")).exists();
  }

  @Test
  void secondClusterOnARunningDataDirFailsAndNamesTheDirectory(@TempDir Path dataDir) {
    try (KraftCluster kafka = KraftCluster.builder().dataDir(dataDir).build()) {
      kafka.start();

      try (KraftCluster twin = KraftCluster.builder().dataDir(dataDir).build()) {
        assertThatThrownBy(twin::start)
            .isInstanceOf(KafkaClusterException.class)
            .hasMessageContaining("in use")
            .hasMessageContaining(dataDir.toString());
      }
      assertThat(kafka.isRunning(1)).isTrue();
    }
  }

  @Test
  void threeNodesKeepAcceptingAcksAllWritesWhileOneNodeIsStopped() throws Exception {
    try (KraftCluster kafka = KraftCluster.builder().nodes(3).build()) {
      kafka.start();
      assertThat(kafka.bootstrapServers().split(",")).hasSize(3);
      ClusterClient.createTopic(kafka, kafka.newTopic("events", 3));
      assertThat(ClusterClient.describe(kafka, "events").partitions())
          .allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
      assertThat(topicConfig(kafka, "events")).isEqualTo("2");

      List<String> acknowledged = new ArrayList<>();
      try (KafkaProducer<String, String> producer = ClusterClient.producer(kafka)) {
        acknowledged.addAll(ClusterClient.sendAll(producer, "events", "all-up", 0, 30));

        int stopped = ClusterClient.describe(kafka, "events").partitions().getFirst().leader().id();
        kafka.stopNode(stopped);
        assertThat(kafka.isRunning(stopped)).isFalse();
        acknowledged.addAll(ClusterClient.sendAll(producer, "events", "one-down", 0, 30));

        kafka.startNode(stopped);
        assertThat(kafka.isRunning(stopped)).isTrue();
        acknowledged.addAll(ClusterClient.sendAll(producer, "events", "back", 0, 30));
      }

      assertThat(ClusterClient.readAll(kafka, "events", acknowledged.size(), READ_TIMEOUT))
          .containsExactlyInAnyOrderElementsOf(acknowledged);
    }
  }

  private static String topicConfig(KafkaCluster kafka, String topic) throws Exception {
    var resource =
        new org.apache.kafka.common.config.ConfigResource(
            org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      Map<org.apache.kafka.common.config.ConfigResource, org.apache.kafka.clients.admin.Config>
          configs = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS);
      return configs.get(resource).get("min.insync.replicas").value();
    }
  }
}
