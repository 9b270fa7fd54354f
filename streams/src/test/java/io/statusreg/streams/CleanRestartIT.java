package io.statusreg.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.kraft.KraftCluster;
import io.statusreg.registry.Actor;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.Status;
import io.statusreg.registry.config.Settings;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.issuance.IndexPermutation;
import io.statusreg.streams.gateway.CommandGateway;
import io.statusreg.streams.gateway.CommandGateway.Outcome;
import io.statusreg.streams.testing.Await;
import io.statusreg.streams.testing.RegistryHarness;
import io.statusreg.streams.testing.TestSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clean close followed by a restart on the same state directory with the same instance id
 * restores nothing from the changelogs: every store of every task (including tasks that never
 * received a command, whose window stores hold no segment) comes back from its local state.
 */
@Tag("integration")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CleanRestartIT {
  private static final Actor ISSUER = Actor.issuer("it");
  private static final int PARTITIONS = 4;

  @TempDir static Path dir;
  private static KraftCluster kafka;

  @BeforeAll
  static void startBroker() {
    kafka = KraftCluster.builder().dataDir(dir.resolve("kafka")).build();
    kafka.start();
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  private static StreamsSettings settings() {
    return settings("statusreg-restart-it");
  }

  private static StreamsSettings settings(String applicationId) {
    Map<String, String> raw =
        RegistryHarness.nodeSettings(
            kafka.bootstrapServers(), applicationId, dir.resolve("state"), PARTITIONS);
    raw.put("instance.id", "node-0");
    raw.put("session.timeout.ms", "30000");
    return StreamsSettings.from(Settings.of(raw));
  }

  private static RegistryNode start(StreamsSettings s) {
    RegistryNode node = RegistryNode.start(s, new TestSigner(6), Clock.systemUTC());
    Await.until(
        "node running",
        Duration.ofSeconds(120),
        () -> node.isReady() && node.state() == KafkaStreams.State.RUNNING);
    return node;
  }

  @Test
  void cleanCloseAndRestartRestoresNoStoreFromScratch() throws Exception {
    StreamsSettings s = settings();
    RegistryNode.createTopics(s, Duration.ofSeconds(30));
    ListId list = ListId.of("acme", "restart");
    long idx;
    RegistryNode node = start(s);
    try {
      // One list: its partition's task gets data in every store; the other tasks stay empty.
      accepted(submit(node, create(list)));
      idx = accepted(submit(node, allocate(list, 20))).allocatedIndexes().getFirst();
      accepted(submit(node, revoke(list, idx)));
      Await.until(
          "the revocation published",
          Duration.ofSeconds(30),
          () -> node.directory().latest(list).map(t -> t.counts()[1] == 1).orElse(false));
    } finally {
      node.close();
    }
    // Under exactly_once_v2 a task found corrupted at start is wiped: its directory goes, and with
    // it this marker.
    List<Path> markers = new ArrayList<>();
    try (Stream<Path> tasks = Files.list(s.stateDir().resolve(s.applicationId()))) {
      for (Path task :
          tasks.filter(p -> p.getFileName().toString().matches("\\d+_\\d+")).toList()) {
        markers.add(Files.createFile(task.resolve("restart-marker")));
      }
    }
    assertThat(markers).as("a directory per task").hasSize(PARTITIONS);

    RegistryNode restarted = start(s);
    try {
      assertThat(markers)
          .as("no task was declared corrupted and wiped (see the log for the store without offset)")
          .allMatch(Files::exists);
      Map<String, Long> restored = restarted.restoredRecords();
      restored.remove(RegistryTopology.DIRECTORY_STORE); // the global store replays its topic tail
      assertThat(restored.values())
          .as("records restored per store after a clean restart: %s", restored)
          .allMatch(n -> n == 0);
      CommandGateway.EntryView entry =
          restarted.gateway().entry(list, idx).get(30, TimeUnit.SECONDS).orElseThrow();
      assertThat(entry.status()).isEqualTo(Status.INVALID);
    } finally {
      restarted.close();
    }
  }

  /**
   * On SIGTERM the node's own JVM hook and the process's {@code close()} both close it; the one
   * that comes second must not return before Streams has closed (dev stops its broker next).
   */
  @Test
  void aCloseWhileAnotherIsInProgressReturnsOnlyOnceStreamsHasClosed() throws Exception {
    StreamsSettings s = settings("statusreg-close-twice-it");
    RegistryNode.createTopics(s, Duration.ofSeconds(30));
    RegistryNode node = start(s);
    java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);
    node.onStateChange(
        (now, before) -> {
          if (now == KafkaStreams.State.PENDING_SHUTDOWN) {
            closing.countDown();
          }
        });
    Thread first = new Thread(node::close, "first-close");
    first.start();
    assertThat(closing.await(60, TimeUnit.SECONDS)).as("the first close began").isTrue();

    node.close();

    assertThat(node.state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
    first.join(TimeUnit.SECONDS.toMillis(60));
  }

  private static Outcome submit(RegistryNode node, RegistryCommand command) throws Exception {
    return node.gateway().submit(command).get(60, TimeUnit.SECONDS);
  }

  private static Outcome accepted(Outcome o) {
    assertThat(o.decision()).isInstanceOf(Decision.Accepted.class);
    return o;
  }

  private static RegistryCommand create(ListId list) {
    return new RegistryCommand.CreateList(
        UUID.randomUUID(),
        list,
        1,
        10_000,
        Duration.ofMinutes(5),
        Duration.ofHours(1),
        Purpose.REVOCATION,
        new IndexPermutation.Key(1, 2),
        ISSUER,
        Instant.now());
  }

  private static RegistryCommand allocate(ListId list, int count) {
    return new RegistryCommand.AllocateIndexes(
        UUID.randomUUID(), list, count, ISSUER, Instant.now());
  }

  private static RegistryCommand revoke(ListId list, long idx) {
    return new RegistryCommand.ChangeStatus(
        UUID.randomUUID(),
        list,
        List.of(new RegistryCommand.Change(idx, Status.INVALID, Reason.UNSPECIFIED)),
        ISSUER,
        Instant.now());
  }
}
