package io.statusreg.kraft.internal;

import io.statusreg.kraft.KafkaClusterException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node in an OS process of its own: {@code java @java.args}, where the argument file holds the
 * JVM options, the classpath and {@link KafkaNodeMain} with the node's {@code server.properties}.
 * Its output goes to {@code server.log} next to them. Only the process this object started is ever
 * signalled, through its {@link Process} handle.
 */
public final class ProcessNode implements KraftNode {
  private static final Logger log = LoggerFactory.getLogger(ProcessNode.class);
  private static final Duration KILL_WAIT = Duration.ofSeconds(15);

  /** How to launch a node's JVM. */
  public record Launch(Path java, String classpath, List<String> jvmOptions) {
    public Launch {
      jvmOptions = List.copyOf(jvmOptions);
      if (classpath == null || classpath.isBlank()) {
        throw new IllegalArgumentException("a node process needs a classpath");
      }
    }

    /** This JVM's java binary and classpath. */
    public static Launch ofThisJvm(List<String> jvmOptions) {
      return new Launch(
          Path.of(System.getProperty("java.home"), "bin", "java"),
          System.getProperty("java.class.path"),
          jvmOptions);
    }
  }

  private final int nodeId;
  private final Path nodeDir;
  private final Path configFile;
  private final Path logDir;
  private final Launch launch;
  private volatile Process process;

  public ProcessNode(int nodeId, Path nodeDir, Path configFile, Path logDir, Launch launch) {
    this.nodeId = nodeId;
    this.nodeDir = nodeDir;
    this.configFile = configFile;
    this.logDir = logDir;
    this.launch = launch;
  }

  public Path logFile() {
    return nodeDir.resolve("server.log");
  }

  public Path argumentFile() {
    return nodeDir.resolve("java.args");
  }

  /**
   * The arguments written to {@link #argumentFile()}: JVM options, classpath, main class, config.
   */
  public List<String> javaArguments() {
    List<String> args = new ArrayList<>(launch.jvmOptions());
    args.add("-Dlogback.configurationFile=" + nodeDir.resolve("logback.xml"));
    args.add("-Dstatusreg.kraft.node=" + nodeId);
    args.add("-cp");
    args.add(launch.classpath());
    args.add(KafkaNodeMain.class.getName());
    args.add(configFile.toString());
    return args;
  }

  /** One argument as the {@code java} launcher reads it from an argument file. */
  static String quoteForArgumentFile(String arg) {
    return '"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  @Override
  public int nodeId() {
    return nodeId;
  }

  @Override
  public synchronized void start() {
    if (isRunning()) {
      throw new IllegalStateException("node " + nodeId + " is already running");
    }
    try {
      Files.createDirectories(nodeDir);
      try (Writer writer = Files.newBufferedWriter(argumentFile(), StandardCharsets.UTF_8)) {
        for (String arg : javaArguments()) {
          writer.write(quoteForArgumentFile(arg));
          writer.write('\n');
        }
      }
      Files.writeString(nodeDir.resolve("logback.xml"), LOGBACK_CONFIG, StandardCharsets.UTF_8);
      Files.writeString(
          logFile(),
          "---- statusreg-kraft: starting node " + nodeId + " ----\n",
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      ProcessBuilder builder =
          new ProcessBuilder(launch.java().toString(), "@" + argumentFile())
              .directory(nodeDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
              // stdin stays a pipe from this JVM: KafkaNodeMain exits when it closes (we died).
              .redirectInput(ProcessBuilder.Redirect.PIPE);
      Process started = builder.start();
      ProcessReaper.register(started);
      process = started;
      log.debug("Started Kafka node {} as pid {}, log {}", nodeId, started.pid(), logFile());
    } catch (IOException e) {
      throw new KafkaClusterException("launching Kafka node " + nodeId + " in " + nodeDir, e);
    }
  }

  @Override
  public synchronized void stop(Duration timeout) {
    Process running = process;
    if (running == null) {
      return;
    }
    running.destroy(); // SIGTERM: Kafka's shutdown hook stops the node cleanly
    try {
      if (!running.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn(
            "Kafka node {} (pid {}) ignored SIGTERM for {}; killing it",
            nodeId,
            running.pid(),
            timeout);
        running.destroyForcibly();
        running.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.destroyForcibly();
    }
    release(running);
  }

  @Override
  public synchronized void kill() {
    Process running = process;
    if (running == null) {
      return;
    }
    running.destroyForcibly(); // SIGKILL
    try {
      if (!running.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new KafkaClusterException(
            "Kafka node "
                + nodeId
                + " (pid "
                + running.pid()
                + ") survived SIGKILL for "
                + KILL_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    release(running);
  }

  private void release(Process stopped) {
    if (!stopped.isAlive()) {
      ProcessReaper.unregister(stopped);
      closeQuietly(stopped);
    }
    process = null;
  }

  private static void closeQuietly(Process p) {
    try {
      p.getOutputStream().close();
    } catch (IOException ignored) {
      // the process is gone; its pipe is of no use
    }
  }

  /** The process id while the node runs. */
  public Optional<Long> pid() {
    Process running = process;
    return running == null ? Optional.empty() : Optional.of(running.pid());
  }

  @Override
  public boolean isRunning() {
    Process running = process;
    return running != null && running.isAlive();
  }

  @Override
  public Optional<String> failure() {
    Process running = process;
    if (running == null || running.isAlive()) {
      return Optional.empty();
    }
    return Optional.of(
        "Kafka node "
            + nodeId
            + " (pid "
            + running.pid()
            + ") exited with code "
            + running.exitValue()
            + "; last lines of "
            + logFile()
            + ":\n"
            + tail(logFile(), 40));
  }

  @Override
  public Path logDir() {
    return logDir;
  }

  @Override
  public String logHint() {
    return logFile().toString();
  }

  /** The last {@code lines} lines of a text file, read from at most its last 32 KiB. */
  static String tail(Path file, int lines) {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      int size = (int) Math.min(length, 32 * 1024);
      byte[] buffer = new byte[size];
      raf.seek(length - size);
      raf.readFully(buffer);
      List<String> all = new String(buffer, StandardCharsets.UTF_8).lines().toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  private static final String LOGBACK_CONFIG =
      """
      <configuration>
        <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
          <encoder><pattern>%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
        </appender>
        <logger name="org.apache.kafka.common.config" level="WARN"/>
        <logger name="state.change.logger" level="WARN"/>
        <root level="INFO"><appender-ref ref="OUT"/></root>
      </configuration>
      """;
}
