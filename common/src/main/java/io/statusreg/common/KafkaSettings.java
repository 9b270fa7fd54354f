package io.statusreg.common;

import io.statusreg.registry.config.Setting;

/**
 * Settings every Kafka client of statusreg shares (the registry node, the analytics sink, the SRE
 * tools), defined once here so that a client needs neither Kafka Streams nor RocksDB to read them.
 */
public final class KafkaSettings {
  private KafkaSettings() {}

  public static final Setting<String> BOOTSTRAP_SERVERS =
      Setting.string(
          "kafka.bootstrap.servers", "localhost:9092", "Kafka bootstrap servers (host:port,...)");
}
