package io.statusreg.analytics.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.analytics.AnalyticsSettings;
import io.statusreg.registry.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analytics sink's two Kafka clients (its consumer and its dead-letter producer) carry the
 * Kafka security of the settings ({@code KafkaSecurity}), read the way a pod gets them: from the
 * environment, with the secrets in mounted files.
 */
class AnalyticsSinkSecurityTest {
  @TempDir Path dir;

  private AnalyticsSettings saslSsl() throws Exception {
    Path jaas =
        Files.writeString(
            dir.resolve("sasl.jaas.config"),
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"analytics\" password=\"s3cr3t-jaas\";\n");
    Path trust = Files.writeString(dir.resolve("ca.p12"), "not parsed here");
    Path trustPw = Files.writeString(dir.resolve("ca.password"), "s3cr3t-trust\n");
    Map<String, String> env =
        Map.of(
            "STATUSREG_KAFKA_BOOTSTRAP_SERVERS", "kafka-0.kafka:9093",
            "STATUSREG_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
            "STATUSREG_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
            "STATUSREG_KAFKA_SASL_JAAS_CONFIG_FILE", jaas.toString(),
            "STATUSREG_KAFKA_SSL_TRUSTSTORE_LOCATION", trust.toString(),
            "STATUSREG_KAFKA_SSL_TRUSTSTORE_PASSWORD_FILE", trustPw.toString(),
            "STATUSREG_KAFKA_CLIENT_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM", "https");
    return AnalyticsSettings.from(
        Settings.from(new Properties(), env, Map.of(), AnalyticsSettings.all()));
  }

  @Test
  void theConsumerAndTheDeadLetterProducerCarryTheSaslSslSettings() throws Exception {
    AnalyticsSettings s = saslSsl();
    Path trust = dir.resolve("ca.p12").toAbsolutePath();
    for (Map<String, Object> config :
        java.util.List.of(AnalyticsSink.consumerConfig(s), AnalyticsSink.producerConfig(s))) {
      assertThat(config)
          .containsEntry("bootstrap.servers", "kafka-0.kafka:9093")
          .containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
          .containsEntry(
              "sasl.jaas.config",
              "org.apache.kafka.common.security.scram.ScramLoginModule required"
                  + " username=\"analytics\" password=\"s3cr3t-jaas\";")
          .containsEntry("ssl.truststore.location", trust.toString())
          .containsEntry("ssl.truststore.type", "PKCS12")
          .containsEntry("ssl.truststore.password", "s3cr3t-trust")
          .containsEntry("ssl.endpoint.identification.algorithm", "https");
    }
    // and the Kafka clients read them as such (names and types they know)
    ConsumerConfig consumer = new ConsumerConfig(AnalyticsSink.consumerConfig(s));
    assertThat(consumer.getString("security.protocol")).isEqualTo("SASL_SSL");
    assertThat(consumer.getPassword("ssl.truststore.password").value()).isEqualTo("s3cr3t-trust");
    assertThat(consumer.getString(ConsumerConfig.GROUP_ID_CONFIG)).isEqualTo(s.groupId());
    ProducerConfig producer = new ProducerConfig(AnalyticsSink.producerConfig(s));
    assertThat(producer.getString("security.protocol")).isEqualTo("SASL_SSL");
    assertThat(producer.getPassword("sasl.jaas.config").value()).contains("s3cr3t-jaas");
  }

  @Test
  void whatTheSinkLogsAboutItsSettingsHoldsNoSecret() throws Exception {
    assertThat(saslSsl().toString()).contains("SASL_SSL").doesNotContain("s3cr3t");
  }

  @Test
  void withoutSecuritySettingsTheClientsArePlaintext() {
    AnalyticsSettings s =
        AnalyticsSettings.from(
            Settings.from(new Properties(), Map.of(), Map.of(), AnalyticsSettings.all()));
    assertThat(AnalyticsSink.consumerConfig(s))
        .containsEntry("security.protocol", "PLAINTEXT")
        .doesNotContainKeys("sasl.jaas.config", "ssl.truststore.location");
    assertThat(AnalyticsSink.producerConfig(s))
        .containsEntry("security.protocol", "PLAINTEXT")
        .doesNotContainKeys("sasl.jaas.config", "ssl.truststore.location");
  }
}
