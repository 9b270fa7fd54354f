package io.statusreg.kraft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class KraftClusterTest {

  @Test
  void singleNodeTopicsHaveOneReplicaAndMinIsrOne() {
    try (KraftCluster cluster = KraftCluster.builder().build()) {
      assertThat(cluster.size()).isEqualTo(1);
      assertThat(cluster.replicationFactor()).isEqualTo((short) 1);
      assertThat(cluster.recommendedTopicConfig())
          .containsExactly(java.util.Map.entry("min.insync.replicas", "1"));
    }
  }

  @Test
  void threeNodeTopicsHaveThreeReplicasAndMinIsrTwo() {
    try (KraftCluster cluster = KraftCluster.builder().nodes(3).build()) {
      NewTopic topic = cluster.newTopic("events", 6);

      assertThat(topic.numPartitions()).isEqualTo(6);
      assertThat(topic.replicationFactor()).isEqualTo((short) 3);
      assertThat(topic.configs()).containsEntry("min.insync.replicas", "2");
    }
  }

  @Test
  void unstartedClusterRefusesNodeOperationsAndHasNoAddress() {
    try (KraftCluster cluster = KraftCluster.builder().nodes(3).build()) {
      assertThatThrownBy(cluster::bootstrapServers).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> cluster.stopNode(1)).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void builderRefusesImpossibleSettings() {
    assertThatThrownBy(() -> KraftCluster.builder().nodes(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KraftCluster.builder().defaultPartitions(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KraftCluster.builder().startTimeout(java.time.Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
