package io.statusreg.kraft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class KafkaClustersTest {

  @Test
  void embeddedUnlessAskedAndDockerIsNotEvenAsked() {
    AtomicBoolean asked = new AtomicBoolean();

    boolean chosen = KafkaClusters.useTestcontainers(null, 1, () -> asked.getAndSet(true));

    assertThat(chosen).isFalse();
    assertThat(asked).isFalse();
    assertThat(KafkaClusters.useTestcontainers("embedded", 1, () -> true)).isFalse();
  }

  @Test
  void testcontainersWhenAskedForOneNodeAndDockerAnswers() {
    assertThat(KafkaClusters.useTestcontainers("testcontainers", 1, () -> true)).isTrue();
    assertThat(KafkaClusters.useTestcontainers(" TestContainers ", 1, () -> true)).isTrue();
  }

  @Test
  void embeddedWhenDockerIsMissingOrSeveralNodesAreWanted() {
    assertThat(KafkaClusters.useTestcontainers("testcontainers", 1, () -> false)).isFalse();
    assertThat(KafkaClusters.useTestcontainers("testcontainers", 3, () -> true)).isFalse();
  }

  @Test
  void unknownSelectorIsRefusedByName() {
    assertThatThrownBy(() -> KafkaClusters.useTestcontainers("docker", 1, () -> true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("statusreg.test.kafka")
        .hasMessageContaining("docker");
  }

  @Test
  void defaultChoiceOnThisMachineIsTheEmbeddedCluster() {
    try (KafkaCluster cluster = KafkaClusters.choose(3)) {
      assertThat(cluster).isInstanceOf(KraftCluster.class);
      assertThat(cluster.size()).isEqualTo(3);
    }
  }
}
