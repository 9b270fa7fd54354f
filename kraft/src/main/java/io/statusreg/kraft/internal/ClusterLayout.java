package io.statusreg.kraft.internal;

import io.statusreg.kraft.KafkaClusterException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;

/**
 * What must stay the same across restarts of a cluster on the same data directory: the cluster id
 * (every node's storage is formatted with it) and each node's ports (KRaft records the controller
 * endpoint at format time, and clients remember the broker endpoints).
 */
public record ClusterLayout(String clusterId, List<NodeAddress> nodes) {
  public static final String FILE_NAME = "cluster.properties";

  public ClusterLayout {
    if (clusterId == null || clusterId.isBlank()) {
      throw new IllegalArgumentException("cluster id must not be blank");
    }
    nodes = List.copyOf(nodes);
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("a cluster needs at least one node");
    }
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).nodeId() != i + 1) {
        throw new IllegalArgumentException("nodes must be numbered 1..n in order, got " + nodes);
      }
    }
    long distinctPorts =
        nodes.stream()
            .flatMap(n -> java.util.stream.Stream.of(n.brokerPort(), n.controllerPort()))
            .distinct()
            .count();
    if (distinctPorts != 2L * nodes.size()) {
      throw new IllegalArgumentException("ports must be distinct, got " + nodes);
    }
  }

  /** A fresh layout: a random cluster id and free loopback ports for {@code size} nodes. */
  public static ClusterLayout allocate(int size) {
    List<Integer> ports = FreePorts.allocate(2 * size);
    List<NodeAddress> nodes = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      nodes.add(new NodeAddress(i + 1, ports.get(2 * i), ports.get(2 * i + 1)));
    }
    return new ClusterLayout(Uuid.randomUuid().toString(), nodes);
  }

  public int size() {
    return nodes.size();
  }

  public NodeAddress node(int nodeId) {
    if (nodeId < 1 || nodeId > nodes.size()) {
      throw new IllegalArgumentException(
          "no node "
              + nodeId
              + " in a cluster of "
              + nodes.size()
              + " (ids are 1.."
              + size()
              + ")");
    }
    return nodes.get(nodeId - 1);
  }

  public String bootstrapServers() {
    return nodes.stream().map(NodeAddress::brokerEndpoint).collect(Collectors.joining(","));
  }

  /** {@code controller.quorum.voters} for a static quorum of every node. */
  public String quorumVoters() {
    return nodes.stream()
        .map(n -> n.nodeId() + "@" + n.controllerEndpoint())
        .collect(Collectors.joining(","));
  }

  /**
   * The layout saved in {@code dataDir}, or a freshly allocated one, saved there, when the
   * directory holds none.
   *
   * @throws KafkaClusterException when the saved layout has a different number of nodes
   */
  public static ClusterLayout loadOrAllocate(Path dataDir, int size) {
    Path file = dataDir.resolve(FILE_NAME);
    if (Files.exists(file)) {
      ClusterLayout saved = load(file);
      if (saved.size() != size) {
        throw new KafkaClusterException(
            file
                + " describes a cluster of "
                + saved.size()
                + " node(s), but "
                + size
                + " were asked for; use another data directory or the same node count");
      }
      return saved;
    }
    ClusterLayout fresh = allocate(size);
    fresh.save(file);
    return fresh;
  }

  public static ClusterLayout load(Path file) {
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(reader);
    } catch (IOException e) {
      throw new KafkaClusterException("reading cluster layout " + file, e);
    }
    try {
      String clusterId = required(props, "cluster.id");
      int size = Integer.parseInt(required(props, "nodes"));
      List<NodeAddress> nodes = new ArrayList<>(size);
      for (int id = 1; id <= size; id++) {
        nodes.add(
            new NodeAddress(
                id,
                Integer.parseInt(required(props, "node." + id + ".broker.port")),
                Integer.parseInt(required(props, "node." + id + ".controller.port"))));
      }
      return new ClusterLayout(clusterId, nodes);
    } catch (IllegalArgumentException e) {
      throw new KafkaClusterException("reading cluster layout " + file + ": " + e.getMessage(), e);
    }
  }

  private static String required(Properties props, String key) {
    String value = props.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("missing " + key);
    }
    return value.trim();
  }

  public void save(Path file) {
    StringBuilder text = new StringBuilder();
    text.append("# statusreg KRaft cluster layout: reused on every start from this directory.\n");
    text.append("cluster.id=").append(clusterId).append('\n');
    text.append("nodes=").append(nodes.size()).append('\n');
    for (NodeAddress n : nodes) {
      text.append("node.").append(n.nodeId()).append(".broker.port=").append(n.brokerPort());
      text.append('\n');
      text.append("node.").append(n.nodeId()).append(".controller.port=");
      text.append(n.controllerPort()).append('\n');
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
      try (Writer writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        writer.write(text.toString());
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new KafkaClusterException("saving cluster layout " + file, e);
    }
  }
}
