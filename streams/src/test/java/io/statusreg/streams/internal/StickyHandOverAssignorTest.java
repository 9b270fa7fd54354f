package io.statusreg.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.assignment.ApplicationState;
import org.apache.kafka.streams.processor.assignment.AssignmentConfigs;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsAssignment;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsAssignment.AssignedTask;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsState;
import org.apache.kafka.streams.processor.assignment.ProcessId;
import org.apache.kafka.streams.processor.assignment.TaskAssignmentUtils;
import org.apache.kafka.streams.processor.assignment.TaskAssignor;
import org.apache.kafka.streams.processor.assignment.TaskInfo;
import org.apache.kafka.streams.processor.assignment.TaskTopicPartition;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/**
 * The membership changes of the chaos scenarios, as the group leader sees them: only the tasks that
 * must move move, and only to an instance with their state. Kafka's high-availability assignor,
 * given the same groups, moved survivors' tasks too (a ring of three on a scale-in from 4 to 3).
 */
class StickyHandOverAssignorTest {
  private static final int TASKS = 6;
  private static final long ACCEPTABLE_LAG = 10_000;

  /** One instance as the leader sees it: previous tasks and the lag of its state per task. */
  private record Client(
      ProcessId processId,
      Set<TaskId> active,
      Set<TaskId> standby,
      Map<TaskId, Long> lags,
      Map<String, String> tags)
      implements KafkaStreamsState {
    Client(ProcessId processId, Set<TaskId> active, Set<TaskId> standby, Map<TaskId, Long> lags) {
      this(processId, active, standby, lags, Map.of());
    }

    /** This client, its Streams started {@code ago} before now. */
    Client startedAgo(Duration ago) {
      return new Client(
          processId,
          active,
          standby,
          lags,
          Map.of(
              StickyHandOverAssignor.STARTED_TAG,
              Long.toString(Instant.now().minus(ago).toEpochMilli())));
    }

    @Override
    public int numProcessingThreads() {
      return 1;
    }

    @Override
    public SortedSet<String> consumerClientIds() {
      return new TreeSet<>(Set.of(processId + "-consumer"));
    }

    @Override
    public SortedSet<TaskId> previousActiveTasks() {
      return new TreeSet<>(active);
    }

    @Override
    public SortedSet<TaskId> previousStandbyTasks() {
      return new TreeSet<>(standby);
    }

    @Override
    public long lagFor(TaskId task) {
      return lags.getOrDefault(task, 1_000_000L); // no local state: the whole changelog
    }

    @Override
    public SortedSet<TaskId> prevTasksByLag(String consumer) {
      return new TreeSet<>(lags.keySet());
    }

    @Override
    public Map<TaskId, Long> statefulTasksToLagSums() {
      return lags;
    }

    @Override
    public Optional<HostInfo> hostInfo() {
      return Optional.empty();
    }

    @Override
    public Map<String, String> clientTags() {
      return tags;
    }

    @Override
    public Optional<String> rackId() {
      return Optional.empty();
    }
  }

  private record Task(TaskId id) implements TaskInfo {
    @Override
    public boolean isStateful() {
      return true;
    }

    @Override
    public Set<String> stateStoreNames() {
      return Set.of("list-pages");
    }

    @Override
    public Set<TaskTopicPartition> topicPartitions() {
      return Set.of();
    }
  }

  private static TaskId t(int p) {
    return new TaskId(0, p);
  }

  private static ProcessId pid(int i) {
    return new ProcessId(new UUID(0, i));
  }

  /** A client that held {@code active} and {@code standby}, both caught up; the rest unknown. */
  private static Client client(int i, List<Integer> active, List<Integer> standby) {
    Map<TaskId, Long> lags = new HashMap<>();
    Set<TaskId> a = new TreeSet<>();
    Set<TaskId> s = new TreeSet<>();
    active.forEach(p -> a.add(t(p)));
    standby.forEach(p -> s.add(t(p)));
    a.forEach(task -> lags.put(task, 0L));
    s.forEach(task -> lags.put(task, 3L));
    return new Client(pid(i), a, s, lags);
  }

