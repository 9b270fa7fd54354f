package io.statusreg.analytics;

import static org.assertj.core.api.Assertions.fail;

import io.statusreg.analytics.chdb.ChdbLibrary;
import io.statusreg.analytics.chdb.LocalClickHouse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The real ClickHouse engine (chDB) behind the real clickhouse-jdbc driver, for integration tests;
 * each test gets a database of its own.
 */
public final class TestEngine {
  public static final String USER = "analyst";
  public static final String PASSWORD = "pw-" + UUID.randomUUID();

  private TestEngine() {}

  public static LocalClickHouse start(Path dataDir) {
    return start(dataDir, 0);
  }

  public static LocalClickHouse start(Path dataDir, int port) {
    Path library =
        switch (ChdbLibrary.locateOrFetch()) {
          case ChdbLibrary.Found found -> found.library();
          case ChdbLibrary.Missing missing -> fail("no chDB engine: " + missing.explanation());
        };
    return LocalClickHouse.start(
        LocalClickHouse.Config.of(dataDir)
            .withPort(port)
            .withCredentials(USER, PASSWORD)
            .withLibrary(library));
  }

  /** Creates a fresh database and returns its name. */
  public static String newDatabase(LocalClickHouse ch) throws SQLException {
    String name = "t_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = DriverManager.getConnection(ch.jdbcUrl(), ch.jdbcProperties());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return name;
  }

  /**
   * The raw settings of a sink writing to database {@code db} of {@code ch} from the registry's
   * topics on {@code bootstrapServers}, in small batches flushed every 200 ms. Mutable: a test adds
   * or replaces what it needs, then reads them with {@code AnalyticsSettings.from}.
   */
  public static Map<String, String> sinkSettings(
      LocalClickHouse ch, String db, String bootstrapServers) {
    Map<String, String> raw = new HashMap<>();
    raw.put("analytics.jdbc.url", ch.jdbcUrl(db));
    raw.put("analytics.user", USER);
    raw.put("analytics.password", PASSWORD);
    raw.put("analytics.batch.rows", "300");
    raw.put("analytics.batch.max.wait.ms", "200");
    raw.put("kafka.bootstrap.servers", bootstrapServers);
    return raw;
  }

  public static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      if (!rs.next()) {
        throw new AssertionError("no row from " + sql);
      }
      return rs.getLong(1);
    }
  }
}
