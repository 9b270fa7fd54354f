package io.statusreg.streams.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.assignment.ApplicationState;
import org.apache.kafka.streams.processor.assignment.AssignmentConfigs;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsAssignment;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsAssignment.AssignedTask;
import org.apache.kafka.streams.processor.assignment.KafkaStreamsState;
import org.apache.kafka.streams.processor.assignment.ProcessId;
import org.apache.kafka.streams.processor.assignment.TaskAssignor;
import org.apache.kafka.streams.processor.assignment.TaskInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task assignor of the registry ({@code task.assignor.class}, KIP-924): a membership change
 * moves only the tasks it has to, and only to an instance that holds their state.
 *
 * <p>Kafka Streams' default high-availability assignor rebalances the whole group on every change:
 * in the chaos runs a scale-in from 4 to 3 moved three survivors' tasks in a ring to hand over the
 * one task of the instance that left, and a rolling restart swapped the survivors' tasks at every
 * stop, each move pausing its lists for 1.5-2 s. Here:
 *
 * <ol>
 *   <li>every active task stays with its previous owner;
 *   <li>a task without an owner (its instance left or died) goes to a <em>caught-up</em> instance
 *       (its state within {@code acceptable.recovery.lag} of the changelogs: the warm standby), one
 *       whose process is not young first, then the least loaded; an instance that is not caught up
 *       gets it only when no instance is;
 *   <li>while an instance has more active tasks than its share ({@code ceil(tasks x its threads /
 *       all threads)}) and another has fewer and is <em>warm</em> for one of them (caught up, the
 *       task among its standbys in the previous assignment, and its process at least {@link
 *       #HAND_BACK_DELAY} old), that one moves;
 *   <li>an instance below its share that is warm for none gets warm-up replicas of the tasks it
 *       would take, one from each instance over its share per round, the freshest state first. When
 *       it is already caught up for them (a rolled pod or a restarted process that comes back with
 *       its state) they do not count against {@code max.warmup.replicas} and a follow-up rebalance
 *       moves them once its process is {@link #HAND_BACK_DELAY} old ({@link #STARTED_TAG});
 *       otherwise (a scale-out) at most {@code max.warmup.replicas} are given and the follow-up
 *       comes after {@code probing.rebalance.interval.ms}. Handing tasks to a process the moment it
 *       joins made their lists wait for a JVM seconds old: 2.2-3.7 s in the phase after an instance
 *       returned (chaos kill-instance, 2026-12-04);
 *   <li>standbys ({@code num.standby.replicas}) stay where they were, then go to the instances with
 *       the most of the task's state, then the least loaded, never beside the active.
 * </ol>
 *
 * Decisions depend only on the group's state, so every leader computes the same assignment.
 */
public final class StickyHandOverAssignor implements TaskAssignor {
  private static final Logger log = LoggerFactory.getLogger(StickyHandOverAssignor.class);

  /**
   * How old a process must be before tasks move to it (unless nobody else can take them): its JVM
   * warms up on the standbys' restore and on reads meanwhile.
   */
  public static final java.time.Duration HAND_BACK_DELAY = java.time.Duration.ofSeconds(10);

  /**
   * The client tag ({@code client.tag.statusreg.started}) in which each node sends when its Streams
   * client started (epoch milliseconds): a process younger than {@link #HAND_BACK_DELAY} gets no
   * task that another can take. Its state on disk says nothing of that: a rolled pod returns with
   * its volume, caught up and with the tasks on disk reported as its standbys.
   */
  public static final String STARTED_TAG = "statusreg.started";

  @Override
  public TaskAssignment assign(ApplicationState application) {
    Map<ProcessId, KafkaStreamsState> clients = new TreeMap<>(application.kafkaStreamsStates(true));
    AssignmentConfigs configs = application.assignmentConfigs();
    Map<TaskId, TaskInfo> tasks = new TreeMap<>(application.allTasks());
    Plan plan = new Plan(clients, tasks, configs.acceptableRecoveryLag(), Instant.now());

    // 1. every active task stays with its previous owner
    for (TaskId task : tasks.keySet()) {
      for (KafkaStreamsState c : clients.values()) {
        if (c.previousActiveTasks().contains(task) && !plan.hasOwner(task)) {
          plan.activate(task, c.processId());
        }
      }
    }
    // 2. tasks without an owner: to a caught-up instance, the least loaded first
    for (TaskId task : tasks.keySet()) {
      if (!plan.hasOwner(task)) {
        plan.activate(task, plan.bestOwner(task));
      }
    }
    // 3. over their share -> below it, where the state is warm
    boolean moved = true;
    while (moved) {
      moved = false;
      for (ProcessId from : plan.overShare()) {
        for (TaskId task : plan.activeOf(from)) {
          ProcessId to = plan.warmBelowShare(task);
          if (to != null) {
            plan.move(task, from, to);
            moved = true;
            break;
          }
        }
        if (moved) {
          break;
        }
      }
    }
    // 4. warm-ups for instances below their share that are warm for none of the surplus: caught-up
    // ones first (they restore little, so no budget) and moved soon, the others within the budget
    Map<ProcessId, Set<TaskId>> warmUps = new HashMap<>();
    int warmUpBudget = configs.maxWarmupReplicas();
    Instant handBackAt = null; // set when a caught-up instance got warm-ups
    boolean probing = false;
    Map<ProcessId, Integer> surplus = new HashMap<>();
    for (ProcessId over : plan.overShare()) {
      surplus.put(over, plan.load(over) - plan.share(over));
    }
    for (ProcessId below : plan.belowShare()) {
      int wanted = plan.share(below) - plan.activeOf(below).size();
      Set<TaskId> mine = warmUps.computeIfAbsent(below, k -> new TreeSet<>());
      for (boolean caughtUpPass : new boolean[] {true, false}) {
        boolean progress = true;
        while (wanted > 0 && progress && (caughtUpPass || warmUpBudget > 0)) {
          progress = false;
          // one task per instance over its share and round, the freshest state first, so that a
          // returning instance's share comes from every instance that holds its surplus
          for (ProcessId over : plan.overShare()) {
            if (wanted == 0 || (!caughtUpPass && warmUpBudget == 0)) {
              break;
            }
            if (surplus.getOrDefault(over, 0) <= 0) {
              continue;
            }
            boolean pass = caughtUpPass;
            TaskId best =
                plan.activeOf(over).stream()
                    .filter(t -> plan.isStateful(t) && !mine.contains(t))
                    .filter(t -> plan.caughtUp(below, t) == pass)
                    .min(Comparator.comparingLong((TaskId t) -> plan.lag(below, t)))
                    .orElse(null);
            if (best == null) {
              continue;
            }
            mine.add(best);
            wanted--;
            surplus.merge(over, -1, Integer::sum);
            progress = true;
            if (caughtUpPass) {
              Instant soonest = Instant.now().plusSeconds(1); // no rebalance storm
              Instant ready = plan.readyAt(below);
              handBackAt = later(handBackAt, ready.isBefore(soonest) ? soonest : ready);
            } else {
              warmUpBudget--;
              probing = true;
            }
          }
        }
      }
    }
    warmUps.values().removeIf(Set::isEmpty);
    // 5. standbys: sticky, then the most state, then the least loaded; never beside the active
    Map<ProcessId, Set<TaskId>> standbys = new HashMap<>();
    warmUps.forEach((c, ts) -> standbys.computeIfAbsent(c, k -> new TreeSet<>()).addAll(ts));
    int replicas = configs.numStandbyReplicas();
    for (TaskId task : tasks.keySet()) {
      if (!plan.isStateful(task)) {
        continue;
      }
      List<ProcessId> holders = new ArrayList<>();
      for (var e : standbys.entrySet()) {
        if (e.getValue().contains(task)) {
          holders.add(e.getKey());
        }
      }
      List<ProcessId> candidates = new ArrayList<>();
      for (ProcessId c : clients.keySet()) {
        if (!c.equals(plan.owner(task)) && !holders.contains(c)) {
          candidates.add(c);
        }
      }
      candidates.sort(
          Comparator.<ProcessId, Boolean>comparing(
                  c -> !clients.get(c).previousStandbyTasks().contains(task))
              .thenComparingLong(c -> plan.lag(c, task))
              .thenComparingInt(c -> plan.load(c) + standbys.getOrDefault(c, Set.of()).size())
              .thenComparing(c -> c));
      for (ProcessId c : candidates) {
        if (holders.size() >= replicas) {
          break;
        }
        standbys.computeIfAbsent(c, k -> new TreeSet<>()).add(task);
        holders.add(c);
      }
    }

    Instant followUp =
        handBackAt != null
            ? handBackAt
            : probing ? Instant.now().plusMillis(configs.probingRebalanceIntervalMs()) : null;
    List<KafkaStreamsAssignment> out = new ArrayList<>();
    for (ProcessId c : clients.keySet()) {
      Set<AssignedTask> assigned = new HashSet<>();
      for (TaskId t : plan.activeOf(c)) {
        assigned.add(new AssignedTask(t, AssignedTask.Type.ACTIVE));
      }
      for (TaskId t : standbys.getOrDefault(c, Set.of())) {
        assigned.add(new AssignedTask(t, AssignedTask.Type.STANDBY));
      }
      KafkaStreamsAssignment a = KafkaStreamsAssignment.of(c, assigned);
      out.add(followUp == null ? a : a.withFollowupRebalance(followUp));
    }
    log.info(
        "assigned {} tasks to {} instance(s): active {}, standby {}{}",
        tasks.size(),
        clients.size(),
        plan.summary(),
        standbys,
        warmUps.isEmpty() ? "" : "; warm-ups " + warmUps + ", follow-up rebalance at " + followUp);
    return new TaskAssignment(out);
  }

  private static Instant later(Instant a, Instant b) {
    return a == null || b.isAfter(a) ? b : a;
  }

  /** Active tasks per instance, with each instance's share and lags. */
  private static final class Plan {
    private final Map<ProcessId, KafkaStreamsState> clients;
    private final Map<TaskId, TaskInfo> tasks;
    private final long acceptableLag;
    private final Instant now;
    private final Map<TaskId, ProcessId> owner = new HashMap<>();
    private final Map<ProcessId, TreeSet<TaskId>> active = new TreeMap<>();
    private final Map<ProcessId, Integer> shares = new HashMap<>();

    Plan(
        Map<ProcessId, KafkaStreamsState> clients,
        Map<TaskId, TaskInfo> tasks,
        long acceptable,
        Instant now) {
      this.now = now;
      this.clients = clients;
      this.tasks = tasks;
      this.acceptableLag = acceptable;
      int threads = 0;
      for (KafkaStreamsState c : clients.values()) {
        threads += Math.max(1, c.numProcessingThreads());
        active.put(c.processId(), new TreeSet<>());
      }
      for (KafkaStreamsState c : clients.values()) {
        long n = (long) tasks.size() * Math.max(1, c.numProcessingThreads());
        shares.put(c.processId(), (int) ((n + threads - 1) / threads));
      }
    }

    boolean hasOwner(TaskId task) {
      return owner.containsKey(task);
    }

    ProcessId owner(TaskId task) {
      return owner.get(task);
    }

    void activate(TaskId task, ProcessId c) {
      owner.put(task, c);
      active.get(c).add(task);
    }

    void move(TaskId task, ProcessId from, ProcessId to) {
      active.get(from).remove(task);
      activate(task, to);
    }

    List<TaskId> activeOf(ProcessId c) {
      return List.copyOf(active.get(c));
    }

    int load(ProcessId c) {
      return active.get(c).size();
    }

    int share(ProcessId c) {
      return shares.get(c);
    }

    boolean isStateful(TaskId task) {
      return tasks.get(task).isStateful();
    }

    long lag(ProcessId c, TaskId task) {
      if (!isStateful(task)) {
        return 0;
      }
      long lag = clients.get(c).lagFor(task);
      return lag < 0 ? Long.MAX_VALUE : lag;
    }

    boolean caughtUp(ProcessId c, TaskId task) {
      return lag(c, task) <= acceptableLag;
    }

    /** Where a task without an owner goes: caught up first, then least loaded, then least lag. */
    ProcessId bestOwner(TaskId task) {
      return clients.keySet().stream()
          .min(
              Comparator.<ProcessId, Boolean>comparing(c -> !caughtUp(c, task))
                  .thenComparing(this::young)
                  .thenComparing(c -> load(c) >= share(c))
                  .thenComparingInt(this::load)
                  .thenComparingLong(c -> lag(c, task))
                  .thenComparing(c -> c))
          .orElseThrow();
    }

    List<ProcessId> overShare() {
      return active.keySet().stream().filter(c -> load(c) > share(c)).toList();
    }

    List<ProcessId> belowShare() {
      return active.keySet().stream().filter(c -> load(c) < share(c)).toList();
    }

    /**
     * Caught up, and the task was its standby in the previous assignment: its process has been
     * running with that state, not only found it on disk at its start.
     */
    boolean warm(ProcessId c, TaskId task) {
      return caughtUp(c, task) && clients.get(c).previousStandbyTasks().contains(task) && !young(c);
    }

    /** When the client's Streams started, from its tag; empty for a node that sends none. */
    java.util.Optional<Instant> started(ProcessId c) {
      String v = clients.get(c).clientTags().get(STARTED_TAG);
      if (v == null || !v.matches("[0-9]{1,15}")) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(Instant.ofEpochMilli(Long.parseLong(v)));
    }

    /** Started less than {@link #HAND_BACK_DELAY} ago (by the leader's clock). */
    boolean young(ProcessId c) {
      return readyAt(c).isAfter(now);
    }

    /** When the client stops being young: now for one that is not, or sends no start time. */
    Instant readyAt(ProcessId c) {
      Instant ready = started(c).map(t -> t.plus(HAND_BACK_DELAY)).orElse(now);
      // a start time ahead of the leader's clock (skew) waits no longer than the delay
      Instant bound = now.plus(HAND_BACK_DELAY);
      return ready.isAfter(bound) ? bound : ready.isBefore(now) ? now : ready;
    }

    /** The least loaded instance below its share that is warm for the task, or null. */
    ProcessId warmBelowShare(TaskId task) {
      return belowShare().stream()
          .filter(c -> warm(c, task))
          .min(
              Comparator.<ProcessId>comparingInt(this::load)
                  .thenComparingLong(c -> lag(c, task))
                  .thenComparing(c -> c))
          .orElse(null);
    }

    Map<ProcessId, Set<TaskId>> summary() {
      return new TreeMap<>(active);
    }
  }
}
