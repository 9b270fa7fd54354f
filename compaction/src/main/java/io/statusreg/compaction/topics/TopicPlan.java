package io.statusreg.compaction.topics;

import io.statusreg.common.TopicCatalogue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.config.TopicConfig;

/**
 * What {@code statusreg topics apply|verify} expects of the cluster: every topic of {@link
 * TopicCatalogue} (the one catalogue, owned by {@code streams}, and the one source of per-topic
 * configs) with its partitions, replication and configs exactly as the catalogue creates them, and
 * one choice of the operator's on top: {@code retention.ms} of the events topic when {@code
 * --events-retention} bounds it (the retention rules are checked live by {@link RetentionRules}).
 */
public record TopicPlan(List<TopicSpec> topics) {
  public TopicPlan {
    topics = List.copyOf(topics);
  }

  /** The plan for {@code catalogue}, with the events topic bounded to {@code eventsRetention}. */
  public static TopicPlan of(TopicCatalogue catalogue, Optional<Duration> eventsRetention) {
    List<TopicSpec> specs = new ArrayList<>();
    for (TopicCatalogue.Topic t : catalogue.all()) {
      TopicSpec spec = new TopicSpec(t.name(), t.partitions(), t.replicationFactor(), t.configs());
      if (t.name().equals(TopicCatalogue.EVENTS) && eventsRetention.isPresent()) {
        spec =
            spec.withConfig(
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(eventsRetention.get().toMillis()));
      }
      specs.add(spec);
    }
    return new TopicPlan(specs);
  }

  public Optional<TopicSpec> topic(String name) {
    return topics.stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
