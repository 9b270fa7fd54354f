package io.statusreg.analytics.chdb;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * A real ClickHouse engine on this machine for development and tests: the chDB library, a session
 * on a data directory, and a ClickHouse-compatible HTTP endpoint on 127.0.0.1 for clickhouse-jdbc.
 *
 * <pre>{@code
 * try (LocalClickHouse ch = LocalClickHouse.start(LocalClickHouse.Config.of(dataDir))) {
 *   try (Connection c = DriverManager.getConnection(ch.jdbcUrl(), ch.jdbcProperties())) { ... }
 * }
 * }</pre>
 *
 * <p>The library comes from {@link ChdbLibrary#locateOrFetch()} (system property {@value
 * ChdbLibrary#LIB_PROPERTY}, environment variable {@value ChdbLibrary#LIB_ENV}, the cache, or
 * {@code scripts/fetch-chdb.sh}). One engine per JVM, on one data directory at a time: start a
 * second instance only on the same directory, or after closing the first.
 */
public final class LocalClickHouse implements AutoCloseable {

  /**
   * What to start.
   *
   * @param dataDir the engine's data directory (kept across restarts)
   * @param port HTTP port on 127.0.0.1, 0 for a free one
   * @param user the user the endpoint accepts
   * @param password its password (empty for none)
   * @param library libchdb.so to use; empty to locate or fetch it
   */
  public record Config(
      Path dataDir, int port, String user, String password, Optional<Path> library) {
    public Config {
      Objects.requireNonNull(dataDir, "dataDir");
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(library, "library");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, was " + port);
      }
    }

    /** A free port, user {@code default} without a password, the library located or fetched. */
    public static Config of(Path dataDir) {
      return new Config(dataDir, 0, "default", "", Optional.empty());
    }

    public Config withPort(int newPort) {
      return new Config(dataDir, newPort, user, password, library);
    }

    public Config withCredentials(String newUser, String newPassword) {
      return new Config(dataDir, port, newUser, newPassword, library);
    }

    public Config withLibrary(Path newLibrary) {
      return new Config(dataDir, port, user, password, Optional.of(newLibrary));
    }
  }

  private static final Object LOOKUP_LOCK = new Object();
  private static ChdbLibrary.Lookup lookup;

  private final Chdb chdb;
  private final ChdbHttpServer http;
  private final Config config;

  private LocalClickHouse(Chdb chdb, ChdbHttpServer http, Config config) {
    this.chdb = chdb;
    this.http = http;
    this.config = config;
  }

  /**
   * Whether an engine can be had on this machine, fetching it if needed (once per JVM). See {@link
   * #unavailableReason()} for why not.
   */
  public static boolean isAvailable() {
    return lookup() instanceof ChdbLibrary.Found;
  }

  /** A human explanation of why no engine can be had, or empty when one can. */
  public static Optional<String> unavailableReason() {
    return switch (lookup()) {
      case ChdbLibrary.Found found -> Optional.empty();
      case ChdbLibrary.Missing missing -> Optional.of(missing.explanation());
    };
  }

  /** Starts the engine on {@code config.dataDir()} and the HTTP endpoint. */
  public static LocalClickHouse start(Config config) {
    Path library =
        config
            .library()
            .orElseGet(
                () ->
                    switch (lookup()) {
                      case ChdbLibrary.Found found -> found.library();
                      case ChdbLibrary.Missing missing ->
                          throw new ChdbException(
                              ChdbException.UNKNOWN_CODE,
                              "no local ClickHouse engine: " + missing.explanation());
                    });
    Chdb chdb = Chdb.open(library, config.dataDir());
    try {
      ChdbHttpServer http =
          ChdbHttpServer.start(
              chdb,
              ChdbHttpServer.Config.defaults()
                  .withPort(config.port())
                  .withCredentials(config.user(), config.password()));
      return new LocalClickHouse(chdb, http, config);
    } catch (RuntimeException e) {
      chdb.close();
      throw e;
    }
  }

  /** Starts on {@code dataDir} with the defaults of {@link Config#of(Path)}. */
  public static LocalClickHouse start(Path dataDir) {
    return start(Config.of(dataDir));
  }

  /** {@code jdbc:clickhouse:http://127.0.0.1:<port>/default?compress=false}. */
  public String jdbcUrl() {
    return jdbcUrl("default");
  }

  /** The JDBC URL with {@code database} as the default database. */
  public String jdbcUrl(String database) {
    return "jdbc:clickhouse:http://127.0.0.1:" + http.port() + "/" + database + "?compress=false";
  }

  /** {@code user} and {@code password} for {@link java.sql.DriverManager#getConnection}. */
  public Properties jdbcProperties() {
    Properties p = new Properties();
    p.setProperty("user", config.user());
    p.setProperty("password", config.password());
    return p;
  }

  /** The HTTP port on 127.0.0.1. */
  public int port() {
    return http.port();
  }

  /** The engine session, for direct queries without HTTP. */
  public Chdb chdb() {
    return chdb;
  }

  /** The data directory. */
  public Path dataDir() {
    return chdb.dataDir();
  }

  /** Stops the endpoint and closes the session (the last one in the JVM stops the engine). */
  @Override
  public void close() {
    try {
      http.close();
    } finally {
      chdb.close();
    }
  }

  private static ChdbLibrary.Lookup lookup() {
    synchronized (LOOKUP_LOCK) {
      if (lookup == null) {
        lookup = ChdbLibrary.locateOrFetch();
      }
      return lookup;
    }
  }
}
