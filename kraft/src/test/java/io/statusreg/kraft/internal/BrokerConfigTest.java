package io.statusreg.kraft.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import kafka.server.KafkaConfig;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {
  private static final Path LOG_DIR = Path.of("/tmp/statusreg-kraft-test/node/data");

  private static ClusterLayout layout(int nodes) {
    List<NodeAddress> addresses =
        java.util.stream.IntStream.rangeClosed(1, nodes)
            .mapToObj(id -> new NodeAddress(id, 19_000 + 2 * id, 19_001 + 2 * id))
            .toList();
    return new ClusterLayout("MkU3OEVBNTcwNTJENDM2Qk", addresses);
  }

  @Test
  void singleNodeIsCombinedBrokerAndControllerWithABootstrapQuorum() {
    SortedMap<String, String> config =
        BrokerConfig.forNode(layout(1), 1, LOG_DIR, 1, false, Map.of());

    assertThat(config)
        .containsEntry("process.roles", "broker,controller")
        .containsEntry("node.id", "1")
        .containsEntry("listeners", "PLAINTEXT://127.0.0.1:19002,CONTROLLER://127.0.0.1:19003")
        .containsEntry(
            "advertised.listeners", "PLAINTEXT://127.0.0.1:19002,CONTROLLER://127.0.0.1:19003")
        .containsEntry("controller.quorum.bootstrap.servers", "127.0.0.1:19003")
        .containsEntry("log.dirs", LOG_DIR.toString())
        .containsEntry("offsets.topic.replication.factor", "1")
        .containsEntry("transaction.state.log.min.isr", "1")
        .containsEntry("share.coordinator.state.topic.replication.factor", "1")
        .containsEntry("min.insync.replicas", "1")
        .containsEntry("auto.create.topics.enable", "false")
        .containsEntry("group.initial.rebalance.delay.ms", "0")
        .containsEntry("controlled.shutdown.enable", "false")
        .doesNotContainKey("controller.quorum.voters");
  }

  @Test
  void threeNodesShareAStaticVoterSetAndReplicateInternalTopicsThreeTimes() {
    ClusterLayout layout = layout(3);

    SortedMap<String, String> second = BrokerConfig.forNode(layout, 2, LOG_DIR, 3, false, Map.of());

    assertThat(second)
        .containsEntry("node.id", "2")
        .containsEntry("listeners", "PLAINTEXT://127.0.0.1:19004,CONTROLLER://127.0.0.1:19005")
        .containsEntry(
            "controller.quorum.voters", "1@127.0.0.1:19003,2@127.0.0.1:19005,3@127.0.0.1:19007")
        .containsEntry("num.partitions", "3")
        .containsEntry("default.replication.factor", "3")
        .containsEntry("min.insync.replicas", "2")
        .containsEntry("offsets.topic.replication.factor", "3")
        .containsEntry("transaction.state.log.replication.factor", "3")
        .containsEntry("transaction.state.log.min.isr", "2")
        .containsEntry("share.coordinator.state.topic.min.isr", "2")
        .doesNotContainKey("controller.quorum.bootstrap.servers");
  }

  @Test
  void cleanerBufferIsSizedForASmallHeap() {
    SortedMap<String, String> config =
        BrokerConfig.forNode(layout(1), 1, LOG_DIR, 1, false, Map.of());

    assertThat(Long.parseLong(config.get("log.cleaner.dedupe.buffer.size")))
        .isBetween(1L << 20, 16L << 20);
  }

  @Test
  void overridesWinOverDefaults() {
    SortedMap<String, String> config =
        BrokerConfig.forNode(
            layout(1),
            1,
            LOG_DIR,
            1,
            true,
            Map.of("auto.create.topics.enable", "true", "log.retention.ms", "1000"));

    assertThat(config)
        .containsEntry("auto.create.topics.enable", "true")
        .containsEntry("log.retention.ms", "1000")
        .containsEntry("controlled.shutdown.enable", "true");
  }

  @Test
  void everyKeyIsABrokerConfigThatKafkaAccepts() {
    for (int nodes : new int[] {1, 3}) {
      SortedMap<String, String> config =
          BrokerConfig.forNode(layout(nodes), 1, LOG_DIR, 1, false, Map.of());

      assertThat(KafkaConfig.configDef().names()).containsAll(config.keySet());
      assertThatCode(() -> KafkaConfig.fromProps(BrokerConfig.toProperties(config), false))
          .doesNotThrowAnyException();
    }
  }

  @Test
  void writtenFileReadsBackAsTheSameProperties(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    SortedMap<String, String> config =
        BrokerConfig.forNode(layout(3), 3, dir.resolve("data"), 1, false, Map.of());
    Path file = dir.resolve("server.properties");

    BrokerConfig.write(config, file);

    java.util.Properties read = new java.util.Properties();
    try (var reader = java.nio.file.Files.newBufferedReader(file)) {
      read.load(reader);
    }
    assertThat(read).isEqualTo(BrokerConfig.toProperties(config));
  }
}
