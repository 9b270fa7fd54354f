package io.statusreg.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusreg.compaction.KafkaAccess;
import io.statusreg.registry.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness's own clients (topic creation, the group and leader look-ups, the event-log audit)
 * take the instances' {@code STATUSREG_KAFKA_*} security settings, through common's KafkaSecurity.
 */
class HarnessKafkaTest {
  @TempDir Path dir;

  @Test
  void theHarnessClientsCarryTheSaslSslSettingsOfTheInstances() throws Exception {
    String jaas =
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"chaos\""
            + " password=\"s3cret\";";
    Path jaasFile = Files.writeString(dir.resolve("sasl.jaas.config"), jaas + "\n");
    Path ca = Files.writeString(dir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
    KafkaAccess access =
        HarnessKafka.access(
            Map.of(
                "STATUSREG_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19093",
                "STATUSREG_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "STATUSREG_KAFKA_SASL_JAAS_CONFIG_FILE", jaasFile.toString(),
                "STATUSREG_KAFKA_SSL_TRUSTSTORE_LOCATION", ca.toString(),
                "STATUSREG_KAFKA_SSL_TRUSTSTORE_TYPE", "PEM",
                "STATUSREG_KAFKA_CLIENT_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM", ""));

    assertThat(access.bootstrapServers()).isEqualTo("127.0.0.1:19093");
    assertThat(access.extra())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("sasl.jaas.config", jaas)
        .containsEntry("ssl.truststore.location", ca.toAbsolutePath().toString())
        .containsEntry("ssl.truststore.type", "PEM")
        .containsEntry("ssl.endpoint.identification.algorithm", "");
    assertThat(access.toString()).doesNotContain("s3cret");
  }

  @Test
  void withoutSecuritySettingsTheHarnessClientsArePlaintext() {
    KafkaAccess access =
        HarnessKafka.access(Map.of("STATUSREG_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"));

    assertThat(access.extra()).containsEntry("security.protocol", "PLAINTEXT");
    assertThat(access.extra()).doesNotContainKeys("sasl.jaas.config", "ssl.truststore.location");
  }

  @Test
  void aSaslProtocolWithoutCredentialsIsRefusedAsForTheInstances() {
    assertThatThrownBy(
            () ->
                HarnessKafka.access(
                    Map.of(
                        "STATUSREG_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092",
                        "STATUSREG_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")))
        .isInstanceOf(Setting.ConfigException.class)
        .hasMessageContaining("kafka.sasl.jaas.config.file");
  }
}
