package io.statusreg.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionEvidenceTest {
  @TempDir Path work;

  @Test
  void readsTheLongestSafepointAndTheExpiredMembers() throws Exception {
    Path r0 = Files.createDirectories(work.resolve("registry-0"));
    Files.writeString(
        r0.resolve("safepoint-11.log"),
        """
        [1.2s][info][safepoint] Safepoint "Cleanup", Time since last: 100 ns, Reaching safepoint: 10 ns, Cleanup: 1 ns, At safepoint: 5 ns, Total: 2500000 ns
        [2.2s][info][safepoint] Safepoint "SerialCollectForAllocation", Time since last: 100 ns, Reaching safepoint: 10 ns, Cleanup: 1 ns, At safepoint: 5 ns, Total: 187654321 ns
        [9.2s][info][safepoint] Safepoint "PopulateDumpSharedSpace", Time since last: 100 ns, Reaching safepoint: 10 ns, At safepoint: 5 ns, Total: 2368439370 ns
        """);
    Path k = Files.createDirectories(work.resolve("kafka").resolve("node-1"));
    Files.writeString(
        k.resolve("server.log"),
        "[2026-12-01 20:00:00,000] INFO [GroupCoordinator id=1 topic=__consumer_offsets partition=3]"
            + " Member registry-2-1-0a1b in group statusreg has failed, removing it from the group."
            + " (org.apache.kafka.coordinator.group.GroupMetadataManager)\n"
            + "[2026-12-01 20:00:00,000] INFO Member registry-10-1-ffff in group statusreg has"
            + " failed, removing it from the group.\n");

    SessionEvidence.Result r =
        SessionEvidence.read(work, List.of(k.resolve("server.log"), k.resolve("absent.log")));

    assertThat(r.safepoints()).isEqualTo(2);
    assertThat(r.longestPauseMs()).isEqualTo(187.7);
    assertThat(r.longestPauseIn()).isEqualTo("registry-0/safepoint-11.log");
    assertThat(r.expiredMembers()).containsExactly("registry-2-1-0a1b", "registry-10-1-ffff");
    assertThat(r.falseExpiries(List.of("registry-2"))).containsExactly("registry-10-1-ffff");
    assertThat(r.falseExpiries(List.of("registry-1"))).hasSize(2);
    assertThat(r.brokerLogsRead()).as("the absent log is not counted").isEqualTo(1);
  }

  @Test
  void withoutABrokerLogNothingIsKnownAboutExpiries() {
    SessionEvidence.Result r = SessionEvidence.read(work, List.of(work.resolve("server.log")));

    assertThat(r.brokerLogsRead()).isZero();
    assertThat(r.expiredMembers()).isEmpty();
  }
}
