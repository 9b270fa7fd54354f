package io.statusreg.chaos.cluster;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One registry instance as an OS process with a fixed identity: the same name, HTTP port, state
 * directory and {@code application.server} across restarts (a StatefulSet pod). Only the process
 * this object started is ever signalled, through its {@link Process} handle.
 */
public final class RegistryInstance {
  private static final Logger log = LoggerFactory.getLogger(RegistryInstance.class);
  private static final Duration KILL_WAIT = Duration.ofSeconds(15);

  private final String name;
  private final int httpPort;
  private final Path dir;
  private volatile InstanceLaunch launch;
  private final HttpClient http;
  private volatile Process process;
  private volatile Instant startedAt;
  private int starts;

  public RegistryInstance(String name, int httpPort, Path dir, InstanceLaunch launch) {
    this.name = name;
    this.httpPort = httpPort;
    this.dir = dir;
    this.launch = launch;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();
  }

  public String name() {
    return name;
  }

  public int httpPort() {
    return httpPort;
  }

  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + httpPort);
  }

  public Path logFile() {
    return dir.resolve("instance.log");
  }

  public Path logbackFile() {
    return dir.resolve("logback.xml");
  }

  /**
   * The classpath of the next {@link #start()} (a version upgrade starts the same identity on other
   * code); the running process, if any, is left alone.
   */
  public synchronized void useClasspath(String classpath) {
    InstanceLaunch l = launch;
    launch =
        new InstanceLaunch(
            l.java(), classpath, l.jvmOptions(), l.mainClass(), l.arguments(), l.environment());
  }

  public InstanceLaunch launch() {
    return launch;
  }

  /** The command line (without the environment) this instance is started with. */
  public List<String> command() {
    List<String> cmd = new ArrayList<>();
    cmd.add(launch.java().toString());
    cmd.addAll(launch.jvmOptions());
    // As the image's launcher (scripts/cds.sh): a class-data-sharing archive on the slot's own
    // volume, written at its first clean stop and mapped by every later start of the slot.
    cmd.add("-XX:+AutoCreateSharedArchive");
    cmd.add("-XX:SharedArchiveFile=" + dir.resolve("statusreg-serve.jsa"));
    // Every pause of the process, for choosing session.timeout.ms (one file per process).
    cmd.add("-Xlog:safepoint:file=" + dir.resolve("safepoint-%p.log") + "::filecount=0");
    cmd.add("-Dlogback.configurationFile=" + logbackFile());
    cmd.add("-Dstatusreg.chaos.instance=" + name);
    cmd.add("-cp");
    cmd.add(launch.classpath());
    cmd.add(OrphanGuardMain.class.getName());
    cmd.add(launch.mainClass());
    cmd.addAll(launch.arguments());
    return cmd;
  }

  public synchronized void start() {
    if (isAlive()) {
      throw new IllegalStateException(name + " is already running");
    }
    try {
      Files.createDirectories(dir);
      Files.writeString(logbackFile(), LOGBACK_CONFIG, StandardCharsets.UTF_8);
      Path argFile = dir.resolve("java.args");
      List<String> cmd = command();
      try (Writer w = Files.newBufferedWriter(argFile, StandardCharsets.UTF_8)) {
        for (String arg : cmd.subList(1, cmd.size())) {
          w.write('"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"');
          w.write('\n');
        }
      }
      starts++;
      Files.writeString(
          logFile(),
          "---- statusreg-chaos: start " + starts + " of " + name + " at " + Instant.now() + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      ProcessBuilder builder =
          new ProcessBuilder(cmd.getFirst(), "@" + argFile)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
              .redirectInput(ProcessBuilder.Redirect.PIPE);
      builder.environment().putAll(launch.environment());
      Process started = builder.start();
      ChildProcesses.register(started);
      process = started;
      startedAt = Instant.now();
      log.info("Started {} as pid {} on port {}", name, started.pid(), httpPort);
    } catch (IOException e) {
      throw new IllegalStateException("launching registry instance " + name + " in " + dir, e);
    }
  }

  /** SIGTERM (a Kubernetes pod deletion) and wait for a clean exit; SIGKILL after {@code grace}. */
  public synchronized Duration terminate(Duration grace) {
    Process running = process;
    if (running == null) {
      return Duration.ZERO;
    }
    long begin = System.nanoTime();
    running.destroy();
    try {
      if (!running.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("{} (pid {}) ignored SIGTERM for {}; killing it", name, running.pid(), grace);
        running.destroyForcibly();
        running.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.destroyForcibly();
    }
    release(running);
    Duration took = Duration.ofNanos(System.nanoTime() - begin);
    log.info("{} stopped after SIGTERM in {} ms", name, took.toMillis());
    return took;
  }

  /** {@code kill -9}. */
  public synchronized void kill() {
    Process running = process;
    if (running == null) {
      return;
    }
    running.destroyForcibly();
    try {
      if (!running.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(name + " (pid " + running.pid() + ") survived SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    release(running);
    log.info("{} killed (SIGKILL)", name);
  }

  private void release(Process stopped) {
    if (!stopped.isAlive()) {
      ChildProcesses.unregister(stopped);
      try {
        stopped.getOutputStream().close();
      } catch (IOException ignored) {
        // gone
      }
    }
    process = null;
  }

  public boolean isAlive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  public Optional<Long> pid() {
    Process p = process;
    return p == null ? Optional.empty() : Optional.of(p.pid());
  }

  /** Whether {@code GET /health/ready} answers 200 now. */
  public boolean ready(Duration timeout) {
    try {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(baseUri().resolve("/health/ready")).timeout(timeout).build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Waits until the instance reports ready and returns how long it took since its start.
   *
   * @throws IllegalStateException when the process exits or does not become ready in time
   */
  public Duration awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Process p = process;
      if (p == null) {
        throw new IllegalStateException(name + " is not running");
      }
      if (!p.isAlive()) {
        throw new IllegalStateException(
            name
                + " exited with code "
                + p.exitValue()
                + " before it was ready; last lines of "
                + logFile()
                + ":\n"
                + tail(40));
      }
      if (ready(Duration.ofMillis(500))) {
        return Duration.between(startedAt, Instant.now());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
    }
    throw new IllegalStateException(
        name
            + " was not ready within "
            + timeout
            + "; last lines of "
            + logFile()
            + ":\n"
            + tail(40));
  }

  /** {@code GET /metrics} as text, or empty when it does not answer. */
  public Optional<String> metrics() {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(baseUri().resolve("/metrics"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** The last {@code lines} lines of the instance's log, from at most its last 64 KiB. */
  public String tail(int lines) {
    try (RandomAccessFile raf = new RandomAccessFile(logFile().toFile(), "r")) {
      long length = raf.length();
      int size = (int) Math.min(length, 64 * 1024);
      byte[] buffer = new byte[size];
      raf.seek(length - size);
      raf.readFully(buffer);
      List<String> all = new String(buffer, StandardCharsets.UTF_8).lines().toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + logFile() + ": " + e.getMessage() + ")";
    }
  }

  @Override
  public String toString() {
    return name + "@127.0.0.1:" + httpPort;
  }

  /**
   * Logging of an instance: its own loggers at INFO, and the Kafka client lines that mark group
   * membership and Streams state changes, which {@code RebalanceLog} reads, with Streams' task life
   * cycle (created, restored, recycled, closed: where a hand-over spends its time). Times carry the
   * zone so that they compare with the harness's clock.
   */
  static final String LOGBACK_CONFIG =
      """
      <configuration>
        <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
          <encoder><pattern>%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
        </appender>
        <logger name="io.statusreg" level="INFO"/>
        <logger name="org.apache.kafka.streams.KafkaStreams" level="INFO"/>
        <logger name="org.apache.kafka.streams.processor.internals" level="INFO"/>
        <logger name="org.apache.kafka.clients.consumer.internals.ConsumerCoordinator" level="INFO"/>
        <logger name="org.apache.kafka.clients.consumer.internals.AbstractCoordinator" level="INFO"/>
        <root level="WARN"><appender-ref ref="OUT"/></root>
      </configuration>
      """;
}
