package io.statusreg.chaos;

import io.statusreg.chaos.cluster.GroupMembership;
import io.statusreg.chaos.cluster.HarnessKafka;
import io.statusreg.chaos.cluster.HarnessKeys;
import io.statusreg.chaos.cluster.InstanceLaunch;
import io.statusreg.chaos.cluster.KafkaConnections;
import io.statusreg.chaos.cluster.PreviousRelease;
import io.statusreg.chaos.cluster.RebalanceLog;
import io.statusreg.chaos.cluster.RebalanceMetric;
import io.statusreg.chaos.cluster.RegistryFleet;
import io.statusreg.chaos.cluster.RegistryInstance;
import io.statusreg.chaos.cluster.RegistryTopics;
import io.statusreg.chaos.cluster.SecuredKafka;
import io.statusreg.chaos.cluster.ServiceRouter;
import io.statusreg.chaos.cluster.SessionEvidence;
import io.statusreg.chaos.load.FetchLoad;
import io.statusreg.chaos.load.Ledger;
import io.statusreg.chaos.load.ListRef;
import io.statusreg.chaos.load.LoadSetup;
import io.statusreg.chaos.load.Phases;
import io.statusreg.chaos.load.RegistryClient;
import io.statusreg.chaos.load.VersionTracker;
import io.statusreg.chaos.load.WriteLoad;
import io.statusreg.chaos.report.ChaosReport;
import io.statusreg.chaos.verify.DataChecks;
import io.statusreg.compaction.KafkaAccess;
import io.statusreg.kraft.KraftCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chaos run: 3 KRaft nodes and 3 registry instances as separate processes on loopback, the
 * issuer and verifier load, the scenario's disruptions, the final data checks and the report. Every
 * wait is bounded, and a watchdog ends the run at {@link ChaosOptions#timeout()}; every process it
 * started is stopped before {@link #run()} returns.
 */
public final class ScenarioRunner {
  private static final Logger log = LoggerFactory.getLogger(ScenarioRunner.class);

  static final List<String> ISSUERS = List.of("chaos-issuer-a", "chaos-issuer-b");

  /** The Streams application id, and so the consumer group (the registry's default). */
  static final String GROUP_ID = "statusreg";

  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration STOP_GRACE = Duration.ofSeconds(60);

  /** Time for a terminating pod to leave the Service's endpoints (a preStop sleep). */
  private static final Duration PRE_STOP = Duration.ofSeconds(1);

  /** The registry StatefulSet's minReadySeconds (statefulsets/k8s/base). */
  static final Duration MIN_READY = Duration.ofSeconds(20);

  /** How long a killed instance stays down before it is started again (kill-instance). */
  static final Duration KILL_RESTART_DELAY = Duration.ofSeconds(5);

  private static final Duration CHANGE_DEADLINE = Duration.ofSeconds(90);
  private static final long LIST_SIZE = 131_072;

  /** A disruption's time window, for the analysis after the run. */
  private record Window(
      String action,
      String target,
      Instant at,
      Instant recoveredAt,
      Instant settledAt,
      Duration stop,
      Map<String, Long> metricBefore,
      Map<String, Long> metricAfter) {

    /** Growth of the survivors' rebalance counters over the window; -1 when not exported. */
    long survivorMetricRebalances() {
      long sum = 0;
      boolean any = false;
      for (Map.Entry<String, Long> e : metricBefore.entrySet()) {
        Long after = metricAfter.get(e.getKey());
        if (!e.getKey().equals(target) && after != null) {
          sum += after - e.getValue();
          any = true;
        }
      }
      return any ? sum : -1;
    }
  }

  private final ChaosOptions options;
  private final Path workDir;
  private final String classpath;
  private final List<Window> windows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final Map<String, String> settings = new TreeMap<>();

  private KraftCluster kafka;
  private SecuredKafka secured;
  private RegistryFleet fleet;
  private ServiceRouter router;
  private RegistryClient client;
  private HarnessKeys keys;
  private final Ledger ledger = new Ledger();
  private final VersionTracker versions = new VersionTracker();
  private Phases phases;
  private List<ListRef> lists = List.of();
  private WriteLoad writes;
  private FetchLoad fetches;
  private Instant loadStart;
  private Instant loadEnd;
  private boolean tornDown;

  public ScenarioRunner(ChaosOptions options) {
    this.options = options;
    this.workDir = options.reportDir().resolve("work");
    this.classpath = System.getProperty("chaos.classpath", System.getProperty("java.class.path"));
    if (classpath.contains("/.m2/repository/io/statusreg/")) {
      notes.add(
          "the instance classpath takes statusreg modules from the local Maven repository, which"
              + " other worktrees' `install` may overwrite; build with `-pl chaos -am` so that it"
              + " points at this worktree's target directories");
    }
  }

  public ChaosReport run() {
    Instant started = Instant.now();
    String error = null;
    DataChecks.Result data = null;
    Map<String, List<String>> metricsLines = new TreeMap<>();
    Thread main = Thread.currentThread();
    Thread watchdog =
        Thread.ofPlatform()
            .daemon()
            .name("chaos-watchdog")
            .start(
                () -> {
                  try {
                    Thread.sleep(options.timeout().toMillis());
                  } catch (InterruptedException e) {
                    return;
                  }
                  log.error(
                      "Run exceeded its timeout of {}: stopping everything", options.timeout());
                  main.interrupt();
                  tearDown();
                });
    try {
      setUp();
      startLoad();
      try {
        act();
      } catch (RuntimeException e) {
        // The disruption broke (an instance did not come back, say): still stop the load and
        // check the data on what is left, so the report says whether anything was lost.
        error = "during the disruption: " + e.getClass().getSimpleName() + ": " + e.getMessage();
        log.error("Disruption failed; checking the data on the remaining instances", e);
        loadEnd = Instant.now();
      }
      Instant now = Instant.now();
      if (now.isBefore(loadEnd)) {
        phases.begin("steady");
        sleep(Duration.between(now, loadEnd));
      }
      stopLoad();
      if (secured != null) {
        notes.add(kafkaConnections());
      }
      metricsLines = scrapeRebalanceMetrics();
      data =
          DataChecks.run(
              ledger,
              lists,
              router.endpoints(),
              client,
              keys.signingPublicKey(),
              harnessKafka(),
              Duration.ofSeconds(60));
    } catch (Exception e) {
      String failure = e.getClass().getSimpleName() + ": " + e.getMessage();
      error = error == null ? failure : error + "\nthen: " + failure;
      log.error("Chaos run failed", e);
    } finally {
      try {
        stopLoad();
      } catch (RuntimeException e) {
        log.warn("Stopping the load failed", e);
      }
      watchdog.interrupt();
      tearDown();
      Thread.interrupted(); // a late watchdog interrupt must not leak into the caller
    }
    return report(started, data, metricsLines, error);
  }

  // ---- set-up -------------------------------------------------------------------------------

  private void setUp() throws IOException {
    Files.createDirectories(workDir);
    log.info("Chaos {}: work and logs in {}", options.scenario().id(), workDir);
    keys = HarnessKeys.generate(workDir.resolve("keys"));

    KraftCluster.Builder cluster =
        KraftCluster.builder()
            .nodes(3)
            .separateProcesses(true)
            .dataDir(workDir.resolve("kafka"))
            .classpath(classpath)
            .jvmOptions(KraftCluster.DEFAULT_NODE_JVM_OPTIONS)
            .startTimeout(Duration.ofMinutes(3))
            .brokerProperty("default.replication.factor", "3")
            .brokerProperty("min.insync.replicas", "2");
    if (options.secure()) {
      secured = SecuredKafka.generate(workDir.resolve("kafka-security"));
      cluster.secureListener(secured.listener());
      new java.util.TreeMap<>(SecuredKafka.AUTHORIZER).forEach(cluster::brokerProperty);
    }
    new java.util.TreeMap<>(options.brokerProperties()).forEach(cluster::brokerProperty);
    if (!options.brokerProperties().isEmpty()) {
      notes.add(
          "broker properties over the defaults (--broker): "
              + new java.util.TreeMap<>(options.brokerProperties()));
    }
    kafka = cluster.build();
    kafka.start();
    for (int id = 1; id <= kafka.size(); id++) {
      kafka.nodeLogFile(id).ifPresent(brokerLogs::add);
    }

    settings.putAll(keys.settings());
    if (secured == null) {
      settings.put("STATUSREG_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    } else {
      // Only the SASL_SSL listener, configured as a mounted Secret would: paths, no secrets.
      settings.putAll(secured.clientSettings(kafka.secureBootstrapServers()));
      secured.createUser(kafka.bootstrapServers(), settings, Duration.ofSeconds(60));
      notes.add(secured.note());
    }
    settings.put("STATUSREG_PUBLIC_BASE_URL", "https://status.chaos.statusreg.invalid");
    settings.put("STATUSREG_HTTP_PUBLIC_BASE_URL", "https://status.chaos.statusreg.invalid");
    settings.put(
        "STATUSREG_PUBLISH_INTERVAL_MS", Long.toString(options.publishInterval().toMillis()));
    settings.put("STATUSREG_TOPIC_REPLICATION_FACTOR", "3");
    settings.put("STATUSREG_TOPIC_MIN_INSYNC_REPLICAS", "2");
    settings.put("STATUSREG_EVENTS_PARTITIONS", "6");
    settings.put("STATUSREG_ROCKSDB_BLOCK_CACHE_BYTES", Long.toString(8L << 20));
    settings.put("STATUSREG_ROCKSDB_WRITE_BUFFER_BYTES", Long.toString(4L << 20));
    if (!options.sessionTimeout().isEmpty()) {
      settings.put("STATUSREG_SESSION_TIMEOUT_MS", options.sessionTimeout());
    }
    settings.putAll(options.extraSettings());
    List<String> created = RegistryTopics.create(settings, Duration.ofSeconds(90));
    log.info("Created topics {}", created);

    fleet =
        new RegistryFleet(
            new RegistryFleet.Config(
                workDir,
                options.scenario().staticMembership(),
                settings,
                classpath,
                InstanceLaunch.DEFAULT_JVM_OPTIONS,
                STOP_GRACE));
    if (options.scenario() == Scenario.VERSION_UPGRADE) {
      PreviousRelease.Build previous = PreviousRelease.build(home(), options.previous(), workDir);
      notes.add("previous release: " + options.previous() + " built in " + previous.dir());
      for (int i = 0; i < options.scenario().instances(); i++) {
        fleet.slot(i).useClasspath(previous.classpath());
      }
    }
    fleet.startAll(options.scenario().instances(), READY_TIMEOUT);
    router = new ServiceRouter(fleet::running, Duration.ofMillis(250)).start();

    Map<String, String> tokens = new LinkedHashMap<>();
    for (String issuer : ISSUERS) {
      tokens.put(issuer, keys.bearerToken(issuer, options.timeout().plusHours(1)));
    }
    client = new RegistryClient(tokens, Duration.ofSeconds(15), Duration.ofSeconds(5));
    lists =
        new LoadSetup(router, client, Duration.ofMinutes(2))
            .createLists(
                ISSUERS, options.listsPerIssuer(), LIST_SIZE, options.entriesPerList(), ledger);
    awaitPublished(Duration.ofMinutes(1));
    log.info("Set-up done: {} lists, {} entries each", lists.size(), options.entriesPerList());
  }

  /** Waits until every list has a token on every instance, so that fetches start on firm ground. */
  private void awaitPublished(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      int missing = 0;
      for (RegistryInstance instance : fleet.running()) {
        for (ListRef list : lists) {
          try {
            if (client.fetchToken(instance, list).status() != 200) {
              missing++;
            }
          } catch (IOException e) {
            missing++;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the first tokens", e);
          }
        }
      }
      if (missing == 0) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            missing
                + " list token(s) still not served "
                + timeout
                + " after the lists were created");
      }
      sleep(Duration.ofMillis(250));
    }
  }

  private void startLoad() {
    boolean warmUp = !options.warmUp().isZero();
    phases = new Phases(warmUp ? Phases.WARM_UP : "baseline");
    loadStart = Instant.now();
    loadEnd = loadStart.plus(options.duration()).plus(options.warmUp());
    fetches = new FetchLoad(router, client, lists, phases, versions, options.fetchRate()).start();
    writes =
        new WriteLoad(
                router,
                client,
                lists,
                ledger,
                phases,
                versions,
                options.writeRate(),
                CHANGE_DEADLINE,
                options.entriesPerList())
            .start();
    if (warmUp) {
      sleep(options.warmUp());
      phases.begin("baseline");
      loadStart = Instant.now(); // the whole run's figures (pauses, ack p99) start here
    }
    sleep(max(Duration.ofSeconds(5), options.duration().dividedBy(6)));
  }

  private void stopLoad() {
    if (writes != null && fetchesStopped == null) {
      fetchesStopped = Instant.now();
    }
    if (writes != null) {
      WriteLoad w = writes;
      writes = null;
      phases.begin("draining writes");
      w.close();
      if (fetches != null) {
        fetches.close();
      }
      phases.end();
      traffic = new long[] {w.starved(), w.topUps(), fetches == null ? 0 : fetches.skipped()};
    }
  }

  private long[] traffic = {0, 0, 0};
  private Instant fetchesStopped;

  /** The brokers' {@code server.log} files, where the coordinator logs a session expiry. */
  private final List<Path> brokerLogs = new ArrayList<>();

  // ---- scenarios ----------------------------------------------------------------------------

  private void act() {
    int cycle = 0;
    do {
      cycle++;
      switch (options.scenario()) {
        case ROLLING_RESTART, ROLLING_RESTART_DYNAMIC -> {
          for (int i = 0; i < 3; i++) {
            restart(fleet.slot(i), cycle, null);
          }
        }
        case VERSION_UPGRADE -> {
          for (int i = 0; i < 3; i++) {
            restart(fleet.slot(i), cycle, classpath);
          }
        }
        case SCALE_OUT -> scaleOut(cycle);
        case SCALE_IN -> scaleIn(cycle);
        case KILL_INSTANCE -> killAndRestart(fleet.slot(cycle % 3), cycle);
        case NODE_LOSS -> loseNode(cycle);
        case KILL_BROKER -> killBroker(cycle);
      }
    } while (options.soak()
        && options.scenario().repeatable()
        && Instant.now().plus(Duration.ofSeconds(30)).isBefore(loadEnd));
  }

  private String label(String what, int cycle) {
    return options.soak() ? what + " (cycle " + cycle + ")" : what;
  }

  /**
   * SIGTERM, as a Kubernetes pod deletion in a rolling update: out of the endpoints first
   * (preStop), then the signal, then the pod is away for {@code --pod-delay} (termination,
   * rescheduling, volume attachment) before the same identity starts again, on {@code newClasspath}
   * when given (a version upgrade).
   */
  private void restart(RegistryInstance instance, int cycle, String newClasspath) {
    phases.begin(label("stop " + instance.name(), cycle));
    Map<String, Long> before = rebalanceCounters();
    Instant at = Instant.now();
    router.drain(instance);
    sleep(PRE_STOP);
    Duration stop = instance.terminate(STOP_GRACE);
    phases.begin(label(instance.name() + " away", cycle));
    sleep(options.podDelay());
    phases.begin(label("start " + instance.name(), cycle));
    if (newClasspath != null) {
      instance.useClasspath(newClasspath);
    }
    instance.start();
    instance.awaitReady(READY_TIMEOUT);
    router.undrain(instance);
    router.awaitEndpoint(instance, Duration.ofSeconds(10));
    Instant recovered = Instant.now();
    phases.begin(label("after restart of " + instance.name(), cycle));
    // The StatefulSet's minReadySeconds: the next pod is not stopped before the rolled one got
    // its tasks back (10 s after its start), as on Kubernetes.
    sleep(max(settle(), MIN_READY));
    windows.add(
        new Window(
            newClasspath == null ? "rolling restart (SIGTERM)" : "upgrade (SIGTERM, new code)",
            instance.name(),
            at,
            recovered,
            Instant.now(),
            stop,
            before,
            rebalanceCounters()));
  }

  /** Starts slots {@code from..to-1} together, as the HPA raising the StatefulSet's replicas. */
  private void scaleOutTo(int from, int to, int cycle) {
    phases.begin(label("scale-out " + from + " -> " + to, cycle));
    Map<String, Long> before = rebalanceCounters();
    Instant at = Instant.now();
    List<RegistryInstance> added = new ArrayList<>();
    for (int i = from; i < to; i++) {
      added.add(fleet.slot(i));
    }
    added.forEach(RegistryInstance::start);
    for (RegistryInstance extra : added) {
      extra.awaitReady(READY_TIMEOUT);
      router.undrain(extra);
      router.awaitEndpoint(extra, Duration.ofSeconds(10));
    }
    Instant recovered = Instant.now();
    phases.begin(label(to + " instances", cycle));
    sleep(max(Duration.ofSeconds(10), options.duration().dividedBy(5)));
    windows.add(
        new Window(
            "scale-out " + from + "->" + to,
            added.stream().map(RegistryInstance::name).toList().toString(),
            at,
            recovered,
            Instant.now(),
            Duration.ZERO,
            before,
            rebalanceCounters()));
  }

  private void scaleOut(int cycle) {
    scaleOutTo(3, 4, cycle);
    scaleOutTo(4, 6, cycle);
  }

  /**
   * Scale-in as the HPA does it: the StatefulSet's highest ordinal gets SIGTERM and never returns.
   * The harness does not touch the consumer group: the instance must leave it itself. It only reads
   * the group afterwards, to check that the instance's static members are gone.
   */
  private void scaleIn(int cycle) {
    RegistryInstance last = fleet.slot(options.scenario().instances() - 1);
    phases.begin(label("scale-in: stop " + last.name(), cycle));
    Map<String, Long> before = rebalanceCounters();
    Instant at = Instant.now();
    router.drain(last);
    sleep(PRE_STOP);
    Duration stop = last.terminate(STOP_GRACE);
    Instant stopped = Instant.now();
    phases.begin(label((options.scenario().instances() - 1) + " instances", cycle));
    try {
      List<String> left =
          GroupMembership.staticMembersOf(
              harnessKafka(), GROUP_ID, last.name(), Duration.ofSeconds(20));
      scaleInLeftovers = left;
      notes.add(
          "static members of "
              + last.name()
              + " still in group "
              + GROUP_ID
              + " after its exit (read, not touched): "
              + left);
    } catch (RuntimeException e) {
      notes.add("could not read the group after the scale-in: " + e.getMessage());
    }
    sleep(max(Duration.ofSeconds(15), options.duration().dividedBy(3)));
    windows.add(
        new Window(
            "scale-in "
                + options.scenario().instances()
                + "->"
                + (options.scenario().instances() - 1),
            last.name(),
            at,
            stopped,
            Instant.now(),
            stop,
            before,
            rebalanceCounters()));
  }

  private List<String> scaleInLeftovers;

  private void killAndRestart(RegistryInstance victim, int cycle) {
    phases.begin(label("kill -9 " + victim.name(), cycle));
    Map<String, Long> before = rebalanceCounters();
    Instant at = Instant.now();
    victim.kill();
    sleep(KILL_RESTART_DELAY); // the kubelet notices the exit and restarts the container
    phases.begin(label("restart " + victim.name() + " after kill", cycle));
    victim.start();
    victim.awaitReady(READY_TIMEOUT);
    router.awaitEndpoint(victim, Duration.ofSeconds(10));
    Instant recovered = Instant.now();
    phases.begin(label("after kill of " + victim.name(), cycle));
    sleep(settle());
    windows.add(
        new Window(
            "kill -9 instance",
            victim.name(),
            at,
            recovered,
            Instant.now(),
            Duration.ZERO,
            before,
            rebalanceCounters()));
  }

  /**
   * A lost node: kill -9 of an instance that never returns. Its static members stay in the group
   * until {@code session.timeout.ms} expires; then their tasks go to the standbys.
   */
  private void loseNode(int cycle) {
    RegistryInstance victim = fleet.slot(2);
    phases.begin(label("node lost: kill -9 " + victim.name(), cycle));
    Map<String, Long> before = rebalanceCounters();
    Instant at = Instant.now();
    victim.kill();
    sleep(max(Duration.ofSeconds(45), options.duration().dividedBy(2)));
    Instant after = Instant.now();
    phases.begin(label("2 instances", cycle));
    sleep(settle());
    windows.add(
        new Window(
            "node loss (kill -9, never returns)",
            victim.name(),
            at,
            after,
            Instant.now(),
            Duration.ZERO,
            before,
            rebalanceCounters()));
  }

  private void killBroker(int cycle) {
    int victim = eventsLeader().orElse(2);
    phases.begin(label("kafka-" + victim + " killed", cycle));
    Map<String, Long> before = rebalanceCounters();
    Instant at = Instant.now();
    kafka.killNode(victim);
    sleep(max(Duration.ofSeconds(10), options.duration().dividedBy(4)));
    phases.begin(label("kafka-" + victim + " restarting", cycle));
    kafka.startNode(victim);
    Instant recovered = Instant.now();
    phases.begin(label("kafka-" + victim + " back", cycle));
    sleep(settle());
    windows.add(
        new Window(
            "kill -9 Kafka node",
            "kafka-" + victim,
            at,
            recovered,
            Instant.now(),
            Duration.ZERO,
            before,
            rebalanceCounters()));
  }

  /**
   * The harness's own Kafka clients: the instances' settings, with their Kafka security (a {@code
   * --env STATUSREG_KAFKA_*} setting reaches these clients too).
   */
  private KafkaAccess harnessKafka() {
    return HarnessKafka.access(settings);
  }

  /** The node leading partition 0 of the event topic: killing it forces a leader election. */
  private java.util.OptionalInt eventsLeader() {
    try (Admin admin = harnessKafka().admin()) {
      TopicDescription d =
          admin
              .describeTopics(List.of("statusreg.events"))
              .allTopicNames()
              .get(20, TimeUnit.SECONDS)
              .get("statusreg.events");
      return java.util.OptionalInt.of(d.partitions().getFirst().leader().id());
    } catch (Exception e) {
      notes.add("could not find the leader of statusreg.events-0 (" + e + "); killed node 2");
      return java.util.OptionalInt.empty();
    }
  }

  /** The rebalance counter of every running instance that exports it. */
  private Map<String, Long> rebalanceCounters() {
    Map<String, Long> out = new TreeMap<>();
    for (RegistryInstance i : fleet.running()) {
      RebalanceMetric.read(i).ifPresent(v -> out.put(i.name(), v));
    }
    return out;
  }

  private Duration settle() {
    return max(Duration.ofSeconds(5), options.duration().dividedBy(12));
  }

  // ---- analysis and report ------------------------------------------------------------------

  /**
   * With {@code --secure}: each running instance's established connections to the brokers' SASL_SSL
   * and PLAINTEXT ports ({@code /proc}), the evidence that they use only the former.
   */
  private String kafkaConnections() {
    java.util.Set<Integer> secure = KafkaConnections.ports(kafka.secureBootstrapServers());
    java.util.Set<Integer> plain = KafkaConnections.ports(kafka.bootstrapServers());
    List<String> counts = new ArrayList<>();
    for (RegistryInstance instance : fleet.running()) {
      instance
          .pid()
          .ifPresent(
              pid -> {
                KafkaConnections.Count c = KafkaConnections.of(pid, secure, plain);
                counts.add(
                    instance.name()
                        + " "
                        + c.toSecure()
                        + " SASL_SSL / "
                        + c.toPlaintext()
                        + " PLAINTEXT");
              });
    }
    return "instances' established Kafka connections at the end of the load (from /proc): "
        + String.join(", ", counts);
  }

  private Map<String, List<String>> scrapeRebalanceMetrics() {
    Map<String, List<String>> out = new TreeMap<>();
    for (RegistryInstance instance : fleet.running()) {
      instance
          .metrics()
          .ifPresent(
              text ->
                  out.put(
                      instance.name(),
                      text.lines()
                          .filter(l -> !l.startsWith("#") && l.toLowerCase().contains("rebalanc"))
                          .limit(20)
                          .toList()));
    }
    return out;
  }

  private ChaosReport report(
      Instant started,
      DataChecks.Result data,
      Map<String, List<String>> metricsLines,
      String error) {
    Scenario scenario = options.scenario();
    Map<String, List<RebalanceLog.Entry>> logs = new TreeMap<>();
    if (fleet != null) {
      for (RegistryInstance i : fleet.created()) {
        logs.put(i.name(), RebalanceLog.read(i.logFile()));
      }
    }
    Instant from = loadStart == null ? started : loadStart;
    Instant to = Instant.now();
    List<ChaosReport.RebalanceSeen> rebalances = new ArrayList<>();
    Map<String, Long> generations = new TreeMap<>();
    logs.forEach(
        (name, entries) -> {
          for (RebalanceLog.Rebalance r : RebalanceLog.rebalances(name, entries, from, to)) {
            rebalances.add(
                new ChaosReport.RebalanceSeen(
                    name, r.from(), r.to(), r.duration().toMillis() / 1000.0, r.movedPartitions()));
          }
          RebalanceLog.lastGeneration(entries).ifPresent(g -> generations.put(name, g));
        });
    rebalances.sort((a, b) -> a.from().compareTo(b.from()));

    List<ChaosReport.Disruption> disruptions = new ArrayList<>();
    long survivorRebalancesTotal = 0;
    long survivorMovingTotal = 0;
    long survivorMetricTotal = 0;
    for (Window w : windows) {
      long survivors = 0;
      for (Map.Entry<String, List<RebalanceLog.Entry>> e : logs.entrySet()) {
        if (!e.getKey().equals(w.target())) {
          survivors += RebalanceLog.rebalancesBetween(e.getValue(), w.at(), w.settledAt());
          survivorMovingTotal +=
              RebalanceLog.movingRebalancesBetween(e.getValue(), w.at(), w.settledAt());
        }
      }
      survivorRebalancesTotal += survivors;
      survivorMetricTotal += Math.max(0, w.survivorMetricRebalances());
      List<VersionTracker.Pause> pauses =
          versions.longestPendingPauses(w.at(), min(w.settledAt(), pauseHorizon()));
      VersionTracker.Pause longest = pauses.isEmpty() ? null : pauses.getFirst();
      long failed = 0;
      long acked = 0;
      if (phases != null) {
        for (Phases.Summary p : phases.summaries()) {
          if (!p.start().isBefore(w.at()) && p.start().isBefore(w.settledAt())) {
            failed += p.fetchesFailed();
            acked += p.writesAcked();
          }
        }
      }
      disruptions.add(
          new ChaosReport.Disruption(
              w.action(),
              w.target(),
              w.at(),
              w.recoveredAt(),
              w.stop().toMillis() / 1000.0,
              Duration.between(w.at(), w.recoveredAt()).toMillis() / 1000.0,
              survivors,
              w.survivorMetricRebalances(),
              longest == null ? 0 : longest.duration().toMillis() / 1000.0,
              longest == null ? "-" : longest.list().key(),
              failed,
              acked));
    }

    List<Phases.Summary> phaseSummaries = phases == null ? List.of() : phases.summaries();
    long fetchesOk = phaseSummaries.stream().mapToLong(Phases.Summary::fetchesOk).sum();
    long fetchesFailed = phaseSummaries.stream().mapToLong(Phases.Summary::fetchesFailed).sum();
    List<Ledger.Unacknowledged> unacked = ledger.unacknowledged();
    ChaosReport.Traffic trafficReport =
        new ChaosReport.Traffic(
            fetchesOk,
            fetchesFailed,
            traffic[2],
            ledger.acknowledged().size(),
            unacked.size(),
            unacked.stream().limit(20).map(Object::toString).toList(),
            traffic[0],
            traffic[1]);
    List<VersionTracker.Regression> regressions = versions.regressions();
    Map<String, Long> finalVersions = new TreeMap<>();
    versions.maxVersions().forEach((k, v) -> finalVersions.put(k.key(), v));
    ChaosReport.Versions versionReport =
        new ChaosReport.Versions(
            regressions.size(),
            regressions.stream().limit(20).map(Object::toString).toList(),
            versions.staleAcrossInstances(),
            versions.withoutVersion(),
            finalVersions);

    ChaosReport.Goals goals = goals(phaseSummaries, fetchesFailed, data);
    SessionEvidence.Result session = SessionEvidence.read(workDir, brokerLogs);
    List<String> killed =
        windows.stream()
            .filter(w -> w.action().startsWith("kill -9 instance") || w.action().startsWith("node"))
            .map(Window::target)
            .toList();
    List<String> falseExpiries = session.falseExpiries(killed);
    notes.add(
        "session.timeout.ms evidence: longest stop-the-world pause of any registry process "
            + session.longestPauseMs()
            + " ms ("
            + session.longestPauseIn()
            + ", "
            + session.safepoints()
            + " safepoints); members expired by the coordinator: "
            + session.expiredMembers());
    List<ChaosReport.Check> checks = new ArrayList<>();
    if (data != null) {
      checks.add(
          new ChaosReport.Check(
              "load ran",
              fetchesOk > 0 && trafficReport.changesAcknowledged() > 0 && !windows.isEmpty(),
              fetchesOk
                  + " fetches ok, "
                  + trafficReport.changesAcknowledged()
                  + " changes acknowledged, "
                  + windows.size()
                  + " disruption(s)"));
      checks.add(
          new ChaosReport.Check(
              "no acknowledged change lost",
              data.noneLost(),
              data.acknowledgedFoundInLog()
                  + "/"
                  + (data.acknowledgedChanges() - data.acknowledgedWithoutEventId())
                  + " acknowledged event ids in the log; "
                  + data.tokenMismatches()
                  + " final-token mismatches; "
                  + data.logFoldMismatches()
                  + " log-fold mismatches"
                  + (data.converged() ? "" : "; final tokens did not converge")
                  + (data.errors().isEmpty() ? "" : "; " + data.errors())));
      checks.add(
          new ChaosReport.Check(
              "no change applied twice",
              data.noneDuplicated(),
              data.duplicateEventIds()
                  + " duplicate event ids; "
                  + data.statusChangeEventsOnCertainEntries()
                  + " status-change events for "
                  + data.acknowledgedOnCertainEntries()
                  + " acknowledged changes on entries whose status is certain"));
      checks.add(
          new ChaosReport.Check(
              "token versions only increase (per instance)",
              regressions.isEmpty() && versions.withoutVersion() == 0,
              regressions.size()
                  + " regressions; "
                  + versions.withoutVersion()
                  + " fetches without a version in the ETag"));
      switch (scenario) {
        case ROLLING_RESTART, SCALE_OUT, SCALE_IN, KILL_BROKER, VERSION_UPGRADE ->
            checks.add(zeroFailedFetches(fetchesFailed));
        case KILL_INSTANCE, NODE_LOSS -> {
          // A killed process refuses connections until its readiness probe fails (250 ms here,
          // the endpoints controller on Kubernetes): those are recorded, not judged, as a
          // verifier retries a refused connection; every other failure is judged.
          long refusedByKilled = 0;
          for (Phases.Summary p : phaseSummaries) {
            for (String victim : killed) {
              refusedByKilled += p.fetchesRefusedBy(victim);
            }
          }
          long judged = fetchesFailed - refusedByKilled;
          checks.add(
              new ChaosReport.Check(
                  "zero failed verifier fetches (but refused connections of the killed instance)",
                  judged == 0,
                  judged
                      + " failed; "
                      + refusedByKilled
                      + " refused by the killed instance before its probe failed (recorded)"));
        }
        case ROLLING_RESTART_DYNAMIC -> {}
      }
      if (scenario == Scenario.KILL_BROKER) {
        long ackedWhileDown =
            phaseSummaries.stream()
                .filter(p -> p.name().contains("killed"))
                .mapToLong(Phases.Summary::writesAcked)
                .sum();
        checks.add(
            new ChaosReport.Check(
                "writes continue with one Kafka node down (min ISR 2)",
                ackedWhileDown > 0,
                ackedWhileDown + " changes acknowledged while the node was down"));
      }
      checks.add(
          new ChaosReport.Check(
              "no session expiry of a live instance (session.timeout.ms long enough)",
              falseExpiries.isEmpty() && session.brokerLogsRead() > 0,
              session.brokerLogsRead() == 0
                  ? "no broker log could be read: expiries unknown"
                  : falseExpiries.isEmpty()
                      ? session.expiredMembers().size()
                          + " expiries, all of killed instances ("
                          + session.brokerLogsRead()
                          + " broker logs read)"
                      : "expired although alive: " + falseExpiries));
      if (scenario == Scenario.SCALE_IN) {
        checks.add(
            new ChaosReport.Check(
                "the stopped instance left the group by itself (the harness only reads it)",
                scaleInLeftovers != null && scaleInLeftovers.isEmpty(),
                scaleInLeftovers == null
                    ? "group not readable"
                    : scaleInLeftovers.size()
                        + " static member(s) left behind "
                        + scaleInLeftovers));
      }
      if (scenario != Scenario.ROLLING_RESTART_DYNAMIC) {
        boolean everyPhase = goals.phases().stream().allMatch(ChaosReport.PhaseGoal::met);
        long unacknowledgedPhases =
            goals.phases().stream().filter(p -> !p.ackMet() && p.writesAcked() == 0).count();
        checks.add(
            new ChaosReport.Check(
                ChaosReport.Check.ACK_P99_GOAL + " <= " + goals.goalMs() + " ms in every phase",
                goals.phases().stream().allMatch(ChaosReport.PhaseGoal::ackMet),
                "whole run "
                    + goals.ackP99Ms()
                    + " ms; worst phase "
                    + goals.phases().stream()
                        .mapToLong(ChaosReport.PhaseGoal::ackP99Ms)
                        .max()
                        .orElse(0)
                    + " ms"
                    + (unacknowledgedPhases == 0
                        ? ""
                        : "; "
                            + unacknowledgedPhases
                            + " phase(s) where writes failed and none was acknowledged")
                    + (everyPhase ? "" : " (see the goals table)")));
        checks.add(
            new ChaosReport.Check(
                ChaosReport.Check.PUBLICATION_PAUSE_GOAL + " <= " + goals.goalMs() + " ms",
                goals.maxPublicationPauseMs() <= goals.goalMs(),
                goals.maxPublicationPauseMs() + " ms (" + goals.pausedList() + ")"));
      }
    }
    if (survivorRebalancesTotal > 0) {
      notes.add(
          "recorded, not judged: "
              + survivorRebalancesTotal
              + " RUNNING->REBALANCING transitions on survivors inside the disruption windows ("
              + survivorMovingTotal
              + " added or revoked a partition; "
              + survivorMetricTotal
              + " by their "
              + RebalanceMetric.NAME
              + "). A planned stop hands its tasks over by a rebalance, so they are expected;"
              + " the goals above judge what issuers see");
    }
    if (scenario == Scenario.ROLLING_RESTART_DYNAMIC) {
      notes.add(
          "recorded, not judged (the control): "
              + fetchesFailed
              + " failed fetches, ack p99 "
              + goals.ackP99Ms()
              + " ms, longest publication pause "
              + goals.maxPublicationPauseMs()
              + " ms");
    }
    notes.add(
        "cross-instance staleness (a verifier hopping to an instance that has not yet seen the"
            + " latest version): "
            + versions.staleAcrossInstances()
            + " fetches");
    return new ChaosReport(
        scenario.id(),
        scenario.description(),
        scenario.staticMembership(),
        options.soak(),
        started,
        Instant.now(),
        new TreeMap<>(settings), // paths and names only: the keys stay in their files
        trafficReport,
        phaseSummaries,
        disruptions,
        rebalances,
        generations,
        metricsLines,
        data,
        versionReport,
        checks,
        goals,
        phases == null ? List.of() : phases.failureSamples(),
        List.copyOf(notes),
        error);
  }

  /**
   * Ack p99 per phase and over the run, and the longest time a change waited for its list's next
   * version, per phase (clipped to it) and over the run, against the scenario's goal. The phase
   * that drains the writes after the load is left out: no fetch runs in it to see a version; so is
   * the warm-up of the freshly started cluster (its figures stay in the phase table).
   */
  private ChaosReport.Goals goals(
      List<Phases.Summary> summaries, long fetchesFailed, DataChecks.Result data) {
    long goal = options.scenario().goal().toMillis();
    Instant horizon = pauseHorizon();
    List<ChaosReport.PhaseGoal> out = new ArrayList<>();
    for (Phases.Summary p : summaries) {
      if (p.name().equals("draining writes") || p.name().equals(Phases.WARM_UP)) {
        continue;
      }
      Instant end = p.end() == null ? horizon : min(p.end(), horizon);
      List<VersionTracker.Pause> pauses =
          p.start().isBefore(end) ? versions.longestPendingPauses(p.start(), end) : List.of();
      long pause = pauses.isEmpty() ? 0 : pauses.getFirst().duration().toMillis();
      out.add(
          ChaosReport.PhaseGoal.judge(
              p, pause, pauses.isEmpty() ? "-" : pauses.getFirst().list().key(), goal));
    }
    List<VersionTracker.Pause> all =
        loadStart == null ? List.of() : versions.longestPendingPauses(loadStart, horizon);
    long lost = data == null ? -1 : data.lostOrUnknown();
    long doubled = data == null ? -1 : data.doubledOrUnknown();
    return new ChaosReport.Goals(
        goal,
        phases == null ? 0 : Math.round(phases.allWriteLatency().p99Ms()),
        all.isEmpty() ? 0 : all.getFirst().duration().toMillis(),
        all.isEmpty() ? "-" : all.getFirst().list().key(),
        fetchesFailed,
        lost,
        doubled,
        out);
  }

  private static ChaosReport.Check zeroFailedFetches(long failed) {
    return new ChaosReport.Check("zero failed verifier fetches", failed == 0, failed + " failed");
  }

  // ---- tear-down ----------------------------------------------------------------------------

  private synchronized void tearDown() {
    if (tornDown) {
      return;
    }
    tornDown = true;
    if (router != null) {
      router.close();
    }
    if (fleet != null) {
      try {
        fleet.close();
      } catch (RuntimeException e) {
        log.warn("Stopping the registry instances failed", e);
      }
    }
    if (kafka != null) {
      try {
        kafka.close();
      } catch (RuntimeException e) {
        log.warn("Stopping Kafka failed", e);
      }
    }
    if (!options.keepData()) {
      deleteData();
    }
  }

  /** Deletes Kafka logs and RocksDB state; keeps every process log, the keys and the report. */
  private void deleteData() {
    try (var dirs = Files.list(workDir)) {
      for (Path d : dirs.toList()) {
        deleteRecursively(d.resolve("state"));
      }
    } catch (IOException e) {
      log.warn("Could not list {}: {}", workDir, e.toString());
    }
    Path kafkaDir = workDir.resolve("kafka");
    if (Files.isDirectory(kafkaDir)) {
      try (var nodes = Files.list(kafkaDir)) {
        for (Path n : nodes.toList()) {
          deleteRecursively(n.resolve("data"));
        }
      } catch (IOException e) {
        log.warn("Could not list {}: {}", kafkaDir, e.toString());
      }
    }
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      io.statusreg.common.FileTrees.deleteRecursively(root);
    } catch (IOException e) {
      log.warn("Could not delete {}: {}", root, e.toString());
    }
  }

  /** Pauses are measured while fetches run: after that no new version can be seen. */
  private Instant pauseHorizon() {
    return fetchesStopped == null ? Instant.now() : fetchesStopped;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static Path home() {
    return Path.of(System.getProperty("statusreg.home", ".")).toAbsolutePath().normalize();
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted (run timeout?)", e);
    }
  }
}
