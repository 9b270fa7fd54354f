package io.statusreg.bench.harness;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A statusreg server under test, run as its own process ({@code statusreg dev} on the embedded
 * default, or {@code statusreg serve} against that broker) so that its memory and CPU are its own.
 * Bound to 127.0.0.1 on a free port; stopped by its handle.
 */
public final class RegistryServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RegistryServer.class);
  private static final Pattern KAFKA_LINE = Pattern.compile("Kafka \\(KRaft\\)\\s+(\\S+)");
  static final String MAIN = "io.statusreg.app.Main";

  private final Process process;
  private final List<String> command;
  private final Map<String, String> env;
  private final Path dataDir;
  private final Path logFile;
  private final int port;
  private final long startedNanos;

  private RegistryServer(
      Process process,
      List<String> command,
      Map<String, String> env,
      Path dataDir,
      Path logFile,
      int port,
      long startedNanos) {
    this.process = process;
    this.command = command;
    this.env = env;
    this.dataDir = dataDir;
    this.logFile = logFile;
    this.port = port;
    this.startedNanos = startedNanos;
  }

  /**
   * Starts {@code statusreg dev --port <free> --data-dir <dataDir>} with {@code settings} as {@code
   * STATUSREG_*} environment variables (e.g. {@code publish.interval.ms}).
   */
  public static RegistryServer dev(Path dataDir, String heap, Map<String, String> settings) {
    int port = freePort();
    List<String> cmd = jvm(heap);
    cmd.addAll(
        List.of(MAIN, "dev", "--port", Integer.toString(port), "--data-dir", dataDir.toString()));
    Map<String, String> env = envOf(settings);
    Path logFile = dataDir.resolveSibling(dataDir.getFileName() + "-server.log");
    long t0 = System.nanoTime();
    return new RegistryServer(
        Commands.start(cmd, env, logFile), cmd, env, dataDir, logFile, port, t0);
  }

  /**
   * Starts {@code statusreg serve} as a further instance of the same application against {@code
   * bootstrap}, with its own (empty) state under {@code stateDir}, signing and issuer-auth keys of
   * the dev instance whose data is in {@code devDataDir}.
   */
  public static RegistryServer serve(
      Path devDataDir, Path stateDir, String bootstrap, String instanceId, String heap) {
    int port = freePort();
    Map<String, String> settings = new TreeMap<>();
    settings.put("kafka.bootstrap.servers", bootstrap);
    settings.put("state.dir", stateDir.toString());
    settings.put("http.host", "127.0.0.1");
    settings.put("http.port", Integer.toString(port));
    settings.put("public.base.url", "http://localhost:" + port);
    settings.put("instance.id", instanceId);
    settings.put("num.standby.replicas", "0");
    settings.put("topic.replication.factor", "1");
    settings.put("topic.min.insync.replicas", "1");
    settings.put("signing.keys.file", devDataDir.resolve("signing-keys.jwks.json").toString());
    settings.put("issuer.auth.jwks.file", devDataDir.resolve("issuer-auth.jwks.json").toString());
    settings.put("issuer.auth.issuer", "statusreg-dev");
    settings.put("issuer.auth.audience", "statusreg");
    List<String> cmd = jvm(heap);
    cmd.addAll(List.of(MAIN, "serve"));
    Map<String, String> env = envOf(settings);
    Path logFile = stateDir.resolveSibling(stateDir.getFileName() + "-server.log");
    long t0 = System.nanoTime();
    return new RegistryServer(
        Commands.start(cmd, env, logFile), cmd, env, devDataDir, logFile, port, t0);
  }

  private static List<String> jvm(String heap) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Commands.java());
    cmd.add("-Xmx" + heap);
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("-cp");
    cmd.add(Commands.classPath());
    return cmd;
  }

  /** {@code publish.interval.ms} -> {@code STATUSREG_PUBLISH_INTERVAL_MS}, as the settings read. */
  public static Map<String, String> envOf(Map<String, String> settings) {
    Map<String, String> env = new TreeMap<>();
    settings.forEach(
        (k, v) ->
            env.put("STATUSREG_" + k.toUpperCase(java.util.Locale.ROOT).replace('.', '_'), v));
    return env;
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }

  /**
   * Waits until {@code /health/ready} answers 200; returns the time from start. Fails when the
   * process exits or {@code timeout} passes.
   */
  public Duration awaitReady(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create(baseUrl() + "/health/ready"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = startedNanos + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "statusreg server exited with " + process.exitValue() + "; log tail:\n" + logTail(30));
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
          log.info("server on port {} ready after {} ms", port, took.toMillis());
          return took;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for the server", e);
      }
      sleep(100);
    }
    throw new IllegalStateException(
        "statusreg server not ready within " + timeout + "; log tail:\n" + logTail(30));
  }

  /** The bootstrap servers the dev instance printed (its embedded broker). */
  public Optional<String> kafkaBootstrap() {
    try {
      Matcher m = KAFKA_LINE.matcher(Files.readString(logFile));
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The dev bearer token for the demo issuer. */
  public String devToken() {
    try {
      return Files.readString(dataDir.resolve("dev-token")).trim();
    } catch (IOException e) {
      throw new IllegalStateException("no dev token under " + dataDir, e);
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public Path dataDir() {
    return dataDir;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The command that started it, with its environment. */
  public String commandLine() {
    return Commands.render(env, command);
  }

  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    Commands.stop(process, Duration.ofSeconds(60));
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
