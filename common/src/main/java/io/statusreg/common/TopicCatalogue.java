package io.statusreg.common;

import io.statusreg.registry.RegistryException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Every topic of statusreg with its shape (partitions, replication, cleanup, retention, {@code
 * min.insync.replicas}, {@code max.message.bytes}, ...). The one source of per-topic configs:
 * {@link #apply} creates topics with exactly the configs that the SRE tool's {@code topics verify}
 * expects. Streams' own changelog topics are named in the streams module's {@code RegistryTopology}
 * and created by Streams.
 *
 * <p>The catalogue holds shapes only, no serdes: each reader and writer names the serde of its
 * record type where it reads or writes (the topology, the sink, the tools), so this module stays
 * free of the command, reply and snapshot formats.
 */
public final class TopicCatalogue {
  public static final String EVENTS = "statusreg.events";
  public static final String COMMANDS = "statusreg.commands";
  public static final String REPLIES = "statusreg.replies";
  public static final String TOKENS = "statusreg.tokens";
  public static final String SNAPSHOTS = "statusreg.snapshots";
  public static final String DLQ = "statusreg.dlq";

  /**
   * Largest record on {@code statusreg.tokens} and {@code statusreg.snapshots}: a 10M-entry list at
   * 8 bits is 10 MB raw; its three representations compressed stay well below this. The default of
   * {@code record.max.bytes}: every topic's {@code max.message.bytes} and the producers' {@code
   * max.request.size}.
   */
  public static final int MAX_TOKEN_RECORD_BYTES = 16 << 20;

  /** Room for the dead-letter headers (topic, partition, offset, error) on top of a record. */
  public static final int DLQ_HEADER_BYTES = 64 << 10;

  /**
   * {@code max.message.bytes} of {@code statusreg.dlq} with the default record limit: any record of
   * the other topics (a token record the analytics sink cannot read included) plus the dead-letter
   * headers. With another {@code record.max.bytes} the DLQ gets that limit plus {@link
   * #DLQ_HEADER_BYTES}.
   */
  public static final int MAX_DLQ_RECORD_BYTES = MAX_TOKEN_RECORD_BYTES + DLQ_HEADER_BYTES;

  /** Kafka's default {@code max.message.bytes} (a topic or changelog created without one). */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

  public static final Duration COMMANDS_RETENTION = Duration.ofDays(1);
  public static final Duration REPLIES_RETENTION = Duration.ofHours(1);
  public static final Duration DLQ_RETENTION = Duration.ofDays(30);

  /**
   * {@code min.compaction.lag.ms} of {@code statusreg.snapshots}: a superseded snapshot stays
   * readable at least this long, as a fallback while its successor is read.
   */
  public static final Duration SNAPSHOTS_MIN_COMPACTION_LAG = Duration.ofHours(1);

  /**
   * One topic: its name and shape. {@code retention} empty = unlimited; {@code minCompactionLag}
   * empty = the broker's default.
   */
  public record Topic(
      String name,
      int partitions,
      short replicationFactor,
      String cleanupPolicy,
      Optional<Duration> retention,
      Optional<Duration> minCompactionLag,
      int minInsyncReplicas,
      int maxMessageBytes) {

    /**
     * Topic-level configs to create the topic with, and that {@code statusreg topics verify}
     * compares. A {@code delete} topic also gets {@code retention.bytes=-1}: size-based expiry
     * ignores what the snapshots cover, so only time bounds the log.
     */
    public Map<String, String> configs() {
      Map<String, String> c = new LinkedHashMap<>();
      c.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy);
      if (cleanupPolicy.equals(TopicConfig.CLEANUP_POLICY_DELETE)) {
        c.put(
            TopicConfig.RETENTION_MS_CONFIG,
            Long.toString(retention.map(Duration::toMillis).orElse(-1L)));
        c.put(TopicConfig.RETENTION_BYTES_CONFIG, "-1");
      }
      minCompactionLag.ifPresent(
          lag -> c.put(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, Long.toString(lag.toMillis())));
      c.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas));
      c.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxMessageBytes));
      return c;
    }

    public NewTopic newTopic() {
      return new NewTopic(name, Optional.of(partitions), Optional.of(replicationFactor))
          .configs(configs());
    }
  }

  private final Topic events;
  private final Topic commands;
  private final Topic replies;
  private final Topic tokens;
  private final Topic snapshots;
  private final Topic dlq;

  private TopicCatalogue(int partitions, short replication, int minIsr, int maxRecordBytes) {
    String delete = TopicConfig.CLEANUP_POLICY_DELETE;
    String compact = TopicConfig.CLEANUP_POLICY_COMPACT;
    events =
        new Topic(
            EVENTS,
            partitions,
            replication,
            delete,
            Optional.empty(),
            Optional.empty(),
            minIsr,
            maxRecordBytes);
    commands =
        new Topic(
            COMMANDS,
            partitions,
            replication,
            delete,
            Optional.of(COMMANDS_RETENTION),
            Optional.empty(),
            minIsr,
            maxRecordBytes);
    replies =
        new Topic(
            REPLIES,
            partitions,
            replication,
            delete,
            Optional.of(REPLIES_RETENTION),
            Optional.empty(),
            minIsr,
            maxRecordBytes);
    tokens =
        new Topic(
            TOKENS,
            partitions,
            replication,
            compact,
            Optional.empty(),
            Optional.empty(),
            minIsr,
            maxRecordBytes);
    snapshots =
        new Topic(
            SNAPSHOTS,
            partitions,
            replication,
            compact,
            Optional.empty(),
            Optional.of(SNAPSHOTS_MIN_COMPACTION_LAG),
            minIsr,
            maxRecordBytes);
    dlq =
        new Topic(
            DLQ,
            1,
            replication,
            delete,
            Optional.of(DLQ_RETENTION),
            Optional.empty(),
            minIsr,
            maxRecordBytes + DLQ_HEADER_BYTES);
  }

  /** The catalogue with {@link #MAX_TOKEN_RECORD_BYTES} as every topic's record limit. */
  public static TopicCatalogue of(int partitions, short replication, int minInsyncReplicas) {
    return of(partitions, replication, minInsyncReplicas, MAX_TOKEN_RECORD_BYTES);
  }

  /**
   * Every topic gets {@code max.message.bytes = maxRecordBytes}, the same value the node's
   * producers use as {@code max.request.size} ({@code record.max.bytes}): a record a producer
   * accepts is never refused by the broker.
   */
  public static TopicCatalogue of(
      int partitions, short replication, int minInsyncReplicas, int maxRecordBytes) {
    if (partitions < 1 || replication < 1 || minInsyncReplicas < 1 || maxRecordBytes < 1) {
      throw new IllegalArgumentException(
          "partitions, replication, min ISR and the record limit must be positive");
    }
    return new TopicCatalogue(partitions, replication, minInsyncReplicas, maxRecordBytes);
  }

  public Topic events() {
    return events;
  }

  public Topic commands() {
    return commands;
  }

  public Topic replies() {
    return replies;
  }

  public Topic tokens() {
    return tokens;
  }

  /**
   * Periodic list snapshots (written by compaction's snapshot writer): states, chunks with their
   * manifest, and per-partition watermarks (the streams module's {@code SnapshotSerde}).
   */
  public Topic snapshots() {
    return snapshots;
  }

  /** Records that could not be read, with headers topic, partition, offset and error. */
  public Topic dlq() {
    return dlq;
  }

  public List<Topic> all() {
    return List.of(events, commands, replies, tokens, snapshots, dlq);
  }

  /**
   * Creates every missing topic and returns the names it created. Existing topics are left as they
   * are (an SRE verify tool compares their configs).
   */
  public List<String> apply(Admin admin, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      Set<String> existing =
          admin.listTopics().names().get(remaining(deadline), TimeUnit.NANOSECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (Topic t : all()) {
        if (!existing.contains(t.name())) {
          missing.add(t.newTopic());
        }
      }
      List<String> created = new ArrayList<>();
      if (missing.isEmpty()) {
        return created;
      }
      CreateTopicsResult result = admin.createTopics(missing);
      for (var entry : result.values().entrySet()) {
        try {
          entry.getValue().get(remaining(deadline), TimeUnit.NANOSECONDS);
          created.add(entry.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new RegistryException("creating topic " + entry.getKey(), e.getCause());
          }
        }
      }
      return created;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("creating statusreg topics: interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new RegistryException("creating statusreg topics", e);
    }
  }

  private static long remaining(long deadline) {
    return Math.max(1, deadline - System.nanoTime());
  }
}
