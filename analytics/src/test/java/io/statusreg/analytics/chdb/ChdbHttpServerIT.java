package io.statusreg.analytics.chdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real clickhouse-jdbc driver against chDB through {@link ChdbHttpServer}. */
@Tag("chdb")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ChdbHttpServerIT {

  private static final String USER = "statusreg";
  private static final String PASSWORD = "s3cret";
  private static final Instant T0 = Instant.parse("2026-03-01T10:15:30.123Z");
  private static final int ROWS = 5000;

  @TempDir static Path dataDir;
  static LocalClickHouse ch;

  @BeforeAll
  static void start() {
    ch = start(dataDir);
  }

  @AfterAll
  static void stop() {
    if (ch != null) {
      ch.close();
    }
  }

  private static LocalClickHouse start(Path dir) {
    return LocalClickHouse.start(
        LocalClickHouse.Config.of(dir)
            .withCredentials(USER, PASSWORD)
            .withLibrary(ChdbTestSupport.library()));
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(ch.jdbcUrl(), ch.jdbcProperties());
  }

  @Test
  void batchInsertOfStatusEventsReadsBackTyped() throws SQLException {
    // the driver sends the batch as one INSERT ... VALUES text statement
    batchInsertAndReadBack("status_events_values", new Properties());
  }

  @Test
  void rowBinaryBatchInsertReadsBackTyped() throws SQLException {
    // the driver sends INSERT ... FORMAT RowBinary with binary data in the body
    Properties rowBinary = new Properties();
    rowBinary.setProperty("beta.row_binary_for_simple_insert", "true");
    batchInsertAndReadBack("status_events_rowbinary", rowBinary);
  }

  private static void batchInsertAndReadBack(String table, Properties extra) throws SQLException {
    Properties props = ch.jdbcProperties();
    props.putAll(extra);
    try (Connection c = DriverManager.getConnection(ch.jdbcUrl(), props);
        Statement s = c.createStatement()) {
      s.execute(
          """
          CREATE TABLE default.%s (
            event_id String,
            at DateTime64(3, 'UTC'),
            issuer LowCardinality(String),
            idx UInt64,
            kafka_partition Int32,
            new_status UInt8
          ) ENGINE = ReplacingMergeTree ORDER BY event_id"""
              .formatted(table));

      try (PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO default."
                  + table
                  + " (event_id, at, issuer, idx, kafka_partition, new_status)"
                  + " VALUES (?, ?, ?, ?, ?, ?)")) {
        for (int i = 0; i < ROWS; i++) {
          insert.setString(1, "ev-" + i);
          insert.setTimestamp(2, Timestamp.from(T0.plusMillis(i)));
          insert.setString(3, "issuer-" + (i % 3));
          insert.setLong(4, 4_000_000_000L + i);
          insert.setInt(5, i % 12 - 6);
          insert.setInt(6, i % 3);
          insert.addBatch();
        }
        int[] counts = insert.executeBatch();
        assertThat(counts).hasSize(ROWS);
      }

      try (ResultSet rs = s.executeQuery("SELECT count() FROM default." + table)) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(ROWS);
      }

      try (ResultSet rs =
          s.executeQuery(
              "SELECT event_id, at, issuer, idx, kafka_partition, new_status"
                  + " FROM default."
                  + table
                  + " WHERE event_id IN ('ev-0', 'ev-4999')"
                  + " ORDER BY idx")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("event_id")).isEqualTo("ev-0");
        assertThat(rs.getTimestamp("at").toInstant()).isEqualTo(T0);
        assertThat(rs.getString("issuer")).isEqualTo("issuer-0");
        assertThat(rs.getLong("idx")).isEqualTo(4_000_000_000L);
        assertThat(rs.getObject("idx")).isIn(BigInteger.valueOf(4_000_000_000L), 4_000_000_000L);
        assertThat(rs.getInt("kafka_partition")).isEqualTo(-6);
        assertThat(rs.getInt("new_status")).isZero();

        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("event_id")).isEqualTo("ev-4999");
        assertThat(rs.getTimestamp("at").toInstant()).isEqualTo(T0.plusMillis(4999));
        assertThat(rs.getString("issuer")).isEqualTo("issuer-1");
        assertThat(rs.getLong("idx")).isEqualTo(4_000_004_999L);
        assertThat(rs.getInt("kafka_partition")).isEqualTo(4999 % 12 - 6);
        assertThat(rs.getInt("new_status")).isEqualTo(4999 % 3);
        assertThat(rs.next()).isFalse();
      }
    }
  }

  @Test
  void finalCollapsesReplayedDuplicates() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE default.replayed (event_id String, idx UInt64)"
              + " ENGINE = ReplacingMergeTree ORDER BY event_id");
      for (int round = 0; round < 2; round++) { // the second round is a replay after a crash
        try (PreparedStatement insert =
            c.prepareStatement("INSERT INTO default.replayed (event_id, idx) VALUES (?, ?)")) {
          for (int i = 0; i < 300; i++) {
            insert.setString(1, "ev-" + i);
            insert.setLong(2, i);
            insert.addBatch();
          }
          insert.executeBatch();
        }
      }
      assertThat(count(s, "SELECT count() FROM default.replayed")).isEqualTo(600);
      assertThat(count(s, "SELECT count() FROM default.replayed FINAL")).isEqualTo(300);
    }
  }

  @Test
  void sqlErrorSurfacesWithTheClickHouseCode() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.executeQuery("SELECT * FROM default.no_such_table"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("Code: 60")
          .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(60));
      // the connection is still usable
      assertThat(count(s, "SELECT 7")).isEqualTo(7);
    }
  }

  @Test
  void wrongPasswordIsRejected() {
    Properties wrong = new Properties();
    wrong.setProperty("user", USER);
    wrong.setProperty("password", "not-" + PASSWORD);
    assertThatThrownBy(
            () -> {
              try (Connection c = DriverManager.getConnection(ch.jdbcUrl(), wrong);
                  Statement s = c.createStatement()) {
                s.executeQuery("SELECT 1").close();
              }
            })
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("516");
  }

  @Test
  void dataSurvivesClosingAndReopeningTheEngine() throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE default.durable (id UInt64) ENGINE = MergeTree ORDER BY id");
      // the update count comes from written_rows in X-ClickHouse-Summary
      assertThat(s.executeUpdate("INSERT INTO default.durable SELECT number FROM numbers(1234)"))
          .isEqualTo(1234);
    }
    ch.close();
    ch = start(dataDir);
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      assertThat(count(s, "SELECT count() FROM default.durable")).isEqualTo(1234);
    }
  }

  @Test
  void concurrentClientsEachSeeTheirOwnDatabase() throws Exception {
    int clients = 4;
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      for (int n = 0; n < clients; n++) {
        s.execute("CREATE DATABASE tenant_" + n);
        s.execute("CREATE TABLE tenant_" + n + ".t (id UInt64) ENGINE = MergeTree ORDER BY id");
        s.execute("INSERT INTO tenant_" + n + ".t SELECT number FROM numbers(" + (n + 1) + ")");
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<List<Long>>> seen = new ArrayList<>();
      for (int n = 0; n < clients; n++) {
        String url = ch.jdbcUrl("tenant_" + n);
        seen.add(
            pool.submit(
                () -> {
                  List<Long> counts = new ArrayList<>();
                  try (Connection c = DriverManager.getConnection(url, ch.jdbcProperties());
                      Statement s = c.createStatement()) {
                    for (int i = 0; i < 15; i++) {
                      counts.add(count(s, "SELECT count() FROM t")); // unqualified
                    }
                  }
                  return counts;
                }));
      }
      for (int n = 0; n < clients; n++) {
        assertThat(seen.get(n).get(60, TimeUnit.SECONDS)).hasSize(15).containsOnly(n + 1L);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void httpInterfaceAnswersLikeClickHouse() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI base = URI.create("http://127.0.0.1:" + ch.port());
    String auth =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    HttpResponse<String> ping =
        http.send(
            HttpRequest.newBuilder(base.resolve("/ping")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ping.statusCode()).isEqualTo(200);
    assertThat(ping.body()).isEqualTo("Ok.\n");

    HttpResponse<String> ok =
        http.send(
            HttpRequest.newBuilder(base.resolve("/?default_format=CSV&max_threads=1"))
                .header("Authorization", auth)
                .header("X-ClickHouse-Query-Id", "q-42")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "SELECT number, getSetting('max_threads') FROM numbers(3)"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("0,1\n1,1\n2,1\n");
    assertThat(ok.headers().firstValue("X-ClickHouse-Format")).hasValue("CSV");
    assertThat(ok.headers().firstValue("X-ClickHouse-Query-Id")).hasValue("q-42");
    assertThat(ok.headers().firstValue("X-ClickHouse-Timezone")).isPresent();
    assertThat(ok.headers().firstValue("X-ClickHouse-Server-Display-Name")).isPresent();
    assertThat(ok.headers().firstValue("X-ClickHouse-Summary").orElseThrow())
        .contains("\"result_rows\":\"3\"")
        .contains("\"elapsed_ns\":");

    // the setting applied to that request only
    HttpResponse<String> after =
        http.send(
            HttpRequest.newBuilder(
                    base.resolve("/?query=SELECT%20getSetting('max_threads')%20%3D%201"))
                .header("Authorization", auth)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(after.body()).isEqualTo("0\n");

    HttpResponse<String> bad =
        http.send(
            HttpRequest.newBuilder(base.resolve("/"))
                .header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofString("SELEKT 1"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isGreaterThanOrEqualTo(400);
    assertThat(bad.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("62");
    assertThat(bad.body()).startsWith("Code: 62. DB::Exception:");

    HttpResponse<String> unknownSetting =
        http.send(
            HttpRequest.newBuilder(base.resolve("/?query=SELECT%201&no_such_setting=1"))
                .header("Authorization", auth)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(unknownSetting.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("115");

    HttpResponse<String> denied =
        http.send(
            HttpRequest.newBuilder(base.resolve("/?query=SELECT%201"))
                .header(
                    "Authorization",
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString((USER + ":nope").getBytes(StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(denied.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("516");
    assertThat(denied.body()).startsWith("Code: 516. DB::Exception:");
  }

  private static long count(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    }
  }
}
