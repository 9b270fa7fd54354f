package io.statusreg.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RebalanceLogTest {
  private static final String LEAVE =
      "2026-01-02T10:00:01.000Z INFO  [t] o.a.k.s.KafkaStreams - stream-client [statusreg-abc]"
          + " State transition from RUNNING to REBALANCING";
  private static final String BACK =
      "2026-01-02T10:00:03.500+00:00 INFO  [t] o.a.k.s.KafkaStreams - stream-client"
          + " [statusreg-abc] State transition from REBALANCING to RUNNING";
  private static final String THREAD =
      "2026-01-02T10:00:01.000Z INFO  [t] o.a.k.s.p.i.StreamThread - stream-thread [x]"
          + " State transition from RUNNING to PARTITIONS_REVOKED";
  private static final String JOINED =
      "2026-01-02T10:00:02.000Z INFO  [t] o.a.k.c.c.i.ConsumerCoordinator - [Consumer"
          + " instanceId=registry-0-1, clientId=x, groupId=statusreg] Successfully joined group"
          + " with generation Generation{generationId=7, memberId='m', protocol='stream'}";

  @Test
  void clientTransitionsAndGenerationsAreRecognisedAndThreadTransitionsIgnored() {
    List<RebalanceLog.Entry> entries =
        List.of(LEAVE, THREAD, JOINED, BACK).stream()
            .map(RebalanceLog::parse)
            .flatMap(java.util.Optional::stream)
            .toList();

    assertThat(entries)
        .extracting(RebalanceLog.Entry::kind)
        .containsExactly(
            RebalanceLog.Kind.REBALANCING, RebalanceLog.Kind.JOINED, RebalanceLog.Kind.RUNNING);
    assertThat(RebalanceLog.lastGeneration(entries)).hasValue(7);
    Instant from = Instant.parse("2026-01-02T10:00:00Z");
    Instant to = Instant.parse("2026-01-02T10:00:10Z");
    assertThat(RebalanceLog.rebalancesBetween(entries, from, to)).isEqualTo(1);
    assertThat(RebalanceLog.rebalances("registry-0", entries, from, to))
        .singleElement()
        .satisfies(r -> assertThat(r.duration().toMillis()).isEqualTo(2500));
    assertThat(RebalanceLog.rebalancesBetween(entries, to, to.plusSeconds(5))).isZero();
  }

  private static List<String> assignment(String added, String revoked) {
    return List.of(
        "2026-01-02T10:00:02.500Z INFO  [t] o.a.k.c.c.i.ConsumerCoordinator - [Consumer"
            + " instanceId=registry-0-1, clientId=x, groupId=statusreg] Updating assignment with",
        "\tAssigned partitions:                       [statusreg.commands-2]",
        "\tCurrent owned partitions:                  [statusreg.commands-2]",
        "\tAdded partitions (assigned - owned):       [" + added + "]",
        "\tRevoked partitions (owned - assigned):     [" + revoked + "]");
  }

  private static List<RebalanceLog.Rebalance> rebalancesWith(List<String> assignment) {
    List<String> lines = new java.util.ArrayList<>();
    lines.add(LEAVE);
    lines.add(JOINED);
    lines.addAll(assignment);
    lines.add(BACK);
    return RebalanceLog.rebalances(
        "registry-0",
        RebalanceLog.parseAll(lines),
        Instant.parse("2026-01-02T10:00:00Z"),
        Instant.parse("2026-01-02T10:00:10Z"));
  }

  @Test
  void aRebalanceThatAddsAndRevokesNothingIsANoOp() {
    assertThat(rebalancesWith(assignment("", "")))
        .singleElement()
        .satisfies(r -> assertThat(r.movedPartitions()).isFalse());
  }

  @Test
  void aRebalanceThatAddsOrRevokesAPartitionMovesOne() {
    assertThat(rebalancesWith(assignment("statusreg.commands-5", "")))
        .singleElement()
        .satisfies(r -> assertThat(r.movedPartitions()).isTrue());
    assertThat(rebalancesWith(assignment("", "statusreg.commands-2")))
        .singleElement()
        .satisfies(r -> assertThat(r.movedPartitions()).isTrue());
  }

  @Test
  void theAssignmentLoggedJustBeforeTheClientLeavesRunningBelongsToThatRebalance() {
    List<String> lines = new java.util.ArrayList<>();
    lines.add(
        "2026-01-02T10:00:00.500Z INFO  [t] o.a.k.s.KafkaStreams - stream-client [statusreg-abc]"
            + " State transition from REBALANCING to RUNNING");
    lines.addAll(
        assignment("", "").stream().map(l -> l.replace("10:00:02.500", "10:00:00.900")).toList());
    lines.add(LEAVE);
    lines.add(BACK);
    List<RebalanceLog.Rebalance> seen =
        RebalanceLog.rebalances(
            "registry-0",
            RebalanceLog.parseAll(lines),
            Instant.parse("2026-01-02T10:00:00Z"),
            Instant.parse("2026-01-02T10:00:10Z"));
    assertThat(seen).singleElement().satisfies(r -> assertThat(r.movedPartitions()).isFalse());
  }

  @Test
  void aRebalanceWithoutAnAssignmentLineCountsAsMoving() {
    assertThat(rebalancesWith(List.of()))
        .singleElement()
        .satisfies(r -> assertThat(r.movedPartitions()).isTrue());
  }
}
