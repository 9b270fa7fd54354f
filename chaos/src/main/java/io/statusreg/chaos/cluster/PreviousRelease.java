package io.statusreg.chaos.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The previous release's registry, for the version-upgrade scenario: the tree of a git commit or
 * tag exported ({@code git archive}) into a temporary directory outside the repository, built there
 * with its own {@code ./mvnw} (offline, tests skipped, nothing installed), and its {@code app}
 * module's runtime classpath. Kept under the system temp directory per resolved commit, so a second
 * run reuses the build.
 */
public final class PreviousRelease {
  private static final Logger log = LoggerFactory.getLogger(PreviousRelease.class);
  private static final Duration GIT_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);

  /**
   * What {@code --previous} may name: a commit or tag, never an option or a path outside the
   * repository ({@code [A-Za-z0-9._/-]}, 1-100 characters, not starting with a dash or a dot).
   */
  public static final java.util.regex.Pattern REVISION =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,99}");

  private PreviousRelease() {}

  /**
   * A built previous release.
   *
   * @param dir where it was exported and built ({@code statusreg-previous-<commit>})
   * @param classpath the classpath of its {@code io.statusreg.app.Main}, the harness's guard last
   */
  public record Build(Path dir, String classpath) {}

  /** Where the build of {@code commit} lives. */
  private static Path buildDir(String commit) {
    return Path.of(System.getProperty("java.io.tmpdir"), "statusreg-previous-" + commit);
  }

  /**
   * The build of {@code io.statusreg.app.Main} at {@code revision} of the repository that holds
   * {@code home}; builds it first unless a build of the same commit is there.
   */
  public static Build build(Path home, String revision, Path logDir) {
    if (!REVISION.matcher(revision).matches()) {
      throw new IllegalArgumentException("not a git revision: " + revision);
    }
    try {
      Files.createDirectories(logDir);
      String commit =
          run(
                  List.of(
                      "git",
                      "-C",
                      home.toString(),
                      "rev-parse",
                      "--verify",
                      revision + "^{commit}"),
                  home,
                  logDir.resolve("previous-git.log"),
                  GIT_TIMEOUT)
              .strip();
      Path dir = buildDir(commit.substring(0, 12));
      Path cpFile = dir.resolve("app-classpath.txt");
      Path appJar = dir.resolve("app").resolve("target");
      if (!Files.isRegularFile(cpFile)) {
        deleteQuietly(dir);
        Files.createDirectories(dir);
        Path tar = dir.resolve("tree.tar");
        run(
            List.of(
                "git",
                "-C",
                home.toString(),
                "archive",
                "--format=tar",
                "-o",
                tar.toString(),
                commit),
            home,
            logDir.resolve("previous-git.log"),
            GIT_TIMEOUT);
        run(
            List.of("tar", "-xf", tar.toString(), "-C", dir.toString()), dir,
            logDir.resolve("previous-git.log"), GIT_TIMEOUT);
        Files.delete(tar);
        log.info("Building the previous release {} in {} (offline, tests skipped)", commit, dir);
        run(
            List.of(
                "./mvnw",
                "-o",
                "-B",
                "-ntp",
                "-q",
                "package",
                "-pl",
                "app",
                "-am",
                "-DskipTests",
                "-Dspotless.check.skip=true",
                "-Dspotless.apply.skip=true"),
            dir,
            logDir.resolve("previous-build.log"),
            BUILD_TIMEOUT);
        // The app module writes its runtime classpath there (what ./statusreg runs with).
        Files.copy(appJar.resolve("classpath.txt"), cpFile);
      }
      String deps = Files.readString(cpFile, StandardCharsets.UTF_8).strip();
      // The harness's guard main (OrphanGuardMain and the common OrphanWatcher, JDK classes
      // only) wraps every instance: their code locations go last, after the previous release's.
      String guard =
          codeLocation(OrphanGuardMain.class)
              + java.io.File.pathSeparator
              + codeLocation(io.statusreg.common.OrphanWatcher.class);
      return new Build(
          dir,
          appJar.resolve("classes")
              + java.io.File.pathSeparator
              + deps
              + java.io.File.pathSeparator
              + guard);
    } catch (IOException | java.net.URISyntaxException e) {
      throw new IllegalStateException("building the previous release " + revision, e);
    }
  }

  private static String codeLocation(Class<?> c) throws java.net.URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  private static String run(List<String> command, Path dir, Path logFile, Duration timeout)
      throws IOException {
    Path out = Files.createTempFile("statusreg-previous", ".out");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectOutput(out.toFile())
              .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start();
      boolean done;
      try {
        done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted: " + command.getFirst(), e);
      }
      if (!done) {
        p.destroyForcibly();
        throw new IllegalStateException(command.getFirst() + " took longer than " + timeout);
      }
      String text = Files.readString(out, StandardCharsets.UTF_8);
      Files.writeString(
          logFile,
          text,
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command.subList(0, Math.min(3, command.size())))
                + " failed (exit "
                + p.exitValue()
                + "); see "
                + logFile);
      }
      return text;
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static void deleteQuietly(Path dir) throws IOException {
    io.statusreg.common.FileTrees.deleteRecursively(dir);
  }
}
