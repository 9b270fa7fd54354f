package io.statusreg.analytics.chdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SqlHeadTest {

  @Test
  void insertWithFormatSplitsStatementFromBinaryData() {
    byte[] request = bytes("INSERT INTO t (a, b) FORMAT RowBinary\n\0\1\n\2");
    SqlHead.Parsed p = SqlHead.parse(request, request.length);
    assertThat(p.isInsertWithFormat()).isTrue();
    assertThat(p.formatName()).hasValue("RowBinary");
    assertThat(SqlHead.before(request, p.formatClauseStart())).isEqualTo("INSERT INTO t (a, b)");
    assertThat(request.length - p.dataStart()).isEqualTo(4); // \0 \1 \n \2, first newline eaten
  }

  @Test
  void dataMayStartWithWhitespaceAfterTheSeparatingNewline() {
    byte[] request = bytes("insert into t format TSV \r\n\t1\n");
    SqlHead.Parsed p = SqlHead.parse(request, request.length);
    assertThat(p.formatName()).hasValue("TSV");
    assertThat(
            new String(
                request, p.dataStart(), request.length - p.dataStart(), StandardCharsets.UTF_8))
        .isEqualTo("\t1\n");
  }

  @Test
  void formatInsideStringsCommentsAndQuotedNamesDoesNotCount() {
    SqlHead.Parsed p =
        SqlHead.parse(
            "INSERT INTO `FORMAT x` SETTINGS a = 'FORMAT CSV' /* FORMAT JSON */ -- FORMAT TSV\n"
                + " FORMAT Native\n");
    assertThat(p.formatName()).hasValue("Native");
  }

  @Test
  void insertValuesAndInsertSelectCarryNoSeparateData() {
    assertThat(SqlHead.parse("INSERT INTO t VALUES (1, 'FORMAT CSV')").isInsertWithFormat())
        .isFalse();
    assertThat(SqlHead.parse("INSERT INTO t SELECT * FROM s FORMAT CSV").isInsertWithFormat())
        .isFalse();
  }

  @Test
  void selectFormatClauseDecidesTheOutputFormat() {
    assertThat(SqlHead.parse("SELECT 1 FORMAT JSONEachRow").formatName()).hasValue("JSONEachRow");
    assertThat(SqlHead.parse("SELECT 1 FORMAT CSV SETTINGS max_threads = 1").formatName())
        .hasValue("CSV");
    assertThat(SqlHead.parse("SELECT format FROM t").formatName()).isEmpty();
    assertThat(SqlHead.parse("SELECT (SELECT 1 FORMAT CSV)").formatName()).isEmpty();
    assertThat(SqlHead.parse("select 1").firstKeyword()).isEqualTo("SELECT");
  }

  @Test
  void insertFormatNameCutOffByTheBufferIsIncomplete() {
    byte[] request = bytes("INSERT INTO t FORMAT RowBin");
    assertThat(SqlHead.parse(request, request.length).complete()).isFalse();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
