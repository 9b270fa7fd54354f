package io.statusreg.streams;

import io.statusreg.streams.internal.BoundedMemoryRocksDbConfig;
import io.statusreg.streams.internal.KafkaCommandGateway;
import io.statusreg.streams.internal.LocalTokenDirectory;
import io.statusreg.streams.internal.NeverDropProductionHandler;
import io.statusreg.streams.internal.StreamFailures;
import io.statusreg.streams.publication.ListSigner;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
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

  private final StreamsSettings settings;
  private final KafkaStreams streams;
  private final LocalTokenDirectory directory;
  private final KafkaCommandGateway gateway;
  private final StreamFailures failures;
  private final AtomicLong rebalances = new AtomicLong();
  private final Map<String, AtomicLong> restored = new ConcurrentHashMap<>();
  private volatile Thread shutdownHook;
  private final List<BiConsumer<KafkaStreams.State, KafkaStreams.State>> stateListeners =
      new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private RegistryNode(StreamsSettings settings, ListSigner signer, Clock clock) {
    this.settings = settings;
    RegistryTopology topology = RegistryTopology.build(settings, signer, clock);
    this.directory = topology.localDirectory();
    this.streams = new KafkaStreams(topology.topology(), streamsConfig(settings));
    streams.setStateListener(this::stateChanged);
    streams.setGlobalStateRestoreListener(new RestoreCounter());
    this.failures = new StreamFailures(clock);
    streams.setUncaughtExceptionHandler(failures);
    String instance = settings.instanceId().orElse("dyn-" + UUID.randomUUID());
    KafkaCommandGateway g;
    try {
      g =
          new KafkaCommandGateway(
              settings.bootstrapServers(),
              instance,
              settings.commandTimeout(),
              Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, settings.recordMaxBytes()));
    } catch (RuntimeException e) {
      streams.close(Duration.ZERO);
      throw e;
    }
    this.gateway = g;
  }

  /** Builds the topology and starts Streams; the topics must exist. */
  public static RegistryNode start(StreamsSettings settings, ListSigner signer, Clock clock) {
    RegistryNode node = new RegistryNode(settings, signer, clock);
    // A JVM that exits (SIGTERM) without closing the node leaves its stores without checkpoints,
    // and under exactly_once_v2 the next start wipes and restores them from the changelogs.
    Thread hook = new Thread(node::closeFromShutdownHook, "statusreg-node-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    node.shutdownHook = hook;
    node.streams.start();
    log.info(
        "registry node started: application {} instance {} state {}",
        settings.applicationId(),
        settings.instanceId().orElse("(dynamic)"),
        settings.stateDir());
    return node;
  }

  /** Creates the missing statusreg topics (for {@code dev} and tests). */
  public static List<String> createTopics(StreamsSettings settings, Duration timeout) {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers()))) {
      return TopicCatalogue.of(settings).apply(admin, timeout);
    }
  }

  /** The Kafka Streams configuration of a node (visible for review and tests). */
  public static Properties streamsConfig(StreamsSettings s) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, s.applicationId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put("group.protocol", "classic");
    p.put(StreamsConfig.STATE_DIR_CONFIG, s.stateDir().toAbsolutePath().toString());
    p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, s.numStandbyReplicas());
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) s.replicationFactor());
    p.put(StreamsConfig.topicPrefix("min.insync.replicas"), s.minInsyncReplicas());
    s.applicationServer().ifPresent(a -> p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, a));
    s.instanceId().ifPresent(id -> p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
    p.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
        (int) s.sessionTimeout().toMillis());
    p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDbConfig.class);
    p.put(BoundedMemoryRocksDbConfig.BLOCK_CACHE_BYTES, s.rocksdbBlockCacheBytes());
    p.put(BoundedMemoryRocksDbConfig.WRITE_BUFFER_BYTES, s.rocksdbWriteBufferBytes());
    p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), s.recordMaxBytes());
    p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, s.commitInterval().toMillis());
    p.put("processing.exception.handler.global.enabled", true);
    // Never skip a reply, an event or a changelog record: fail the task (StreamFailures replaces
    // the thread, and reports a node whose threads keep failing as not live).
    p.put(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, NeverDropProductionHandler.class);
    return p;
  }

  private void stateChanged(KafkaStreams.State now, KafkaStreams.State before) {
    if (now == KafkaStreams.State.REBALANCING) {
      rebalances.incrementAndGet();
    }
    if (now == KafkaStreams.State.RUNNING) {
      // The global store restores before any stream thread runs: the directory is caught up.
      directory.markCaughtUp();
    }
    log.info("streams state {} -> {}", before, now);
    for (var listener : stateListeners) {
      try {
        listener.accept(now, before);
      } catch (RuntimeException e) {
        log.warn("state listener failed", e);
      }
    }
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

  /** The underlying Streams instance (for metrics binders). */
  public KafkaStreams streams() {
    return streams;
  }

  public StreamsSettings settings() {
    return settings;
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
   * Whether the node is alive (for a liveness probe): Streams has not failed or stopped, and its
   * stream threads are not failing over and over (a replaced thread that fails again on the same
   * record leaves the client RUNNING while it answers nothing).
   */
  public boolean isAlive() {
    KafkaStreams.State s = streams.state();
    return !closed
        && s != KafkaStreams.State.ERROR
        && s != KafkaStreams.State.NOT_RUNNING
        && s != KafkaStreams.State.PENDING_ERROR
        && s != KafkaStreams.State.PENDING_SHUTDOWN
        && !failures.crashLooping();
  }

  /** Stream threads that failed since start (each replaced unless the error was fatal). */
  public long streamThreadFailures() {
    return failures.total();
  }

  /**
   * Closes the gateway and Streams. With static membership the node stays in the group, so a
   * restart within {@code session.timeout.ms} gets its tasks back with no rebalance.
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

  private synchronized void closeOnce() {
    if (closed) {
      return;
    }
    closed = true;
    gateway.close();
    CloseOptions.GroupMembershipOperation membership =
        settings.staticMembership()
            ? CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP
            : CloseOptions.GroupMembershipOperation.LEAVE_GROUP;
    boolean clean =
        streams.close(CloseOptions.groupMembershipOperation(membership).withTimeout(CLOSE_TIMEOUT));
    if (!clean) {
      log.warn(
          "streams did not close within {}: stores may lack checkpoints and be restored on the"
              + " next start",
          CLOSE_TIMEOUT);
    }
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
