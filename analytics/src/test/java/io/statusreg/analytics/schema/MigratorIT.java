package io.statusreg.analytics.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusreg.analytics.AnalyticsCommand;
import io.statusreg.analytics.TestEngine;
import io.statusreg.analytics.chdb.LocalClickHouse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Migrations against the real engine through the real JDBC driver. */
@Tag("chdb")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MigratorIT {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

  @TempDir static Path dataDir;
  static LocalClickHouse ch;

  @BeforeAll
  static void start() {
    ch = TestEngine.start(dataDir);
  }

  @AfterAll
  static void stop() {
    if (ch != null) {
      ch.close();
    }
  }

  private static Connection connect(String db) throws SQLException {
    return DriverManager.getConnection(ch.jdbcUrl(db), ch.jdbcProperties());
  }

  @Test
  void everyMigrationIsAppliedOnceAndRecordedWithItsChecksum() throws SQLException {
    String db = TestEngine.newDatabase(ch);
    Migrator migrator = new Migrator(Migrations.builtIn(), CLOCK);
    try (Connection c = connect(db)) {
      assertThat(migrator.migrate(c)).extracting(Migration::version).containsExactly(1, 2, 3, 4);
      assertThat(migrator.migrate(c)).isEmpty();

      assertThat(Migrator.applied(c).values())
          .containsExactly(
              applied(Migrations.builtIn().get(0)),
              applied(Migrations.builtIn().get(1)),
              applied(Migrations.builtIn().get(2)),
              applied(Migrations.builtIn().get(3)));
      assertThat(TestEngine.count(c, "SELECT count() FROM schema_migrations")).isEqualTo(4);
      assertThat(
              TestEngine.count(
                  c,
                  "SELECT count() FROM schema_migrations"
                      + " WHERE applied_at = toDateTime64('2026-03-01 12:00:00', 3, 'UTC')"))
          .isEqualTo(4);
      assertThat(
              TestEngine.count(
                  c,
                  "SELECT count() FROM system.tables WHERE database = currentDatabase()"
                      + " AND name IN ('status_events', 'list_events', 'list_publications')"
                      + " AND engine = 'ReplacingMergeTree'"))
          .isEqualTo(3);
    }
  }

  @Test
  void anEditedAppliedMigrationStopsEverythingAndANewOneIsApplied() throws SQLException {
    String db = TestEngine.newDatabase(ch);
    List<Migration> shipped = Migrations.builtIn();
    try (Connection c = connect(db)) {
      new Migrator(shipped, CLOCK).migrate(c);

      Migration next =
          Migration.of(
              "V5__sink_notes.sql",
              "CREATE TABLE IF NOT EXISTS sink_notes (note String) ENGINE = MergeTree ORDER BY"
                  + " note;\n");
      List<Migration> edited = new ArrayList<>(shipped);
      edited.set(1, Migration.of(shipped.get(1).fileName(), shipped.get(1).sql() + "\n-- tweak\n"));
      edited.add(next);
      assertThatThrownBy(() -> new Migrator(edited, CLOCK).migrate(c))
          .isInstanceOf(MigrationException.class)
          .hasMessageContaining("V2__list_events.sql was changed after it was applied");
      assertThat(
              TestEngine.count(
                  c,
                  "SELECT count() FROM system.tables WHERE database = currentDatabase()"
                      + " AND name = 'sink_notes'"))
          .isZero();

      List<Migration> extended = new ArrayList<>(shipped);
      extended.add(next);
      assertThat(new Migrator(extended, CLOCK).migrate(c))
          .extracting(Migration::fileName)
          .containsExactly("V5__sink_notes.sql");
      assertThat(TestEngine.count(c, "SELECT count() FROM sink_notes")).isZero();
      assertThat(TestEngine.count(c, "SELECT max(version) FROM schema_migrations")).isEqualTo(5);
    }
  }

  @Test
  void migrateCommandAppliesThenReportsUpToDate() {
    String db;
    try {
      db = TestEngine.newDatabase(ch);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
    Map<String, String> env =
        Map.of(
            "STATUSREG_ANALYTICS_USER", TestEngine.USER,
            "STATUSREG_ANALYTICS_PASSWORD", TestEngine.PASSWORD);
    String[] args = {"migrate", "--jdbc-url", ch.jdbcUrl(db)};

    ByteArrayOutputStream first = new ByteArrayOutputStream();
    assertThat(command(env, first).run(args)).isZero();
    assertThat(first.toString(StandardCharsets.UTF_8))
        .contains("applied V1__status_events.sql")
        .contains("applied V2__list_events.sql")
        .contains("applied V3__list_publications.sql")
        .contains("applied V4__list_kind_and_identifier.sql")
        .contains(Migrations.builtIn().get(2).checksum());

    ByteArrayOutputStream second = new ByteArrayOutputStream();
    assertThat(command(env, second).run(args)).isZero();
    assertThat(second.toString(StandardCharsets.UTF_8))
        .startsWith("schema is up to date")
        .doesNotContain("applied V");

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> wrongPassword =
        Map.of(
            "STATUSREG_ANALYTICS_USER",
            TestEngine.USER,
            "STATUSREG_ANALYTICS_PASSWORD",
            "hunter2-not-it");
    int code =
        new AnalyticsCommand(
                wrongPassword,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(args);
    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("516")
        .doesNotContain("hunter2-not-it");
  }

  @Test
  void migrateCreatesTheDatabaseOfTheUrlWhenItIsMissing() throws SQLException {
    String db = "fresh_" + java.util.UUID.randomUUID().toString().replace("-", "");
    Map<String, String> env =
        Map.of(
            "STATUSREG_ANALYTICS_USER", TestEngine.USER,
            "STATUSREG_ANALYTICS_PASSWORD", TestEngine.PASSWORD);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(command(env, out).run(new String[] {"migrate", "--jdbc-url", ch.jdbcUrl(db)}))
        .isZero();
    try (Connection c = connect(db)) {
      assertThat(TestEngine.count(c, "SELECT count() FROM schema_migrations")).isEqualTo(4);
      assertThat(TestEngine.count(c, "SELECT count() FROM status_events")).isZero();
    }
  }

  private static AnalyticsCommand command(Map<String, String> env, ByteArrayOutputStream out) {
    return new AnalyticsCommand(
        env,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  private static Migrator.Applied applied(Migration m) {
    return new Migrator.Applied(m.version(), m.name(), m.checksum());
  }
}
