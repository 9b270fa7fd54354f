package io.statusreg.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.kraft.KraftCluster;
import io.statusreg.registry.config.Settings;
import io.statusreg.streams.testing.Await;
import io.statusreg.streams.testing.TestSigner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Static membership on a real broker. A planned stop (the default, {@code leave.group.on.stop})
 * removes the node's static members from the group, and the other node takes over every task
 * without waiting for the session timeout. With {@code leave.group.on.stop=false} a node closed
 * with REMAIN_IN_GROUP and restarted within the session timeout gets its tasks back, and the other
 * node sees no rebalance and stays ready.
 */
@Tag("integration")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class StaticMembershipIT {
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

  private static StreamsSettings settings(String instance) {
    return settings("statusreg-static-it", instance, false, 0);
  }

  private static StreamsSettings settings(
      String application, String instance, boolean leaveOnStop, int standbys) {
    Map<String, String> raw = new HashMap<>();
    raw.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    raw.put("application.id", application);
    raw.put("instance.id", instance);
    raw.put("leave.group.on.stop", Boolean.toString(leaveOnStop));
    raw.put("state.dir", dir.resolve(application + "-state-" + instance).toString());
    raw.put("num.standby.replicas", Integer.toString(standbys));
    raw.put("session.timeout.ms", "60000");
    raw.put("events.partitions", Integer.toString(PARTITIONS));
    raw.put("topic.replication.factor", "1");
    raw.put("topic.min.insync.replicas", "1");
    raw.put("rocksdb.block.cache.bytes", Long.toString(16L << 20));
    raw.put("rocksdb.write.buffer.bytes", Long.toString(8L << 20));
    return StreamsSettings.from(Settings.of(raw));
  }

  private static Set<TaskId> activeTasks(RegistryNode node) {
    Set<TaskId> tasks = new TreeSet<>();
    for (ThreadMetadata t : node.streams().metadataForLocalThreads()) {
      t.activeTasks().forEach(task -> tasks.add(task.taskId()));
    }
    return tasks;
  }

  private static boolean running(RegistryNode node) {
    return node.isReady() && node.state() == KafkaStreams.State.RUNNING;
  }

  private static Set<String> staticMembers(String group) {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      ConsumerGroupDescription d =
          admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
      Set<String> out = new TreeSet<>();
      for (MemberDescription m : d.members()) {
        m.groupInstanceId().ifPresent(out::add);
      }
      return out;
    } catch (Exception e) {
      throw new IllegalStateException("cannot describe group " + group, e);
    }
  }

  @Test
  void aPlannedStopLeavesTheGroupAndTheStandbyTakesOverEveryTask() {
    String app = "statusreg-leave-it";
    StreamsSettings a = settings(app, "node-a", true, 1);
    StreamsSettings b = settings(app, "node-b", true, 1);
    RegistryNode.createTopics(a, Duration.ofSeconds(30));
    RegistryNode first = RegistryNode.start(a, new TestSigner(6), Clock.systemUTC());
    RegistryNode second = RegistryNode.start(b, new TestSigner(6), Clock.systemUTC());
    try {
      Await.until(
          "both nodes running with every task assigned",
          Duration.ofSeconds(120),
          () ->
              running(first)
                  && running(second)
                  && activeTasks(first).size() + activeTasks(second).size() == PARTITIONS
                  && !activeTasks(first).isEmpty()
                  && !activeTasks(second).isEmpty());
      assertThat(staticMembers(app)).anyMatch(id -> id.startsWith("node-a"));

      first.close(); // leave.group.on.stop=true: every stream thread's consumer leaves

      // Without the leave the coordinator would keep node-a's members (and partitions) for the
      // 60 s session timeout: their absence well inside it is the leave.
      Await.until(
          "node-a's static members gone from the group",
          Duration.ofSeconds(20),
          () -> staticMembers(app).stream().noneMatch(id -> id.startsWith("node-a")));
      assertThat(staticMembers(app)).anyMatch(id -> id.startsWith("node-b"));
      Await.until(
          "node-b owns every task",
          Duration.ofSeconds(45),
          () -> running(second) && activeTasks(second).size() == PARTITIONS);
      assertThat(second.isReady()).isTrue();
    } finally {
      first.close();
      second.close();
    }
  }

  @Test
  void aRestartWithinTheSessionTimeoutCausesNoRebalanceOfTheOtherNode() {
    StreamsSettings a = settings("node-a");
    StreamsSettings b = settings("node-b");
    RegistryNode.createTopics(a, Duration.ofSeconds(30));
    RegistryNode first = RegistryNode.start(a, new TestSigner(6), Clock.systemUTC());
    RegistryNode second = RegistryNode.start(b, new TestSigner(6), Clock.systemUTC());
    RegistryNode restarted = null;
    try {
      Await.until(
          "both nodes running with every task assigned",
          Duration.ofSeconds(120),
          () ->
              running(first)
                  && running(second)
                  && activeTasks(first).size() + activeTasks(second).size() == PARTITIONS
                  && !activeTasks(first).isEmpty()
                  && !activeTasks(second).isEmpty());
      // Settle: no state change for a few seconds.
      AtomicLong changes = new AtomicLong();
      first.onStateChange((now, before) -> changes.incrementAndGet());
      second.onStateChange((now, before) -> changes.incrementAndGet());
      long seen = -1;
      while (seen != changes.get()) {
        seen = changes.get();
        Await.observe(Duration.ofSeconds(3), () -> {});
      }
      Await.until(
          "both running after settling",
          Duration.ofSeconds(60),
          () -> running(first) && running(second));

      Set<TaskId> firstTasks = activeTasks(first);
      Set<TaskId> secondTasks = activeTasks(second);
      long secondRebalances = second.rebalances();
      AtomicBoolean secondAlwaysReady = new AtomicBoolean(true);
      AtomicLong secondStateChanges = new AtomicLong();
      second.onStateChange((now, before) -> secondStateChanges.incrementAndGet());
      Runnable watchSecond =
          () -> {
            if (!second.isReady()) {
              secondAlwaysReady.set(false);
            }
          };

      first.close(); // instance.id set, leave.group.on.stop=false: REMAIN_IN_GROUP
      Await.observe(Duration.ofSeconds(2), watchSecond);
      RegistryNode again = RegistryNode.start(a, new TestSigner(6), Clock.systemUTC());
      restarted = again;
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (!(running(again) && activeTasks(again).equals(firstTasks))) {
        assertThat(System.nanoTime()).as("restarted node gets its tasks back").isLessThan(deadline);
        Await.observe(Duration.ofMillis(100), watchSecond);
      }
      Await.observe(Duration.ofSeconds(5), watchSecond);

      assertThat(activeTasks(again)).isEqualTo(firstTasks);
      assertThat(activeTasks(second)).isEqualTo(secondTasks);
      assertThat(second.rebalances())
          .as("rebalances of the other node")
          .isEqualTo(secondRebalances);
      assertThat(secondStateChanges.get()).as("state changes of the other node").isZero();
      assertThat(secondAlwaysReady.get()).as("the other node stayed ready").isTrue();
    } finally {
      if (restarted != null) {
        restarted.close();
      }
      first.close();
      second.close();
    }
  }
}
