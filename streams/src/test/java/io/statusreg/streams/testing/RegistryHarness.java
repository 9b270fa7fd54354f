package io.statusreg.streams.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.common.TopicCatalogue;
import io.statusreg.registry.Actor;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.Status;
import io.statusreg.registry.config.Settings;
import io.statusreg.registry.events.EventCodec;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.issuance.IndexPermutation;
import io.statusreg.streams.RegistryNode;
import io.statusreg.streams.StreamsSettings;
import io.statusreg.streams.gateway.CommandGateway;
import io.statusreg.streams.gateway.CommandGateway.Outcome;
import io.statusreg.streams.publication.ListSigner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The one integration-test harness of a registry node (shared through the streams test-jar by the
 * ITs of streams, compaction and analytics): node settings for a one-broker test cluster, start-up
 * until ready, submit with retry, the common commands, and reading the event log back. Waiting is
 * {@link Await}.
 */
public final class RegistryHarness {
  /** How long a node may take to become ready on the shared test machine. */
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  /** How long one submitted command (with its retries) may take. */
  public static final Duration SUBMIT_TIMEOUT = Duration.ofSeconds(60);

  private static final int SUBMIT_ATTEMPTS = 3;

  private RegistryHarness() {}

  /**
   * The raw settings of a test node on a one-broker cluster: no standby, short session timeout and
   * publish interval, small RocksDB budgets. Mutable: a test adds or replaces what it needs.
   */
  public static Map<String, String> nodeSettings(
      String bootstrapServers, String applicationId, Path stateDir, int partitions) {
    Map<String, String> raw = new HashMap<>();
    raw.put("kafka.bootstrap.servers", bootstrapServers);
    raw.put("application.id", applicationId);
    raw.put("state.dir", stateDir.toString());
    raw.put("num.standby.replicas", "0");
    raw.put("session.timeout.ms", "10000");
    raw.put("publish.interval.ms", "200");
    raw.put("events.partitions", Integer.toString(partitions));
    raw.put("topic.replication.factor", "1");
    raw.put("topic.min.insync.replicas", "1");
    raw.put("rocksdb.block.cache.bytes", Long.toString(16L << 20));
    raw.put("rocksdb.write.buffer.bytes", Long.toString(8L << 20));
    raw.put("command.timeout.ms", "10000");
    return raw;
  }

  public static StreamsSettings settings(Map<String, String> raw) {
    return StreamsSettings.from(Settings.of(raw));
  }

  /** Starts a node and waits until it is ready; closes it when it does not get ready in time. */
  public static RegistryNode startReady(StreamsSettings settings, ListSigner signer, Clock clock) {
    RegistryNode node = RegistryNode.start(settings, signer, clock);
    try {
      Await.until("registry node ready", READY_TIMEOUT, node::isReady);
      return node;
    } catch (RuntimeException | AssertionError e) {
      node.close();
      throw e;
    }
  }

  /** Submits, retrying a timed-out command with the same command id (the owner dedups it). */
  public static CompletableFuture<Outcome> submitAsync(
      CommandGateway gateway, RegistryCommand command) {
    return submitAsync(gateway, command, SUBMIT_ATTEMPTS);
  }

  private static CompletableFuture<Outcome> submitAsync(
      CommandGateway gateway, RegistryCommand command, int attempts) {
    return gateway
        .submit(command)
        .handle(
            (o, e) -> {
              if (e == null) {
                return CompletableFuture.completedFuture(o);
              }
              Throwable cause = e instanceof CompletionException ? e.getCause() : e;
              if (cause instanceof TimeoutException && attempts > 1) {
                return submitAsync(gateway, command, attempts - 1);
              }
              return CompletableFuture.<Outcome>failedFuture(cause);
            })
        .thenCompose(f -> f);
  }

