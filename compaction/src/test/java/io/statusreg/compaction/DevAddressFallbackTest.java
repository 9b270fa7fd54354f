package io.statusreg.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusreg.common.DevAddresses;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SRE tools find `statusreg dev` through the files it writes under its data directory. */
class DevAddressFallbackTest {
  @TempDir Path dataDir;
  @TempDir Path elsewhere;
  private final ByteArrayOutputStream notices = new ByteArrayOutputStream();

  @BeforeEach
  void devRan() {
    DevAddresses.writeBootstrap(dataDir, "127.0.0.1:41234");
    DevAddresses.writeHttpUrl(dataDir, "http://localhost:18080");
  }

  private PrintStream err() {
    return new PrintStream(notices, true, StandardCharsets.UTF_8);
  }

  private String said() {
    return notices.toString(StandardCharsets.UTF_8);
  }

  private static CliArgs args(String... args) {
    return CliArgs.parse(args, ToolSettings.withCommon("jwks", "jwks-url"), Set.of());
  }

  private String bootstrap(Map<String, String> env, String... args) {
    return ToolSettings.read(args(args), env, err()).bootstrapServers();
  }

  @Test
  void withNothingGivenTheToolsUseDevsBrokerAndSaySo() {
    assertThat(bootstrap(Map.of(), "--data-dir", dataDir.toString())).isEqualTo("127.0.0.1:41234");
    assertThat(said())
        .contains("kafka: 127.0.0.1:41234")
        .contains(dataDir.resolve("kafka/bootstrap").toString());
  }

  @Test
  void aFlagTheEnvironmentOrAPropertiesFileWinsOverDevsFile() throws Exception {
    String dir = dataDir.toString();
    assertThat(bootstrap(Map.of(), "--data-dir", dir, "--bootstrap-servers", "flag:9092"))
        .isEqualTo("flag:9092");
    assertThat(
            bootstrap(Map.of("STATUSREG_KAFKA_BOOTSTRAP_SERVERS", "env:9092"), "--data-dir", dir))
        .isEqualTo("env:9092");
    Path config = elsewhere.resolve("registry.properties");
    Files.writeString(config, "kafka.bootstrap.servers=file:9092\n");
    assertThat(bootstrap(Map.of(), "--data-dir", dir, "--config", config.toString()))
        .isEqualTo("file:9092");
    assertThat(said()).isEmpty();
  }

  @Test
  void withoutDevsFileTheDefaultIsUsedAndSaidToBe() {
    assertThat(bootstrap(Map.of(), "--data-dir", elsewhere.toString())).isEqualTo("localhost:9092");
    assertThat(said())
        .contains("kafka: localhost:9092 (the default")
        .contains(elsewhere.resolve("kafka/bootstrap").toString());
  }

  @Test
  void theDataDirDefaultsToDataInTheWorkingDirectory() {
    assertThat(ToolSettings.dataDir(args())).isEqualTo(Path.of("data"));
  }

  @Test
  void auditDefaultsItsJwksUrlToDevsRegistry() {
    AuditCommand.KeySource source =
        AuditCommand.KeySource.of(args("--data-dir", dataDir.toString()), err());
    assertThat(source.url()).hasValue("http://localhost:18080/.well-known/jwks.json");
    assertThat(source.file()).isEmpty();
    assertThat(said())
        .contains("jwks: http://localhost:18080/.well-known/jwks.json")
        .contains(dataDir.resolve("http-url").toString());

    AuditCommand.KeySource given =
        AuditCommand.KeySource.of(
            args("--data-dir", dataDir.toString(), "--jwks-url", "https://r.example/jwks"), err());
    assertThat(given.url()).hasValue("https://r.example/jwks");
    AuditCommand.KeySource file =
        AuditCommand.KeySource.of(
            args("--data-dir", dataDir.toString(), "--jwks", "k.json"), err());
    assertThat(file.file()).hasValue(Path.of("k.json"));

    assertThatThrownBy(
            () -> AuditCommand.KeySource.of(args("--data-dir", elsewhere.toString()), err()))
        .isInstanceOf(CliArgs.UsageException.class)
        .hasMessageContaining("--jwks FILE or --jwks-url URL")
        .hasMessageContaining(elsewhere.resolve("http-url").toString());
  }

  @Test
  void everyToolAcceptsDataDir() {
    Run topics = run("topics", "verify", "--data-dir", elsewhere.toString(), "--nope");
    assertThat(topics.code).isEqualTo(2);
    assertThat(topics.err).contains("unknown option --nope");
    for (String command : new String[] {"snapshot", "replay", "audit", "reset"}) {
      Run r = run(command, "--data-dir", elsewhere.toString(), "--nope");
      assertThat(r.code).as(command).isEqualTo(2);
      assertThat(r.err).as(command).contains("unknown option --nope");
    }
  }

  record Run(int code, String err) {}

  private static Run run(String command, String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    int code =
        switch (command) {
          case "topics" -> TopicsCommand.run(args, o, e, Map.of());
          case "snapshot" -> SnapshotCommand.run(args, o, e, Map.of(), java.time.Clock.systemUTC());
          case "replay" -> ReplayCommand.run(args, o, e, Map.of());
          case "audit" -> AuditCommand.run(args, o, e, Map.of());
          case "reset" -> ResetCommand.run(args, o, e, Map.of());
          default -> throw new IllegalArgumentException(command);
        };
    return new Run(code, err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void devsBrokerComesWithDevsTopicSettingsBelowEnvironmentAndFlags() {
    DevAddresses.writeSettings(
        dataDir,
        Map.of(
            "events.partitions", "12",
            "topic.replication.factor", "1",
            "topic.min.insync.replicas", "1",
            "record.max.bytes", "16777216"));
    String dir = dataDir.toString();

    var dev = ToolSettings.read(args("--data-dir", dir), Map.of(), err());
    assertThat(dev.replicationFactor()).isEqualTo((short) 1);
    assertThat(dev.minInsyncReplicas()).isEqualTo(1);
    assertThat(said()).contains("topics: dev's settings").contains("dev-settings.properties");

    var env =
        ToolSettings.read(
            args("--data-dir", dir), Map.of("STATUSREG_TOPIC_REPLICATION_FACTOR", "2"), err());
    assertThat(env.replicationFactor()).as("the environment wins").isEqualTo((short) 2);
    assertThat(env.minInsyncReplicas()).isEqualTo(1);

    var flag =
        ToolSettings.read(
            CliArgs.parse(
                new String[] {"--data-dir", dir, "--replication-factor", "3"},
                ToolSettings.withCommon("replication-factor"),
                Set.of()),
            Map.of(),
            err());
    assertThat(flag.replicationFactor()).as("a flag wins").isEqualTo((short) 3);

    var elsewhereBroker =
        ToolSettings.read(
            args("--data-dir", dir, "--bootstrap-servers", "prod:9092"), Map.of(), err());
    assertThat(elsewhereBroker.replicationFactor())
        .as("another broker gets the production defaults")
        .isEqualTo((short) 3);
  }
}
