package io.statusreg.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.kraft.KraftCluster;
import io.statusreg.registry.ListId;
import io.statusreg.streams.internal.GlobalStateGuard;
import io.statusreg.streams.testing.Await;
import io.statusreg.streams.testing.ChildNode;
import io.statusreg.streams.testing.CrashingNodeMain;
import io.statusreg.streams.testing.TestSigner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node killed hard (its JVM destroyed, as by kill -9) restarts on the same state directory and
 * instance id: the global store, whose RocksDB status was left "open", is rebuilt from {@code
 * statusreg.tokens} instead of killing the global thread, no stream thread is lost, and the list is
 * served with every revocation the dead node acknowledged.
 */
@Tag("integration")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CrashRestartIT {
  private static final String APP = "statusreg-crash-it";
  private static final String INSTANCE = "node-0";

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

  @Test
  void nodeKilledHardRestartsOnItsStateDirectoryAndServesEveryAcknowledgedChange()
      throws Exception {
    Path state = dir.resolve("state");
    StreamsSettings s =
        CrashingNodeMain.settings(kafka.bootstrapServers(), state.toString(), APP, INSTANCE);
    RegistryNode.createTopics(s, Duration.ofSeconds(30));

    AtomicInteger acknowledged = new AtomicInteger();
    Process child = startChild(s, "crash", acknowledged);
    try {
      Await.until(
          "the child acknowledged 60 revocations",
          Duration.ofSeconds(150),
          () -> acknowledged.get() >= 60 || !child.isAlive());
      assertThat(child.isAlive()).as("child still running").isTrue();
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    Path global = new GlobalStateGuard(state, APP).globalDir();
    assertThat(global).as("the killed node left its global store").isDirectory();
    assertThat(new GlobalStateGuard(state, APP).marker()).doesNotExist();

    RegistryNode node = RegistryNode.start(s, new TestSigner(6), Clock.systemUTC());
    try {
      Await.until(
          "restarted node running",
          Duration.ofSeconds(120),
          () -> node.isReady() && node.state() == KafkaStreams.State.RUNNING);
      ListId list = ListId.of("acme", "crash");
      int acked = acknowledged.get();
      Await.until(
          "the list served with the acknowledged revocations",
          Duration.ofSeconds(60),
          () -> node.directory().latest(list).map(t -> t.counts()[1] >= acked).orElse(false));
      assertThat(node.restoredRecords().get(RegistryTopology.DIRECTORY_STORE))
          .as("the global store was rebuilt from statusreg.tokens")
          .isPositive();
      assertThat(node.restarts()).as("in-process restarts after the crash").isZero();
      assertThat(node.isAlive()).isTrue();
    } finally {
      node.close();
    }
    assertThat(new GlobalStateGuard(state, APP).marker()).as("clean close marked").exists();
  }

  /**
   * A failure the command processor does not catch (it catches RuntimeException), and that
   * StreamFailures treats as recoverable (an assertion, not an Error such as out of memory).
   */
  private static final class InjectedError extends AssertionError {
    InjectedError() {
      super("injected stream thread failure");
    }
  }

  @Test
  void failedStreamThreadRestartsTheClientWithTheSameMemberIdsAndKeepsItsTasks() throws Exception {
    StreamsSettings s =
        CrashingNodeMain.settings(
            kafka.bootstrapServers(),
            dir.resolve("state-fail").toString(),
            APP + "-fail",
            "node-f");
    RegistryNode.createTopics(s, Duration.ofSeconds(30));
    TestSigner real = new TestSigner(6);
    java.util.concurrent.atomic.AtomicBoolean armed =
        new java.util.concurrent.atomic.AtomicBoolean();
    io.statusreg.streams.publication.ListSigner failing =
        (list, uri, entries, purpose, ttl, iat, exp) -> {
          if (armed.getAndSet(false)) {
            throw new InjectedError();
          }
          return real.sign(list, uri, entries, purpose, ttl, iat, exp);
        };
    RegistryNode node = RegistryNode.start(s, failing, Clock.systemUTC());
    try {
      Await.until(
          "node running",
          Duration.ofSeconds(120),
          () -> node.isReady() && node.state() == KafkaStreams.State.RUNNING);
      KafkaStreams first = node.streams();
      armed.set(true);
      ListId list = ListId.of("acme", "thread-failure");
      node.gateway()
          .submit(
              new io.statusreg.registry.fold.RegistryCommand.CreateList(
                  java.util.UUID.randomUUID(),
                  list,
                  1,
                  1_000,
                  Duration.ofMinutes(5),
                  Duration.ofHours(1),
                  io.statusreg.registry.events.Purpose.REVOCATION,
                  new io.statusreg.registry.issuance.IndexPermutation.Key(1, 2),
                  io.statusreg.registry.Actor.issuer("it"),
                  java.time.Instant.now()));
      // The publication of the new list kills the thread; the node restarts the client, which
      // gets every task back (as the same static member) well inside session.timeout.ms (30 s).
      Await.until(
          "the client restarted and running with all its tasks",
          Duration.ofSeconds(20),
          () ->
              node.restarts() == 1
                  && node.streams() != first
                  && node.state() == KafkaStreams.State.RUNNING
                  && node.streams().metadataForLocalThreads().stream()
                          .mapToInt(t -> t.activeTasks().size())
                          .sum()
                      == 4);
      assertThat(node.streams().metadataForLocalThreads())
          .as("the restarted client runs thread 1 again (same group.instance.id suffix)")
          .allMatch(t -> t.threadName().endsWith("-StreamThread-1"));
      // The failed transaction was aborted; the restarted client processes the command again
      // (the caller's wait may have timed out meanwhile: a retry with the same id is answered).
      Await.until(
          "the list created and published after the restart",
          Duration.ofSeconds(30),
          () -> node.directory().latest(list).isPresent());
      assertThat(node.isAlive()).isTrue();
    } finally {
      node.close();
    }
  }

  private static Process startChild(StreamsSettings s, String listName, AtomicInteger acked)
      throws Exception {
    return ChildNode.start(
        CrashingNodeMain.class,
        s,
        listName,
        dir.resolve("child.log"),
        line -> {
          if (line.startsWith("REVOKED ")) {
            acked.set(Integer.parseInt(line.substring(8)));
          }
        });
  }
}
