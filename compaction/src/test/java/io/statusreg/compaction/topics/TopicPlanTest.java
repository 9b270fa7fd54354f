package io.statusreg.compaction.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.common.TopicCatalogue;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopicPlanTest {
  @Test
  void thePlanHasEveryCatalogueTopicWithItsShapeAndTheRetentionAttributes() {
    TopicCatalogue catalogue = TopicCatalogue.of(24, (short) 3, 2);
    TopicPlan plan = TopicPlan.of(catalogue, Optional.empty());

    assertThat(plan.topics())
        .extracting(TopicSpec::name)
        .containsExactlyElementsOf(
            catalogue.all().stream().map(TopicCatalogue.Topic::name).toList())
        .contains(TopicCatalogue.COMMANDS, TopicCatalogue.REPLIES);
    for (TopicCatalogue.Topic t : catalogue.all()) {
      TopicSpec spec = plan.topic(t.name()).orElseThrow();
      assertThat(spec.partitions()).isEqualTo(t.partitions());
      assertThat(spec.replicationFactor()).isEqualTo(t.replicationFactor());
      // One source of per-topic configs: the plan adds nothing to the catalogue's own.
      assertThat(spec.configs()).isEqualTo(t.configs());
    }
    assertThat(plan.topic(TopicCatalogue.EVENTS).orElseThrow().configs())
        .containsEntry("retention.ms", "-1")
        .containsEntry("retention.bytes", "-1")
        .containsEntry("min.insync.replicas", "2");
    assertThat(plan.topic(TopicCatalogue.TOKENS).orElseThrow().configs())
        .containsEntry("max.message.bytes", Integer.toString(TopicCatalogue.MAX_TOKEN_RECORD_BYTES))
        .doesNotContainKey("retention.bytes");
    assertThat(plan.topic(TopicCatalogue.SNAPSHOTS).orElseThrow().configs())
        .containsEntry("cleanup.policy", "compact")
        .containsEntry("min.compaction.lag.ms", "3600000");
  }

  @Test
  void boundingEventsRetentionChangesOnlyTheEventsTopic() {
    TopicCatalogue catalogue = TopicCatalogue.of(12, (short) 1, 1);
    TopicPlan unlimited = TopicPlan.of(catalogue, Optional.empty());
    TopicPlan bounded = TopicPlan.of(catalogue, Optional.of(Duration.ofDays(30)));
    assertThat(bounded.topic(TopicCatalogue.EVENTS).orElseThrow().configs())
        .containsEntry("retention.ms", Long.toString(Duration.ofDays(30).toMillis()));
    for (TopicSpec spec : unlimited.topics()) {
      if (!spec.name().equals(TopicCatalogue.EVENTS)) {
        assertThat(bounded.topic(spec.name())).contains(spec);
      }
    }
  }
}
