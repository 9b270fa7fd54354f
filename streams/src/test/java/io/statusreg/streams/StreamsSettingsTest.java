package io.statusreg.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusreg.registry.config.Setting;
import io.statusreg.registry.config.Settings;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamsSettingsTest {

  private static StreamsSettings read(Map<String, String> raw) {
    return StreamsSettings.from(Settings.of(raw));
  }

  @Test
  void defaultsAreValidAndDocumented() {
    StreamsSettings s = read(Map.of());
    assertThat(s.commandDedupRetention()).isEqualTo(Duration.ofDays(1));
    assertThat(s.publishInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.staticMembership()).isFalse();
    assertThat(s.sessionTimeout()).isEqualTo(Duration.ofSeconds(15));
    Set<String> names = new HashSet<>();
    Set<String> envs = new HashSet<>();
    for (Setting<?> setting : StreamsSettings.all()) {
      assertThat(names.add(setting.name())).as("unique name %s", setting.name()).isTrue();
      assertThat(envs.add(setting.envName())).as("unique env %s", setting.envName()).isTrue();
      assertThat(setting.doc()).as(setting.name()).isNotBlank();
      assertThat(setting.defaultValue()).as(setting.name()).isNotNull();
      setting.read(Map.of()); // the default passes its own validator
    }
    assertThat(Settings.describe(StreamsSettings.all()))
        .contains("`command.dedup.retention.ms`", "`STATUSREG_COMMAND_DEDUP_RETENTION_MS`");
  }

  @Test
  void environmentNamesAreStatusregUpperSnake() {
    assertThat(StreamsSettings.COMMAND_DEDUP_RETENTION.envName())
        .isEqualTo("STATUSREG_COMMAND_DEDUP_RETENTION_MS");
    assertThat(StreamsSettings.BOOTSTRAP_SERVERS.envName())
        .isEqualTo("STATUSREG_KAFKA_BOOTSTRAP_SERVERS");
    Settings merged =
        Settings.from(
            new Properties(),
            Map.of(
                "STATUSREG_COMMAND_DEDUP_RETENTION_MS", "120000",
                "STATUSREG_INSTANCE_ID", "registry-0"),
            Map.of(),
            StreamsSettings.all());
    StreamsSettings s = StreamsSettings.from(merged);
    assertThat(s.commandDedupRetention()).isEqualTo(Duration.ofMinutes(2));
    assertThat(s.instanceId()).contains("registry-0");
    assertThat(s.sessionTimeout())
        .as("static membership default")
        .isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void badValuesFailNamingTheSettingItsVariableAndTheValue() {
    List<Map.Entry<String, String>> bad =
        List.of(
            Map.entry("command.dedup.retention.ms", "59999"),
            Map.entry("command.dedup.retention.ms", "1d"),
            Map.entry("command.dedup.retention.ms", "31536000001"),
            Map.entry("application.id", "bad id"),
            Map.entry("instance.id", "pod/0"),
            Map.entry("application.server", "no-port"),
            Map.entry("num.standby.replicas", "6"),
            Map.entry("session.timeout.ms", "5999"),
            Map.entry("session.timeout.ms", "abc"),
            Map.entry("publish.interval.ms", "9"),
            Map.entry("refresh.margin.ms", "-1"),
            Map.entry("compression.level", "10"),
            Map.entry("events.partitions", "0"),
            Map.entry("topic.replication.factor", "8"),
            Map.entry("topic.min.insync.replicas", "0"),
            Map.entry("token.history.retention.ms", "x"),
            Map.entry("rocksdb.block.cache.bytes", "1024"),
            Map.entry("rocksdb.write.buffer.bytes", "-5"),
            Map.entry("public.base.url", "ftp://example.com"),
            Map.entry("public.base.url", "https://example.com/?q=1"),
            Map.entry("command.timeout.ms", "99"),
            // Kafka Streams refuses an interval above the 10 s transaction timeout at start
            Map.entry("commit.interval.ms", "10000"));
    for (Map.Entry<String, String> e : bad) {
      Setting<?> setting =
          StreamsSettings.all().stream()
              .filter(s -> s.name().equals(e.getKey()))
              .findFirst()
              .orElseThrow();
      assertThatThrownBy(() -> read(Map.of(e.getKey(), e.getValue())))
          .as("%s=%s", e.getKey(), e.getValue())
          .isInstanceOf(Setting.ConfigException.class)
          .hasMessageContaining(e.getKey())
          .hasMessageContaining(setting.envName())
          .hasMessageContaining("'" + e.getValue() + "'");
    }
  }

  @Test
  void minInsyncReplicasAboveTheReplicationFactorFailsNamingBoth() {
    assertThatThrownBy(
            () -> read(Map.of("topic.replication.factor", "1", "topic.min.insync.replicas", "2")))
        .isInstanceOf(Setting.ConfigException.class)
        .hasMessageContaining("topic.min.insync.replicas (2)")
        .hasMessageContaining("topic.replication.factor (1)");
  }

  @Test
  void goodValuesAreReadAndTrimmed() {
    StreamsSettings s =
        read(
            Map.of(
                "command.dedup.retention.ms", " 3600000 ",
                "public.base.url", "https://status.example/",
                "instance.id", "",
                "application.server", "pod-0.registry:8080"));
    assertThat(s.commandDedupRetention()).isEqualTo(Duration.ofHours(1));
    assertThat(s.publicBaseUrl()).isEqualTo("https://status.example");
    assertThat(s.instanceId()).isEmpty();
    assertThat(s.applicationServer()).isEqualTo(Optional.of("pod-0.registry:8080"));
  }

  @Test
  void theNodeConfigCarriesTheSettings() {
    StreamsSettings s =
        read(
            Map.of(
                "instance.id", "registry-1",
                "rocksdb.block.cache.bytes", Long.toString(48L << 20),
                "rocksdb.write.buffer.bytes", Long.toString(12L << 20)));
    var p = RegistryNode.streamsConfig(s);
    assertThat(p.get("group.instance.id")).isEqualTo("registry-1");
    assertThat(p.get("processing.guarantee")).isEqualTo("exactly_once_v2");
    assertThat(p.get("statusreg.rocksdb.block.cache.bytes")).isEqualTo(48L << 20);
    assertThat(p.get("statusreg.rocksdb.write.buffer.bytes")).isEqualTo(12L << 20);
    assertThat(p.get("consumer.session.timeout.ms")).isEqualTo(15_000);
    assertThat(p.get("commit.interval.ms")).isEqualTo(200L);
    assertThat(RegistryNode.streamsConfig(read(Map.of("commit.interval.ms", "20"))))
        .containsEntry("commit.interval.ms", 20L);
    assertThat(p.get("consumer.heartbeat.interval.ms")).isEqualTo(250);
    // CONCURRENT_TRANSACTIONS retries: Kafka's 100 ms doubling to 1 s held every commit
    assertThat(p.get("producer.retry.backoff.ms")).isEqualTo(10L);
    assertThat(p.get("producer.retry.backoff.max.ms")).isEqualTo(100L);
    assertThat(p.get("probing.rebalance.interval.ms")).isEqualTo(60_000L);
    assertThat(p.get("main.consumer.max.poll.records")).isEqualTo(20);
    assertThat(p.get("restore.consumer.fetch.max.wait.ms")).isEqualTo(100);
    assertThat(
            RegistryNode.streamsConfig(read(Map.of("session.timeout.ms", "6000")))
                .get("consumer.heartbeat.interval.ms"))
        .isEqualTo(250);
    assertThat(RegistryNode.heartbeatInterval(java.time.Duration.ofMillis(600)))
        .isEqualTo(java.time.Duration.ofMillis(200));
  }

  @Test
  void aPlannedStopLeavesTheGroupUnlessTold() {
    var leave = org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.LEAVE_GROUP;
    var remain = org.apache.kafka.streams.CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP;
    assertThat(RegistryNode.plannedStopMembership(read(Map.of("instance.id", "registry-1"))))
        .isEqualTo(leave);
    assertThat(
            RegistryNode.plannedStopMembership(
                read(Map.of("instance.id", "registry-1", "leave.group.on.stop", "false"))))
        .isEqualTo(remain);
    assertThat(RegistryNode.plannedStopMembership(read(Map.of("leave.group.on.stop", "false"))))
        .as("a dynamic member always leaves")
        .isEqualTo(leave);
  }
}
