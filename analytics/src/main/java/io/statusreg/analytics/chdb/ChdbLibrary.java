package io.statusreg.analytics.chdb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds {@code libchdb.so}, fetching it with {@code scripts/fetch-chdb.sh} when it is missing.
 *
 * <p>Order: the system property {@value #LIB_PROPERTY}, the environment variable {@value #LIB_ENV},
 * the cache the fetch script fills ({@code
 * ${STATUSREG_CACHE:-$HOME/.cache/statusreg}/chdb/<version>/}), and last the fetch script itself,
 * found through the system property {@value #SCRIPT_PROPERTY} or by walking up from the working
 * directory to {@code scripts/fetch-chdb.sh}.
 */
public final class ChdbLibrary {

  /** System property naming libchdb.so. */
  public static final String LIB_PROPERTY = "statusreg.chdb.lib";

  /** Environment variable naming libchdb.so. */
  public static final String LIB_ENV = "STATUSREG_CHDB_LIB";

  /** System property naming the fetch script. */
  public static final String SCRIPT_PROPERTY = "statusreg.chdb.fetchScript";

  /** The pinned chDB package version (keep in step with scripts/fetch-chdb.sh). */
  public static final String VERSION = "26.7.3-stable.1";

  private static final Duration FETCH_TIMEOUT = Duration.ofMinutes(15);

  /** Where the library is, or why it is not. */
  public sealed interface Lookup permits Found, Missing {}

  /** The library file. */
  public record Found(Path library) implements Lookup {}

  /** A human explanation of why no library could be had. */
  public record Missing(String explanation) implements Lookup {}

  private ChdbLibrary() {}

  /** Looks in the configured places and the cache only; never fetches. */
  public static Optional<Path> locate() {
    String configured = System.getProperty(LIB_PROPERTY);
    if (configured == null || configured.isBlank()) {
      configured = System.getenv(LIB_ENV);
    }
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured);
      return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }
    Path cached = cacheDir().resolve("lib").resolve("package").resolve("libchdb.so");
    return Files.isRegularFile(cached) && Files.exists(cacheDir().resolve(".complete"))
        ? Optional.of(cached)
        : Optional.empty();
  }

  /** Locates the library, running the fetch script when it is not there yet. */
  public static Lookup locateOrFetch() {
    String configured = System.getProperty(LIB_PROPERTY);
    if (configured == null || configured.isBlank()) {
      configured = System.getenv(LIB_ENV);
    }
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured);
      return Files.isRegularFile(p)
          ? new Found(p)
          : new Missing(
              "libchdb.so configured as "
                  + configured
                  + " ("
                  + LIB_PROPERTY
                  + " / "
                  + LIB_ENV
                  + ") does not exist");
    }
    Optional<Path> cached = locate();
    if (cached.isPresent()) {
      return new Found(cached.get());
    }
    Optional<Path> script = fetchScript();
    if (script.isEmpty()) {
      return new Missing(
          "libchdb.so is not in "
              + cacheDir()
              + " and scripts/fetch-chdb.sh was not found above "
              + Path.of("").toAbsolutePath()
              + "; run scripts/fetch-chdb.sh, or set "
              + LIB_ENV
              + " or -D"
              + LIB_PROPERTY);
    }
    return runFetch(script.get());
  }

  /** The cache directory for the pinned version. */
  public static Path cacheDir() {
    String root = System.getenv("STATUSREG_CACHE");
    Path base =
        root != null && !root.isBlank()
            ? Path.of(root)
            : Path.of(System.getProperty("user.home"), ".cache", "statusreg");
    return base.resolve("chdb").resolve(VERSION);
  }

  private static Optional<Path> fetchScript() {
    String configured = System.getProperty(SCRIPT_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured);
      return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("scripts").resolve("fetch-chdb.sh");
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static Lookup runFetch(Path script) {
    Path log;
    try {
      log = Files.createTempFile("fetch-chdb", ".log");
    } catch (IOException e) {
      return new Missing("cannot create a log file for " + script + ": " + e.getMessage());
    }
    try {
      Process process =
          new ProcessBuilder(List.of("bash", script.toString()))
              .redirectError(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      String out;
      try (InputStream stdout = process.getInputStream()) {
        out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8).strip();
      }
      if (!process.waitFor(FETCH_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Missing(script + " did not finish within " + FETCH_TIMEOUT);
      }
      String messages = Files.readString(log).strip();
      if (process.exitValue() != 0) {
        return new Missing(script + " failed (exit " + process.exitValue() + "): " + messages);
      }
      String[] lines = out.split("\n");
      Path lib = Path.of(lines[lines.length - 1].strip());
      return Files.isRegularFile(lib)
          ? new Found(lib)
          : new Missing(script + " printed " + out + ", which is not a file; " + messages);
    } catch (IOException e) {
      return new Missing("cannot run " + script + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Missing("interrupted while running " + script);
    } finally {
      try {
        Files.deleteIfExists(log);
      } catch (IOException ignored) {
        // a temp file left behind is harmless
      }
    }
  }
}
