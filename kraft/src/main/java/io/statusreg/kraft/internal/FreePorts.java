package io.statusreg.kraft.internal;

import io.statusreg.kraft.KafkaClusterException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Picks free loopback ports and checks that saved ones are still free. */
public final class FreePorts {
  private FreePorts() {}

  /**
   * Returns {@code count} distinct ports that were free a moment ago. All sockets are held open
   * until every port is chosen, so the ports are distinct; another process may still take one
   * before Kafka binds it.
   */
  public static List<Integer> allocate(int count) {
    List<ServerSocket> sockets = new ArrayList<>(count);
    try {
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket();
        sockets.add(socket);
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getByName(NodeAddress.HOST), 0));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new KafkaClusterException("allocating " + count + " free loopback ports", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // nothing useful to do: the port was only probed
        }
      }
    }
  }

  /**
   * One port that was free a moment ago and is none of {@code taken}: ports chosen a moment ago and
   * released (a cluster layout's) are free again, and the kernel may hand one of them out once
   * more.
   */
  public static int allocateExcept(java.util.Collection<Integer> taken) {
    return allocateExcept(taken, () -> allocate(1).getFirst());
  }

  /** {@link #allocateExcept(java.util.Collection)} over the ports {@code candidates} gives. */
  static int allocateExcept(
      java.util.Collection<Integer> taken, java.util.function.IntSupplier candidates) {
    for (int attempt = 0; attempt < 64; attempt++) {
      int port = candidates.getAsInt();
      if (!taken.contains(port)) {
        return port;
      }
    }
    throw new KafkaClusterException(
        "no free loopback port outside " + taken.size() + " taken ones after 64 attempts");
  }

  /** True when a listener could bind {@code port} on the loopback address right now. */
  public static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(NodeAddress.HOST), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
