package io.statusreg.kraft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Three KRaft nodes as separate OS processes: a node killed with SIGKILL loses no acked write. */
@Tag("integration")
@Timeout(value = 170, unit = TimeUnit.SECONDS)
class KraftProcessClusterIT {

  @Test
  void acknowledgedWritesSurviveKillingTheLeaderAndItsRestart() throws Exception {
    try (KraftCluster kafka = KraftCluster.builder().nodes(3).separateProcesses(true).build()) {
      kafka.start();
      ClusterClient.createTopic(kafka, kafka.newTopic("events", 2));

      List<String> acknowledged = new ArrayList<>();
      try (KafkaProducer<String, String> producer = ClusterClient.producer(kafka)) {
        acknowledged.addAll(ClusterClient.sendAll(producer, "events", "all-up", 0, 50));

        int victim = ClusterClient.describe(kafka, "events").partitions().getFirst().leader().id();
        long victimPid = kafka.pid(victim).orElseThrow();
        kafka.killNode(victim);

        assertThat(kafka.isRunning(victim)).isFalse();
        assertThat(ProcessHandle.of(victimPid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(kafka.nodeLogFile(victim).orElseThrow())
            .content()
            .doesNotContain("shut down completed"); // SIGKILL: no shutdown hook ran
        acknowledged.addAll(ClusterClient.sendAll(producer, "events", "one-killed", 0, 50));

        kafka.startNode(victim);
        assertThat(kafka.pid(victim)).isPresent().get().isNotEqualTo(victimPid);
        acknowledged.addAll(ClusterClient.sendAll(producer, "events", "restarted", 0, 50));
      }

      assertThat(
              ClusterClient.readAll(kafka, "events", acknowledged.size(), Duration.ofSeconds(30)))
          .containsExactlyInAnyOrderElementsOf(acknowledged);
    }
  }

  @Test
  void stopShutsANodeDownCleanlyAndCloseEndsEveryProcess() {
    List<Long> pids = new ArrayList<>();
    try (KraftCluster kafka = KraftCluster.builder().nodes(3).separateProcesses(true).build()) {
      kafka.start();
      for (int id = 1; id <= kafka.size(); id++) {
        pids.add(kafka.pid(id).orElseThrow());
      }
      assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid)).isPresent());

      kafka.stopNode(2);

      assertThat(kafka.isRunning(2)).isFalse();
      assertThat(ProcessHandle.of(pids.get(1)).filter(ProcessHandle::isAlive)).isEmpty();
      assertThat(kafka.nodeLogFile(2).orElseThrow())
          .content()
          .contains("shut down completed"); // SIGTERM ran Kafka's shutdown hook
    }

    assertThat(pids)
        .allSatisfy(
            pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
  }
}
