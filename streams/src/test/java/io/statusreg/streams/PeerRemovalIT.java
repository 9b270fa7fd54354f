package io.statusreg.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.kraft.KraftCluster;
import io.statusreg.streams.internal.MembershipBeacon;
import io.statusreg.streams.testing.Await;
import io.statusreg.streams.testing.BeaconNodeMain;
import io.statusreg.streams.testing.ChildNode;
import io.statusreg.streams.testing.RegistryHarness;
import io.statusreg.streams.testing.TestSigner;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A static member killed with {@code kill -9} on a real broker: the surviving node finds its
 * membership beacon refusing connections, removes its static member from the group, and takes over
 * every task long before the 60 s session timeout would have let it.
 */
@Tag("integration")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PeerRemovalIT {
  private static final String APP = "statusreg-peer-removal-it";
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

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Set<String> staticMembers() {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      Set<String> out = new TreeSet<>();
      for (MemberDescription m :
          admin
              .describeConsumerGroups(List.of(APP))
              .all()
              .get(30, TimeUnit.SECONDS)
              .get(APP)
              .members()) {
        m.groupInstanceId().ifPresent(out::add);
      }
      return out;
    } catch (Exception e) {
      throw new IllegalStateException("cannot describe group " + APP, e);
    }
  }

  private static int producerEpoch(String transactionalId) {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      return admin
          .describeTransactions(List.of(transactionalId))
          .description(transactionalId)
          .get(30, TimeUnit.SECONDS)
          .producerEpoch();
    } catch (Exception e) {
      throw new IllegalStateException("cannot describe transaction " + transactionalId, e);
    }
  }

  private static int activeTasks(RegistryNode node) {
    int n = 0;
    for (ThreadMetadata t : node.streams().metadataForLocalThreads()) {
      n += t.activeTasks().size();
    }
    return n;
  }

  private static boolean ownsTasks(RegistryNode observer, int beaconPort) {
    for (StreamsMetadata m : observer.streams().metadataForAllStreamsClients()) {
      if (m.port() == beaconPort && !m.topicPartitions().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aKilledPeersMembersAreRemovedAndItsTasksTakenOverBeforeItsSessionExpires() throws Exception {
    int portA = freePort();
    int portB = freePort();
    Map<String, String> a =
        BeaconNodeMain.rawSettings(
            kafka.bootstrapServers(), dir.resolve("a").toString(), APP, "node-a", portA);
    StreamsSettings b =
        RegistryHarness.settings(
            BeaconNodeMain.rawSettings(
                kafka.bootstrapServers(), dir.resolve("b").toString(), APP, "node-b", portB));
    RegistryNode.createTopics(b, Duration.ofSeconds(30));
    AtomicBoolean childReady = new AtomicBoolean();
    Process child =
        ChildNode.start(
            BeaconNodeMain.class,
            RegistryHarness.settings(a),
            "unused",
            List.of(Integer.toString(portA)),
            dir.resolve("node-a.err"),
            line -> {
              if (line.equals("READY")) {
                childReady.set(true);
              }
            });
    RegistryNode survivor = null;
    try {
      Await.until("node-a ready", Duration.ofSeconds(120), childReady::get);
      survivor = RegistryHarness.startReady(b, new TestSigner(6), Clock.systemUTC());
      RegistryNode s = survivor;
      Await.until(
          "both nodes own tasks",
          Duration.ofSeconds(120),
          () ->
              s.state() == KafkaStreams.State.RUNNING
                  && activeTasks(s) > 0
                  && activeTasks(s) < PARTITIONS
                  && ownsTasks(s, portA));
      assertThat(staticMembers()).contains("node-a-1", "node-b-1");
      Await.observe(Duration.ofSeconds(1), () -> {}); // the watch has seen node-a answer
      // node-a's beacon names its producer's transactional id; note the producer's epoch.
      MembershipBeacon.Probe alive =
          MembershipBeacon.probe("127.0.0.1", portA, Duration.ofSeconds(2));
      assertThat(alive.outcome()).isEqualTo(MembershipBeacon.Outcome.ALIVE);
      List<String> ids = alive.member().orElseThrow().transactionalIds();
      assertThat(ids).singleElement().asString().startsWith(APP + "-").endsWith("-1");
      int epoch = producerEpoch(ids.get(0));

      long killed = System.nanoTime();
      child.destroyForcibly(); // kill -9: no commit, no LeaveGroup
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

      Await.until(
          "node-a's static member removed from the group",
          Duration.ofSeconds(15),
          () -> !staticMembers().contains("node-a-1"));
      Await.until(
          "node-b owns every task",
          Duration.ofSeconds(30),
          () -> s.state() == KafkaStreams.State.RUNNING && activeTasks(s) == PARTITIONS);
      Duration took = Duration.ofNanos(System.nanoTime() - killed);
      // Without the removal nothing would move before the 60 s session timeout.
      assertThat(took).isLessThan(Duration.ofSeconds(45));
      assertThat(s.peerRemovals()).isEqualTo(1);
      // Fenced: a new producer epoch, and whatever node-a had open is aborted.
      assertThat(producerEpoch(ids.get(0))).isGreaterThan(epoch);
      assertThat(staticMembers()).containsExactly("node-b-1");
    } finally {
      child.destroyForcibly();
      if (survivor != null) {
        survivor.close();
      }
    }
  }
}
