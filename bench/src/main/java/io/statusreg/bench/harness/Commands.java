package io.statusreg.bench.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Child processes of the bench. In rendered command lines {@code $BENCH_CP} stands for the bench's
 * class path ({@code bench/target/statusreg-bench-*.jar} and {@code bench/target/classpath.txt}).
 *
 * <p>Child processes of the bench: started with their output in a log file, always stopped by their
 * own handle (never by name), each wait bounded.
 */
public final class Commands {
  private static final Logger log = LoggerFactory.getLogger(Commands.class);

  private static final java.util.Set<Process> LIVE =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    // Ctrl-C or an error in the bench must not leave a server, nginx or wrk behind.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (Process p : LIVE) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                  }
                },
                "bench-children-reaper"));
  }

  private Commands() {}

  /** The command line as a shell would take it, for "the exact command" of a figure. */
  public static String render(List<String> command) {
    String cp = classPath();
    return command.stream()
        .map(a -> a.equals(cp) ? "$BENCH_CP" : quote(a))
        .collect(Collectors.joining(" "));
  }

  /** The command line with its environment overrides in front ({@code A=1 B=2 cmd ...}). */
  public static String render(Map<String, String> env, List<String> command) {
    String prefix =
        env.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> e.getKey() + "=" + quote(e.getValue()) + " ")
            .collect(Collectors.joining());
    return prefix + render(command);
  }

  static String quote(String arg) {
    if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_./:=,@%+-]+")) {
      return arg;
    }
    return "'" + arg.replace("'", "'\\''") + "'";
  }

  /** The java launcher of this JVM. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The class path of this JVM (the bench jar and every module and dependency). */
  public static String classPath() {
    return System.getProperty("java.class.path");
  }

  /** Starts {@code command} with its stdout and stderr appended to {@code logFile}. */
  public static Process start(List<String> command, Map<String, String> env, Path logFile) {
    try {
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.environment().putAll(env);
      pb.redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process p = pb.start();
      LIVE.add(p);
      p.onExit().thenRun(() -> LIVE.remove(p));
      log.info("started pid {}: {}", p.pid(), render(command));
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("starting " + render(command), e);
    }
  }

  /** Runs {@code command} to completion within {@code timeout}; returns its exit code. */
  public static int run(
      List<String> command, Map<String, String> env, Path logFile, Duration timeout) {
    Process p = start(command, env, logFile);
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("pid {} still running after {}: stopping it", p.pid(), timeout);
        stop(p, Duration.ofSeconds(10));
        return -1;
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      stop(p, Duration.ofSeconds(10));
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * Stops a process started here: SIGTERM, then SIGKILL after {@code grace}; its descendants the
   * same way (a JVM that forked a broker, for example).
   */
  public static void stop(Process p, Duration grace) {
    if (p == null) {
      return;
    }
    List<ProcessHandle> children = p.descendants().toList();
    if (p.isAlive()) {
      p.destroy();
      try {
        if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          log.warn("pid {} did not stop within {}: killing it", p.pid(), grace);
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    for (ProcessHandle child : children) {
      if (child.isAlive()) {
        child.destroyForcibly();
      }
    }
  }

  /** Whether an executable of that name is on the PATH. */
  public static boolean onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(candidate)) {
        return true;
      }
    }
    for (String dir : List.of("/usr/sbin", "/sbin")) {
      if (Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }

  /** The absolute path of an executable, looking in PATH and the sbin folders. */
  public static String which(String name) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
    for (String dir : path.split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return name;
  }
}
