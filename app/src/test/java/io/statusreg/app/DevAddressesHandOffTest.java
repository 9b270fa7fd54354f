package io.statusreg.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.compaction.AuditCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What dev writes at start is what the tools read when given no address. */
class DevAddressesHandOffTest {
  @TempDir Path dataDir;

  @Test
  void devWritesOneLinePerAddressAndRewritesItAtEveryStart() throws Exception {
    DevCommand.writeAddresses(dataDir, "127.0.0.1:40001", "http://localhost:18080");
    DevCommand.writeAddresses(dataDir, "127.0.0.1:40002", "http://localhost:18081");
    assertThat(Files.readString(dataDir.resolve("kafka/bootstrap"))).isEqualTo("127.0.0.1:40002\n");
    assertThat(Files.readString(dataDir.resolve("http-url"))).isEqualTo("http://localhost:18081\n");
  }

  @Test
  void devLeavesItsTopicSettingsForTheTools() {
    io.statusreg.registry.config.Settings settings =
        io.statusreg.registry.config.Settings.of(
            Map.of(
                "topic.replication.factor", "1",
                "topic.min.insync.replicas", "1",
                "events.partitions", "3"));

    DevCommand.writeTopicSettings(dataDir, settings);

    assertThat(io.statusreg.common.DevAddresses.settings(dataDir))
        .containsOnly(
            Map.entry("topic.replication.factor", "1"),
            Map.entry("topic.min.insync.replicas", "1"),
            Map.entry("events.partitions", "3"),
            Map.entry("record.max.bytes", "16777216"));
  }

  @Test
  void auditWithNoAddressesUsesDevsBrokerAndJwks() {
    // Nobody listens on these ports: the audit fails to fetch the keys, after saying where it
    // looked for Kafka and the JWKS (both from dev's files).
    DevCommand.writeAddresses(dataDir, "127.0.0.1:1", "http://127.0.0.1:1");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        AuditCommand.run(
            new String[] {"--data-dir", dataDir.toString(), "--no-progress"},
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of());
    String said = err.toString(StandardCharsets.UTF_8);
    assertThat(code).isEqualTo(1);
    assertThat(said)
        .contains("kafka: 127.0.0.1:1 (from " + dataDir.resolve("kafka/bootstrap"))
        .contains("jwks: http://127.0.0.1:1/.well-known/jwks.json (from")
        .contains("fetching http://127.0.0.1:1/.well-known/jwks.json");
  }
}
