package io.statusreg.chaos;

import io.statusreg.chaos.cluster.GroupMembership;
import io.statusreg.chaos.cluster.HarnessKeys;
import io.statusreg.chaos.cluster.InstanceLaunch;
import io.statusreg.chaos.cluster.RebalanceLog;
import io.statusreg.chaos.cluster.RebalanceMetric;
import io.statusreg.chaos.cluster.RegistryFleet;
import io.statusreg.chaos.cluster.RegistryInstance;
import io.statusreg.chaos.cluster.RegistryTopics;
import io.statusreg.chaos.cluster.ServiceRouter;
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
import org.apache.kafka.clients.admin.AdminClientConfig;
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
      metricsLines = scrapeRebalanceMetrics();
      data =
          DataChecks.run(
              ledger,
              lists,
              router.endpoints(),
              client,
              keys.signingPublicKey(),
              kafka.bootstrapServers(),
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

    kafka =
        KraftCluster.builder()
            .nodes(3)
            .separateProcesses(true)
            .dataDir(workDir.resolve("kafka"))
            .classpath(classpath)
            .jvmOptions(KraftCluster.DEFAULT_NODE_JVM_OPTIONS)
            .startTimeout(Duration.ofMinutes(3))
            .brokerProperty("default.replication.factor", "3")
            .brokerProperty("min.insync.replicas", "2")
            .build();
    kafka.start();

    settings.putAll(keys.settings());
    settings.put("STATUSREG_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
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
    fleet.startAll(3, READY_TIMEOUT);
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
    phases = new Phases("baseline");
    loadStart = Instant.now();
    loadEnd = loadStart.plus(options.duration());
    fetches = new FetchLoad(router, client, lists, phases, versions, options.fetchRate()).start();
    writes =
        new WriteLoad(
                router,
                client,
                lists,
                ledger,
                phases,
                options.writeRate(),
                CHANGE_DEADLINE,
                options.entriesPerList())
            .start();
    sleep(max(Duration.ofSeconds(5), options.duration().dividedBy(6)));
  }

  private void stopLoad() {
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

  // ---- scenarios ----------------------------------------------------------------------------

  private void act() {
    int cycle = 0;
    do {
      cycle++;
      switch (options.scenario()) {
        case ROLLING_RESTART, ROLLING_RESTART_DYNAMIC -> {
          for (int i = 0; i < 3; i++) {
            restart(fleet.slot(i), cycle);
          }
        }
        case SCALE_OUT -> scaleOutAndIn(cycle);
        case KILL_INSTANCE -> killAndRestart(fleet.slot(cycle % 3), cycle);
        case KILL_BROKER -> killBroker(cycle);
      }
    } while (options.soak() && Instant.now().plus(Duration.ofSeconds(30)).isBefore(loadEnd));
  }

  private String label(String what, int cycle) {
    return options.soak() ? what + " (cycle " + cycle + ")" : what;
  }

  /** SIGTERM, as a Kubernetes pod deletion in a rolling update: out of the endpoints first. */
  private void restart(RegistryInstance instance, int cycle) {
    phases.begin(label("restart " + instance.name(), cycle));
    Map<String, Long> before = rebalanceCounters();
    Instant at = Instant.now();
    router.drain(instance);
    sleep(PRE_STOP);
    Duration stop = instance.terminate(STOP_GRACE);
    instance.start();
    instance.awaitReady(READY_TIMEOUT);
    router.undrain(instance);
    router.awaitEndpoint(instance, Duration.ofSeconds(10));
    Instant recovered = Instant.now();
    phases.begin(label("after restart of " + instance.name(), cycle));
    sleep(settle());
    windows.add(
        new Window(
            "rolling restart (SIGTERM)",
            instance.name(),
            at,
            recovered,
            Instant.now(),
            stop,
            before,
            rebalanceCounters()));
  }

  private void scaleOutAndIn(int cycle) {
    RegistryInstance extra = fleet.slot(3);
    phases.begin(label("scale-out: start " + extra.name(), cycle));
    Map<String, Long> before = rebalanceCounters();
    Instant at = Instant.now();
    extra.start();
    extra.awaitReady(READY_TIMEOUT);
    router.undrain(extra);
    router.awaitEndpoint(extra, Duration.ofSeconds(10));
    Instant recovered = Instant.now();
    phases.begin(label("4 instances", cycle));
    sleep(max(Duration.ofSeconds(10), options.duration().dividedBy(5)));
    Map<String, Long> after = rebalanceCounters();
    windows.add(
        new Window(
            "scale-out 3->4",
            extra.name(),
            at,
            recovered,
            Instant.now(),
            Duration.ZERO,
            before,
            after));

    phases.begin(label("scale-in: stop " + extra.name(), cycle));
    before = after;
    at = Instant.now();
    router.drain(extra);
    sleep(PRE_STOP);
    Duration stop = extra.terminate(STOP_GRACE);
    if (options.scenario().staticMembership()) {
      List<String> members =
          GroupMembership.staticMembersOf(
              kafka.bootstrapServers(), GROUP_ID, extra.name(), Duration.ofSeconds(20));
      GroupMembership.remove(kafka.bootstrapServers(), GROUP_ID, members, Duration.ofSeconds(20));
      notes.add(
          "scale-in removed the static member(s) "
              + members
              + " of "
              + extra.name()
              + " from group "
              + GROUP_ID
              + " (a static member does not leave on close; a scale-down hook must remove it)");
    }
    recovered = Instant.now();
    phases.begin(label("3 instances again", cycle));
    sleep(max(Duration.ofSeconds(10), options.duration().dividedBy(5)));
    windows.add(
        new Window(
            "scale-in 4->3",
            extra.name(),
            at,
            recovered,
            Instant.now(),
            stop,
            before,
            rebalanceCounters()));
  }

  private void killAndRestart(RegistryInstance victim, int cycle) {
    phases.begin(label("kill -9 " + victim.name(), cycle));
    Map<String, Long> before = rebalanceCounters();
    Instant at = Instant.now();
    victim.kill();
    sleep(Duration.ofSeconds(2)); // the kubelet notices the exit and restarts the container
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

  /** The node leading partition 0 of the event topic: killing it forces a leader election. */
  private java.util.OptionalInt eventsLeader() {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
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
      List<VersionTracker.Pause> pauses = versions.longestPauses(w.at(), w.settledAt());
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
        case ROLLING_RESTART -> {
          checks.add(zeroFailedFetches(fetchesFailed));
          // A restarted static member makes Streams rejoin (e.g. "Active tasks corrupted"
          // after a kill, or a leader's rejoin): the coordinator then runs a generation in which
          // nobody's assignment changes. Such a no-op rebalance is recorded, not failed; any
          // survivor rebalance that adds or revokes a partition (or cannot be shown not to), or
          // one the metric saw but the logs did not explain, fails. Failed fetches are judged
          // on their own above.
          checks.add(
              new ChaosReport.Check(
                  "no survivor rebalance moves a partition while an instance restarts",
                  survivorMovingTotal == 0 && survivorMetricTotal <= survivorRebalancesTotal,
                  survivorMovingTotal
                      + " moving of "
                      + survivorRebalancesTotal
                      + " RUNNING->REBALANCING transitions in survivors' logs (the others"
                      + " added and revoked no partition); "
                      + survivorMetricTotal
                      + " by their "
                      + RebalanceMetric.NAME));
        }
        case SCALE_OUT -> checks.add(zeroFailedFetches(fetchesFailed));
        case KILL_INSTANCE, ROLLING_RESTART_DYNAMIC -> {}
        case KILL_BROKER -> {
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
      }
    }
    if (scenario == Scenario.ROLLING_RESTART && survivorRebalancesTotal > 0) {
      notes.add(
          "recorded, not judged: "
              + (survivorRebalancesTotal - survivorMovingTotal)
              + " no-op rebalances on survivors (no partition added or revoked) inside the"
              + " restart windows");
    }
    if (scenario == Scenario.ROLLING_RESTART_DYNAMIC || scenario == Scenario.KILL_INSTANCE) {
      notes.add(
          "recorded, not judged: "
              + fetchesFailed
              + " failed fetches, "
              + survivorRebalancesTotal
              + " rebalances on survivors inside the disruption windows");
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
        phases == null ? List.of() : phases.failureSamples(),
        List.copyOf(notes),
        error);
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
