package io.statusreg.kraft.internal;

import io.statusreg.kraft.KafkaClusterException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node running inside this JVM as a {@link KafkaRaftServer}. Cheap to start, but a fatal fault
 * inside Kafka halts the whole JVM, and it cannot be killed: failure tests use {@link ProcessNode}.
 */
public final class InProcessNode implements KraftNode {
  private static final Logger log = LoggerFactory.getLogger(InProcessNode.class);

  private final int nodeId;
  private final Map<String, String> config;
  private final Path logDir;
  private volatile KafkaRaftServer server;

  public InProcessNode(int nodeId, Map<String, String> config, Path logDir) {
    this.nodeId = nodeId;
    this.config = Map.copyOf(config);
    this.logDir = logDir;
  }

  @Override
  public int nodeId() {
    return nodeId;
  }

  @Override
  public void start() {
    if (server != null) {
      throw new IllegalStateException("node " + nodeId + " is already running");
    }
    KafkaRaftServer candidate;
    try {
      candidate =
          new KafkaRaftServer(
              KafkaConfig.fromProps(BrokerConfig.toProperties(config), false), Time.SYSTEM);
    } catch (RuntimeException e) {
      throw new KafkaClusterException(
          "configuring Kafka node " + nodeId + ": " + e.getMessage(), e);
    }
    server = candidate;
    try {
      candidate.startup();
    } catch (RuntimeException e) {
      server = null;
      shutdown(candidate, Duration.ofSeconds(30));
      throw new KafkaClusterException(
          "starting Kafka node " + nodeId + " (data in " + logDir + "): " + e.getMessage(), e);
    }
  }

  @Override
  public void stop(Duration timeout) {
    KafkaRaftServer running = server;
    if (running == null) {
      return;
    }
    server = null;
    shutdown(running, timeout);
  }

  @Override
  public void kill() {
    stop(Duration.ofSeconds(30));
  }

  private void shutdown(KafkaRaftServer target, Duration timeout) {
    Thread stopper =
        Thread.ofPlatform()
            .daemon()
            .name("kraft-node-" + nodeId + "-shutdown")
            .start(
                () -> {
                  try {
                    target.shutdown();
                    target.awaitShutdown();
                  } catch (RuntimeException e) {
                    log.warn("Kafka node {} did not shut down cleanly", nodeId, e);
                  }
                });
    try {
      if (!stopper.join(timeout)) {
        log.warn(
            "Kafka node {} still shutting down after {}; leaving it to finish in the background",
            nodeId,
            timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return server != null;
  }

  @Override
  public Optional<String> failure() {
    return Optional.empty();
  }

  @Override
  public Path logDir() {
    return logDir;
  }

  @Override
  public String logHint() {
    return "this JVM's log (data in " + logDir + ")";
  }
}
