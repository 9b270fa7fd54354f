package io.statusreg.analytics;

import io.statusreg.common.KafkaSettings;
import io.statusreg.common.TopicCatalogue;
import io.statusreg.registry.config.Setting;
import io.statusreg.registry.config.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The analytics settings: one name, default, doc line and validator each. Read from {@code
 * STATUSREG_*} environment variables or a properties file through {@link Settings}.
 */
public record AnalyticsSettings(
    boolean enabled,
    Optional<String> jdbcUrl,
    String user,
    String password,
    int batchRows,
    Duration batchMaxWait,
    Duration retryMaxBackoff,
    String bootstrapServers,
    String groupId,
    String eventsTopic,
    String tokensTopic,
    String dlqTopic,
    int httpPort) {

  public static final Setting<Boolean> ENABLED =
      Setting.bool(
          "analytics.enabled",
          true,
          "whether the ClickHouse sink runs (in dev: when the local engine is available)");
  public static final Setting<String> JDBC_URL =
      Setting.string(
          "analytics.jdbc.url",
          "",
          "ClickHouse JDBC URL, e.g. jdbc:clickhouse:http://clickhouse:8123/statusreg; empty in dev"
              + " = the local engine");
  public static final Setting<String> USER =
      Setting.string("analytics.user", "default", "ClickHouse user of the sink and the CLI");
  public static final Setting<String> PASSWORD =
      Setting.secret("analytics.password", "", "ClickHouse password (never logged)");
  public static final Setting<Integer> BATCH_ROWS =
      Setting.integer(
          "analytics.batch.rows",
          5000,
          1,
          1_000_000,
          "rows per insert: a batch is written when it holds this many records");
  public static final Setting<Duration> BATCH_MAX_WAIT =
      Setting.millis(
          "analytics.batch.max.wait.ms",
          1000,
          1,
          3_600_000,
          "a non-empty batch is written at the latest this long after its first record");
  public static final Setting<Duration> RETRY_MAX_BACKOFF =
      Setting.millis(
          "analytics.retry.max.backoff.ms",
          30_000,
          10,
          3_600_000,
          "cap of the exponential back-off between failed inserts (starts at 100 ms)");
  public static final Setting<String> GROUP_ID =
      Setting.string(
          "analytics.group.id", "statusreg-analytics", "Kafka consumer group of the sink");
  public static final Setting<String> EVENTS_TOPIC =
      Setting.string("analytics.topic.events", TopicCatalogue.EVENTS, "event topic the sink reads");
  public static final Setting<String> TOKENS_TOPIC =
      Setting.string("analytics.topic.tokens", TopicCatalogue.TOKENS, "token topic the sink reads");
  public static final Setting<String> DLQ_TOPIC =
      Setting.string(
          "analytics.topic.dlq",
          TopicCatalogue.DLQ,
          "dead-letter topic for records the sink cannot read (headers topic, partition, offset,"
              + " error)");
  public static final Setting<Integer> LOCAL_PORT =
      Setting.integer(
          "analytics.local.port",
          8123,
          0,
          65535,
          "dev only: port of the local ClickHouse engine's HTTP interface (0 = a free one; a taken"
              + " port falls back to a free one, written to <data-dir>/clickhouse/jdbc-url)");
  public static final Setting<Integer> HTTP_PORT =
      Setting.integer(
          "http.port",
          8080,
          0,
          65535,
          "HTTP port of `analytics sink`: /health/live, /health/ready, /metrics");

  /** Every analytics setting, plus {@code kafka.bootstrap.servers} shared with streams. */
  public static List<Setting<?>> all() {
    return List.of(
        ENABLED,
        JDBC_URL,
        USER,
        PASSWORD,
        BATCH_ROWS,
        BATCH_MAX_WAIT,
        RETRY_MAX_BACKOFF,
        KafkaSettings.BOOTSTRAP_SERVERS,
        GROUP_ID,
        EVENTS_TOPIC,
        TOKENS_TOPIC,
        DLQ_TOPIC,
        LOCAL_PORT,
        HTTP_PORT);
  }

  /** Reads and validates every setting; fails naming the setting and the bad value. */
  public static AnalyticsSettings from(Settings settings) {
    String url = settings.get(JDBC_URL).strip();
    return new AnalyticsSettings(
        settings.get(ENABLED),
        url.isEmpty() ? Optional.empty() : Optional.of(url),
        settings.get(USER),
        settings.get(PASSWORD),
        settings.get(BATCH_ROWS),
        settings.get(BATCH_MAX_WAIT),
        settings.get(RETRY_MAX_BACKOFF),
        settings.get(KafkaSettings.BOOTSTRAP_SERVERS),
        settings.get(GROUP_ID),
        settings.get(EVENTS_TOPIC),
        settings.get(TOKENS_TOPIC),
        settings.get(DLQ_TOPIC),
        settings.get(HTTP_PORT));
  }

  public AnalyticsSettings withJdbcUrl(String url) {
    return new AnalyticsSettings(
        enabled,
        Optional.of(url),
        user,
        password,
        batchRows,
        batchMaxWait,
        retryMaxBackoff,
        bootstrapServers,
        groupId,
        eventsTopic,
        tokensTopic,
        dlqTopic,
        httpPort);
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "AnalyticsSettings[enabled="
        + enabled
        + ", jdbcUrl="
        + jdbcUrl.orElse("(local engine)")
        + ", user="
        + user
        + ", password=<hidden>, batchRows="
        + batchRows
        + ", batchMaxWait="
        + batchMaxWait
        + ", retryMaxBackoff="
        + retryMaxBackoff
        + ", bootstrapServers="
        + bootstrapServers
        + ", groupId="
        + groupId
        + ", topics="
        + eventsTopic
        + ","
        + tokensTopic
        + ", dlq="
        + dlqTopic
        + ", httpPort="
        + httpPort
        + "]";
  }
}
