package io.statusreg.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SRE tools take their Kafka security from the registry's settings: {@link ToolSettings} (the
 * {@code --config} file, the environment, the flags) to {@link KafkaAccess}, whose every client
 * (admin, reader, transactional writer) is built on {@link KafkaAccess#common()}.
 */
class KafkaAccessSecurityTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream notices = new ByteArrayOutputStream();

  private KafkaAccess resolve(Map<String, String> env, String... args) {
    CliArgs a = CliArgs.parse(args, ToolSettings.withCommon(), Set.of());
    return KafkaAccess.resolve(a, env, new PrintStream(notices, true, StandardCharsets.UTF_8));
  }

  @Test
  void saslSslFromTheConfigFileAndTheEnvironmentReachesEveryClientOfTheTools() throws Exception {
    Path jaas =
        Files.writeString(
            dir.resolve("sasl.jaas.config"),
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"sre\" password=\"s3cr3t-jaas\";\n");
    Path trust = Files.writeString(dir.resolve("ca.p12"), "not parsed here");
    Path trustPw = Files.writeString(dir.resolve("ca.password"), "s3cr3t-trust\n");
    Path config =
        Files.writeString(
            dir.resolve("registry.properties"),
            "kafka.security.protocol=SASL_SSL\n"
                + "kafka.sasl.mechanism=SCRAM-SHA-512\n"
                + "kafka.ssl.truststore.location="
                + trust
                + "\n"
                + "kafka.client.reconnect.backoff.max.ms=2000\n");
    KafkaAccess kafka =
        resolve(
            Map.of(
                "STATUSREG_KAFKA_SASL_JAAS_CONFIG_FILE", jaas.toString(),
                "STATUSREG_KAFKA_SSL_TRUSTSTORE_PASSWORD_FILE", trustPw.toString()),
            "--config",
            config.toString(),
            "--bootstrap-servers",
            "kafka-0.kafka:9093");

    Map<String, Object> p = kafka.common();
    assertThat(p)
        .containsEntry("bootstrap.servers", "kafka-0.kafka:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry(
            "sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"sre\" password=\"s3cr3t-jaas\";")
        .containsEntry("ssl.truststore.location", trust.toAbsolutePath().toString())
        .containsEntry("ssl.truststore.password", "s3cr3t-trust")
        .containsEntry("reconnect.backoff.max.ms", "2000");
    // names and types the Kafka clients accept
    assertThat(new AdminClientConfig(p).getString("security.protocol")).isEqualTo("SASL_SSL");
    Map<String, Object> consumer = new java.util.HashMap<>(p);
    consumer.put(
        "key.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class);
    consumer.put(
        "value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class);
    assertThat(new ConsumerConfig(consumer).getPassword("sasl.jaas.config").value())
        .contains("s3cr3t-jaas");

    assertThat(kafka.toString()).contains("security.protocol").doesNotContain("s3cr3t");
    assertThat(notices.toString(StandardCharsets.UTF_8)).doesNotContain("s3cr3t");
  }

  @Test
  void mutualTlsFromTheEnvironmentCarriesTheKeystoreAndTheKeyPassword() throws Exception {
    Path store = Files.writeString(dir.resolve("client.p12"), "not parsed here");
    Path storePw = Files.writeString(dir.resolve("store.password"), "s3cr3t-store\n");
    Path keyPw = Files.writeString(dir.resolve("key.password"), "s3cr3t-key\n");
    KafkaAccess kafka =
        resolve(
            Map.of(
                "STATUSREG_KAFKA_BOOTSTRAP_SERVERS", "kafka-0.kafka:9094",
                "STATUSREG_KAFKA_SECURITY_PROTOCOL", "SSL",
                "STATUSREG_KAFKA_SSL_KEYSTORE_LOCATION", store.toString(),
                "STATUSREG_KAFKA_SSL_KEYSTORE_PASSWORD_FILE", storePw.toString(),
                "STATUSREG_KAFKA_SSL_KEY_PASSWORD_FILE", keyPw.toString()));
    assertThat(kafka.common())
        .containsEntry("bootstrap.servers", "kafka-0.kafka:9094")
        .containsEntry("security.protocol", "SSL")
        .containsEntry("ssl.keystore.location", store.toAbsolutePath().toString())
        .containsEntry("ssl.keystore.password", "s3cr3t-store")
        .containsEntry("ssl.key.password", "s3cr3t-key")
        .doesNotContainKey("sasl.jaas.config");
    assertThat(kafka.toString()).doesNotContain("s3cr3t");
  }

  @Test
  void withoutSecuritySettingsTheToolsArePlaintext() {
    KafkaAccess kafka = resolve(Map.of("STATUSREG_KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"));
    assertThat(kafka.common())
        .containsEntry("security.protocol", "PLAINTEXT")
        .doesNotContainKeys("sasl.jaas.config", "ssl.truststore.location");
  }
}