  private static ApplicationState group(Client... clients) {
    Map<ProcessId, KafkaStreamsState> states = new TreeMap<>();
    for (Client c : clients) {
      states.put(c.processId(), c);
    }
    Map<TaskId, TaskInfo> tasks = new TreeMap<>();
    for (int p = 0; p < TASKS; p++) {
      tasks.put(t(p), new Task(t(p)));
    }
    AssignmentConfigs configs = new AssignmentConfigs(ACCEPTABLE_LAG, 2, 1, 60_000L, List.of());
    return new ApplicationState() {
      @Override
      public Map<ProcessId, KafkaStreamsState> kafkaStreamsStates(boolean computeTaskLags) {
        return states;
      }

      @Override
      public AssignmentConfigs assignmentConfigs() {
        return configs;
      }

      @Override
      public Map<TaskId, TaskInfo> allTasks() {
        return tasks;
      }
    };
  }

  private record Result(
      Map<ProcessId, Set<TaskId>> active,
      Map<ProcessId, Set<TaskId>> standby,
      boolean followUp,
      TaskAssignor.TaskAssignment raw) {}

  private static Result assign(ApplicationState group) {
    TaskAssignor.TaskAssignment a = new StickyHandOverAssignor().assign(group);
    assertThat(TaskAssignmentUtils.validateTaskAssignment(group, a))
        .isEqualTo(TaskAssignor.AssignmentError.NONE);
    Map<ProcessId, Set<TaskId>> active = new TreeMap<>();
    Map<ProcessId, Set<TaskId>> standby = new TreeMap<>();
    boolean followUp = false;
    Set<TaskId> seen = new TreeSet<>();
    for (KafkaStreamsAssignment k : a.assignment()) {
      active.put(k.processId(), new TreeSet<>());
      standby.put(k.processId(), new TreeSet<>());
      followUp |= k.followupRebalanceDeadline().isPresent();
      for (AssignedTask task : k.tasks().values()) {
        if (task.type() == AssignedTask.Type.ACTIVE) {
          active.get(k.processId()).add(task.id());
          assertThat(seen.add(task.id())).as("%s active once", task.id()).isTrue();
        } else {
          standby.get(k.processId()).add(task.id());
        }
      }
    }
    assertThat(seen).hasSize(TASKS);
    active.forEach(
        (c, ts) ->
            assertThat(java.util.Collections.disjoint(ts, standby.get(c)))
                .as("no standby beside its active on %s", c)
                .isTrue());
    return new Result(active, standby, followUp, a);
  }

  private static Set<TaskId> tasks(int... ps) {
    Set<TaskId> out = new TreeSet<>();
    for (int p : ps) {
      out.add(t(p));
    }
    return out;
  }

  @Test
  void aStopHandsOnlyTheLeaversTasksToTheirStandbys() {
    // 3 -> 2: client 2 (tasks 4, 5) left; 4's standby is on 0, 5's on 1
    Result r =
        assign(
            group(
                client(0, List.of(0, 1), List.of(2, 4)), client(1, List.of(2, 3), List.of(5, 0))));
    assertThat(r.active().get(pid(0))).containsAll(tasks(0, 1)).contains(t(4));
    assertThat(r.active().get(pid(1))).containsAll(tasks(2, 3)).contains(t(5));
    assertThat(r.followUp()).isFalse();
  }

  @Test
  void aScaleInMovesNoSurvivorsTask() {
    // 4 -> 3: client 3 (task 5) left, its standby on client 2; the high-availability assignor
    // moved 0_3, 0_4 and 0_5 in a ring for the same group
    Result r =
        assign(
            group(
                client(0, List.of(0, 3), List.of(1)),
                client(1, List.of(1, 4), List.of(2)),
                client(2, List.of(2), List.of(0, 3, 5))));
    assertThat(r.active().get(pid(0))).isEqualTo(tasks(0, 3));
    assertThat(r.active().get(pid(1))).isEqualTo(tasks(1, 4));
    assertThat(r.active().get(pid(2))).isEqualTo(tasks(2, 5));
    assertThat(r.followUp()).isFalse();
  }

