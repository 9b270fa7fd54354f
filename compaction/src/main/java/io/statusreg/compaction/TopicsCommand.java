package io.statusreg.compaction;

import io.statusreg.common.TopicCatalogue;
import io.statusreg.compaction.snapshots.SnapshotReader;
import io.statusreg.compaction.snapshots.SnapshotSet;
import io.statusreg.compaction.topics.RetentionRules;
import io.statusreg.compaction.topics.TopicManager;
import io.statusreg.compaction.topics.TopicPlan;
import io.statusreg.streams.StreamsSettings;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;

/** {@code statusreg topics apply|verify}: create and check the catalogue's topics. */
public final class TopicsCommand {
  public static final String USAGE =
      """
      usage: statusreg topics apply|verify [options]
        apply    create missing topics, set their configs (incrementalAlterConfigs)
        verify   compare the cluster with the catalogue and the retention rules; exit 1 on a diff
      options (the registry's own settings; flag, else STATUSREG_* variable, else --config file):
        --bootstrap-servers H:P    kafka.bootstrap.servers (default localhost:9092)
        --events-partitions N      events.partitions (default 12)
        --replication-factor N     topic.replication.factor (default 3)
        --min-insync-replicas N    topic.min.insync.replicas (default 2)
        --config FILE              properties file with those settings (as `statusreg serve`)
        --data-dir DIR             when none of those names Kafka: the broker `statusreg dev`
                                   wrote to DIR/kafka/bootstrap (default ./data)
        --events-retention D       bound statusreg.events retention (e.g. 30d); default unlimited
        --snapshot-interval D      how often snapshots are taken (default 10m)
        --safety-factor N          snapshot runs that may fail in a row (default 3)
        --max-consumer-lag D       largest lag of any events reader (default 1h)
      """;

  private TopicsCommand() {}

  public static int run(String[] args) {
    return run(args, System.out, System.err, System.getenv());
  }

  public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    try {
      Set<String> valued = new java.util.HashSet<>(ToolSettings.COMMON);
      valued.addAll(ToolSettings.TOPIC_SHAPE);
      valued.addAll(
          Set.of("events-retention", "snapshot-interval", "safety-factor", "max-consumer-lag"));
      CliArgs a = CliArgs.parse(args, valued, Set.of());
      if (a.positional().size() != 1
          || !Set.of("apply", "verify").contains(a.positional().getFirst())) {
        throw new CliArgs.UsageException("say apply or verify");
      }
      StreamsSettings settings = ToolSettings.read(a, env, err);
      KafkaAccess kafka = KafkaAccess.of(settings.bootstrapServers());
      RetentionRules rules =
          new RetentionRules(
              a.duration("snapshot-interval").orElse(RetentionRules.DEFAULT.interval()),
              a.integer("safety-factor").orElse(RetentionRules.DEFAULT.safetyFactor()),
              a.duration("max-consumer-lag").orElse(RetentionRules.DEFAULT.maxConsumerLag()));
      TopicPlan catalogue = TopicPlan.of(settings.topicCatalogue(), a.duration("events-retention"));
      try (Admin admin = kafka.admin()) {
        TopicManager topics = new TopicManager(admin);
        if (a.positional().getFirst().equals("apply")) {
          return apply(kafka, admin, topics, catalogue, rules, out, err);
        }
        return verify(kafka, admin, topics, catalogue, rules, out);
      }
    } catch (CliArgs.UsageException e) {
      err.println("statusreg topics: " + e.getMessage());
      err.print(USAGE);
      return 2;
    } catch (RuntimeException e) {
      err.println("statusreg topics: " + e.getMessage());
      return 1;
    }
  }

  private static int apply(
      KafkaAccess kafka,
      Admin admin,
      TopicManager topics,
      TopicPlan catalogue,
      RetentionRules rules,
      PrintStream out,
      PrintStream err) {
    // Lowering events retention is allowed only when the snapshots already cover what would expire.
    String planned =
        catalogue.topic(TopicCatalogue.EVENTS).orElseThrow().configs().get("retention.ms");
    if (planned != null && Long.parseLong(planned) >= 0) {
      Map<String, String> plannedConfig = new HashMap<>();
      plannedConfig.put("retention.ms", planned);
      List<String> problems = retentionProblems(kafka, admin, topics, rules, plannedConfig);
      if (!problems.isEmpty()) {
        err.println("statusreg topics apply: refusing to bound statusreg.events retention:");
        problems.forEach(p -> err.println("  " + p));
        err.println("take snapshots first (`statusreg snapshot`) and keep them running");
        return 1;
      }
    }
    List<String> report = topics.apply(catalogue);
    if (report.isEmpty()) {
      out.println("topics: nothing to do, every topic matches the catalogue");
    }
    report.forEach(l -> out.println("topics: " + l));
    return report.stream().anyMatch(l -> l.startsWith("NOT CHANGED")) ? 1 : 0;
  }

  private static int verify(
      KafkaAccess kafka,
      Admin admin,
      TopicManager topics,
      TopicPlan catalogue,
      RetentionRules rules,
      PrintStream out) {
    List<String> diff = new ArrayList<>(topics.verify(catalogue));
    Map<String, TopicManager.LiveTopic> live = topics.describe(List.of(TopicCatalogue.EVENTS));
    if (live.containsKey(TopicCatalogue.EVENTS)) {
      diff.addAll(
          retentionProblems(
              kafka, admin, topics, rules, live.get(TopicCatalogue.EVENTS).configs()));
    }
    if (diff.isEmpty()) {
      out.println("topics: every topic matches the catalogue; events retention is safe");
      return 0;
    }
    out.println("topics: the cluster differs from the catalogue:");
    diff.forEach(l -> out.println("  - " + l));
    return 1;
  }

  static List<String> retentionProblems(
      KafkaAccess kafka,
      Admin admin,
      TopicManager topics,
      RetentionRules rules,
      Map<String, String> eventsConfig) {
    Map<String, TopicManager.LiveTopic> live =
        topics.describe(List.of(TopicCatalogue.EVENTS, TopicCatalogue.SNAPSHOTS));
    Optional<String> snapshotsPolicy =
        Optional.ofNullable(live.get(TopicCatalogue.SNAPSHOTS))
            .map(t -> t.configs().get(TopicConfig.CLEANUP_POLICY_CONFIG));
    SnapshotSet snapshots =
        snapshotsPolicy.isPresent()
            ? new SnapshotReader(kafka, TopicCatalogue.SNAPSHOTS, Duration.ofMinutes(5)).load()
            : SnapshotSet.empty();
    Map<Integer, Long> logStart = new HashMap<>();
    TopicManager.LiveTopic events = live.get(TopicCatalogue.EVENTS);
    if (events != null) {
      Map<TopicPartition, OffsetSpec> query = new HashMap<>();
      for (int p = 0; p < events.partitions(); p++) {
        query.put(new TopicPartition(TopicCatalogue.EVENTS, p), OffsetSpec.earliest());
      }
      try {
        admin
            .listOffsets(query)
            .all()
            .get(60, TimeUnit.SECONDS)
            .forEach((tp, info) -> logStart.put(tp.partition(), info.offset()));
      } catch (Exception e) {
        throw new IllegalStateException("reading the events topic's log start offsets", e);
      }
    }
    return rules.check(eventsConfig, snapshotsPolicy, snapshots, logStart, Instant.now());
  }
}
