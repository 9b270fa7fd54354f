package io.statusreg.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.common.TopicCatalogue;
import io.statusreg.kraft.KraftCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The catalogue's topics as a real broker holds them after {@link TopicCatalogue#apply}. */
@Tag("integration")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TopicCatalogueIT {
  @TempDir static Path dir;
  private static KraftCluster kafka;

  @BeforeAll
  static void startBroker() {
    kafka = KraftCluster.builder().dataDir(dir.resolve("kafka")).build();
    kafka.start();
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void appliedTopicsHaveTheCataloguesShapeAndConfigsAndApplyingAgainCreatesNothing()
      throws Exception {
    TopicCatalogue catalogue = TopicCatalogue.of(3, (short) 1, 1);
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      List<String> created = catalogue.apply(admin, Duration.ofSeconds(30));
      Set<String> names =
          catalogue.all().stream().map(TopicCatalogue.Topic::name).collect(Collectors.toSet());
      assertThat(created).containsExactlyInAnyOrderElementsOf(names);

      Map<String, TopicDescription> described =
          admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
      List<ConfigResource> resources =
          names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
      Map<ConfigResource, Config> configs =
          admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
      for (TopicCatalogue.Topic topic : catalogue.all()) {
        TopicDescription d = described.get(topic.name());
        assertThat(d.partitions()).as(topic.name()).hasSize(topic.partitions());
        assertThat(d.partitions().getFirst().replicas())
            .as(topic.name())
            .hasSize(topic.replicationFactor());
        Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
        for (Map.Entry<String, String> e : topic.configs().entrySet()) {
          assertThat(config.get(e.getKey()).value())
              .as("%s %s", topic.name(), e.getKey())
              .isEqualTo(e.getValue());
        }
      }
      assertThat(described.get(TopicCatalogue.TOKENS).partitions()).hasSize(3);
      assertThat(
              configs
                  .get(new ConfigResource(ConfigResource.Type.TOPIC, TopicCatalogue.EVENTS))
                  .get("retention.ms")
                  .value())
          .isEqualTo("-1");

      assertThat(catalogue.apply(admin, Duration.ofSeconds(30))).isEmpty();
      Set<String> all = new TreeSet<>(admin.listTopics().names().get(30, TimeUnit.SECONDS));
      assertThat(all).containsAll(names);
    }
  }
}
