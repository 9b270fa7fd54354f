package io.statusreg.analytics.chdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Tag("chdb")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChdbIT {

  @TempDir static Path dataDir;
  static Chdb chdb;

  @BeforeAll
  static void open() {
    chdb = Chdb.open(ChdbTestSupport.library(), dataDir);
  }

  @AfterAll
  static void close() {
    if (chdb != null) {
      chdb.close();
    }
  }

  @Test
  void versionOfTheEngineIsThePinnedOne() {
    // chDB 26.7.3 embeds ClickHouse 26.7.2
    assertThat(chdb.query("SELECT version()").text().strip()).startsWith("26.7.");
    assertThat(chdb.libraryVersion()).startsWith("26.7.3");
  }

  @Test
  void mergeTreeTableLivesOnTheDataPath() {
    chdb.query(
        "CREATE TABLE default.events (id UInt64, name String) ENGINE = MergeTree ORDER BY id");
    ChdbResult insert =
        chdb.query("INSERT INTO default.events SELECT number, toString(number) FROM numbers(1000)");
    assertThat(insert.writtenRows()).isEqualTo(1000);

    ChdbResult sum = chdb.query("SELECT count(), sum(id) FROM default.events WHERE id % 2 = 0");
    assertThat(sum.text()).isEqualTo("500\t249500\n");
    assertThat(sum.resultRows()).isEqualTo(1);
    assertThat(chdb.query("SELECT data_paths FROM system.tables WHERE name = 'events'").text())
        .contains(chdb.dataDir().toString());
  }

  @Test
  void replacingMergeTreeCollapsesDuplicatesWithFinal() {
    chdb.query(
        "CREATE TABLE default.status (id String, version UInt64, status UInt8)"
            + " ENGINE = ReplacingMergeTree(version) ORDER BY id");
    chdb.query("INSERT INTO default.status VALUES ('a', 1, 0), ('b', 1, 0)");
    chdb.query("INSERT INTO default.status VALUES ('a', 2, 1)");
    assertThat(chdb.query("SELECT count() FROM default.status").text()).isEqualTo("3\n");
    assertThat(chdb.query("SELECT id, status FROM default.status FINAL ORDER BY id", "CSV").text())
        .isEqualTo("\"a\",1\n\"b\",0\n");
  }

  @Test
  void badQueryCarriesTheClickHouseErrorCode() {
    assertThatThrownBy(() -> chdb.query("SELEKT 1"))
        .isInstanceOfSatisfying(
            ChdbException.class,
            e -> {
              assertThat(e.code()).isEqualTo(62); // SYNTAX_ERROR
              assertThat(e.engineMessage()).contains("Code: 62").contains("DB::Exception");
            });
    assertThatThrownBy(() -> chdb.query("SELECT * FROM default.no_such_table"))
        .isInstanceOfSatisfying(ChdbException.class, e -> assertThat(e.code()).isEqualTo(60));
    // the session is still usable after an error
    assertThat(chdb.query("SELECT 1").text()).isEqualTo("1\n");
  }

  @Test
  void useSwitchesTheCurrentDatabaseEvenAfterAPlainUseStatement() {
    chdb.query("CREATE DATABASE IF NOT EXISTS analytics_a");
    chdb.use("analytics_a");
    assertThat(chdb.query("SELECT currentDatabase()").text()).isEqualTo("analytics_a\n");
    chdb.query("USE default");
    chdb.use("analytics_a");
    assertThat(chdb.query("SELECT currentDatabase()").text()).isEqualTo("analytics_a\n");
    chdb.use("default");
    assertThat(chdb.query("SELECT currentDatabase()").text()).isEqualTo("default\n");
  }

  @Test
  void boundParametersAreNotInterpolated() {
    ChdbResult r =
        chdb.query(
            "SELECT {n:UInt32} + 1, {s:String}", "TSV", Map.of("n", "41", "s", "it's; DROP"));
    assertThat(r.text()).isEqualTo("42\tit\\'s; DROP\n");
  }

  @Test
  void rowBinaryStreamsIntoAnInsertWithNulBytes() {
    chdb.query(
        "CREATE TABLE default.bin (id UInt32, payload String) ENGINE = MergeTree ORDER BY id");
    ByteArrayOutputStream rows = new ByteArrayOutputStream();
    for (int i = 0; i < 3000; i++) {
      rows.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(i).array());
      byte[] payload = ("x\0" + i).getBytes(StandardCharsets.UTF_8);
      rows.write(payload.length); // LEB128 length, < 128
      rows.writeBytes(payload);
    }
    ChdbResult r =
        chdb.insert(
            "INSERT INTO default.bin (id, payload)",
            "RowBinary",
            new ByteArrayInputStream(rows.toByteArray()));
    assertThat(r.writtenRows()).isEqualTo(3000);
    assertThat(chdb.query("SELECT count(), sum(length(payload)), max(id) FROM default.bin").text())
        .isEqualTo("3000\t" + expectedPayloadBytes() + "\t2999\n");
  }

  @Test
  void badInsertDataIsReportedWithACode() {
    chdb.query("CREATE TABLE default.bad (id UInt32) ENGINE = MergeTree ORDER BY id");
    assertThatThrownBy(
            () ->
                chdb.insert(
                    "INSERT INTO default.bad",
                    "CSV",
                    new ByteArrayInputStream("1\nnot-a-number\n".getBytes(StandardCharsets.UTF_8))))
        .isInstanceOfSatisfying(ChdbException.class, e -> assertThat(e.code()).isPositive());
    assertThat(chdb.query("SELECT 2").text()).isEqualTo("2\n");
  }

  private static long expectedPayloadBytes() {
    long total = 0;
    for (int i = 0; i < 3000; i++) {
      total += 2 + Integer.toString(i).length();
    }
    return total;
  }
}
