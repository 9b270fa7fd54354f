package io.statusreg.analytics.query;

import java.util.ArrayList;
import java.util.List;

/**
 * A query result as an aligned text table: a header row, a rule, the rows, and a row count. Numbers
 * are right-aligned, everything else left-aligned; NULL prints as {@code NULL}.
 */
public record TextTable(List<String> columns, List<List<String>> rows, List<Boolean> numeric) {
  public TextTable {
    columns = List.copyOf(columns);
    rows =
        rows.stream().map(r -> java.util.Collections.unmodifiableList(new ArrayList<>(r))).toList();
    numeric = List.copyOf(numeric);
    if (numeric.size() != columns.size()) {
      throw new IllegalArgumentException("one numeric flag per column");
    }
  }

  public String render() {
    int n = columns.size();
    int[] width = new int[n];
    for (int i = 0; i < n; i++) {
      width[i] = columns.get(i).length();
      for (List<String> row : rows) {
        width[i] = Math.max(width[i], cell(row, i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, columns, width, List.of());
    for (int i = 0; i < n; i++) {
      out.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
    }
    out.append('\n');
    for (List<String> row : rows) {
      line(out, row, width, numeric);
    }
    out.append('(').append(rows.size()).append(rows.size() == 1 ? " row" : " rows").append(")\n");
    return out.toString();
  }

  private static void line(
      StringBuilder out, List<String> cells, int[] width, List<Boolean> right) {
    StringBuilder l = new StringBuilder();
    for (int i = 0; i < width.length; i++) {
      String c = cell(cells, i);
      String pad = " ".repeat(width[i] - c.length());
      l.append(i == 0 ? "" : " | ");
      boolean alignRight = i < right.size() && right.get(i);
      l.append(alignRight ? pad + c : c + pad);
    }
    out.append(l.toString().stripTrailing()).append('\n');
  }

  private static String cell(List<String> row, int i) {
    String c = i < row.size() ? row.get(i) : "";
    return c == null ? "NULL" : c.replace("\n", "\\n").replace("\t", "\\t");
  }
}
