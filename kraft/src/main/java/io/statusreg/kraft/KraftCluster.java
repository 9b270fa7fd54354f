package io.statusreg.kraft;

import io.statusreg.kraft.internal.BrokerConfig;
import io.statusreg.kraft.internal.ClusterLayout;
import io.statusreg.kraft.internal.ClusterProbe;
import io.statusreg.kraft.internal.FreePorts;
import io.statusreg.kraft.internal.InProcessNode;
import io.statusreg.kraft.internal.KraftNode;
import io.statusreg.kraft.internal.NodeAddress;
import io.statusreg.kraft.internal.ProcessNode;
import io.statusreg.kraft.internal.ReplicationDefaults;
import io.statusreg.kraft.internal.StorageFormatter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka cluster in KRaft mode, started from the Kafka jars on the classpath: one or more
 * combined broker+controller nodes on free loopback ports, either inside this JVM or each in an OS
 * process of its own ({@link Builder#separateProcesses(boolean)}).
 *
 * <p>With a {@linkplain Builder#dataDir(Path) data directory} the cluster is persistent: its
 * cluster id and ports are saved in {@code cluster.properties} there and reused on the next start,
 * so records survive a restart. Without one it lives in a temporary directory deleted on {@link
 * #close()} (kept when start-up fails, for its logs).
 *
 * <pre>{@code
 * try (KraftCluster kafka = KraftCluster.builder().nodes(3).build()) {
 *   kafka.start();
 *   admin.createTopics(List.of(kafka.newTopic("t", 6)));
 * }
 * }</pre>
 */
public final class KraftCluster implements KafkaCluster {
  private static final Logger log = LoggerFactory.getLogger(KraftCluster.class);

  /** JVM options of a node process: a small heap, and little JIT work on a small machine. */
  public static final List<String> DEFAULT_NODE_JVM_OPTIONS =
      List.of(
          "-Xms64m",
          "-Xmx256m",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-XX:+ExitOnOutOfMemoryError",
          "--enable-native-access=ALL-UNNAMED");

  private final int size;
  private final Path configuredDataDir;
  private final boolean separateProcesses;
  private final Duration startTimeout;
  private final Duration stopTimeout;
  private final int defaultPartitions;
  private final boolean controlledShutdown;
  private final Map<String, String> brokerOverrides;
  private final ProcessNode.Launch launch;
  private final ReplicationDefaults replication;
  private final SecureListener secureListener;
  private final Map<Integer, Integer> securePorts = new java.util.HashMap<>();
  private final Map<Integer, Integer> mutualTlsPorts = new java.util.HashMap<>();

  private Path dataDir;
  private ClusterLayout layout;
  private final List<KraftNode> nodes = new ArrayList<>();
  private boolean started;
  private boolean closed;
  private boolean keepDataDir;

  private KraftCluster(Builder b) {
    this.size = b.nodes;
    this.configuredDataDir = b.dataDir;
    this.separateProcesses = b.separateProcesses;
    this.startTimeout = b.startTimeout;
    this.stopTimeout = b.stopTimeout;
    this.defaultPartitions = b.defaultPartitions;
    this.controlledShutdown = b.controlledShutdown != null ? b.controlledShutdown : b.nodes == 1;
    this.brokerOverrides = Map.copyOf(b.brokerOverrides);
    this.launch =
        new ProcessNode.Launch(
            b.java != null ? b.java : Path.of(System.getProperty("java.home"), "bin", "java"),
            b.classpath != null ? b.classpath : System.getProperty("java.class.path"),
            b.jvmOptions);
    this.replication = ReplicationDefaults.forSize(size);
    this.secureListener = b.secureListener;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("cluster is closed");
    }
    if (started) {
      throw new IllegalStateException("cluster is already started");
    }
    long begin = System.nanoTime();
    try {
      prepare();
      startNodes(nodes);
      ClusterProbe.awaitWritable(
          layout.bootstrapServers(), size, replication, startTimeout, this::deadNode, logHint());
      started = true;
      log.info(
          "Kafka (KRaft, {} node(s){}) ready at {} in {} ms, data in {}",
          size,
          separateProcesses ? ", separate processes" : "",
          bootstrapServers(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin),
          dataDir);
    } catch (RuntimeException e) {
      keepDataDir = true; // the logs are the only clue
      stopAll(true);
      throw e;
    }
  }

  private void prepare() {
    try {
      if (configuredDataDir != null) {
        dataDir = configuredDataDir.toAbsolutePath();
        Files.createDirectories(dataDir);
      } else {
        dataDir = Files.createTempDirectory("statusreg-kraft-");
      }
    } catch (IOException e) {
      throw new KafkaClusterException("creating Kafka data directory " + configuredDataDir, e);
    }
    layout = ClusterLayout.loadOrAllocate(dataDir, size);
    checkPortsFree();
    nodes.clear();
    for (NodeAddress address : layout.nodes()) {
      int id = address.nodeId();
      Path nodeDir = nodeDir(id);
      Path logDir = nodeDir.resolve("data");
      Path configFile = nodeDir.resolve("server.properties");
      SortedMap<String, String> config =
          BrokerConfig.forNode(
              layout, id, logDir, defaultPartitions, controlledShutdown, brokerOverrides);
      if (secureListener != null) {
        int port = securePorts.computeIfAbsent(id, unused -> FreePorts.allocateExcept(usedPorts()));
        String mutualTls =
            secureListener.hasMutualTlsListener()
                ? NodeAddress.HOST
                    + ":"
                    + mutualTlsPorts.computeIfAbsent(
                        id, unused -> FreePorts.allocateExcept(usedPorts()))
                : null;
        config.putAll(
            secureListener.brokerProperties(
                NodeAddress.HOST + ":" + port,
                mutualTls,
                config.get("listeners"),
                config.get("listener.security.protocol.map")));
      }
      BrokerConfig.write(config, configFile);
      if (StorageFormatter.formatIfNeeded(logDir, configFile, layout.clusterId(), size == 1)) {
        log.debug("Formatted KRaft storage of node {} in {}", id, logDir);
      }
      nodes.add(
          separateProcesses
              ? new ProcessNode(id, nodeDir, configFile, logDir, launch)
              : new InProcessNode(id, config, logDir));
    }
  }

  /** Every port this cluster's nodes listen on or were given: a new listener takes none of them. */
  private java.util.Set<Integer> usedPorts() {
    java.util.Set<Integer> used = new java.util.HashSet<>();
    for (NodeAddress n : layout.nodes()) {
      used.add(n.brokerPort());
      used.add(n.controllerPort());
    }
    used.addAll(securePorts.values());
    used.addAll(mutualTlsPorts.values());
    return used;
  }

  private void checkPortsFree() {
    List<String> busy = new ArrayList<>();
    for (NodeAddress n : layout.nodes()) {
      for (int port : List.of(n.brokerPort(), n.controllerPort())) {
        if (!FreePorts.isFree(port)) {
          busy.add(Integer.toString(port));
        }
      }
    }
    if (!busy.isEmpty()) {
      throw new KafkaClusterException(
          "port(s) "
              + String.join(", ", busy)
              + " of the Kafka cluster in "
              + dataDir
              + " are in use (is it running already?); the ports are saved in "
              + dataDir.resolve(ClusterLayout.FILE_NAME)
              + " because KRaft records them when it formats the storage");
    }
  }

  /** Starts nodes together: a KRaft broker's start-up waits for a quorum of controllers. */
  private void startNodes(List<KraftNode> toStart) {
    if (toStart.size() == 1) {
      toStart.getFirst().start();
      return;
    }
    List<CompletableFuture<Void>> futures =
        toStart.stream()
            .map(
                node ->
                    CompletableFuture.runAsync(
                        node::start,
                        task ->
                            Thread.ofPlatform()
                                .daemon()
                                .name("kraft-start-" + node.nodeId())
                                .start(task)))
            .toList();
    try {
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
          .get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaClusterException("interrupted while starting Kafka nodes", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new KafkaClusterException("starting Kafka nodes; see " + logHint(), cause);
    } catch (TimeoutException e) {
      throw new KafkaClusterException(
          "Kafka nodes did not start within " + startTimeout + "; see " + logHint(), e);
    }
  }

  private Optional<String> deadNode() {
    return nodes.stream().map(KraftNode::failure).flatMap(Optional::stream).findFirst();
  }

  private String logHint() {
    if (nodes.isEmpty()) {
      return String.valueOf(dataDir);
    }
    return nodes.stream().map(KraftNode::logHint).distinct().collect(Collectors.joining(", "));
  }

  @Override
  public String bootstrapServers() {
    requireStarted();
    return layout.bootstrapServers();
  }

  /**
   * The {@link SecureListener}'s {@code host:port} list (SASL_SSL); only for a cluster built with
   * {@link Builder#secureListener}.
   */
  public synchronized String secureBootstrapServers() {
    requireStarted();
    if (secureListener == null) {
      throw new IllegalStateException("the cluster was built without a secure listener");
    }
    return layout.nodes().stream()
        .map(n -> NodeAddress.HOST + ":" + securePorts.get(n.nodeId()))
        .collect(Collectors.joining(","));
  }

  /**
   * The {@link SecureListener}'s mutual TLS ({@code SSL}, client certificate required) {@code
   * host:port} list; only for a cluster built with {@link SecureListener#withMutualTlsListener}.
   */
  public synchronized String mutualTlsBootstrapServers() {
    requireStarted();
    if (secureListener == null || !secureListener.hasMutualTlsListener()) {
      throw new IllegalStateException("the cluster was built without a mutual TLS listener");
    }
    return layout.nodes().stream()
        .map(n -> NodeAddress.HOST + ":" + mutualTlsPorts.get(n.nodeId()))
        .collect(Collectors.joining(","));
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public short replicationFactor() {
    return replication.replicationFactor();
  }

  @Override
  public int minInsyncReplicas() {
    return replication.minInsyncReplicas();
  }

  @Override
  public synchronized void stopNode(int nodeId) {
    requireStarted();
    KraftNode node = node(nodeId);
    node.stop(stopTimeout);
    log.info("Stopped Kafka node {}", nodeId);
  }

  @Override
  public synchronized void killNode(int nodeId) {
    requireStarted();
    KraftNode node = node(nodeId);
    node.kill();
    log.info(
        "Killed Kafka node {}{}",
        nodeId,
        separateProcesses ? " (SIGKILL)" : " (in-process: fast stop)");
  }

  @Override
  public synchronized void startNode(int nodeId) {
    requireStarted();
    KraftNode node = node(nodeId);
    if (node.isRunning()) {
      throw new IllegalStateException("Kafka node " + nodeId + " is running");
    }
    NodeAddress address = layout.node(nodeId);
    for (int port : List.of(address.brokerPort(), address.controllerPort())) {
      if (!FreePorts.isFree(port)) {
        throw new KafkaClusterException(
            "cannot restart Kafka node " + nodeId + ": its port " + port + " is in use");
      }
    }
    node.start();
    ClusterProbe.awaitNodeInSync(
        layout.bootstrapServers(), nodeId, startTimeout, node::failure, node.logHint());
    log.info("Restarted Kafka node {}", nodeId);
  }

  /** True while node {@code nodeId} runs. */
  public synchronized boolean isRunning(int nodeId) {
    return started && node(nodeId).isRunning();
  }

  /** The process id of a node that runs as a separate process. */
  public synchronized Optional<Long> pid(int nodeId) {
    return node(nodeId) instanceof ProcessNode p ? p.pid() : Optional.empty();
  }

  /** The directory holding the cluster layout and one {@code node-<id>} directory per node. */
  public synchronized Path dataDir() {
    requireStarted();
    return dataDir;
  }

  /** Kafka's {@code log.dirs} of a node: its partitions and metadata log. */
  public synchronized Path nodeLogDir(int nodeId) {
    return node(nodeId).logDir();
  }

  /** The output of a separate-process node ({@code server.log}); empty for in-process nodes. */
  public synchronized Optional<Path> nodeLogFile(int nodeId) {
    return node(nodeId) instanceof ProcessNode p ? Optional.of(p.logFile()) : Optional.empty();
  }

  /** The KRaft cluster id every node was formatted with. */
  public synchronized String clusterId() {
    requireStarted();
    return layout.clusterId();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopAll(false);
    if (configuredDataDir == null && dataDir != null) {
      if (keepDataDir) {
        log.warn("Kept the data of the Kafka cluster that failed to start: {}", dataDir);
      } else {
        deleteRecursively(dataDir);
      }
    }
  }

  /** Stops every node at once: stopped one by one, the last voters would wait for a quorum. */
  private void stopAll(boolean fast) {
    List<CompletableFuture<Void>> stops =
        nodes.stream()
            .map(
                node ->
                    CompletableFuture.runAsync(
                        () -> {
                          try {
                            if (fast) {
                              node.kill();
                            } else {
                              node.stop(stopTimeout);
                            }
                          } catch (RuntimeException e) {
                            log.warn("Stopping Kafka node {} failed", node.nodeId(), e);
                          }
                        },
                        task ->
                            Thread.ofPlatform()
                                .daemon()
                                .name("kraft-stop-" + node.nodeId())
                                .start(task)))
            .toList();
    try {
      CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
          .get(stopTimeout.toMillis() + 20_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("Kafka nodes did not all stop in time: {}", e.toString());
    }
  }

  private KraftNode node(int nodeId) {
    if (nodeId < 1 || nodeId > size) {
      throw new IllegalArgumentException(
          "no Kafka node " + nodeId + " in a cluster of " + size + " (ids are 1.." + size + ")");
    }
    if (nodes.size() != size) {
      throw new IllegalStateException("cluster is not started");
    }
    return nodes.get(nodeId - 1);
  }

  private void requireStarted() {
    if (!started || closed) {
      throw new IllegalStateException(closed ? "cluster is closed" : "cluster is not started");
    }
  }

  private Path nodeDir(int nodeId) {
    return dataDir.resolve("node-" + nodeId);
  }

  private static void deleteRecursively(Path root) {
    try {
      io.statusreg.common.FileTrees.deleteRecursively(root);
    } catch (IOException e) {
      log.warn("Could not delete Kafka data directory {}: {}", root, e.toString());
    }
  }

  @Override
  public String toString() {
    return "KraftCluster[nodes="
        + size
        + (separateProcesses ? ", separate processes" : "")
        + (layout == null ? "" : ", bootstrap=" + layout.bootstrapServers())
        + (dataDir == null ? "" : ", dataDir=" + dataDir)
        + "]";
  }

  /** Builds a {@link KraftCluster}; nothing runs until {@link KraftCluster#start()}. */
  public static final class Builder {
    private int nodes = 1;
    private Path dataDir;
    private boolean separateProcesses;
    private Duration startTimeout = Duration.ofSeconds(120);
    private Duration stopTimeout = Duration.ofSeconds(30);
    private int defaultPartitions = 1;
    private Boolean controlledShutdown;
    private final Map<String, String> brokerOverrides = new LinkedHashMap<>();
    private Path java;
    private String classpath;
    private List<String> jvmOptions = DEFAULT_NODE_JVM_OPTIONS;
    private SecureListener secureListener;

    private Builder() {}

    /**
     * Adds a SASL_SSL listener (SCRAM-SHA-512, optionally mutual TLS) on a free port of every node;
     * its address is {@link KraftCluster#secureBootstrapServers()}. With {@link
     * SecureListener#withMutualTlsListener} also an SSL listener with client certificates required,
     * at {@link KraftCluster#mutualTlsBootstrapServers()}.
     */
    public Builder secureListener(SecureListener listener) {
      this.secureListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Number of combined broker+controller nodes (voters), 1 by default. */
    public Builder nodes(int nodes) {
      if (nodes < 1 || nodes > 9) {
        throw new IllegalArgumentException("nodes must be between 1 and 9, was " + nodes);
      }
      this.nodes = nodes;
      return this;
    }

    /**
     * Persistent data directory: created when missing, reused (same cluster id, same ports) when it
     * holds a cluster already, never deleted. Without it a temporary directory is used.
     */
    public Builder dataDir(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
      return this;
    }

    /**
     * Runs each node as {@code java ... kafka.Kafka server.properties} in its own OS process
     * (killable with SIGKILL) instead of inside this JVM.
     */
    public Builder separateProcesses(boolean separateProcesses) {
      this.separateProcesses = separateProcesses;
      return this;
    }

    /** Bound on start-up and on a node's restart, 120 s by default. */
    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = positive(startTimeout, "startTimeout");
      return this;
    }

    /** Bound on a clean stop of one node before it is abandoned or killed, 30 s by default. */
    public Builder stopTimeout(Duration stopTimeout) {
      this.stopTimeout = positive(stopTimeout, "stopTimeout");
      return this;
    }

    /** {@code num.partitions} for topics created without a partition count, 1 by default. */
    public Builder defaultPartitions(int partitions) {
      if (partitions < 1) {
        throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
      }
      this.defaultPartitions = partitions;
      return this;
    }

    /**
     * {@code controlled.shutdown.enable}. On by default for one node: the restarted broker then
     * registers at once instead of waiting out its old session (about 9 s). Off by default for
     * several nodes: there, stopping the last voters in a controlled shutdown waits minutes for a
     * controller that is gone.
     */
    public Builder controlledShutdown(boolean enabled) {
      this.controlledShutdown = enabled;
      return this;
    }

    /** A broker property that wins over every default of this class. */
    public Builder brokerProperty(String key, String value) {
      brokerOverrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, key));
      return this;
    }

    /** The {@code java} binary of node processes; this JVM's by default. */
    public Builder javaCommand(Path java) {
      this.java = Objects.requireNonNull(java, "java");
      return this;
    }

    /** Classpath of node processes; this JVM's {@code java.class.path} by default. */
    public Builder classpath(String classpath) {
      this.classpath = Objects.requireNonNull(classpath, "classpath");
      return this;
    }

    /** JVM options of node processes; {@link #DEFAULT_NODE_JVM_OPTIONS} by default. */
    public Builder jvmOptions(List<String> jvmOptions) {
      this.jvmOptions = List.copyOf(jvmOptions);
      return this;
    }

    public KraftCluster build() {
      return new KraftCluster(this);
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
