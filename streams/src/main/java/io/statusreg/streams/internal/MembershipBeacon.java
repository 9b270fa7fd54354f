package io.statusreg.streams.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's membership beacon: a TCP listener on the port of its {@code application.server} that
 * answers every connection with one line naming the node's static member and the transactional ids
 * of its stream threads' producers ({@code statusreg-member 1 <instance.id> <stream threads>
 * <transactional id>,...}, {@code -} before Streams made any) and closes it. It reads nothing from
 * the caller.
 *
 * <p>It is opened before Streams starts and closed only after Streams has closed and left the
 * group, so a peer that finds the port refusing connections after it answered knows that no
 * consumer of that node is alive: the process died (kill -9, OOM kill, a crashed JVM) or it has
 * already left. A process that hangs (a long pause, SIGSTOP) still accepts connections in the
 * kernel and is not mistaken for dead; a host that cannot be reached (node loss) refuses nothing
 * either, and is left to {@code session.timeout.ms}. See {@link PeerWatch}.
 */
public final class MembershipBeacon implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MembershipBeacon.class);

  static final String MAGIC = "statusreg-member";
  static final int VERSION = 1;
  private static final Pattern INSTANCE = Pattern.compile("[A-Za-z0-9._-]{1,200}");
  private static final Pattern TRANSACTIONAL_IDS =
      Pattern.compile("-|[A-Za-z0-9._-]{1,250}(,[A-Za-z0-9._-]{1,250}){0,63}");
  private static final int MAX_LINE = 16_384;

  private final ServerSocket socket;
  private final String prefix;
  private final Supplier<? extends Collection<String>> transactionalIds;
  private final Thread acceptor;
  private volatile boolean closed;

  private MembershipBeacon(
      ServerSocket socket, String prefix, Supplier<? extends Collection<String>> transactionalIds) {
    this.socket = socket;
    this.prefix = prefix;
    this.transactionalIds = transactionalIds;
    this.acceptor = new Thread(this::acceptLoop, "statusreg-membership-beacon");
    acceptor.setDaemon(true);
  }

  /**
   * Opens the beacon on {@code port} of every interface, answering for the static member {@code
   * instanceId} with {@code threads} stream threads (group instance ids {@code <instanceId>-1} to
   * {@code -<threads>}) and, at each answer, the transactional ids its producers use now.
   *
   * @throws IllegalStateException naming the port when it cannot be bound
   */
  public static MembershipBeacon open(
      int port,
      String instanceId,
      int threads,
      Supplier<? extends Collection<String>> transactionalIds) {
    if (!INSTANCE.matcher(instanceId).matches() || threads < 1) {
      throw new IllegalArgumentException("bad member: " + instanceId + " " + threads);
    }
    ServerSocket s;
    try {
      s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(port), 50);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot open the membership beacon on port "
              + port
              + " (the port of application.server; it must be free and differ from http.port): "
              + e.getMessage(),
          e);
    }
    MembershipBeacon beacon =
        new MembershipBeacon(
            s, MAGIC + " " + VERSION + " " + instanceId + " " + threads + " ", transactionalIds);
    beacon.acceptor.start();
    log.info("membership beacon listening on port {} for {}", s.getLocalPort(), instanceId);
    return beacon;
  }

  /** The bound port (for tests that open it on port 0). */
  public int port() {
    return socket.getLocalPort();
  }

  private void acceptLoop() {
    while (!closed) {
      try (Socket c = socket.accept()) {
        OutputStream out = c.getOutputStream();
        // a few hundred bytes at most: the socket buffer takes them without blocking
        out.write(greeting());
        out.flush();
      } catch (IOException e) {
        if (!closed) {
          log.debug("membership beacon: {}", e.toString());
        }
      }
    }
  }

  private byte[] greeting() {
    List<String> ids = new ArrayList<>();
    for (String id : transactionalIds.get()) {
      if (ids.size() < 64 && INSTANCE_OR_TXN.matcher(id).matches()) {
        ids.add(id);
      }
    }
    String line = prefix + (ids.isEmpty() ? "-" : String.join(",", ids)) + "\n";
    return line.getBytes(StandardCharsets.US_ASCII);
  }

  private static final Pattern INSTANCE_OR_TXN = Pattern.compile("[A-Za-z0-9._-]{1,250}");

  /** Closes the listener: from now on peers find the port refusing connections. */
  @Override
  public void close() {
    closed = true;
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("closing the membership beacon: {}", e.toString());
    }
    try {
      acceptor.join(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What a probe of a peer's beacon found. */
  public enum Outcome {
    /** The beacon answered with a member line. */
    ALIVE,
    /** The host answered that nothing listens on the port: the process is gone. */
    REFUSED,
    /** No answer in time, an unknown host, a garbled line: proves nothing. */
    UNKNOWN
  }

  /**
   * A static member as its beacon names it: its instance id, stream threads and the transactional
   * ids of its producers (empty before they were made).
   */
  public record Member(String instanceId, int threads, List<String> transactionalIds) {
    public Member {
      transactionalIds = List.copyOf(transactionalIds);
    }
  }

  /** One probe's result; {@code member} only when {@link Outcome#ALIVE}. */
  public record Probe(Outcome outcome, Optional<Member> member) {
    static final Probe REFUSED = new Probe(Outcome.REFUSED, Optional.empty());
    static final Probe UNKNOWN = new Probe(Outcome.UNKNOWN, Optional.empty());
  }

  /** Connects to a beacon and reads its line, each within {@code timeout}. */
  public static Probe probe(String host, int port, Duration timeout) {
    int millis = (int) Math.max(1, timeout.toMillis());
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), millis);
      s.setSoTimeout(millis);
      InputStream in = s.getInputStream();
      byte[] buf = new byte[MAX_LINE];
      int n = 0;
      while (n < buf.length) {
        int r = in.read(buf, n, buf.length - n);
        if (r < 0) {
          break;
        }
        n += r;
        if (buf[n - 1] == '\n') {
          break;
        }
      }
      return parse(new String(buf, 0, n, StandardCharsets.US_ASCII));
    } catch (ConnectException e) {
      return Probe.REFUSED;
    } catch (SocketTimeoutException e) {
      return Probe.UNKNOWN;
    } catch (IOException | IllegalArgumentException e) {
      return Probe.UNKNOWN;
    }
  }

  static Probe parse(String line) {
    if (!line.endsWith("\n")) {
      return Probe.UNKNOWN;
    }
    String[] f = line.substring(0, line.length() - 1).split(" ", -1);
    if (f.length != 5
        || !f[0].equals(MAGIC)
        || !f[1].equals(Integer.toString(VERSION))
        || !INSTANCE.matcher(f[2]).matches()
        || !f[3].matches("[1-9][0-9]{0,2}")
        || !TRANSACTIONAL_IDS.matcher(f[4]).matches()) {
      return Probe.UNKNOWN;
    }
    List<String> ids = f[4].equals("-") ? List.of() : List.of(f[4].split(","));
    return new Probe(Outcome.ALIVE, Optional.of(new Member(f[2], Integer.parseInt(f[3]), ids)));
  }
}
