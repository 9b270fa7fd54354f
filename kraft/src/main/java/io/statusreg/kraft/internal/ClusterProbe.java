package io.statusreg.kraft.internal;

import io.statusreg.kraft.KafkaClusterException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits until a cluster is usable: every broker registered, a probe topic replicated on every node
 * and an {@code acks=all} idempotent write acknowledged. Every wait is bounded.
 */
public final class ClusterProbe {
  /** Topic written to by the readiness probe; it stays in the cluster. */
  public static final String PROBE_TOPIC = "statusreg.kraft.probe";

  private static final Logger log = LoggerFactory.getLogger(ClusterProbe.class);
  private static final long POLL_MILLIS = 250;

  private ClusterProbe() {}

  /**
   * Returns once the cluster at {@code bootstrap} has {@code brokers} registered brokers and has
   * acknowledged an {@code acks=all} write to {@link #PROBE_TOPIC}.
   *
   * @param deadFailure reports a node that died on its own, to fail fast instead of waiting
   * @param logHint where to look when it fails, put in the exception message
   */
  public static void awaitWritable(
      String bootstrap,
      int brokers,
      ReplicationDefaults replication,
      Duration timeout,
      Supplier<Optional<String>> deadFailure,
      String logHint) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    String state = "no answer from " + bootstrap;
    try (Admin admin = Admin.create(adminConfig(bootstrap));
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(bootstrap))) {
      while (System.nanoTime() < deadline) {
        failFast(deadFailure, logHint);
        try {
          Collection<Node> registered = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
          if (registered.size() < brokers) {
            state = registered.size() + " of " + brokers + " brokers registered";
            pause();
            continue;
          }
          createProbeTopic(admin, replication);
          producer
              .send(
                  new ProducerRecord<>(
                      PROBE_TOPIC,
                      ("probe " + System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8)))
              .get(15, TimeUnit.SECONDS);
          return;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new KafkaClusterException("interrupted while waiting for Kafka at " + bootstrap, e);
        } catch (Exception e) {
          last = e;
          state = describe(e);
          log.debug("Kafka at {} not writable yet: {}", bootstrap, state);
          pause();
        }
      }
    }
    failFast(deadFailure, logHint);
    throw new KafkaClusterException(
        "Kafka cluster at "
            + bootstrap
            + " did not acknowledge an acks=all write within "
            + timeout
            + " ("
            + state
            + "); see "
            + logHint,
        last);
  }

  /**
   * Returns once node {@code nodeId} is a registered broker and in the in-sync replicas of every
   * partition of the probe topic that it holds.
   */
  public static void awaitNodeInSync(
      String bootstrap,
      int nodeId,
      Duration timeout,
      Supplier<Optional<String>> deadFailure,
      String logHint) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String state = "no answer from " + bootstrap;
    Exception last = null;
    try (Admin admin = Admin.create(adminConfig(bootstrap))) {
      while (System.nanoTime() < deadline) {
        failFast(deadFailure, logHint);
        try {
          Set<Integer> registered =
              admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream()
                  .map(Node::id)
                  .collect(Collectors.toSet());
          if (!registered.contains(nodeId)) {
            state = "node " + nodeId + " not registered (registered: " + registered + ")";
            pause();
            continue;
          }
          TopicDescription probe =
              admin
                  .describeTopics(List.of(PROBE_TOPIC))
                  .allTopicNames()
                  .get(5, TimeUnit.SECONDS)
                  .get(PROBE_TOPIC);
          List<TopicPartitionInfo> lagging =
              probe.partitions().stream()
                  .filter(p -> p.replicas().stream().anyMatch(r -> r.id() == nodeId))
                  .filter(p -> p.isr().stream().noneMatch(r -> r.id() == nodeId))
                  .toList();
          if (lagging.isEmpty()) {
            return;
          }
          state = "node " + nodeId + " not yet in sync on " + PROBE_TOPIC;
          pause();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new KafkaClusterException("interrupted while waiting for node " + nodeId, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
          last = e;
          state = describe(e);
          pause();
        }
      }
    }
    failFast(deadFailure, logHint);
    throw new KafkaClusterException(
        "Kafka node "
            + nodeId
            + " did not rejoin within "
            + timeout
            + " ("
            + state
            + "); see "
            + logHint,
        last);
  }

  private static void createProbeTopic(Admin admin, ReplicationDefaults replication)
      throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
    NewTopic topic =
        new NewTopic(PROBE_TOPIC, 1, replication.replicationFactor())
            .configs(
                Map.of(
                    TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                    Integer.toString(replication.minInsyncReplicas())));
    try {
      admin.createTopics(List.of(topic)).all().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }

  private static void failFast(Supplier<Optional<String>> deadFailure, String logHint) {
    deadFailure
        .get()
        .ifPresent(
            reason -> {
              throw new KafkaClusterException(reason + "\n(see " + logHint + ")");
            });
  }

  private static String describe(Exception e) {
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaClusterException("interrupted while waiting for Kafka", e);
    }
  }

  private static Map<String, Object> adminConfig(String bootstrap) {
    return Map.of(
        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
        CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500,
        CommonClientConfigs.CLIENT_ID_CONFIG, "statusreg-kraft-probe");
  }

  private static Map<String, Object> producerConfig(String bootstrap) {
    return Map.of(
        CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
        bootstrap,
        ProducerConfig.ACKS_CONFIG,
        "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
        true,
        ProducerConfig.MAX_BLOCK_MS_CONFIG,
        5_000,
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
        5_000,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
        14_000,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
        ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
        ByteArraySerializer.class,
        CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG,
        500,
        CommonClientConfigs.CLIENT_ID_CONFIG,
        "statusreg-kraft-probe");
  }
}
