package io.statusreg.kraft.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageFormatterTest {

  @Test
  void singleNodeIsFormattedStandaloneAndMultiNodeIsNot() {
    Path config = Path.of("/x/server.properties");

    assertThat(StorageFormatter.formatArguments("id", config, true))
        .containsExactly("format", "-t", "id", "-c", "/x/server.properties", "--standalone");
    assertThat(StorageFormatter.formatArguments("id", config, false))
        .containsExactly("format", "-t", "id", "-c", "/x/server.properties");
  }

  @Test
  void formatsOnceAndLeavesAFormattedDirectoryAlone(@TempDir Path dir) {
    ClusterLayout layout = ClusterLayout.allocate(1);
    Path logDir = dir.resolve("data");
    Path configFile = dir.resolve("server.properties");
    BrokerConfig.write(BrokerConfig.forNode(layout, 1, logDir, 1, false, Map.of()), configFile);

    boolean first = StorageFormatter.formatIfNeeded(logDir, configFile, layout.clusterId(), true);
    boolean second = StorageFormatter.formatIfNeeded(logDir, configFile, layout.clusterId(), true);

    assertThat(first).isTrue();
    assertThat(second).isFalse();
    assertThat(logDir.resolve("meta.properties"))
        .content()
        .contains("cluster.id=" + layout.clusterId())
        .contains("node.id=1");
  }
}
