package io.statusreg.chaos.cluster;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which broker ports a process is connected to, from Linux's {@code /proc}: the socket inodes of
 * its file descriptors matched against the established TCP connections of {@code
 * /proc/<pid>/net/tcp} and {@code tcp6}. The evidence of a {@code --secure} run that the instances
 * talk to the SASL_SSL listener and never to PLAINTEXT.
 */
public final class KafkaConnections {
  private KafkaConnections() {}

  /** Established connections of one process to the given ports. */
  public record Count(int toSecure, int toPlaintext) {}

  /** Empty ports lists count nothing; a process without {@code /proc} counts nothing. */
  public static Count of(long pid, Set<Integer> securePorts, Set<Integer> plaintextPorts) {
    Path proc = Path.of("/proc", Long.toString(pid));
    Set<String> inodes = socketInodes(proc.resolve("fd"));
    int secure = 0;
    int plain = 0;
    for (String table : List.of("tcp", "tcp6")) {
      List<String> lines;
      try {
        lines = Files.readAllLines(proc.resolve("net").resolve(table));
      } catch (IOException e) {
        continue;
      }
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String[] f = line.trim().split("\\s+");
        // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
        if (f.length < 10 || !f[3].equals("01") || !inodes.contains(f[9])) {
          continue;
        }
        int port = remotePort(f[2]);
        if (securePorts.contains(port)) {
          secure++;
        } else if (plaintextPorts.contains(port)) {
          plain++;
        }
      }
    }
    return new Count(secure, plain);
  }

  /** The port of a {@code /proc/net/tcp} address, {@code 0100007F:1F90} is 8080. */
  static int remotePort(String address) {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1), 16);
  }

  /** The ports of a {@code host:port,host:port} list. */
  public static Set<Integer> ports(String bootstrapServers) {
    Set<Integer> ports = new HashSet<>();
    for (String hostPort : bootstrapServers.split(",")) {
      ports.add(Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1).trim()));
    }
    return ports;
  }

  private static Set<String> socketInodes(Path fdDir) {
    Set<String> inodes = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    } catch (IOException e) {
      // not Linux, or the process is gone
    }
    return inodes;
  }
}