  @Test
  void anOrphanStaysWarmEvenAboveAShareAndTheEmptyInstanceWarmsUp() {
    // 4 -> 3 with large state: task 5's only warm copy is on client 1, already at its share of
    // 2; client 2 (one task) has none of 5's state. A cold restore on client 2 would pause 5's
    // lists for the whole restore, so 5 goes to client 1 and client 2 warms up for the surplus.
    Result r =
        assign(
            group(
                client(0, List.of(0, 3), List.of(1)),
                client(1, List.of(1, 4), List.of(5, 2)),
                client(2, List.of(2), List.of(0, 3))));
    assertThat(r.active().get(pid(0))).isEqualTo(tasks(0, 3));
    assertThat(r.active().get(pid(1))).isEqualTo(tasks(1, 4, 5));
    assertThat(r.active().get(pid(2))).isEqualTo(tasks(2));
    assertThat(r.standby().get(pid(2))).containsAnyElementsOf(tasks(1, 4, 5));
    assertThat(r.followUp()).as("a probing rebalance evens it out once warm").isTrue();
  }

  @Test
  void aRolledPodBackWithItsStateWarmsUpBeforeItGetsItsShare() {
    // 2 -> 3: client 2 returns with state for 4 and 5 on its volume (lag small; Streams reports
    // the tasks on disk as its standbys), its process 2 s old; the survivors hold 3 each. Handing
    // it 4 and 5 now made their lists wait for a JVM seconds old (chaos, 2026-12-04): it gets them
    // as warm-ups, one from each survivor, and a follow-up rebalance when it is 10 s old.
    Instant started = Instant.now().minusSeconds(2);
    Client back =
        new Client(pid(2), Set.of(), tasks(4, 5), Map.of(t(4), 40L, t(5), 25L, t(1), 900L))
            .startedAgo(Duration.ofSeconds(2));
    Result r =
        assign(
            group(
                client(0, List.of(0, 1, 4), List.of(2, 5)),
                client(1, List.of(2, 3, 5), List.of(0, 4)),
                back));
    assertThat(r.active().get(pid(2))).isEmpty();
    assertThat(r.active().get(pid(0))).isEqualTo(tasks(0, 1, 4));
    assertThat(r.active().get(pid(1))).isEqualTo(tasks(2, 3, 5));
    assertThat(r.standby().get(pid(2))).containsAll(tasks(4, 5));
    assertThat(r.followUp()).isTrue();
    Instant deadline =
        r.raw().assignment().stream()
            .map(a -> a.followupRebalanceDeadline().orElseThrow())
            .findFirst()
            .orElseThrow();
    assertThat(deadline)
        .as("when its process is HAND_BACK_DELAY old, not after the probing interval")
        .isBetween(
            started.plus(StickyHandOverAssignor.HAND_BACK_DELAY).minusSeconds(1),
            started.plus(StickyHandOverAssignor.HAND_BACK_DELAY).plusSeconds(1));
  }

  @Test
  void atTheFollowUpTheWarmPodGetsItsShareAndNothingElseMoves() {
    // the same group one follow-up later: client 2's process is 11 s old and keeps 4 and 5 warm
    Client back =
        new Client(pid(2), Set.of(), tasks(4, 5), Map.of(t(4), 3L, t(5), 2L))
            .startedAgo(Duration.ofSeconds(11));
    Result r =
        assign(
            group(
                client(0, List.of(0, 1, 4), List.of(2)),
                client(1, List.of(2, 3, 5), List.of(0)),
                back));
    assertThat(r.active().get(pid(2))).isEqualTo(tasks(4, 5));
    assertThat(r.active().get(pid(0))).isEqualTo(tasks(0, 1));
    assertThat(r.active().get(pid(1))).isEqualTo(tasks(2, 3));
    assertThat(r.followUp()).isFalse();
  }

