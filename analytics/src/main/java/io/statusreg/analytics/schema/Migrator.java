package io.statusreg.analytics.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link Migration}s to the database of a JDBC connection, each once, and records them in
 * {@code schema_migrations} (version, name, checksum, applied_at).
 *
 * <p>Before applying anything it compares the checksum of every recorded migration with the file of
 * this build and refuses to run when one differs: a migration that was applied is never edited, a
 * new one is added instead. Migrations the database has and this build does not (a newer build ran)
 * are logged and left alone. The DDL uses {@code IF NOT EXISTS}, so two processes migrating at the
 * same moment both succeed and record the version twice, which is harmless.
 */
public final class Migrator {
  private static final Logger log = LoggerFactory.getLogger(Migrator.class);

  static final String HISTORY_DDL =
      """
      CREATE TABLE IF NOT EXISTS schema_migrations
      (
          version    UInt32,
          name       String,
          checksum   String,
          applied_at DateTime64(3, 'UTC')
      )
      ENGINE = MergeTree
      ORDER BY version""";

  private static final java.util.regex.Pattern URL_DATABASE =
      java.util.regex.Pattern.compile(
          "^(jdbc:(?:clickhouse|ch):(?:[a-z]+:)?//[^/?#]+)/([A-Za-z0-9_]+)(.*)$");

  /**
   * Creates the database named in a JDBC URL's path ({@code jdbc:clickhouse:http://h:8123/db}) when
   * it is missing, connecting to the server's {@code default} database for that. Does nothing for
   * {@code default} or a URL without a database.
   *
   * @return the database created or found, or empty when the URL names none
   */
  public static java.util.Optional<String> createDatabaseIfMissing(
      String jdbcUrl, java.util.Properties properties) {
    java.util.regex.Matcher m = URL_DATABASE.matcher(jdbcUrl);
    if (!m.matches() || m.group(2).equals("default")) {
      return java.util.Optional.empty();
    }
    String database = m.group(2);
    String serverUrl = m.group(1) + "/default" + m.group(3);
    try (Connection c = java.sql.DriverManager.getConnection(serverUrl, properties);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS `" + database + "`");
    } catch (SQLException e) {
      throw new MigrationException(
          "creating database " + database + " (connecting to default): " + e.getMessage(), e);
    }
    return java.util.Optional.of(database);
  }

  /** One recorded row of {@code schema_migrations}. */
  public record Applied(int version, String name, String checksum) {}

  private final List<Migration> migrations;
  private final Clock clock;

  public Migrator(List<Migration> migrations, Clock clock) {
    this.migrations = Migrations.ordered(migrations);
    this.clock = clock;
  }

  /** The migrations of this build, with the system clock. */
  public static Migrator builtIn() {
    return new Migrator(Migrations.builtIn(), Clock.systemUTC());
  }

  /**
   * Brings the schema up to date.
   *
   * @return the migrations applied now (empty when the schema was current)
   * @throws MigrationException when a recorded checksum differs from this build's file, or a
   *     statement fails
   */
  public List<Migration> migrate(Connection connection) {
    try (Statement s = connection.createStatement()) {
      s.execute(HISTORY_DDL);
    } catch (SQLException e) {
      throw new MigrationException("creating schema_migrations: " + e.getMessage(), e);
    }
    Map<Integer, Applied> applied = applied(connection);
    for (Migration m : migrations) {
      Applied a = applied.get(m.version());
      if (a != null && !a.checksum().equals(m.checksum())) {
        throw new MigrationException(
            "migration "
                + m.fileName()
                + " was changed after it was applied (recorded checksum "
                + a.checksum()
                + ", this build has "
                + m.checksum()
                + "); restore the file and add a new migration instead");
      }
    }
    applied.keySet().stream()
        .filter(v -> v > migrations.size())
        .forEach(
            v ->
                log.warn(
                    "schema_migrations has V{}__{}, which this build does not know;"
                        + " a newer build migrated this database",
                    v,
                    applied.get(v).name()));

    List<Migration> done = new ArrayList<>();
    for (Migration m : migrations) {
      if (applied.containsKey(m.version())) {
        continue;
      }
      apply(connection, m);
      done.add(m);
    }
    return done;
  }

  /** The rows of {@code schema_migrations} by version (the first row of a version wins). */
  public static Map<Integer, Applied> applied(Connection connection) {
    Map<Integer, Applied> applied = new TreeMap<>();
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT version, name, checksum FROM schema_migrations"
                    + " ORDER BY version, applied_at")) {
      while (rs.next()) {
        int version = rs.getInt(1);
        applied.putIfAbsent(version, new Applied(version, rs.getString(2), rs.getString(3)));
      }
    } catch (SQLException e) {
      throw new MigrationException("reading schema_migrations: " + e.getMessage(), e);
    }
    return applied;
  }

  private void apply(Connection connection, Migration m) {
    List<String> statements = m.statements();
    for (int i = 0; i < statements.size(); i++) {
      try (Statement s = connection.createStatement()) {
        s.execute(statements.get(i));
      } catch (SQLException e) {
        throw new MigrationException(
            "applying " + m.fileName() + " (statement " + (i + 1) + "): " + e.getMessage(), e);
      }
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO schema_migrations (version, name, checksum, applied_at)"
                + " VALUES (?, ?, ?, ?)")) {
      insert.setInt(1, m.version());
      insert.setString(2, m.name());
      insert.setString(3, m.checksum());
      insert.setTimestamp(4, Timestamp.from(clock.instant()));
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new MigrationException(
          "recording " + m.fileName() + " in schema_migrations: " + e.getMessage(), e);
    }
    log.info("applied schema migration {}", m.fileName());
  }
}
