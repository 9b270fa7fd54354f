package io.statusreg.chaos.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.chaos.cluster.HarnessKeys;
import io.statusreg.chaos.cluster.RegistryTopics;
import io.statusreg.kraft.KraftCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The container image's runtime without Docker: the layout that {@code
 * statefulsets/docker/layout.sh} builds (as the Dockerfile's build stage runs it), started by the
 * image's launcher ({@code statefulsets/docker/statusreg}, the ENTRYPOINT) the way the image starts
 * it: working directory the layout (WORKDIR /opt/statusreg), user 10001 (USER 10001:10001, when the
 * test runs as root), an environment of {@code STATUSREG_*} variables only plus the base image's
 * PATH (its JRE first), and a read-only root filesystem except the state volume and {@code /tmp}
 * (read-only-root.sh in a private mount namespace; the layout itself is also {@code chmod -R a-w}).
 */
final class ImageRuntime implements AutoCloseable {
  static final Path CHECKOUT = Path.of("").toAbsolutePath().getParent();

  /** The image's user (Dockerfile: useradd --uid 10001, USER 10001:10001). */
  static final int IMAGE_UID = 10001;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final Path work;
  final Path layout;
  final Path data;
  final Path tmp;
  final Path log;
  final int port;
  private Process process;

  private ImageRuntime(Path work) throws IOException {
    this.work = work;
    this.layout = work.resolve("opt/statusreg");
    this.data = Files.createDirectories(work.resolve("volume"));
    this.tmp = Files.createDirectories(work.resolve("tmp"));
    this.log = work.resolve("serve.log");
    this.port = freePort();
  }

  /** Lays the image's runtime out under {@code work} with layout.sh and makes it read-only. */
  static ImageRuntime build(Path work) throws Exception {
    if (Files.exists(work)) {
      run(List.of("chmod", "-R", "u+w", work.toString()), Duration.ofSeconds(30));
      run(List.of("rm", "-rf", work.toString()), Duration.ofSeconds(60));
    }
    ImageRuntime image = new ImageRuntime(Files.createDirectories(work));
    String repository = System.getProperty("statusreg.mavenRepository");
    assertThat(repository)
        .as("the Maven repository (failsafe's statusreg.mavenRepository)")
        .isNotBlank();
    String out = image.layout.toString();
    run(
        List.of(
            "bash",
            CHECKOUT.resolve("statefulsets/docker/layout.sh").toString(),
            CHECKOUT.toString(),
            Path.of(repository).toAbsolutePath().toString(),
            out,
            out),
        Duration.ofMinutes(2));
    run(List.of("chmod", "-R", "a-w", out), Duration.ofSeconds(30));
    if (isRoot()) {
      for (Path writable : List.of(image.data, image.tmp)) {
        Files.setAttribute(writable, "unix:uid", IMAGE_UID);
        Files.setAttribute(writable, "unix:gid", IMAGE_UID);
      }
    }
    return image;
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /**
   * The settings a pod gives the registry container (registry-statefulset.yaml, statusreg-config)
   * for one broker, the harness's keys, and this runtime's port, volume and tmp.
   */
  Map<String, String> podSettings(KraftCluster kafka, HarnessKeys keys) {
    Map<String, String> env = new TreeMap<>(keys.settings());
    // The Dockerfile's ENV, with the state dir on this runtime's volume.
    env.put("STATUSREG_SKIP_BUILD", "1");
    env.put("STATUSREG_HTTP_PORT", Integer.toString(port));
    env.put("STATUSREG_STATE_DIR", data.resolve("state").toString());
    env.put("STATUSREG_HTTP_HOST", "127.0.0.1");
    env.put("STATUSREG_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("STATUSREG_PUBLIC_BASE_URL", "https://status.image.statusreg.invalid");
    env.put("STATUSREG_PUBLISH_INTERVAL_MS", "1000");
    env.put("STATUSREG_EVENTS_PARTITIONS", "2");
    env.put("STATUSREG_TOPIC_REPLICATION_FACTOR", "1");
    env.put("STATUSREG_TOPIC_MIN_INSYNC_REPLICAS", "1");
    env.put("STATUSREG_INSTANCE_ID", "statusreg-0");
    env.put("STATUSREG_ROCKSDB_BLOCK_CACHE_BYTES", Long.toString(8L << 20));
    env.put("STATUSREG_ROCKSDB_WRITE_BUFFER_BYTES", Long.toString(4L << 20));
    // The pods' JVM options, with a small heap for a shared test machine.
    env.put("STATUSREG_JAVA_OPTS", "-Xmx384m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError");
    return env;
  }

  /** Creates the topics from the same settings (the topics Job's part, done before serve). */
  static void createTopics(Map<String, String> settings) {
    RegistryTopics.create(settings, Duration.ofSeconds(60));
  }

  /**
   * {@code command} wrapped as the image runs it: private mount namespace with the read-only root,
   * user 10001 when root, {@code env -i} with only {@code settings} ({@code STATUSREG_*}) and PATH.
   */
  List<String> wrapped(Map<String, String> settings, List<String> command) {
    for (String name : settings.keySet()) {
      assertThat(name).as("the image gets STATUSREG_* variables only").startsWith("STATUSREG_");
    }
    List<String> cmd = new ArrayList<>();
    if (isRoot()) {
      cmd.addAll(List.of("unshare", "--mount", "--propagation", "private"));
    } else {
      cmd.addAll(
          List.of("unshare", "--user", "--map-root-user", "--mount", "--propagation", "private"));
    }
    cmd.addAll(
        List.of("bash", resource("read-only-root.sh").toString(), data.toString(), tmp.toString()));
    if (isRoot()) {
      cmd.addAll(
          List.of(
              "setpriv", "--reuid=" + IMAGE_UID, "--regid=" + IMAGE_UID, "--clear-groups", "--"));
    }
    cmd.addAll(List.of("env", "-i", "PATH=" + imagePath()));
    settings.forEach((k, v) -> cmd.add(k + "=" + v));
    cmd.addAll(command);
    return cmd;
  }

  /** The base image's PATH: its JRE's bin first (here this JVM's), then the system's. */
  static String imagePath() {
    return Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin";
  }

  /**
   * Runs {@code command} as the image would, in the layout, and returns its exit code and output.
   */
  ProcessResult runInImage(Map<String, String> settings, List<String> command) throws Exception {
    Process p =
        new ProcessBuilder(wrapped(settings, command))
            .directory(layout.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    return new ProcessResult(p.exitValue(), out);
  }

  record ProcessResult(int code, String output) {}

  /** The ENTRYPOINT with CMD ["serve"]: {@code ./statusreg serve} in WORKDIR. */
  void startServe(Map<String, String> settings) throws IOException {
    process =
        new ProcessBuilder(wrapped(settings, List.of("./statusreg", "serve")))
            .directory(layout.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
  }

  Process process() {
    return process;
  }

  String base() {
    return "http://127.0.0.1:" + port;
  }

  /** Waits until {@code /health/ready} answers 200, failing early if the process exits. */
  void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("serve exited with " + process.exitValue() + ":\n" + logTail());
      }
      try {
        if (get("/health/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new AssertionError("serve not ready within " + timeout + ":\n" + logTail());
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base() + path))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> send(String method, String path, String token, String json)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  String logText() throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  String logTail() throws IOException {
    String text = logText();
    return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
  }

  /** Every regular file under {@code root} with its size and modification time. */
  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.sorted().toList()) {
        out.put(
            root.relativize(f).toString(),
            Files.isDirectory(f)
                ? "dir " + Files.getLastModifiedTime(f)
                : Files.size(f) + " " + Files.getLastModifiedTime(f));
      }
    }
    return out;
  }

  /** Stops serve with SIGTERM (as Kubernetes does), then SIGKILL after the grace period. */
  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static Path resource(String name) {
    return CHECKOUT.resolve("chaos/src/test/resources/image").resolve(name);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void run(List<String> command, Duration timeout) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
        .as("%s finished", command)
        .isTrue();
    assertThat(p.exitValue()).as("%s: %s", command, out).isZero();
  }
}
