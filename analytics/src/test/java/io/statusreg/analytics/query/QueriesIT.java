package io.statusreg.analytics.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.analytics.AnalyticsCommand;
import io.statusreg.analytics.TestEngine;
import io.statusreg.analytics.chdb.LocalClickHouse;
import io.statusreg.analytics.schema.Migrator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every query of {@code analytics/queries} against a small known data set, with rows the sink wrote
 * twice (as after a crash between insert and commit): each must return exact numbers.
 */
@Tag("chdb")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class QueriesIT {
  @TempDir static Path dataDir;
  static LocalClickHouse ch;
  static String db;

  @BeforeAll
  static void load() throws SQLException {
    ch = TestEngine.start(dataDir);
    db = TestEngine.newDatabase(ch);
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      Migrator.builtIn().migrate(c);
      s.execute(STATUS_EVENTS);
      s.execute(DUPLICATE_STATUS_EVENT);
      s.execute(LIST_EVENTS);
      s.execute(DUPLICATE_LIST_EVENT);
      s.execute(PUBLICATIONS);
      s.execute(DUPLICATE_PUBLICATION);
    }
  }

  @AfterAll
  static void stop() {
    if (ch != null) {
      ch.close();
    }
  }

  // event_time, issuer, list, idx, old, new, reason, actor_kind, actor, event_id, partition,
  // offset, ingested_at
  private static final String STATUS_EVENTS =
      """
      INSERT INTO status_events (event_time, issuer, list, idx, old_status, new_status, reason, actor_kind, actor, event_id, kafka_partition, kafka_offset, ingested_at) VALUES
      ('2026-03-01 10:00:00', 'acme', 'acme/a', 1, 0, 1, 'key_compromise', 'issuer', 'svc', '00000000-0000-0000-0000-000000000001', 0, 0, '2026-03-03 00:00:00'),
      ('2026-03-01 11:00:00', 'acme', 'acme/a', 2, 0, 1, 'superseded', 'issuer', 'svc', '00000000-0000-0000-0000-000000000002', 0, 1, '2026-03-03 00:00:00'),
      ('2026-03-01 12:00:00', 'acme', 'acme/a', 3, 0, 2, 'investigation', 'issuer', 'svc', '00000000-0000-0000-0000-000000000003', 0, 2, '2026-03-03 00:00:00'),
      ('2026-03-01 14:00:00', 'acme', 'acme/a', 3, 2, 0, 'reinstatement', 'issuer', 'svc', '00000000-0000-0000-0000-000000000004', 0, 3, '2026-03-03 00:00:00'),
      ('2026-03-02 09:00:00', 'acme', 'acme/a', 4, 0, 1, 'key_compromise', 'issuer', 'svc', '00000000-0000-0000-0000-000000000005', 0, 4, '2026-03-03 00:00:00'),
      ('2026-03-02 10:00:00', 'acme', 'acme/a', 5, 0, 2, 'investigation', 'issuer', 'svc', '00000000-0000-0000-0000-000000000006', 0, 5, '2026-03-03 00:00:00'),
      ('2026-03-02 10:30:00', 'acme', 'acme/a', 5, 2, 1, 'fraud', 'operator', 'ops', '00000000-0000-0000-0000-000000000007', 0, 6, '2026-03-03 00:00:00'),
      ('2026-03-02 11:00:00', 'acme', 'acme/a', 6, 0, 1, 'superseded', 'issuer', 'svc', '00000000-0000-0000-0000-000000000008', 0, 7, '2026-03-03 00:00:00'),
      ('2026-03-01 07:00:00', 'acme', 'acme/old', 0, 0, 1, 'key_compromise', 'issuer', 'svc', '00000000-0000-0000-0000-000000000009', 1, 0, '2026-03-03 00:00:00'),
      ('2026-03-01 08:00:00', 'beta', 'beta/b', 1, 0, 2, 'holder_request', 'issuer', 'b', '00000000-0000-0000-0000-000000000010', 2, 0, '2026-03-03 00:00:00'),
      ('2026-03-01 09:00:00', 'beta', 'beta/b', 1, 2, 0, 'reinstatement', 'issuer', 'b', '00000000-0000-0000-0000-000000000011', 2, 1, '2026-03-03 00:00:00'),
      ('2026-03-01 08:00:00', 'beta', 'beta/b', 2, 0, 2, 'holder_request', 'issuer', 'b', '00000000-0000-0000-0000-000000000012', 2, 2, '2026-03-03 00:00:00'),
      ('2026-03-02 08:00:00', 'beta', 'beta/b', 2, 2, 0, 'reinstatement', 'issuer', 'b', '00000000-0000-0000-0000-000000000013', 2, 3, '2026-03-03 00:00:00'),
      ('2026-03-02 12:00:00', 'beta', 'beta/b', 7, 0, 1, 'key_compromise', 'issuer', 'b', '00000000-0000-0000-0000-000000000014', 2, 4, '2026-03-03 00:00:00'),
      ('2026-03-02 09:00:00', 'beta', 'beta/b', 3, 0, 2, 'holder_request', 'issuer', 'b', '00000000-0000-0000-0000-000000000015', 2, 5, '2026-03-03 00:00:00'),
      ('2026-03-02 09:30:00', 'beta', 'beta/b', 3, 2, 0, 'reinstatement', 'issuer', 'b', '00000000-0000-0000-0000-000000000016', 2, 6, '2026-03-03 00:00:00')
      """;

  /** Event 1 written again by a restarted sink: same id, later ingestion. */
  private static final String DUPLICATE_STATUS_EVENT =
      """
      INSERT INTO status_events (event_time, issuer, list, idx, old_status, new_status, reason, actor_kind, actor, event_id, kafka_partition, kafka_offset, ingested_at) VALUES
      ('2026-03-01 10:00:00', 'acme', 'acme/a', 1, 0, 1, 'key_compromise', 'issuer', 'svc', '00000000-0000-0000-0000-000000000001', 0, 0, '2026-03-03 00:05:00')
      """;

  // event_time, issuer, list, type, bits, size, purpose, ttl, validity, from, allocated, cursor,
  // actor_kind, actor, event_id, partition, offset, ingested_at
  private static final String LIST_EVENTS =
      """
      INSERT INTO list_events (event_time, issuer, list, event_type, bits, size, purpose, ttl_seconds, validity_seconds, from_cursor, allocated, cursor, actor_kind, actor, event_id, kafka_partition, kafka_offset, ingested_at) VALUES
      ('2026-03-01 00:00:00', 'acme', 'acme/a', 'list_created', 1, 1000, 'revocation', 3600, 86400, 0, 0, 0, 'issuer', 'svc', '00000000-0000-0000-0001-000000000001', 0, 10, '2026-03-04 00:00:00'),
      ('2026-03-01 00:00:00', 'acme', 'acme/a', 'indexes_allocated', 0, 0, '', 0, 0, 0, 100, 100, 'issuer', 'svc', '00000000-0000-0000-0001-000000000002', 0, 11, '2026-03-04 00:00:00'),
      ('2026-03-02 00:00:00', 'acme', 'acme/a', 'indexes_allocated', 0, 0, '', 0, 0, 100, 100, 200, 'issuer', 'svc', '00000000-0000-0000-0001-000000000003', 0, 12, '2026-03-04 00:00:00'),
      ('2026-03-03 00:00:00', 'acme', 'acme/a', 'indexes_allocated', 0, 0, '', 0, 0, 200, 200, 400, 'issuer', 'svc', '00000000-0000-0000-0001-000000000004', 0, 13, '2026-03-04 00:00:00'),
      ('2026-03-01 00:00:00', 'beta', 'beta/b', 'list_created', 2, 100, 'suspension', 3600, 86400, 0, 0, 0, 'issuer', 'b', '00000000-0000-0000-0001-000000000005', 2, 10, '2026-03-04 00:00:00'),
      ('2026-03-01 12:00:00', 'beta', 'beta/b', 'indexes_allocated', 0, 0, '', 0, 0, 0, 50, 50, 'issuer', 'b', '00000000-0000-0000-0001-000000000006', 2, 11, '2026-03-04 00:00:00'),
      ('2026-03-02 00:00:00', 'beta', 'beta/b', 'indexes_allocated', 0, 0, '', 0, 0, 50, 50, 100, 'issuer', 'b', '00000000-0000-0000-0001-000000000007', 2, 12, '2026-03-04 00:00:00'),
      ('2026-03-02 00:00:00', 'beta', 'beta/b', 'list_full', 0, 0, '', 0, 0, 0, 0, 100, 'issuer', 'b', '00000000-0000-0000-0001-000000000008', 2, 13, '2026-03-04 00:00:00'),
      ('2026-03-02 00:00:00', 'beta', 'beta/c', 'list_created', 1, 10, 'revocation', 3600, 86400, 0, 0, 0, 'issuer', 'b', '00000000-0000-0000-0001-000000000009', 3, 0, '2026-03-04 00:00:00'),
      ('2026-03-01 00:00:00', 'acme', 'acme/old', 'list_created', 1, 10, 'revocation', 3600, 86400, 0, 0, 0, 'issuer', 'svc', '00000000-0000-0000-0001-000000000010', 1, 10, '2026-03-04 00:00:00'),
      ('2026-03-01 06:00:00', 'acme', 'acme/old', 'indexes_allocated', 0, 0, '', 0, 0, 0, 5, 5, 'issuer', 'svc', '00000000-0000-0000-0001-000000000011', 1, 11, '2026-03-04 00:00:00'),
      ('2026-03-01 12:00:00', 'acme', 'acme/old', 'list_retired', 0, 0, '', 0, 0, 0, 0, 0, 'operator', 'ops', '00000000-0000-0000-0001-000000000012', 1, 12, '2026-03-04 00:00:00')
      """;

  private static final String DUPLICATE_LIST_EVENT =
      """
      INSERT INTO list_events (event_time, issuer, list, event_type, bits, size, purpose, ttl_seconds, validity_seconds, from_cursor, allocated, cursor, actor_kind, actor, event_id, kafka_partition, kafka_offset, ingested_at) VALUES
      ('2026-03-02 00:00:00', 'acme', 'acme/a', 'indexes_allocated', 0, 0, '', 0, 0, 100, 100, 200, 'issuer', 'svc', '00000000-0000-0000-0001-000000000003', 0, 12, '2026-03-04 00:01:00')
      """;

  // list, issuer, version, published_at, expires_at, ttl, bits, entries, allocated, valid,
  // revoked, suspended, other, jwt, cwt, w3c, kid, oldest_change_at, lag_ms, partition, offset,
  // ingested_at
  private static final String PUBLICATIONS =
      """
      INSERT INTO list_publications (list, issuer, version, published_at, expires_at, ttl_seconds, bits, entries, allocated, valid, revoked, suspended, other, jwt_bytes, cwt_bytes, w3c_bytes, kid, oldest_change_at, lag_ms, kafka_partition, kafka_offset, ingested_at) VALUES
      ('acme/a', 'acme', 1, '2026-03-01 10:00:00.100', '2026-03-02 10:00:00', 3600, 1, 1000, 100, 999, 1, 0, 0, 500, 300, 0, 'k1', '2026-03-01 10:00:00', 100, 0, 0, '2026-03-04 00:00:00'),
      ('acme/a', 'acme', 2, '2026-03-01 11:00:00.200', '2026-03-02 11:00:00', 3600, 1, 1000, 100, 998, 2, 0, 0, 500, 300, 0, 'k1', '2026-03-01 11:00:00', 200, 0, 1, '2026-03-04 00:00:00'),
      ('acme/a', 'acme', 3, '2026-03-01 12:00:00.300', '2026-03-02 12:00:00', 3600, 1, 1000, 100, 997, 2, 1, 0, 500, 300, 0, 'k1', '2026-03-01 12:00:00', 300, 0, 2, '2026-03-04 00:00:00'),
      ('acme/a', 'acme', 4, '2026-03-01 20:00:00', '2026-03-02 20:00:00', 3600, 1, 1000, 100, 997, 2, 1, 0, 500, 300, 0, 'k1', NULL, NULL, 0, 3, '2026-03-04 00:00:00'),
      ('beta/b', 'beta', 1, '2026-03-01 08:00:01', '2026-03-02 08:00:00', 3600, 2, 100, 50, 49, 0, 1, 0, 90, 60, 0, 'k2', '2026-03-01 08:00:00', 1000, 2, 0, '2026-03-04 00:00:00'),
      ('beta/b', 'beta', 2, '2026-03-01 09:00:03', '2026-03-02 09:00:00', 3600, 2, 100, 50, 50, 0, 0, 0, 90, 60, 0, 'k2', '2026-03-01 09:00:00', 3000, 2, 1, '2026-03-04 00:00:00'),
      ('beta/b', 'beta', 3, '2026-03-02 08:00:05', '2026-03-03 08:00:00', 3600, 2, 100, 100, 99, 0, 1, 0, 90, 60, 0, 'k2', '2026-03-02 08:00:00', 5000, 2, 2, '2026-03-04 00:00:00')
      """;

  private static final String DUPLICATE_PUBLICATION =
      """
      INSERT INTO list_publications (list, issuer, version, published_at, expires_at, ttl_seconds, bits, entries, allocated, valid, revoked, suspended, other, jwt_bytes, cwt_bytes, w3c_bytes, kid, oldest_change_at, lag_ms, kafka_partition, kafka_offset, ingested_at) VALUES
      ('acme/a', 'acme', 1, '2026-03-01 10:00:00.100', '2026-03-02 10:00:00', 3600, 1, 1000, 100, 999, 1, 0, 0, 500, 300, 0, 'k1', '2026-03-01 10:00:00', 100, 0, 0, '2026-03-04 00:02:00')
      """;

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(ch.jdbcUrl(db), ch.jdbcProperties());
  }

  private static TextTable query(String name) throws SQLException {
    try (Connection c = connect()) {
      return QueryRunner.run(c, AnalyticsCommand.sqlOf(name));
    }
  }

  @Test
  void everyQueryFileHasADocumentedHeader() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of("queries"))) {
      files = s.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
    }
    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "busiest_lists.sql",
            "list_fill.sql",
            "publication_lag.sql",
            "revocations_per_issuer_day.sql",
            "suspensions_lifted.sql");
    for (Path f : files) {
      assertThat(Files.readString(f))
          .as(f.toString())
          .startsWith("-- Question: ")
          .contains("-- Columns:")
          .contains("-- How to read it:");
    }
  }

  @Test
  void revocationsPerIssuerPerDayByReason() throws SQLException {
    TextTable t = query("revocations_per_issuer_day");
    assertThat(t.columns()).containsExactly("day", "issuer", "reason", "revocations");
    assertThat(t.rows())
        .containsExactly(
            List.of("2026-03-01", "acme", "key_compromise", "2"),
            List.of("2026-03-01", "acme", "superseded", "1"),
            List.of("2026-03-02", "acme", "fraud", "1"),
            List.of("2026-03-02", "acme", "key_compromise", "1"),
            List.of("2026-03-02", "acme", "superseded", "1"),
            List.of("2026-03-02", "beta", "key_compromise", "1"));
  }

  @Test
  void suspensionsLiftedAndAfterHowLong() throws SQLException {
    TextTable t = query("suspensions_lifted");
    assertThat(t.columns())
        .containsExactly(
            "issuer",
            "suspensions",
            "lifted",
            "revoked_after_suspension",
            "median_seconds",
            "p90_seconds",
            "max_seconds");
    // acme: idx 3 lifted after 2 h, idx 5 revoked while suspended.
    // beta: lifted after 1 h, 24 h and 30 min -> sorted 1800, 3600, 86400.
    assertThat(t.rows())
        .containsExactly(
            List.of("acme", "2", "1", "1", "7200", "7200", "7200"),
            List.of("beta", "3", "3", "0", "3600", "86400", "86400"));
  }

  @Test
  void publicationLagPercentiles() throws SQLException {
    TextTable t = query("publication_lag");
    assertThat(t.columns())
        .containsExactly(
            "issuer", "publications", "refreshes", "p50_ms", "p90_ms", "p99_ms", "max_ms");
    // exact quantiles take the value at rank floor(q * n) of the sorted lags:
    // acme [100, 200, 300], beta [1000, 3000, 5000], all six together for (all)
    assertThat(t.rows())
        .containsExactly(
            List.of("acme", "4", "1", "200", "300", "300", "300"),
            List.of("beta", "3", "0", "3000", "5000", "5000", "5000"),
            List.of("(all)", "7", "1", "1000", "5000", "5000", "5000"));
  }

  @Test
  void listFillLevelsAndProjectedFullDate() throws SQLException {
    TextTable t = query("list_fill");
    assertThat(t.columns())
        .containsExactly(
            "list",
            "state",
            "size",
            "allocated",
            "fill_pct",
            "created_at",
            "last_allocation_at",
            "allocating_ms",
            "per_day",
            "projected_full_at");
    // acme/a: 400 of 1000 in 2 days = 200 a day; 600 left -> 3 days after the last allocation.
    assertThat(t.rows())
        .containsExactly(
            List.of(
                "beta/b",
                "full",
                "100",
                "100",
                "100.0",
                "2026-03-01 00:00:00.000",
                "2026-03-02 00:00:00.000",
                "86400000",
                "100.0",
                "2026-03-02 00:00:00.000"),
            java.util.Arrays.asList(
                "acme/old",
                "retired",
                "10",
                "5",
                "50.0",
                "2026-03-01 00:00:00.000",
                "2026-03-01 06:00:00.000",
                "21600000",
                "20.0",
                null),
            List.of(
                "acme/a",
                "open",
                "1000",
                "400",
                "40.0",
                "2026-03-01 00:00:00.000",
                "2026-03-03 00:00:00.000",
                "172800000",
                "200.0",
                "2026-03-06 00:00:00.000"),
            java.util.Arrays.asList(
                "beta/c",
                "open",
                "10",
                "0",
                "0.0",
                "2026-03-02 00:00:00.000",
                null,
                null,
                null,
                null));
  }

  @Test
  void busiestLists() throws SQLException {
    TextTable t = query("busiest_lists");
    assertThat(t.columns())
        .containsExactly(
            "list",
            "changes",
            "revocations",
            "suspensions",
            "reinstatements",
            "first_change",
            "last_change");
    assertThat(t.rows())
        .containsExactly(
            List.of(
                "acme/a", "8", "5", "2", "1", "2026-03-01 10:00:00.000", "2026-03-02 11:00:00.000"),
            List.of(
                "beta/b", "7", "1", "3", "3", "2026-03-01 08:00:00.000", "2026-03-02 12:00:00.000"),
            List.of(
                "acme/old",
                "1",
                "1",
                "0",
                "0",
                "2026-03-01 07:00:00.000",
                "2026-03-01 07:00:00.000"));
  }

  @Test
  void queryCommandPrintsAnAlignedTableWithTheRowCount() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new AnalyticsCommand(
                Map.of(
                    "STATUSREG_ANALYTICS_USER", TestEngine.USER,
                    "STATUSREG_ANALYTICS_PASSWORD", TestEngine.PASSWORD),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(
                new String[] {
                  "query",
                  "SELECT list, count() AS changes FROM status_events FINAL"
                      + " GROUP BY list ORDER BY changes DESC, list",
                  "--jdbc-url",
                  ch.jdbcUrl(db)
                });
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            """
            list     | changes
            ---------+--------
            acme/a   |       8
            beta/b   |       7
            acme/old |       1
            (3 rows)
            """);
  }
}
