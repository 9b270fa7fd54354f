package io.statusreg.kraft.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusreg.kraft.KafkaClusterException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterLayoutTest {

  @Test
  void allocatedPortsAreDistinctAndFree() {
    ClusterLayout layout = ClusterLayout.allocate(3);

    List<Integer> ports =
        layout.nodes().stream()
            .flatMap(n -> Stream.of(n.brokerPort(), n.controllerPort()))
            .toList();
    assertThat(ports).hasSize(6).doesNotHaveDuplicates().allMatch(FreePorts::isFree);
    assertThat(layout.nodes()).extracting(NodeAddress::nodeId).containsExactly(1, 2, 3);
  }

  @Test
  void bootstrapServersAndVotersNameEveryNode() {
    ClusterLayout layout =
        new ClusterLayout(
            "abc",
            List.of(
                new NodeAddress(1, 1001, 2001),
                new NodeAddress(2, 1002, 2002),
                new NodeAddress(3, 1003, 2003)));

    assertThat(layout.bootstrapServers()).isEqualTo("127.0.0.1:1001,127.0.0.1:1002,127.0.0.1:1003");
    assertThat(layout.quorumVoters())
        .isEqualTo("1@127.0.0.1:2001,2@127.0.0.1:2002,3@127.0.0.1:2003");
  }

  @Test
  void savedLayoutIsReusedOnTheNextStart(@TempDir Path dataDir) {
    ClusterLayout first = ClusterLayout.loadOrAllocate(dataDir, 3);

    ClusterLayout second = ClusterLayout.loadOrAllocate(dataDir, 3);

    assertThat(second).isEqualTo(first);
    assertThat(dataDir.resolve(ClusterLayout.FILE_NAME)).exists();
  }

  @Test
  void savedLayoutWithAnotherNodeCountIsRefused(@TempDir Path dataDir) {
    ClusterLayout.loadOrAllocate(dataDir, 1);

    assertThatThrownBy(() -> ClusterLayout.loadOrAllocate(dataDir, 3))
        .isInstanceOf(KafkaClusterException.class)
        .hasMessageContaining("1 node(s)")
        .hasMessageContaining(dataDir.toString());
  }

  @Test
  void damagedLayoutFileIsReportedByName(@TempDir Path dataDir) throws Exception {
    Path file = dataDir.resolve(ClusterLayout.FILE_NAME);
    Files.writeString(file, "cluster.id=x\nnodes=1\nnode.1.broker.port=9092\n");

    assertThatThrownBy(() -> ClusterLayout.load(file))
        .isInstanceOf(KafkaClusterException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("node.1.controller.port");
  }

  @Test
  void nodesMustBeNumberedFromOneWithDistinctPorts() {
    assertThatThrownBy(() -> new ClusterLayout("abc", List.of(new NodeAddress(2, 1001, 2001))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new ClusterLayout(
                    "abc", List.of(new NodeAddress(1, 1001, 2001), new NodeAddress(2, 2001, 3001))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("distinct");
  }
}
