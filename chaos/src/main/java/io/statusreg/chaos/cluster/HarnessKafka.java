package io.statusreg.chaos.cluster;

import io.statusreg.compaction.KafkaAccess;
import io.statusreg.registry.config.Settings;
import io.statusreg.streams.StreamsSettings;
import java.util.Map;
import java.util.Properties;

/**
 * How the harness's own Kafka clients (topic creation, the group and leader look-ups, the event-log
 * audit) reach the brokers: from the same {@code STATUSREG_*} settings every instance gets, so a
 * {@code --env STATUSREG_KAFKA_SECURITY_PROTOCOL=SASL_SSL ...} run secures the harness's clients
 * exactly as it secures the instances' (through {@code common}'s {@code KafkaSecurity}, as every
 * other client of the project).
 */
public final class HarnessKafka {
  private HarnessKafka() {}

  /** The registry settings of {@code environment} ({@code STATUSREG_*} variables). */
  public static StreamsSettings settings(Map<String, String> environment) {
    return StreamsSettings.from(
        Settings.from(new Properties(), environment, Map.of(), StreamsSettings.all()));
  }

  /** The bootstrap servers and security properties of {@code environment}'s settings. */
  public static KafkaAccess access(Map<String, String> environment) {
    return KafkaAccess.of(settings(environment));
  }
}
