package io.statusreg.analytics.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextTableTest {

  @Test
  void columnsAreAlignedNumbersRightAndTheRowCountFollows() {
    TextTable t =
        new TextTable(
            List.of("list", "changes", "note"),
            List.of(List.of("acme/a", "8", "hot"), Arrays.asList("beta/long-name", "12345", null)),
            List.of(false, true, false));
    assertThat(t.render())
        .isEqualTo(
            """
            list           | changes | note
            ---------------+---------+-----
            acme/a         |       8 | hot
            beta/long-name |   12345 | NULL
            (2 rows)
            """);
  }

  @Test
  void anEmptyResultStillShowsItsColumns() {
    TextTable t = new TextTable(List.of("x"), List.of(), List.of(true));
    assertThat(t.render()).isEqualTo("x\n-\n(0 rows)\n");
  }

  @Test
  void commentLinesAndTheTrailingSemicolonAreRemoved() {
    assertThat(QueryRunner.sqlOf("-- question\nSELECT 1 -- inline stays\n;\n"))
        .isEqualTo("SELECT 1 -- inline stays");
  }
}
