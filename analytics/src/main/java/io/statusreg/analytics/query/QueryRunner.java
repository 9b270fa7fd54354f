package io.statusreg.analytics.query;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Runs one SQL statement through JDBC and returns its result as a {@link TextTable}. */
public final class QueryRunner {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private QueryRunner() {}

  public static TextTable run(Connection connection, String sql) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(sqlOf(sql))) {
      ResultSetMetaData meta = rs.getMetaData();
      int n = meta.getColumnCount();
      List<String> columns = new ArrayList<>(n);
      List<Boolean> numeric = new ArrayList<>(n);
      for (int i = 1; i <= n; i++) {
        columns.add(meta.getColumnLabel(i));
        numeric.add(isNumeric(meta.getColumnType(i)));
      }
      List<List<String>> rows = new ArrayList<>();
      while (rs.next()) {
        List<String> row = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          row.add(text(rs, i, meta.getColumnType(i)));
        }
        rows.add(row);
      }
      return new TextTable(columns, rows, numeric);
    }
  }

  /** The SQL of a file without its comment lines and trailing {@code ;}. */
  public static String sqlOf(String sql) {
    StringBuilder body = new StringBuilder();
    for (String line : sql.replace("\r\n", "\n").split("\n")) {
      if (!line.strip().startsWith("--")) {
        body.append(line).append('\n');
      }
    }
    String s = body.toString().strip();
    while (s.endsWith(";")) {
      s = s.substring(0, s.length() - 1).strip();
    }
    return s;
  }

  private static String text(ResultSet rs, int i, int type) throws SQLException {
    if (type == Types.TIMESTAMP || type == Types.TIMESTAMP_WITH_TIMEZONE) {
      Timestamp t = rs.getTimestamp(i);
      return t == null ? null : TIME.format(t.toInstant());
    }
    String v = rs.getString(i);
    return rs.wasNull() ? null : v;
  }

  private static boolean isNumeric(int type) {
    return switch (type) {
      case Types.TINYINT,
          Types.SMALLINT,
          Types.INTEGER,
          Types.BIGINT,
          Types.FLOAT,
          Types.REAL,
          Types.DOUBLE,
          Types.NUMERIC,
          Types.DECIMAL ->
          true;
      default -> false;
    };
  }
}
