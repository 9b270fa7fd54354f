package io.statusreg.streams;

import io.statusreg.streams.gateway.CommandGateway;
import io.statusreg.streams.internal.BoundedMemoryRocksDbConfig;
import io.statusreg.streams.internal.GlobalStateGuard;
import io.statusreg.streams.internal.KafkaCommandGateway;
import io.statusreg.streams.internal.LocalTokenDirectory;
import io.statusreg.streams.internal.MembershipBeacon;
import io.statusreg.streams.internal.NeverDropProductionHandler;
import io.statusreg.streams.internal.PeerWatch;
import io.statusreg.streams.internal.RecordingClientSupplier;
import io.statusreg.streams.internal.StickyHandOverAssignor;
import io.statusreg.streams.internal.StreamFailures;
import io.statusreg.streams.publication.ListSigner;
import io.statusreg.streams.publication.PublisherMetrics;
import io.statusreg.streams.publication.SegmentCache;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running registry node: the Streams topology (command owner, publisher, token directory) plus
 * the command gateway. Reads ({@link #directory()}) never depend on partition ownership, so {@link
 * #isReady()} stays true through rebalances once the directory has caught up.
 *
 * <pre>{@code
 * StreamsSettings s = StreamsSettings.from(settings);
 * RegistryNode.createTopics(s, Duration.ofSeconds(30)); // dev and tests; production: the SRE tool
 * try (RegistryNode node = RegistryNode.start(s, signer, Clock.systemUTC())) {
 *   node.gateway().submit(command).get();
 *   node.directory().latest(listId);
 * }
 * }</pre>
 */
public final class RegistryNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RegistryNode.class);

  /** How long {@link #close()} waits for Streams to shut down cleanly. */
  public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

  /**
   * In-process restarts of Streams allowed within {@link #RESTART_WINDOW}; past that the node gives
   * up and {@link #isAlive()} turns false, so that the supervisor (Kubernetes) restarts the
   * process.
   */
  public static final int MAX_RESTARTS = 5;

  public static final Duration RESTART_WINDOW = Duration.ofMinutes(10);

  /** Delay before the first in-process restart; it doubles per restart in the window. */
  public static final Duration RESTART_BACKOFF = Duration.ofMillis(500);

  /**
   * Heartbeat interval of the stream threads' consumers: how soon a member hears that the group
   * rebalances, so it bounds how long a hand-over waits for the survivors to rejoin.
   */
  public static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(250);

  /**
   * First retry backoff of the stream threads' transactional producers (Kafka's default is 100 ms):
   * a batch refused with CONCURRENT_TRANSACTIONS is retried this soon.
   */
  public static final Duration PRODUCER_RETRY_BACKOFF = Duration.ofMillis(10);

  /** How often Streams probes whether warm-up replicas caught up (its minimum; default 10 min). */
  public static final Duration PROBING_REBALANCE_INTERVAL = Duration.ofMinutes(1);

  /**
   * Records a stream thread takes per poll (Streams' default is 1000): it rejoins a rebalance only
   * between polls, so this bounds how long a survivor keeps a hand-over waiting.
   */
  public static final int MAX_POLL_RECORDS = 20;

  /**
   * {@code fetch.max.wait.ms} of the restore consumer (Kafka's default is 500 ms). A standby that
   * becomes active restores its changelogs' tail up to their end offsets, and under exactly_once_v2
   * the last offset of a changelog is a commit marker: the fetch that reaches past the last record
   * finds no data and waited the whole 500 ms before the task could run (seen in every hand-over of
   * the quiet-machine chaos runs of 2026-12-02, 0.5 s of a 2.9 s pause). An idle restore consumer
   * (standbys kept warm) fetches ten times a second per stream thread instead of twice.
   */
  public static final Duration RESTORE_FETCH_MAX_WAIT = Duration.ofMillis(100);

  /** Bound of the producers' exponential retry backoff (Kafka's default is 1 s). */
  public static final Duration PRODUCER_RETRY_BACKOFF_MAX = Duration.ofMillis(100);

  private final StreamsSettings settings;
  private final ListSigner signer;
  private final Clock clock;
  private final Properties config;
  private final GlobalStateGuard globalState;
  private final LocalTokenDirectory directory;
  private final SegmentCache segments;
  private final PublisherMetrics publisherMetrics = new PublisherMetrics();
  private final KafkaCommandGateway gateway;
  private final StreamFailures failures;
  private final AtomicLong rebalances = new AtomicLong();
  private final AtomicLong restarts = new AtomicLong();
  private final Deque<Long> recentRestarts = new ArrayDeque<>();
  private final Map<String, AtomicLong> restored = new ConcurrentHashMap<>();
  private final ScheduledExecutorService supervisor;
  private volatile Thread shutdownHook;
  private final List<BiConsumer<KafkaStreams.State, KafkaStreams.State>> stateListeners =
      new CopyOnWriteArrayList<>();
  private final Object lifecycle = new Object();
  private volatile KafkaStreams streams;
  private volatile boolean closed;
  private final java.util.concurrent.CountDownLatch closeDone =
      new java.util.concurrent.CountDownLatch(1);
  private volatile boolean gaveUp;
  private volatile boolean restartPending;
  private volatile boolean reconcileWhenRunning;
  private volatile KafkaStreams globalFailedIn;
  private volatile KafkaStreams fatalIn;
  private KafkaStreams restartScheduledFor;
  private volatile MembershipBeacon beacon;
  private volatile RecordingClientSupplier clients;
  private volatile ScheduledExecutorService peerWatcher;
  private volatile PeerWatch peerWatch;
  private volatile Admin peerAdmin;

  private RegistryNode(StreamsSettings settings, ListSigner signer, Clock clock) {
    this.settings = settings;
    this.signer = signer;
    this.clock = clock;
    this.config = streamsConfig(settings);
    this.failures = new StreamFailures(clock, settings.staticMembership());
    this.directory =
        new LocalTokenDirectory(RegistryTopology.DIRECTORY_STORE, settings.tokenHistoryRetention());
    this.segments = new SegmentCache(settings.publishSegmentCacheBytes());
    this.globalState = new GlobalStateGuard(settings.stateDir(), settings.applicationId());
    globalState.beforeStart();
    this.supervisor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "statusreg-streams-supervisor");
              t.setDaemon(true);
              return t;
            });
    this.streams = newStreams();
    String instance = settings.instanceId().orElse("dyn-" + UUID.randomUUID());
    KafkaCommandGateway g;
    try {
      g =
          new KafkaCommandGateway(
              settings.bootstrapServers(),
              instance,
              settings.commandTimeout(),
              gatewayOverrides(settings));
    } catch (RuntimeException e) {
      streams.close(Duration.ZERO);
      supervisor.shutdown();
      throw e;
    }
    this.gateway = g;
  }

  private KafkaStreams newStreams() {
    RegistryTopology topology =
        RegistryTopology.build(
            new Topology(), settings, signer, clock, directory, segments, publisherMetrics);
    RecordingClientSupplier made = new RecordingClientSupplier();
    clients = made;
    // When this client started, for the assignor: no task moves to a process seconds old.
    Properties withStart = new Properties();
    withStart.putAll(config);
    withStart.put(
        StreamsConfig.clientTagPrefix(StickyHandOverAssignor.STARTED_TAG),
        Long.toString(System.currentTimeMillis()));
    KafkaStreams ks = new KafkaStreams(topology.topology(), withStart, made);
    ks.setStateListener((now, before) -> stateChanged(ks, now, before));
    ks.setGlobalStateRestoreListener(new RestoreCounter());
    ks.setUncaughtExceptionHandler(e -> uncaught(ks, e));
    return ks;
  }

  /** What this node's publishers did: lists published, bytes, failures, back-off. */
  public PublisherMetrics publisherMetrics() {
    return publisherMetrics;
  }

  /** The compressed page segments this node's publishers keep. */
  public SegmentCache segmentCache() {
    return segments;
  }

  /** Builds the topology and starts Streams; the topics must exist. */
  public static RegistryNode start(StreamsSettings settings, ListSigner signer, Clock clock) {
    if (settings.kafkaSecurity().authenticated()) {
      // A missing ACL stops the start with an error naming it, not a stream thread later.
      KafkaAccessCheck.check(settings, Duration.ofSeconds(30));
    }
    RegistryNode node = new RegistryNode(settings, signer, clock);
    // A JVM that exits (SIGTERM) without closing the node leaves its stores without checkpoints,
    // and under exactly_once_v2 the next start wipes and restores them from the changelogs.
    Thread hook = new Thread(node::closeFromShutdownHook, "statusreg-node-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    node.shutdownHook = hook;
    KafkaStreams first = node.streams;
    try {
      node.openBeacon();
      first.start();
    } catch (RuntimeException e) {
      if (!failedInGlobalState(e)) {
        node.close();
        throw e;
      }
      log.error("the global store failed to initialise; restarting Streams in-process", e);
      node.globalFailedIn = first;
      node.scheduleRestart(first, "the global store failed to initialise");
    }
    log.info(
        "registry node started: application {} instance {} state {}",
        settings.applicationId(),
        settings.instanceId().orElse("(dynamic)"),
        settings.stateDir());
    return node;
  }

  /**
   * Opens the membership beacon before Streams starts (it must outlive every consumer of this node)
   * and starts watching the peers' beacons; see {@link PeerWatch}.
   */
  private void openBeacon() {
    if (!settings.beacon()) {
      return;
    }
    beacon =
        MembershipBeacon.open(
            settings.beaconPort().orElseThrow(),
            settings.instanceId().orElseThrow(),
            threads(),
            () -> clients.transactionalIds());
    if (!settings.peerWatch()) {
      return;
    }
    var self = settings.applicationEndpoint().orElseThrow();
    Duration interval = settings.peerProbeInterval();
    Duration probeTimeout = Duration.ofMillis(Math.min(1_000, Math.max(200, interval.toMillis())));
    PeerWatch watch =
        new PeerWatch(
            new PeerWatch.Peer(self.host(), self.port()),
            settings.peerDownAfter(),
            peer -> MembershipBeacon.probe(peer.host(), peer.port(), probeTimeout),
            this::removeStaticMembers,
            System::nanoTime);
    peerWatch = watch;
    ScheduledExecutorService ex =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "statusreg-peer-watch");
              t.setDaemon(true);
              return t;
            });
    peerWatcher = ex;
    ex.scheduleWithFixedDelay(
        () -> {
          try {
            watch.tick(taskOwners());
          } catch (RuntimeException e) {
            log.warn("peer watch round failed: {}", e.toString());
          }
        },
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** The beacon addresses (application.server) of the Streams clients that own active tasks. */
  private List<PeerWatch.Peer> taskOwners() {
    KafkaStreams ks = streams;
    List<PeerWatch.Peer> out = new java.util.ArrayList<>();
    try {
      for (StreamsMetadata m : ks.metadataForAllStreamsClients()) {
        if (!m.topicPartitions().isEmpty() && m.port() > 0) {
          out.add(new PeerWatch.Peer(m.host(), m.port()));
        }
      }
    } catch (RuntimeException e) {
      return List.of(); // not running (starting, closing, being replaced): nothing to judge
    }
    return out;
  }

  /** Peers whose static members this node removed from the group after they died. */
  public long peerRemovals() {
    PeerWatch w = peerWatch;
    return w == null ? 0 : w.removals();
  }

  private int threads() {
    return Integer.parseInt(
        String.valueOf(config.getOrDefault(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1")));
  }

  /**
   * Removes a dead peer's static members ({@code <instance.id>-<thread>}); a member already gone
   * (it left, expired, or another peer removed it) is not an error.
   */
  private boolean removeStaticMembers(MembershipBeacon.Member member) throws Exception {
    Admin admin = peerAdmin;
    if (admin == null) {
      admin = Admin.create(memberAdminConfig("-peer-watch"));
      peerAdmin = admin;
    }
    if (removeMembers(admin, member.instanceId(), member.threads()).isEmpty()) {
      // It left (a planned stop closes its producers, then its beacon) or another peer removed
      // it and fences its producers: fencing again could hit the producer of a quick restart.
      return false;
    }
    // The rebalance has begun; meanwhile end the dead producers' open transactions. Until the
    // coordinator aborts one (transaction.timeout.ms, 10 s under Streams' exactly_once_v2, checked
    // every 10 s), the last stable offset of every partition it wrote stays put, and a standby
    // taking over restores its changelogs read_committed: it waited the whole 10 s (chaos
    // kill-instance, 2026-12-04). A producer initialised with the same transactional id fences
    // the old one and has its transaction aborted at once, as a restarted Streams thread would.
    // Fenced here or never: a later round finds the members gone and fences nothing, so each
    // id gets three tries; one that still fails waits for the transaction timeout.
    for (String id : member.transactionalIds()) {
      if (!id.startsWith(settings.applicationId() + "-")) {
        continue;
      }
      for (int attempt = 1; ; attempt++) {
        try {
          fence(id);
          break;
        } catch (RuntimeException e) {
          if (attempt == 3) {
            log.warn(
                "could not fence transactional id {} of dead peer {}: its open transaction"
                    + " holds its partitions until the transaction timeout: {}",
                id,
                member.instanceId(),
                e.toString());
            break;
          }
          Thread.sleep(200L * attempt);
        }
      }
    }
    return true;
  }

  /**
   * Fences a dead producer: initTransactions with its transactional id aborts what it left open.
   */
  private void fence(String transactionalId) {
    Map<String, Object> c = adminConfig(settings);
    c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    c.put(ProducerConfig.CLIENT_ID_CONFIG, settings.instanceId().orElseThrow() + "-fence");
    c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    long start = System.nanoTime();
    try (var producer =
        new org.apache.kafka.clients.producer.KafkaProducer<>(
            c,
            new org.apache.kafka.common.serialization.ByteArraySerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      producer.initTransactions();
    }
    log.info(
        "fenced transactional id {} in {} ms: its open transaction is aborted",
        transactionalId,
        (System.nanoTime() - start) / 1_000_000);
  }

  private void closeBeaconAndWatch() {
    ScheduledExecutorService ex = peerWatcher;
    if (ex != null) {
      ex.shutdownNow();
      try {
        ex.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Admin admin = peerAdmin;
    if (admin != null) {
      admin.close(Duration.ofSeconds(2));
    }
    MembershipBeacon b = beacon;
    if (b != null) {
      b.close(); // after the leave: peers finding it refused now find no member to remove
    }
  }

  /** Creates the missing statusreg topics (for {@code dev} and tests). */
  public static List<String> createTopics(StreamsSettings settings, Duration timeout) {
    try (Admin admin = Admin.create(adminConfig(settings))) {
      return settings.topicCatalogue().apply(admin, timeout);
    }
  }

  /**
   * The configuration of every Admin client of a node (topic creation, the ACL check, the removal
   * of its static members): the bootstrap servers and the Kafka security; callers add their own
   * timeouts and client id. Mutable.
   */
  static Map<String, Object> adminConfig(StreamsSettings s) {
    Map<String, Object> config = s.kafkaSecurity().addTo(new HashMap<>());
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    return config;
  }

  /** What the command gateway's producer and consumer get besides their own settings. */
  static Map<String, Object> gatewayOverrides(StreamsSettings s) {
    Map<String, Object> config = s.kafkaSecurity().addTo(new HashMap<>());
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, s.recordMaxBytes());
    return config;
  }

  /** The Kafka Streams configuration of a node (visible for review and tests). */
  public static Properties streamsConfig(StreamsSettings s) {
    Properties p = new Properties();
    // Security and pass-through first: every setting below is the registry's own and wins.
    p.putAll(s.kafkaSecurity().clientProperties());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, s.applicationId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put("group.protocol", "classic");
    p.put(StreamsConfig.STATE_DIR_CONFIG, s.stateDir().toAbsolutePath().toString());
    p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, s.numStandbyReplicas());
    // A client that joins without caught-up state (scale-out, a restart whose state lagged) gets
    // warm-up replicas and becomes active only at a probing rebalance: Streams' default of 10
    // minutes left one of three chaos instances without an active task for the whole run, and the
    // other two with half the cluster's commands each. 60 s is Streams' minimum.
    p.put(
        StreamsConfig.PROBING_REBALANCE_INTERVAL_MS_CONFIG, PROBING_REBALANCE_INTERVAL.toMillis());
    // A member rejoins a rebalance only from poll(), and a stream thread polls again only once the
    // records of its last poll are processed (or max.poll.interval.ms / 2 = 150 s passed). With
    // Streams' 1000 records per poll and a queue of commands, survivors of a lost instance stayed
    // out of the rebalance for 41 s (chaos node-loss: PreparingRebalance 01:42:25 to Stabilized
    // 01:43:06), and every list of the group waited; a stopping instance, too, drains its polled
    // records before it closes and leaves (SIGTERM to LeaveGroup 15 s in a rolling restart). A
    // small poll bounds both to the processing of that many records.
    p.put(
        StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), MAX_POLL_RECORDS);
    p.put(
        StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG),
        (int) RESTORE_FETCH_MAX_WAIT.toMillis());
    // Only the tasks a membership change must move move, and only to an instance with their
    // state: Kafka's high-availability assignor moved survivors' tasks too on every stop, return
    // and scale-in (StickyHandOverAssignor).
    p.put(StreamsConfig.TASK_ASSIGNOR_CLASS_CONFIG, StickyHandOverAssignor.class.getName());
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) s.replicationFactor());
    p.put(StreamsConfig.topicPrefix("min.insync.replicas"), s.minInsyncReplicas());
    s.applicationServer().ifPresent(a -> p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, a));
    s.instanceId().ifPresent(id -> p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
    p.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
        (int) s.sessionTimeout().toMillis());
    // A member learns that the group is rebalancing (a stopping instance left it) from its next
    // heartbeat's answer: the consumer default of 3 s would hold every hand-over up to 3 s.
    p.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
        (int) heartbeatInterval(s.sessionTimeout()).toMillis());
    p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDbConfig.class);
    p.put(BoundedMemoryRocksDbConfig.BLOCK_CACHE_BYTES, s.rocksdbBlockCacheBytes());
    p.put(BoundedMemoryRocksDbConfig.WRITE_BUFFER_BYTES, s.rocksdbWriteBufferBytes());
    p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), s.recordMaxBytes());
    p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
    // Under transaction version 2 the first batch of a transaction to a partition is refused with
    // CONCURRENT_TRANSACTIONS while the coordinator still writes the previous commit's markers,
    // which is normal with one transaction every commit interval. The producer retries a batch
    // with exponential backoff (retry.backoff.ms 100 doubling to retry.backoff.max.ms 1000), so a
    // batch refused three times waited 0.7 s and held the commit and the replies in that batch
    // (streams/README.md, "Write path performance").
    p.put(
        StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG),
        PRODUCER_RETRY_BACKOFF.toMillis());
    p.put(
        StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG),
        PRODUCER_RETRY_BACKOFF_MAX.toMillis());
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, s.commitInterval().toMillis());
    p.put("processing.exception.handler.global.enabled", true);
    // Never skip a reply, an event or a changelog record: fail the task (StreamFailures restarts
    // the thread, and reports a node whose threads keep failing as not live).
    p.put(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, NeverDropProductionHandler.class);
    return p;
  }

  /**
   * The consumer heartbeat interval: {@link #HEARTBEAT_INTERVAL}, or a third of the session timeout
   * when that is shorter (the consumer's own rule).
   */
  static Duration heartbeatInterval(Duration sessionTimeout) {
    Duration third = sessionTimeout.dividedBy(3);
    return third.compareTo(HEARTBEAT_INTERVAL) < 0 ? third : HEARTBEAT_INTERVAL;
  }

  private void stateChanged(KafkaStreams ks, KafkaStreams.State now, KafkaStreams.State before) {
    if (ks != streams) {
      log.info("streams state {} -> {} (instance being replaced)", before, now);
      return;
    }
    if (now == KafkaStreams.State.REBALANCING) {
      rebalances.incrementAndGet();
    }
    if (now == KafkaStreams.State.RUNNING) {
      // The global store restores before any stream thread runs: the directory is caught up.
      directory.markCaughtUp();
      if (reconcileWhenRunning) {
        reconcileWhenRunning = false;
        int dropped = directory.retainStored();
        if (dropped > 0) {
          log.info("dropped {} lists no longer in the token directory's store", dropped);
        }
      }
    }
    log.info("streams state {} -> {}", before, now);
    if (now == KafkaStreams.State.ERROR) {
      scheduleRestart(ks, "streams client went to ERROR");
    }
    for (var listener : stateListeners) {
      try {
        listener.accept(now, before);
      } catch (RuntimeException e) {
        log.warn("state listener failed", e);
      }
    }
  }

  /**
   * With static membership a replaced stream thread joins with a new {@code group.instance.id}
   * suffix while the old member keeps its partitions until {@code session.timeout.ms}; so a failed
   * thread shuts the whole client down and the node restarts it with the same configuration (same
   * member ids), which gets the same tasks back without waiting for the session to expire.
   */
  private StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse uncaught(
      KafkaStreams ks, Throwable e) {
    String thread = Thread.currentThread().getName();
    if (thread.endsWith("GlobalStreamThread") || failedInGlobalState(e)) {
      globalFailedIn = ks;
    }
    StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse response = failures.handle(e);
    if (StreamFailures.isFatal(e)) {
      fatalIn = ks; // not recoverable in-process: no restart, liveness goes false
    } else if (response
            == StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT
        && !closed
        && !gaveUp) {
      restartPending = true; // the client goes to ERROR next, and the node restarts it
    }
    return response;
  }

  private static boolean failedInGlobalState(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TaskCorruptedException c
          && c.corruptedTasks().stream().anyMatch(id -> id.subtopology() < 0)) {
        return true;
      }
      for (StackTraceElement f : t.getStackTrace()) {
        if (f.getClassName().endsWith(".GlobalStateManagerImpl")) {
          return true;
        }
      }
    }
    return false;
  }

  private void scheduleRestart(KafkaStreams failed, String reason) {
    long delay;
    synchronized (lifecycle) {
      if (closed || gaveUp || failed != streams || restartScheduledFor == failed) {
        return;
      }
      restartScheduledFor = failed;
      if (fatalIn == failed) {
        gaveUp = true;
        restartPending = false;
        log.error("{} after an unrecoverable error: not restarting (liveness turns false)", reason);
        return;
      }
      long now = clock.millis();
      while (!recentRestarts.isEmpty()
          && recentRestarts.peekFirst() < now - RESTART_WINDOW.toMillis()) {
        recentRestarts.pollFirst();
      }
      if (recentRestarts.size() >= MAX_RESTARTS) {
        gaveUp = true;
        log.error(
            "{}; {} in-process restarts within {} already: giving up (liveness turns false)",
            reason,
            recentRestarts.size(),
            RESTART_WINDOW);
        supervisor.execute(() -> failed.close(closeOptions()));
        return;
      }
      recentRestarts.addLast(now);
      restartPending = true;
      delay = RESTART_BACKOFF.toMillis() << (recentRestarts.size() - 1);
    }
    log.warn(
        "{}: restarting Streams in-process in {} ms (restart {} of at most {} within {})",
        reason,
        delay,
        recentRestarts.size(),
        MAX_RESTARTS,
        RESTART_WINDOW);
    supervisor.schedule(() -> restart(failed), delay, TimeUnit.MILLISECONDS);
  }

  private void restart(KafkaStreams failed) {
    boolean clean = failed.close(closeOptions());
    boolean global = globalFailedIn == failed;
    KafkaStreams next;
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      try {
        if (!clean || global) {
          globalState.wipe(
              global
                  ? "the global store failed"
                  : "the failed Streams client did not close cleanly");
        }
        next = newStreams();
      } catch (RuntimeException e) {
        log.error("cannot create a new Streams client; giving up (liveness turns false)", e);
        gaveUp = true;
        return;
      }
      streams = next;
      reconcileWhenRunning = true;
      restarts.incrementAndGet();
    }
    try {
      next.start();
      log.info("streams restarted in-process (restart {})", restarts.get());
    } catch (RuntimeException e) {
      log.error("restarted Streams client failed to start", e);
      if (failedInGlobalState(e)) {
        globalFailedIn = next;
      }
      scheduleRestart(next, "the restarted Streams client failed to start");
    } finally {
      restartPending = false;
    }
  }

  /**
   * How an in-process restart after a failure closes Streams: a static member stays in the group,
   * so the new client (same member ids) gets the same tasks back without a rebalance.
   */
  private CloseOptions closeOptions() {
    return closeOptions(
        settings.staticMembership()
            ? CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP
            : CloseOptions.GroupMembershipOperation.LEAVE_GROUP);
  }

  /**
   * How a planned stop ({@link #close()}: SIGTERM from a rollout, a scale-in or an operator) closes
   * Streams. With {@code leave.group.on.stop} (the default) every stream thread's consumer sends a
   * LeaveGroup with its member id once its tasks are committed and closed; the classic group
   * coordinator removes that member, static or not (the member id is known, so no instance id is
   * needed), and rebalances at once, and the high-availability assignor gives the tasks to the
   * clients that hold caught-up standbys. Without it a static member keeps its partitions until it
   * returns or {@code session.timeout.ms} expires, and its lists publish nothing meanwhile.
   */
  static CloseOptions.GroupMembershipOperation plannedStopMembership(StreamsSettings s) {
    return !s.staticMembership() || s.leaveGroupOnStop()
        ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
        : CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP;
  }

  private static CloseOptions closeOptions(CloseOptions.GroupMembershipOperation membership) {
    return CloseOptions.groupMembershipOperation(membership).withTimeout(CLOSE_TIMEOUT);
  }

  public CommandGateway gateway() {
    return gateway;
  }

  public TokenDirectory directory() {
    return directory;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /**
   * The current Streams instance (for metrics binders and tests); after an in-process restart this
   * is a new instance.
   */
  public KafkaStreams streams() {
    return streams;
  }

  public StreamsSettings settings() {
    return settings;
  }

  /** How many times Streams was restarted in-process after a failure. */
  public long restarts() {
    return restarts.get();
  }

  /** How many times this node entered REBALANCING. */
  public long rebalances() {
    return rebalances.get();
  }

  /**
   * Records restored from changelogs since this node started, per store name (the global store
   * included). After a clean close and a restart on the same state directory it stays at (or near)
   * zero: the stores' checkpoints say they are up to date.
   */
  public Map<String, Long> restoredRecords() {
    Map<String, Long> out = new TreeMap<>();
    restored.forEach((store, n) -> out.put(store, n.get()));
    return out;
  }

  /** Adds a listener called with (new state, old state) on every Streams state change. */
  public void onStateChange(BiConsumer<KafkaStreams.State, KafkaStreams.State> listener) {
    stateListeners.add(listener);
  }

  /**
   * Ready to serve: the token directory has caught up and Streams is alive. Stays true during a
   * rebalance, because reads are served from the global store, not from owned partitions.
   */
  public boolean isReady() {
    KafkaStreams.State s = streams.state();
    return !closed
        && directory.isCaughtUp()
        && gateway.isRunning()
        && (s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING);
  }

  /**
   * Whether the node is alive (for a liveness probe): Streams is running, or failed and is being
   * restarted in-process; false once the node gave up restarting it ({@link #MAX_RESTARTS}, or an
   * unrecoverable {@link Error}), and while its stream threads keep failing ({@link
   * StreamFailures#crashLooping()}: a client that fails again on the same record answers nothing).
   */
  public boolean isAlive() {
    if (closed || gaveUp || failures.crashLooping()) {
      return false;
    }
    if (restartPending) {
      return true;
    }
    KafkaStreams.State s = streams.state();
    return s != KafkaStreams.State.ERROR
        && s != KafkaStreams.State.NOT_RUNNING
        && s != KafkaStreams.State.PENDING_ERROR
        && s != KafkaStreams.State.PENDING_SHUTDOWN;
  }

  /**
   * Stream threads that failed since start (with static membership each failure restarts the client
   * in-process; without, the thread is replaced; an {@link Error} stops the client).
   */
  public long streamThreadFailures() {
    return failures.total();
  }

  /**
   * Removes the node's own JVM shutdown hook: the caller's hook closes the node, after what must
   * stop before it. A process that serves HTTP drains its requests in flight first; with the node's
   * hook running beside it, the gateway closed at SIGTERM and those requests (issuers' changes
   * being decided) were answered 503 although they were applied.
   */
  public void ownerClosesOnShutdown() {
    Thread hook = shutdownHook;
    if (hook != null) {
      Runtime.getRuntime().removeShutdownHook(hook);
      shutdownHook = null;
    }
  }

  /**
   * A planned stop: closes the gateway and Streams, leaving the group unless {@code
   * leave.group.on.stop} is false (see {@link #plannedStopMembership}). The JVM's shutdown hook
   * (SIGTERM) runs the same. An unplanned end (kill -9, node loss) runs nothing: a static member
   * then keeps its identity, so a quick restart gets its tasks back with no rebalance, and one that
   * never returns is removed when {@code session.timeout.ms} expires.
   */
  @Override
  public void close() {
    Thread hook = shutdownHook;
    if (hook != null && Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is shutting down: the hook closes the node (or already has).
      }
    }
    closeOnce();
  }

  private void closeFromShutdownHook() {
    log.info("JVM shutting down: closing registry node");
    closeOnce();
  }

  private void closeOnce() {
    KafkaStreams current;
    boolean first;
    synchronized (lifecycle) {
      first = !closed;
      closed = true;
      current = streams;
    }
    if (!first) {
      awaitClose(); // outside the lock, which the close in progress may need
      return;
    }
    try {
      closeStreams(current);
    } finally {
      closeDone.countDown();
    }
  }

  /**
   * A second caller (the JVM's hook and {@code close()} race on SIGTERM) waits for the close in
   * progress: dev closes its broker right after the node, which must not happen under a closing
   * Streams (no commit, no LeaveGroup, stores without checkpoints).
   */
  private void awaitClose() {
    try {
      if (!closeDone.await(3 * CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        log.warn("the registry node's close in progress did not finish in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeStreams(KafkaStreams current) {
    supervisor.shutdown();
    gateway.close();
    CloseOptions.GroupMembershipOperation membership = plannedStopMembership(settings);
    log.info(
        "stopping streams ({})",
        membership == CloseOptions.GroupMembershipOperation.LEAVE_GROUP
            ? "leaving the group: standbys take over this instance's tasks"
            : "staying in the group: its tasks wait for this instance to return");
    boolean clean = current.close(closeOptions(membership));
    if (membership == CloseOptions.GroupMembershipOperation.LEAVE_GROUP
        && settings.staticMembership()) {
      removeOwnStaticMembers();
    }
    closeBeaconAndWatch();
    if (clean && current.state() == KafkaStreams.State.NOT_RUNNING) {
      globalState.afterCleanClose();
    } else {
      log.warn(
          "streams did not close cleanly within {} (state {}): stores may lack checkpoints and be"
              + " restored on the next start, which also rebuilds the global store",
          CLOSE_TIMEOUT,
          current.state());
    }
    try {
      if (!supervisor.awaitTermination(CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        log.warn("the streams supervisor did not stop within {}", CLOSE_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The hand-over's safety net. A stream thread that hit {@code TaskMigratedException} while
   * stopping (its producer fenced by a timed-out transaction, seen under heavy load) resets its
   * member id to rejoin, and a consumer without a member id sends no LeaveGroup on close: its
   * static member would keep its partitions until the session expires. So after the close the node
   * removes its own static members by {@code group.instance.id} ({@code <instance.id>-<thread>},
   * KIP-345, the LeaveGroup API with the group's READ permission). A member that already left is
   * reported as unknown and ignored.
   */
  private void removeOwnStaticMembers() {
    try (Admin admin = Admin.create(memberAdminConfig("-leave"))) {
      for (String id : removeMembers(admin, settings.instanceId().orElseThrow(), threads())) {
        log.warn(
            "static member {} was still in group {} after the close; removed it",
            id,
            settings.applicationId());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("could not check this node's static members after the close: {}", e.toString());
    }
  }

  /** An Admin client's configuration for member removals, with short timeouts. */
  private Map<String, Object> memberAdminConfig(String clientSuffix) {
    Map<String, Object> c = adminConfig(settings);
    c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    c.put(AdminClientConfig.CLIENT_ID_CONFIG, settings.instanceId().orElseThrow() + clientSuffix);
    return c;
  }

  /**
   * Removes the static members {@code <instanceId>-1} to {@code -<threads>} from the group
   * (KIP-345, the LeaveGroup API with the group's READ permission).
   *
   * @return the ids of those that were in the group; one already gone is not an error
   * @throws Exception any other failure of a removal
   */
  private List<String> removeMembers(Admin admin, String instanceId, int threads) throws Exception {
    List<MemberToRemove> members = new java.util.ArrayList<>();
    for (int t = 1; t <= threads; t++) {
      members.add(new MemberToRemove(instanceId + "-" + t));
    }
    var result =
        admin.removeMembersFromConsumerGroup(
            settings.applicationId(), new RemoveMembersFromConsumerGroupOptions(members));
    List<String> removed = new java.util.ArrayList<>();
    for (MemberToRemove m : members) {
      try {
        result.memberResult(m).get(10, TimeUnit.SECONDS);
        removed.add(m.groupInstanceId());
      } catch (java.util.concurrent.ExecutionException e) {
        if (!(e.getCause() instanceof UnknownMemberIdException)) {
          throw e;
        }
      }
    }
    return removed;
  }

  /** Counts and logs what each store restores from its changelog. */
  private final class RestoreCounter implements StateRestoreListener {
    @Override
    public void onRestoreStart(
        TopicPartition partition, String store, long startingOffset, long endingOffset) {
      restored.computeIfAbsent(store, k -> new AtomicLong());
      if (endingOffset > startingOffset) {
        log.info(
            "restoring store {} from {} offsets {}..{}",
            store,
            partition,
            startingOffset,
            endingOffset);
      }
    }

    @Override
    public void onBatchRestored(
        TopicPartition partition, String store, long batchEndOffset, long numRestored) {
      restored.computeIfAbsent(store, k -> new AtomicLong()).addAndGet(numRestored);
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
      if (totalRestored > 0) {
        log.info("restored {} records of store {} from {}", totalRestored, store, partition);
      }
    }
  }
}