  @Test
  void aStopsTasksGoToTheRunningStandbysNotToAProcessThatJustReturned() {
    // a rolling restart: client 2 came back 3 s ago with stale state for 4 and 5 on its volume
    // (caught up by the lag), and now the owner of 4 and 5 stops; their running standbys are on
    // clients 0 and 1, both at their share. By load alone they went to client 2 (seen in chaos
    // rolling-restart, 2026-12-04: a 3.5 s pause).
    Client young =
        new Client(pid(2), Set.of(), tasks(4, 5), Map.of(t(4), 400L, t(5), 300L))
            .startedAgo(Duration.ofSeconds(3));
    Result r =
        assign(
            group(
                client(0, List.of(0, 1), List.of(4)), client(1, List.of(2, 3), List.of(5)), young));
    assertThat(r.active().get(pid(0))).isEqualTo(tasks(0, 1, 4));
    assertThat(r.active().get(pid(1))).isEqualTo(tasks(2, 3, 5));
    assertThat(r.active().get(pid(2))).isEmpty();
    assertThat(r.standby().get(pid(2))).isNotEmpty();
    assertThat(r.followUp()).isTrue();
  }

  @Test
  void aYoungProcessStillTakesWhatNobodyElseCan() {
    // the first node of a fresh cluster: young, and the only one
    Result r =
        assign(group(new Client(pid(0), Set.of(), Set.of(), Map.of()).startedAgo(Duration.ZERO)));
    assertThat(r.active().get(pid(0))).hasSize(TASKS);
  }

  @Test
  void aNewInstanceWithoutStateWarmsUpBeforeItTakesTasks() {
    // 3 -> 6: three new clients, no state, lag above acceptable.recovery.lag for every task
    Result r =
        assign(
            group(
                client(0, List.of(0, 1), List.of(2)),
                client(1, List.of(2, 3), List.of(4)),
                client(2, List.of(4, 5), List.of(0)),
                new Client(pid(3), Set.of(), Set.of(), Map.of()),
                new Client(pid(4), Set.of(), Set.of(), Map.of()),
                new Client(pid(5), Set.of(), Set.of(), Map.of())));
    assertThat(r.active().get(pid(0))).isEqualTo(tasks(0, 1));
    assertThat(r.active().get(pid(1))).isEqualTo(tasks(2, 3));
    assertThat(r.active().get(pid(2))).isEqualTo(tasks(4, 5));
    int warmUps = 0;
    for (int i = 3; i < 6; i++) {
      assertThat(r.active().get(pid(i))).isEmpty();
      warmUps += r.standby().get(pid(i)).size();
    }
    assertThat(warmUps).as("warm-up replicas on the new instances").isPositive();
    assertThat(r.followUp()).as("a probing rebalance moves them once caught up").isTrue();
  }

  @Test
  void oneCaughtUpNewcomerTakesItsShareAtOnce() {
    // 3 -> 4 with small state: the newcomer's lag is within the acceptable lag for every task
    Map<TaskId, Long> small = new HashMap<>();
    for (int p = 0; p < TASKS; p++) {
      small.put(t(p), 500L);
    }
    Result r =
        assign(
            group(
                client(0, List.of(0, 1), List.of(2)),
                client(1, List.of(2, 3), List.of(4)),
                client(2, List.of(4, 5), List.of(0)),
                new Client(pid(3), Set.of(), Set.of(), small)));
    // share = ceil(6/4) = 2: nobody is over it, so nothing moves
    assertThat(r.active().get(pid(3))).isEmpty();
    assertThat(r.active().get(pid(0))).isEqualTo(tasks(0, 1));
    assertThat(r.followUp()).isFalse();
  }

  @Test
  void everyTaskHasItsStandbyWhenThereIsRoom() {
    Result r =
        assign(
            group(
                client(0, List.of(0, 1), List.of()),
                client(1, List.of(2, 3), List.of()),
                client(2, List.of(4, 5), List.of())));
    Map<TaskId, Integer> replicas = new TreeMap<>();
    r.standby().values().forEach(ts -> ts.forEach(task -> replicas.merge(task, 1, Integer::sum)));
    assertThat(replicas).hasSize(TASKS).allSatisfy((task, n) -> assertThat(n).isEqualTo(1));
  }
}