  /** {@link #submitAsync} and wait for the outcome. */
  public static Outcome submit(CommandGateway gateway, RegistryCommand command) throws Exception {
    return submitAsync(gateway, command).get(SUBMIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Asserts that the command was accepted and returns its outcome. */
  public static Outcome accepted(Outcome o) {
    assertThat(o.decision()).isInstanceOf(Decision.Accepted.class);
    return o;
  }

  /**
   * A revocation list of {@code bits} bits and {@code size} entries, ttl 5 minutes, validity 1
   * hour, its index permutation keyed by the list id and {@code permutationSalt}.
   */
  public static RegistryCommand.CreateList create(
      ListId list, int bits, long size, long permutationSalt, Actor actor) {
    return new RegistryCommand.CreateList(
        UUID.randomUUID(),
        list,
        bits,
        size,
        Duration.ofMinutes(5),
        Duration.ofHours(1),
        Purpose.REVOCATION,
        new IndexPermutation.Key(list.hashCode(), permutationSalt),
        actor,
        Instant.now());
  }

  public static RegistryCommand.AllocateIndexes allocate(ListId list, int count, Actor actor) {
    return new RegistryCommand.AllocateIndexes(
        UUID.randomUUID(), list, count, actor, Instant.now());
  }

  /**
   * Sets entry {@code idx} of {@code list} INVALID (reason unspecified), under a new command id.
   */
  public static RegistryCommand.ChangeStatus revoke(ListId list, long idx, Actor actor) {
    return new RegistryCommand.ChangeStatus(
        UUID.randomUUID(),
        list,
        List.of(new RegistryCommand.Change(idx, Status.INVALID, Reason.UNSPECIFIED)),
        actor,
        Instant.now());
  }

  /**
   * Every committed event of {@code statusreg.events}, partition by partition, within a minute,
   * once no transaction of the owners is open on the topic: a command is answered once decided,
   * before its transaction commits (streams/README.md, "Acknowledged once decided"), so the events
   * of the last commands answered may still be in flight when the caller asks.
   */
  public static List<RegistryEvent> readEvents(String bootstrapServers) {
    return decoded(read(bootstrapServers, true));
  }

  /**
   * The events committed at this moment (read up to the last stable offsets without waiting for
   * open transactions), for a test that checks what is not committed yet.
   */
  public static List<RegistryEvent> readCommittedEventsNow(String bootstrapServers) {
    return decoded(read(bootstrapServers, false));
  }

  /**
   * The record values of {@link #readEvents}, as the registry wrote them (either form of {@code
   * EventCodec}), in offset order within each partition.
   */
  public static List<byte[]> readEventValues(String bootstrapServers) {
    return read(bootstrapServers, true);
  }

  /**
   * Whether a transaction is open on {@code statusreg.events} now: records written but neither
   * committed nor aborted (last stable offsets below the high watermarks).
   */
  public static boolean eventsInOpenTransaction(String bootstrapServers) {
    try (KafkaConsumer<byte[], byte[]> committed = consumer(bootstrapServers, "read_committed");
        KafkaConsumer<byte[], byte[]> written = consumer(bootstrapServers, "read_uncommitted")) {
      List<TopicPartition> partitions = eventPartitions(committed);
      return !committed.endOffsets(partitions).equals(written.endOffsets(partitions));
    }
  }

  private static List<RegistryEvent> decoded(List<byte[]> values) {
    List<RegistryEvent> out = new ArrayList<>();
    values.forEach(v -> out.add(EventCodec.decode(v)));
    return out;
  }

  /** The committed record values, to the ends once settled ({@code settle}) or as they are now. */
  private static List<byte[]> read(String bootstrapServers, boolean settle) {
    List<byte[]> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers, "read_committed")) {
      List<TopicPartition> partitions = eventPartitions(consumer);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      Map<TopicPartition, Long> end =
          settle
              ? settledEnds(bootstrapServers, consumer, partitions, deadline)
              : consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        assertThat(System.nanoTime()).as("reading the event log in time").isLessThan(deadline);
        consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
      }
    }
    return out;
  }

  /**
   * The last stable offsets of {@code partitions} once they equal the high watermarks (every
   * transaction written to them committed or aborted), polled every 100 ms until {@code deadline}.
   */
  private static Map<TopicPartition, Long> settledEnds(
      String bootstrapServers,
      KafkaConsumer<byte[], byte[]> committed,
      List<TopicPartition> partitions,
      long deadline) {
    try (KafkaConsumer<byte[], byte[]> written = consumer(bootstrapServers, "read_uncommitted")) {
      while (true) {
        Map<TopicPartition, Long> stable = committed.endOffsets(partitions);
        if (stable.equals(written.endOffsets(partitions))) {
          return stable;
        }
        assertThat(System.nanoTime())
            .as("the owners' open transactions on the event log ended in time")
            .isLessThan(deadline);
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
    }
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers, String isolation) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static List<TopicPartition> eventPartitions(KafkaConsumer<?, ?> consumer) {
    List<TopicPartition> partitions = new ArrayList<>();
    consumer
        .partitionsFor(TopicCatalogue.EVENTS)
        .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
    return partitions;
  }
}
