package io.statusreg.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.kraft.KraftCluster;
import io.statusreg.registry.Actor;
import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.Status;
import io.statusreg.registry.config.Settings;
import io.statusreg.registry.events.EventCodec;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.ListState;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.issuance.IndexPermutation;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.streams.CommandGateway.Outcome;
import io.statusreg.streams.testing.TestSigner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline on a real single-node KRaft broker: commands through the gateway, the owner's fold,
 * the event log, the publisher and the token directory. One fresh cluster per test, since the
 * statusreg topic names are fixed.
 */
@Tag("integration")
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class RegistryPipelineIT {
  private static final Actor ISSUER = Actor.issuer("it");
  private static final int PARTITIONS = 4;
  private static final int SIZE = 20_000;

  @TempDir Path dir;
  private KraftCluster kafka;
  private final TestSigner signer = new TestSigner(6);
  private final List<RegistryNode> nodes = new ArrayList<>();

  @BeforeEach
  void startBroker() {
    kafka = KraftCluster.builder().dataDir(dir.resolve("kafka")).build();
    kafka.start();
  }

  @AfterEach
  void stop() {
    nodes.forEach(RegistryNode::close);
    if (kafka != null) {
      kafka.close();
    }
  }

  private StreamsSettings settings(String stateDir) {
    Map<String, String> raw = new HashMap<>();
    raw.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    raw.put("application.id", "statusreg-it");
    raw.put("state.dir", dir.resolve(stateDir).toString());
    raw.put("num.standby.replicas", "0");
    raw.put("session.timeout.ms", "10000");
    raw.put("publish.interval.ms", "200");
    raw.put("events.partitions", Integer.toString(PARTITIONS));
    raw.put("topic.replication.factor", "1");
    raw.put("topic.min.insync.replicas", "1");
    raw.put("rocksdb.block.cache.bytes", Long.toString(16L << 20));
    raw.put("rocksdb.write.buffer.bytes", Long.toString(8L << 20));
    raw.put("command.timeout.ms", "10000");
    return StreamsSettings.from(Settings.of(raw));
  }

  private RegistryNode startNode(StreamsSettings s) {
    RegistryNode node = RegistryNode.start(s, signer, Clock.systemUTC());
    nodes.add(node);
    await("node ready", Duration.ofSeconds(90), node::isReady);
    return node;
  }

  @Test
  void randomChangesSurviveARestartAndEveryTokenShowsTheFoldOfTheEventLog() throws Exception {
    StreamsSettings s = settings("state-a");
    RegistryNode.createTopics(s, Duration.ofSeconds(30));
    RegistryNode node = startNode(s);

    List<ListId> lists = new ArrayList<>();
    Map<ListId, List<Long>> allocated = new HashMap<>();
    for (int i = 0; i < 6; i++) {
      ListId list = ListId.of("issuer-" + (i % 3), "list-" + i);
      lists.add(list);
      accepted(submit(node.gateway(), create(list)));
      allocated.put(list, submit(node.gateway(), allocate(list, 300)).allocatedIndexes());
    }
    Set<EventId> acknowledged = new HashSet<>();
    Random random = new Random(7);
    randomChanges(node.gateway(), lists, allocated, random, 1500, acknowledged);

    node.close();
    nodes.remove(node);
    RegistryNode restarted = startNode(s);
    randomChanges(restarted.gateway(), lists, allocated, random, 1500, acknowledged);

    // The event log holds every acknowledged event exactly once.
    Map<ListId, ListState> folded = new HashMap<>();
    List<EventId> logged = new ArrayList<>();
    for (RegistryEvent e : readEvents(s)) {
      logged.add(e.id());
      folded.merge(e.listId(), ListState.initial().evolve(e), (old, ignored) -> old.evolve(e));
    }
    assertThat(new HashSet<>(logged)).hasSameSizeAs(logged).containsAll(acknowledged);
    assertThat(folded.keySet()).containsExactlyInAnyOrderElementsOf(lists);

    // Every list's published token converges to the fold of its events.
    TokenDirectory directory = restarted.directory();
    await(
        "tokens showing the folded event log",
        Duration.ofSeconds(30),
        () ->
            lists.stream()
                .allMatch(
                    list ->
                        directory
                            .latest(list)
                            .map(
                                t -> Arrays.equals(decode(t), folded.get(list).entries().toBytes()))
                            .orElse(false)));
    for (ListId list : lists) {
      PublishedToken token = directory.latest(list).orElseThrow();
      assertThat(token.allocated()).isEqualTo(300);
      assertThat(token.counts()).containsExactly(folded.get(list).entries().histogram());
    }
    long revoked = folded.values().stream().mapToLong(st -> st.entries().histogram()[1]).sum();
    assertThat(revoked).as("some entries were revoked").isGreaterThan(100);
  }

  @Test
  void twoNodesAllocatingConcurrentlyNeverRepeatAnIndex() throws Exception {
    StreamsSettings a = settings("state-1");
    StreamsSettings b = settings("state-2");
    RegistryNode.createTopics(a, Duration.ofSeconds(30));
    RegistryNode first = startNode(a);
    RegistryNode second = startNode(b);
    await(
        "both nodes running",
        Duration.ofSeconds(60),
        () ->
            first.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING
                && second.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING);

    List<ListId> lists = List.of(ListId.of("acme", "a"), ListId.of("acme", "b"));
    for (ListId list : lists) {
      accepted(submit(first.gateway(), create(list)));
    }
    Random random = new Random(11);
    List<CompletableFuture<Outcome>> pending = new ArrayList<>();
    Map<CompletableFuture<Outcome>, ListId> listOf = new HashMap<>();
    int asked = 0;
    for (int i = 0; i < 400; i++) {
      ListId list = lists.get(i % lists.size());
      int count = 1 + random.nextInt(3);
      asked += count;
      CommandGateway gateway = (i % 2 == 0 ? first : second).gateway();
      CompletableFuture<Outcome> f = submitAsync(gateway, allocate(list, count));
      pending.add(f);
      listOf.put(f, list);
    }
    Map<ListId, List<Long>> handedOut = new HashMap<>();
    for (CompletableFuture<Outcome> f : pending) {
      Outcome o = f.get(60, TimeUnit.SECONDS);
      accepted(o);
      handedOut.computeIfAbsent(listOf.get(f), k -> new ArrayList<>()).addAll(o.allocatedIndexes());
    }
    int total = 0;
    for (List<Long> indexes : handedOut.values()) {
      assertThat(new HashSet<>(indexes)).hasSameSizeAs(indexes);
      total += indexes.size();
    }
    assertThat(total).isEqualTo(asked);
  }

  // ------------------------------------------------------------------ helpers

  private void randomChanges(
      CommandGateway gateway,
      List<ListId> lists,
      Map<ListId, List<Long>> allocated,
      Random random,
      int count,
      Set<EventId> acknowledged)
      throws Exception {
    Status[] statuses = {Status.VALID, Status.INVALID, Status.SUSPENDED, Status.SUSPENDED};
    List<CompletableFuture<Outcome>> window = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ListId list = lists.get(random.nextInt(lists.size()));
      List<Long> idx = allocated.get(list);
      RegistryCommand.ChangeStatus change =
          new RegistryCommand.ChangeStatus(
              UUID.randomUUID(),
              list,
              List.of(
                  new RegistryCommand.Change(
                      idx.get(random.nextInt(idx.size())),
                      statuses[random.nextInt(statuses.length)],
                      Reason.UNSPECIFIED)),
              ISSUER,
              Instant.now());
      window.add(submitAsync(gateway, change));
      if (window.size() == 64 || i == count - 1) {
        for (CompletableFuture<Outcome> f : window) {
          Outcome o = f.get(60, TimeUnit.SECONDS);
          if (o.decision() instanceof Decision.Accepted a) {
            a.events().forEach(e -> acknowledged.add(e.id()));
          }
        }
        window.clear();
      }
    }
  }

  /** Submits, retrying a timed-out command with the same command id (the owner dedups it). */
  private static CompletableFuture<Outcome> submitAsync(
      CommandGateway gateway, RegistryCommand command) {
    return submitAsync(gateway, command, 3);
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
              Throwable cause =
                  e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
              if (cause instanceof TimeoutException && attempts > 1) {
                return submitAsync(gateway, command, attempts - 1);
              }
              return CompletableFuture.<Outcome>failedFuture(cause);
            })
        .thenCompose(f -> f);
  }

  private static Outcome submit(CommandGateway gateway, RegistryCommand command) throws Exception {
    return submitAsync(gateway, command).get(60, TimeUnit.SECONDS);
  }

  private static Outcome accepted(Outcome o) {
    assertThat(o.decision()).isInstanceOf(Decision.Accepted.class);
    return o;
  }

  private static RegistryCommand create(ListId list) {
    return new RegistryCommand.CreateList(
        UUID.randomUUID(),
        list,
        2,
        SIZE,
        Duration.ofMinutes(5),
        Duration.ofHours(1),
        Purpose.REVOCATION,
        new IndexPermutation.Key(list.hashCode(), 99),
        ISSUER,
        Instant.now());
  }

  private static RegistryCommand allocate(ListId list, int count) {
    return new RegistryCommand.AllocateIndexes(
        UUID.randomUUID(), list, count, ISSUER, Instant.now());
  }

  private byte[] decode(PublishedToken token) {
    byte[] packed = signer.decode(token.jwt()).packed();
    return StatusList.fromBytes(token.bits(), token.size(), packed).toBytes();
  }

  private List<RegistryEvent> readEvents(StreamsSettings s) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<RegistryEvent> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(TopicCatalogue.EVENTS)
          .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        assertThat(System.nanoTime()).as("reading the event log in time").isLessThan(deadline);
        consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(EventCodec.decode(r.value())));
      }
    }
    return out;
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }
}
