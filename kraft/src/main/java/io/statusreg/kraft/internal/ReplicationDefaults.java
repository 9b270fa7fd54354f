package io.statusreg.kraft.internal;

/**
 * Replication factor and {@code min.insync.replicas} for a cluster of a given size: every node
 * holds a replica up to three, and one replica may be lost without refusing {@code acks=all} writes
 * (1/1 for one node, 2/1 for two, 3/2 for three or more).
 */
public record ReplicationDefaults(short replicationFactor, int minInsyncReplicas) {

  public static ReplicationDefaults forSize(int nodes) {
    if (nodes < 1) {
      throw new IllegalArgumentException("a cluster needs at least one node, got " + nodes);
    }
    short rf = (short) Math.min(nodes, 3);
    return new ReplicationDefaults(rf, Math.max(1, rf - 1));
  }
}
