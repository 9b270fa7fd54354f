package io.statusreg.compaction.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Creates and verifies the catalogue's topics on a live cluster: {@link #apply} creates missing
 * topics and sets configs with {@code incrementalAlterConfigs}; {@link #verify} lists every
 * difference (partitions, replication, each spec'd config).
 */
public final class TopicManager {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Admin admin;

  public TopicManager(Admin admin) {
    this.admin = admin;
  }

  /** One live topic: partitions, replication factor (smallest over partitions) and configs. */
  public record LiveTopic(
      String name, int partitions, int replicationFactor, Map<String, String> configs) {}

  /** The live state of the named topics that exist. */
  public Map<String, LiveTopic> describe(Collection<String> names) {
    try {
      Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
      List<String> present = names.stream().filter(existing::contains).toList();
      if (present.isEmpty()) {
        return Map.of();
      }
      Map<String, TopicDescription> descriptions =
          admin.describeTopics(present).allTopicNames().get(60, TimeUnit.SECONDS);
      List<ConfigResource> resources =
          present.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
      Map<ConfigResource, Config> configs =
          admin.describeConfigs(resources).all().get(60, TimeUnit.SECONDS);
      Map<String, LiveTopic> out = new HashMap<>();
      for (String n : present) {
        TopicDescription d = descriptions.get(n);
        int rf = d.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
        Map<String, String> c =
            configs.get(new ConfigResource(ConfigResource.Type.TOPIC, n)).entries().stream()
                .filter(e -> e.value() != null)
                .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value));
        out.put(n, new LiveTopic(n, d.partitions().size(), rf, c));
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while describing topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("describing topics " + names + ": " + e.getMessage(), e);
    }
  }

  /**
   * Waits (bounded) until created topics and altered configs show in describe calls: a change is
   * applied through the metadata log and reaches each broker a moment later.
   */
  private void awaitVisible(TopicCatalogue catalogue) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    List<String> diff = verify(catalogue);
    while (diff.stream().anyMatch(d -> !d.contains("partitions") && !d.contains("replication"))
        && System.nanoTime() < deadline) {
      Thread.sleep(200);
      diff = verify(catalogue);
    }
  }

  /** Every difference between the catalogue and the cluster, one readable line each. */
  public List<String> verify(TopicCatalogue catalogue) {
    Map<String, LiveTopic> live =
        describe(catalogue.topics().stream().map(TopicSpec::name).toList());
    List<String> diff = new ArrayList<>();
    for (TopicSpec spec : catalogue.topics()) {
      LiveTopic t = live.get(spec.name());
      if (t == null) {
        diff.add(spec.name() + ": missing (run `statusreg topics apply`)");
        continue;
      }
      if (t.partitions() != spec.partitions()) {
        diff.add(
            spec.name() + ": partitions " + t.partitions() + ", expected " + spec.partitions());
      }
      if (t.replicationFactor() != spec.replicationFactor()) {
        diff.add(
            spec.name()
                + ": replication factor "
                + t.replicationFactor()
                + ", expected "
                + spec.replicationFactor());
      }
      spec.configs()
          .forEach(
              (k, v) -> {
                String actual = t.configs().get(k);
                if (!v.equals(actual)) {
                  diff.add(spec.name() + ": " + k + "=" + actual + ", expected " + v);
                }
              });
    }
    return diff;
  }

  /**
   * Creates the missing topics and sets every spec'd config of the existing ones. Partition counts
   * are never changed (that would move keys between partitions) and replication is not reassigned:
   * both are reported in the returned lines, together with what was done.
   */
  public List<String> apply(TopicCatalogue catalogue) {
    Map<String, LiveTopic> live =
        describe(catalogue.topics().stream().map(TopicSpec::name).toList());
    List<String> report = new ArrayList<>();
    List<NewTopic> create = new ArrayList<>();
    Map<ConfigResource, Collection<AlterConfigOp>> alter = new HashMap<>();
    for (TopicSpec spec : catalogue.topics()) {
      LiveTopic t = live.get(spec.name());
      if (t == null) {
        create.add(
            new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor())
                .configs(spec.configs()));
        report.add(
            "created "
                + spec.name()
                + " ("
                + spec.partitions()
                + " partitions, rf "
                + spec.replicationFactor()
                + ")");
        continue;
      }
      List<AlterConfigOp> ops = new ArrayList<>();
      spec.configs()
          .forEach(
              (k, v) -> {
                if (!v.equals(t.configs().get(k))) {
                  ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET));
                  report.add(
                      "set "
                          + spec.name()
                          + " "
                          + k
                          + "="
                          + v
                          + " (was "
                          + t.configs().get(k)
                          + ")");
                }
              });
      if (!ops.isEmpty()) {
        alter.put(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()), ops);
      }
      if (t.partitions() != spec.partitions()) {
        report.add(
            "NOT CHANGED "
                + spec.name()
                + ": has "
                + t.partitions()
                + " partitions, expected "
                + spec.partitions()
                + " (changing it would move keys; recreate the topic on purpose)");
      }
      if (t.replicationFactor() != spec.replicationFactor()) {
        report.add(
            "NOT CHANGED "
                + spec.name()
                + ": replication factor "
                + t.replicationFactor()
                + ", expected "
                + spec.replicationFactor()
                + " (use kafka-reassign-partitions)");
      }
    }
    try {
      if (!create.isEmpty()) {
        admin.createTopics(create).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
      if (!alter.isEmpty()) {
        admin.incrementalAlterConfigs(alter).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
      awaitVisible(catalogue);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while applying topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("applying topics: " + e.getMessage(), e);
    }
    return report;
  }
}
