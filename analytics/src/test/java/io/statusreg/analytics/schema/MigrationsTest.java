package io.statusreg.analytics.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MigrationsTest {

  @Test
  void everyMigrationFileIsListedInTheIndexInVersionOrder() throws IOException {
    List<String> files;
    try (Stream<Path> s = Files.list(Path.of("src/main/resources/migrations"))) {
      files =
          s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted().toList();
    }
    List<Migration> builtIn = Migrations.builtIn();
    assertThat(builtIn).extracting(Migration::fileName).containsExactlyInAnyOrderElementsOf(files);
    assertThat(builtIn).extracting(Migration::version).containsExactly(1, 2, 3, 4);
    assertThat(builtIn)
        .extracting(Migration::name)
        .containsExactly(
            "status_events", "list_events", "list_publications", "list_kind_and_identifier");
    assertThat(builtIn.get(3).statements()).hasSize(3).allMatch(s -> s.startsWith("ALTER TABLE"));
  }

  @Test
  void statementsAreSplitAtSemicolonsEndingALineAndCommentLinesDropped() {
    Migration m =
        Migration.of(
            "V7__two_tables.sql",
            """
            -- a comment; with a semicolon
            CREATE TABLE a (x UInt8 COMMENT 'one; two')
            ENGINE = Memory;

            CREATE TABLE b (y UInt8) ENGINE = Memory;
            """);
    assertThat(m.version()).isEqualTo(7);
    assertThat(m.statements())
        .containsExactly(
            "CREATE TABLE a (x UInt8 COMMENT 'one; two')\nENGINE = Memory",
            "CREATE TABLE b (y UInt8) ENGINE = Memory");
  }

  @Test
  void checksumChangesWithTheTextButNotWithLineEndings() {
    Migration a = Migration.of("V1__a.sql", "CREATE TABLE t (x UInt8) ENGINE = Memory;\n");
    Migration crlf = Migration.of("V1__a.sql", "CREATE TABLE t (x UInt8) ENGINE = Memory;\r\n");
    Migration edited = Migration.of("V1__a.sql", "CREATE TABLE t (x UInt16) ENGINE = Memory;\n");
    assertThat(a.checksum()).hasSize(64).isEqualTo(crlf.checksum()).isNotEqualTo(edited.checksum());
  }

  @Test
  void badFileNamesAndGapsAreRefused() {
    assertThatThrownBy(() -> Migration.of("V1_missing_underscore.sql", ""))
        .isInstanceOf(MigrationException.class)
        .hasMessageContaining("V1__some_name.sql");
    assertThatThrownBy(
            () ->
                Migrations.ordered(
                    List.of(Migration.of("V1__a.sql", ""), Migration.of("V3__c.sql", ""))))
        .isInstanceOf(MigrationException.class)
        .hasMessageContaining("V3__c.sql where V2 was expected");
  }
}
