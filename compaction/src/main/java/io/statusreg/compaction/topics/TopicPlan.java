package io.statusreg.compaction.topics;

import io.statusreg.streams.TopicCatalogue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.TopicConfig;

/**
 * What {@code statusreg topics apply|verify} expects of the cluster: every topic of {@link
 * TopicCatalogue} (the one catalogue, owned by {@code streams}) with its partitions, replication,
 * cleanup policy, retention, {@code min.insync.replicas} and {@code max.message.bytes}, plus the
 * attributes the retention rules add, each derived from the catalogue entry rather than listed
 * again:
 *
 * <ul>
 *   <li>every {@code delete} topic: {@code retention.bytes=-1} (size-based expiry ignores snapshot
 *       coverage; README, Retention rule 5);
 *   <li>the snapshots topic: {@code min.compaction.lag.ms} ({@value
 *       #SNAPSHOT_MIN_COMPACTION_LAG_MS} ms), so the previous generation stays readable as a
 *       fallback (rule 3);
 *   <li>the events topic: {@code retention.ms} from {@code --events-retention} when the operator
 *       bounds it (rules 1, 2 and 4 are checked live by {@link RetentionRules}).
 * </ul>
 */
public record TopicPlan(List<TopicSpec> topics) {
  /** Kept generation of {@code statusreg.snapshots}: one hour. */
  public static final long SNAPSHOT_MIN_COMPACTION_LAG_MS = 3_600_000L;

  public TopicPlan {
    topics = List.copyOf(topics);
  }

  /** The plan for {@code catalogue}, with the events topic bounded to {@code eventsRetention}. */
  public static TopicPlan of(TopicCatalogue catalogue, Optional<Duration> eventsRetention) {
    List<TopicSpec> specs = new ArrayList<>();
    for (TopicCatalogue.Topic<?, ?> t : catalogue.all()) {
      Map<String, String> configs = new LinkedHashMap<>(t.configs());
      if (t.cleanupPolicy().equals(TopicConfig.CLEANUP_POLICY_DELETE)) {
        configs.put(TopicConfig.RETENTION_BYTES_CONFIG, "-1");
      }
      if (t.name().equals(TopicCatalogue.SNAPSHOTS)) {
        configs.put(
            TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG,
            Long.toString(SNAPSHOT_MIN_COMPACTION_LAG_MS));
      }
      if (t.name().equals(TopicCatalogue.EVENTS) && eventsRetention.isPresent()) {
        configs.put(
            TopicConfig.RETENTION_MS_CONFIG, Long.toString(eventsRetention.get().toMillis()));
      }
      specs.add(new TopicSpec(t.name(), t.partitions(), t.replicationFactor(), configs));
    }
    return new TopicPlan(specs);
  }

  public Optional<TopicSpec> topic(String name) {
    return topics.stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
