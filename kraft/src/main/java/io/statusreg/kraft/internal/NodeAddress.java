package io.statusreg.kraft.internal;

/** One node's loopback ports: the client (PLAINTEXT) listener and the KRaft controller listener. */
public record NodeAddress(int nodeId, int brokerPort, int controllerPort) {
  public static final String HOST = "127.0.0.1";

  public NodeAddress {
    if (nodeId < 1) {
      throw new IllegalArgumentException("node id must be >= 1, was " + nodeId);
    }
    checkPort("broker", brokerPort);
    checkPort("controller", controllerPort);
    if (brokerPort == controllerPort) {
      throw new IllegalArgumentException(
          "node " + nodeId + ": broker and controller ports must differ, both " + brokerPort);
    }
  }

  private static void checkPort(String what, int port) {
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException(what + " port out of range: " + port);
    }
  }

  public String brokerEndpoint() {
    return HOST + ":" + brokerPort;
  }

  public String controllerEndpoint() {
    return HOST + ":" + controllerPort;
  }
}
