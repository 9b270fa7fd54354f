package io.statusreg.streams;

import static io.statusreg.streams.testing.RegistryHarness.accepted;
import static io.statusreg.streams.testing.RegistryHarness.readEvents;
import static io.statusreg.streams.testing.RegistryHarness.submit;
import static io.statusreg.streams.testing.RegistryHarness.submitAsync;
import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.common.wire.PublishedToken;
import io.statusreg.kraft.KraftCluster;
import io.statusreg.registry.Actor;
import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.ListState;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.streams.gateway.CommandGateway;
import io.statusreg.streams.gateway.CommandGateway.Outcome;
import io.statusreg.streams.testing.Await;
import io.statusreg.streams.testing.RegistryHarness;
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
    return RegistryHarness.settings(
        RegistryHarness.nodeSettings(
            kafka.bootstrapServers(), "statusreg-it", dir.resolve(stateDir), PARTITIONS));
  }

  private RegistryNode startNode(StreamsSettings s) {
    RegistryNode node = RegistryHarness.startReady(s, signer, Clock.systemUTC());
    nodes.add(node);
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
    for (RegistryEvent e : readEvents(s.bootstrapServers())) {
      logged.add(e.id());
      folded.merge(e.listId(), ListState.initial().evolve(e), (old, ignored) -> old.evolve(e));
    }
    assertThat(new HashSet<>(logged)).hasSameSizeAs(logged).containsAll(acknowledged);
    assertThat(folded.keySet()).containsExactlyInAnyOrderElementsOf(lists);

    // Every list's published token converges to the fold of its events.
    TokenDirectory directory = restarted.directory();
    Await.until(
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
    Await.until(
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

  private static RegistryCommand create(ListId list) {
    return RegistryHarness.create(list, 2, SIZE, 99, ISSUER);
  }

  private static RegistryCommand allocate(ListId list, int count) {
    return RegistryHarness.allocate(list, count, ISSUER);
  }

  private byte[] decode(PublishedToken token) {
    byte[] packed = signer.decode(token.jwt()).packed();
    return StatusList.fromBytes(token.bits(), token.size(), packed).toBytes();
  }
}
