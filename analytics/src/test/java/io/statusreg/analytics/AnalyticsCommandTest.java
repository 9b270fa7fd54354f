package io.statusreg.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyticsCommandTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private AnalyticsCommand command(Map<String, String> env) {
    return new AnalyticsCommand(
        env,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void aBundledQueryIsFoundByNameAndAFileByPath() throws IOException {
    assertThat(AnalyticsCommand.sqlOf("busiest_lists")).startsWith("-- Question: which lists");
    assertThat(AnalyticsCommand.sqlOf("list_fill.sql")).contains("projected_full_at");
    Path file = dir.resolve("mine.sql");
    Files.writeString(file, "SELECT 42");
    assertThat(AnalyticsCommand.sqlOf(file.toString())).isEqualTo("SELECT 42");
    assertThat(AnalyticsCommand.sqlOf("SELECT count() FROM status_events"))
        .isEqualTo("SELECT count() FROM status_events");
    assertThatThrownBy(() -> AnalyticsCommand.sqlOf("no_such_query"))
        .hasMessageContaining("no file and no bundled query named no_such_query");
  }

  @Test
  void withoutAnAddressTheQueryCommandSaysWhereItLooked() {
    int code =
        command(Map.of()).run(new String[] {"query", "SELECT 1", "--data-dir", dir.toString()});
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--jdbc-url")
        .contains("STATUSREG_ANALYTICS_JDBC_URL")
        .contains(dir.resolve("clickhouse/jdbc-url").toString());
  }

  @Test
  void theDevEnginesUrlFileIsUsedWhenNothingElseIsGiven() throws IOException {
    Files.createDirectories(dir.resolve("clickhouse"));
    Files.writeString(
        dir.resolve(DevAnalytics.JDBC_URL_FILE), "jdbc:clickhouse:http://127.0.0.1:1/x\n");
    AnalyticsCommand c = command(Map.of());
    AnalyticsSettings s =
        c.resolved(AnalyticsCommand.parse(new String[] {"query", "--data-dir", dir.toString()}));
    assertThat(s.jdbcUrl()).hasValue("jdbc:clickhouse:http://127.0.0.1:1/x");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("clickhouse: jdbc:clickhouse:http://127.0.0.1:1/x (from");

    AnalyticsSettings fromEnv =
        command(Map.of("STATUSREG_ANALYTICS_JDBC_URL", "jdbc:clickhouse:http://ch:8123/a"))
            .resolved(AnalyticsCommand.parse(new String[] {"query", "--data-dir", dir.toString()}));
    assertThat(fromEnv.jdbcUrl()).hasValue("jdbc:clickhouse:http://ch:8123/a");

    AnalyticsSettings fromFlag =
        command(Map.of("STATUSREG_ANALYTICS_JDBC_URL", "jdbc:clickhouse:http://ch:8123/a"))
            .resolved(
                AnalyticsCommand.parse(
                    new String[] {"query", "--jdbc-url=jdbc:clickhouse:http://other:8123/b"}));
    assertThat(fromFlag.jdbcUrl()).hasValue("jdbc:clickhouse:http://other:8123/b");
  }

  @Test
  void theSinkUsesDevsBrokerWhenNoFlagEnvironmentOrFileNamesOne() throws IOException {
    io.statusreg.common.DevAddresses.writeBootstrap(dir, "127.0.0.1:41234");
    String[] sink = {"sink", "--data-dir", dir.toString()};
    AnalyticsSettings fromDev =
        AnalyticsSettings.from(command(Map.of()).withKafka(AnalyticsCommand.parse(sink)));
    assertThat(fromDev.bootstrapServers()).isEqualTo("127.0.0.1:41234");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("kafka: 127.0.0.1:41234")
        .contains(dir.resolve("kafka/bootstrap").toString());

    err.reset();
    AnalyticsSettings fromEnv =
        AnalyticsSettings.from(
            command(Map.of("STATUSREG_KAFKA_BOOTSTRAP_SERVERS", "env:9092"))
                .withKafka(AnalyticsCommand.parse(sink)));
    assertThat(fromEnv.bootstrapServers()).isEqualTo("env:9092");
    AnalyticsSettings fromFlag =
        AnalyticsSettings.from(
            command(Map.of())
                .withKafka(
                    AnalyticsCommand.parse(
                        new String[] {
                          "sink", "--data-dir", dir.toString(), "--bootstrap-servers", "flag:9092"
                        })));
    assertThat(fromFlag.bootstrapServers()).isEqualTo("flag:9092");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();

    AnalyticsSettings noDev =
        AnalyticsSettings.from(
            command(Map.of())
                .withKafka(
                    AnalyticsCommand.parse(
                        new String[] {"sink", "--data-dir", dir.resolve("none").toString()})));
    assertThat(noDev.bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("kafka: localhost:9092 (the default");
  }

  @Test
  void unknownOptionsAndCommandsAreUsageErrors() {
    assertThat(command(Map.of()).run(new String[] {"query", "--password", "x"})).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --password");
    assertThat(command(Map.of()).run(new String[] {"frobnicate"})).isEqualTo(2);
    assertThat(command(Map.of()).run(new String[] {})).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage: statusreg analytics");
  }

  @Test
  void aBadSettingIsNamedAndTheSecretIsNotPrinted() {
    int code =
        command(
                Map.of(
                    "STATUSREG_ANALYTICS_BATCH_ROWS", "-5",
                    "STATUSREG_ANALYTICS_PASSWORD", "s3cr3t-value"))
            .run(new String[] {"sink"});
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("analytics.batch.rows")
        .contains("-5")
        .doesNotContain("s3cr3t-value");
    assertThat(
            AnalyticsSettings.from(
                    io.statusreg.registry.config.Settings.of(
                        Map.of("analytics.password", "s3cr3t-value")))
                .toString())
        .doesNotContain("s3cr3t-value");
  }
}
