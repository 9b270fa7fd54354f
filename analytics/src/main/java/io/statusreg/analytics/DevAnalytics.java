package io.statusreg.analytics;

import io.micrometer.core.instrument.MeterRegistry;
import io.statusreg.analytics.chdb.LocalClickHouse;
import io.statusreg.analytics.sink.AnalyticsSink;
import io.statusreg.registry.config.Settings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Analytics inside {@code statusreg dev}: the local ClickHouse engine under {@code
 * <data-dir>/clickhouse/engine} (unless {@code analytics.jdbc.url} points elsewhere) and the sink
 * in-process. Writes the engine's JDBC URL to {@code <data-dir>/clickhouse/jdbc-url}, where {@code
 * statusreg analytics query} finds it.
 *
 * <pre>{@code
 * Optional<DevAnalytics> analytics =
 *     DevAnalytics.start(dataDir, settings.with("kafka.bootstrap.servers", bootstrap), meters, System.out);
 * ... // on shutdown
 * analytics.ifPresent(DevAnalytics::close);
 * }</pre>
 *
 * Never fails dev: when analytics is disabled, the engine is not available or the sink cannot
 * start, it prints why and how to enable it, and returns empty.
 */
public final class DevAnalytics implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DevAnalytics.class);

  /** Where dev writes the engine's JDBC URL, relative to the data directory. */
  public static final String JDBC_URL_FILE = "clickhouse/jdbc-url";

  /** The engine's data directory, relative to the data directory. */
  public static final String ENGINE_DIR = "clickhouse/engine";

  private final LocalClickHouse engine;
  private final AnalyticsSink sink;
  private final Path urlFile;
  private final String jdbcUrl;

  private DevAnalytics(LocalClickHouse engine, AnalyticsSink sink, Path urlFile, String jdbcUrl) {
    this.engine = engine;
    this.sink = sink;
    this.urlFile = urlFile;
    this.jdbcUrl = jdbcUrl;
  }

  /**
   * Starts the engine (if needed) and the sink.
   *
   * @param dataDir dev's data directory
   * @param settings dev's settings, with {@code kafka.bootstrap.servers} of the dev broker
   * @param meters where the sink's metrics go (dev's Prometheus registry)
   * @param out where to print what happened (one or two lines)
   */
  public static Optional<DevAnalytics> start(
      Path dataDir, Settings settings, MeterRegistry meters, PrintStream out) {
    // STATUSREG_ANALYTICS_* reach dev even when its own settings list does not know them
    Settings merged =
        Settings.from(new Properties(), System.getenv(), settings.raw(), AnalyticsSettings.all());
    AnalyticsSettings config = AnalyticsSettings.from(merged);
    if (!config.enabled()) {
      out.println("analytics: off (analytics.enabled=false)");
      return Optional.empty();
    }
    LocalClickHouse engine = null;
    Path urlFile = dataDir.resolve(JDBC_URL_FILE);
    try {
      if (config.jdbcUrl().isEmpty()) {
        if (!LocalClickHouse.isAvailable()) {
          out.println(
              "analytics: off, no local ClickHouse engine: "
                  + LocalClickHouse.unavailableReason().orElse("unknown reason"));
          out.println(
              "analytics: to enable it run scripts/fetch-chdb.sh (or set STATUSREG_CHDB_LIB to a"
                  + " libchdb.so), or point STATUSREG_ANALYTICS_JDBC_URL at a ClickHouse server,"
                  + " and restart dev");
          return Optional.empty();
        }
        int port = localPort(merged.get(AnalyticsSettings.LOCAL_PORT), out);
        engine =
            LocalClickHouse.start(
                LocalClickHouse.Config.of(dataDir.resolve(ENGINE_DIR))
                    .withPort(port)
                    .withCredentials(config.user(), config.password()));
        config = config.withJdbcUrl(engine.jdbcUrl());
      }
      String url = config.jdbcUrl().orElseThrow();
      Files.createDirectories(urlFile.getParent());
      Files.writeString(urlFile, url + "\n", StandardCharsets.UTF_8);
      AnalyticsSink sink = AnalyticsSink.start(config, meters);
      out.println("analytics: ClickHouse at " + url + " (statusreg analytics query <file-or-sql>)");
      return Optional.of(new DevAnalytics(engine, sink, urlFile, url));
    } catch (IOException e) {
      closeQuietly(engine);
      throw new UncheckedIOException("writing " + urlFile, e);
    } catch (RuntimeException e) {
      closeQuietly(engine);
      try {
        Files.deleteIfExists(urlFile);
      } catch (IOException ignored) {
        // best effort: the file only points `analytics query` at the engine
      }
      log.warn("analytics did not start", e);
      out.println("analytics: off, it did not start: " + e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * The port for the local engine: {@code wanted} when it is free (or 0), else 0 (a free one, as a
   * second dev on the same machine needs), saying so on {@code out}. The engine's real address is
   * written to {@link #JDBC_URL_FILE}, where {@code statusreg analytics} finds it.
   */
  static int localPort(int wanted, PrintStream out) {
    if (wanted == 0 || isFree(wanted)) {
      return wanted;
    }
    out.println(
        "analytics: port "
            + wanted
            + " is taken (another dev or ClickHouse on this machine?); the local engine takes a"
            + " free port instead, written to "
            + JDBC_URL_FILE
            + " under the data directory");
    return 0;
  }

  private static boolean isFree(int port) {
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public AnalyticsSink sink() {
    return sink;
  }

  /** Stops the sink, then the engine, and removes the URL file. */
  @Override
  public void close() {
    try {
      sink.close();
    } finally {
      closeQuietly(engine);
      try {
        Files.deleteIfExists(urlFile);
      } catch (IOException e) {
        log.debug("removing {}: {}", urlFile, e.toString());
      }
    }
  }

  private static void closeQuietly(LocalClickHouse engine) {
    if (engine != null) {
      try {
        engine.close();
      } catch (RuntimeException e) {
        log.warn("closing the local ClickHouse engine: {}", e.toString());
      }
    }
  }
}
