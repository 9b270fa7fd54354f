package io.statusreg.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusreg.common.KafkaSecurity;
import io.statusreg.registry.config.Setting;
import io.statusreg.registry.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSecurityTest {
  @TempDir Path dir;

  private static KafkaSecurity read(Map<String, String> raw) {
    return KafkaSecurity.from(Settings.of(raw));
  }

  @Test
  void theDefaultIsPlaintextWithNothingElse() {
    KafkaSecurity s = read(Map.of());
    assertThat(s.clientProperties()).isEqualTo(Map.of("security.protocol", "PLAINTEXT"));
    assertThat(s.authenticated()).isFalse();
  }

  @Test
  void saslSslReadsTheJaasLineAndThePasswordsFromFilesAndNeverShowsThem() throws Exception {
    Path jaas =
        Files.writeString(
            dir.resolve("jaas"), "ScramLoginModule required password=\"s3cr3t-jaas\";\n");
    Path pw = Files.writeString(dir.resolve("pw"), "s3cr3t-store\n");
    Path store = Files.writeString(dir.resolve("trust.p12"), "not parsed here");
    Map<String, String> raw = new HashMap<>();
    raw.put("kafka.security.protocol", "sasl_ssl");
    raw.put("kafka.sasl.jaas.config.file", jaas.toString());
    raw.put("kafka.ssl.truststore.location", store.toString());
    raw.put("kafka.ssl.truststore.password.file", pw.toString());
    raw.put("kafka.ssl.keystore.location", store.toString());
    raw.put("kafka.ssl.keystore.password", "s3cr3t-env");
    raw.put("kafka.client.ssl.endpoint.identification.algorithm", "https");
    KafkaSecurity s = read(raw);
    Map<String, Object> p = s.clientProperties();
    assertThat(p)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("sasl.jaas.config", "ScramLoginModule required password=\"s3cr3t-jaas\";")
        .containsEntry("ssl.truststore.password", "s3cr3t-store")
        .containsEntry("ssl.truststore.type", "PKCS12")
        .containsEntry("ssl.keystore.password", "s3cr3t-env")
        .containsEntry("ssl.endpoint.identification.algorithm", "https");
    assertThat(s.authenticated()).isTrue();
    assertThat(s.toString()).doesNotContain("s3cr3t").contains("SASL_SSL", "ssl.endpoint");
  }

  @Test
  void theKeyPasswordComesFromItsFileWhichWinsOverTheValueAndIsNeverShown() throws Exception {
    Path keyPw = Files.writeString(dir.resolve("key-pw"), "s3cr3t-key-file\n");
    Path store = Files.writeString(dir.resolve("client.p12"), "not parsed here");
    Map<String, String> raw = new HashMap<>();
    raw.put("kafka.security.protocol", "SSL");
    raw.put("kafka.ssl.keystore.location", store.toString());
    raw.put("kafka.ssl.keystore.password", "s3cr3t-store");
    raw.put("kafka.ssl.key.password", "s3cr3t-key-value");
    raw.put("kafka.ssl.key.password.file", keyPw.toString());
    KafkaSecurity s = read(raw);
    assertThat(s.clientProperties()).containsEntry("ssl.key.password", "s3cr3t-key-file");
    assertThat(s.toString()).doesNotContain("s3cr3t");
    assertThat(StreamsSettings.from(Settings.of(raw)).toString()).doesNotContain("s3cr3t");

    raw.remove("kafka.ssl.key.password.file");
    assertThat(read(raw).clientProperties()).containsEntry("ssl.key.password", "s3cr3t-key-value");

    raw.put("kafka.ssl.key.password.file", dir.resolve("missing").toString());
    assertThatThrownBy(() -> read(raw))
        .isInstanceOf(Setting.ConfigException.class)
        .hasMessageContaining("kafka.ssl.key.password.file")
        .hasMessageContaining("STATUSREG_KAFKA_SSL_KEY_PASSWORD_FILE")
        .hasMessageNotContaining("s3cr3t");

    assertThatThrownBy(
            () ->
                read(
                    Map.of(
                        "kafka.security.protocol",
                        "SSL",
                        "kafka.ssl.key.password.file",
                        keyPw.toString())))
        .isInstanceOf(Setting.ConfigException.class)
        .hasMessageContaining("kafka.ssl.keystore.location")
        .hasMessageNotContaining("s3cr3t");
  }

  @Test
  void saslWithoutAJaasConfigFailsNamingTheSetting() {
    assertThatThrownBy(() -> read(Map.of("kafka.security.protocol", "SASL_SSL")))
        .isInstanceOf(Setting.ConfigException.class)
        .hasMessageContaining("kafka.sasl.jaas.config.file")
        .hasMessageContaining("STATUSREG_KAFKA_SASL_JAAS_CONFIG_FILE");
  }

  @Test
  void aStoreWithoutItsPasswordOrAnUnreadableStoreFails() throws Exception {
    Path store = Files.writeString(dir.resolve("k.p12"), "x");
    assertThatThrownBy(
            () ->
                read(
                    Map.of(
                        "kafka.security.protocol",
                        "SSL",
                        "kafka.ssl.keystore.location",
                        store.toString())))
        .isInstanceOf(Setting.ConfigException.class)
        .hasMessageContaining("kafka.ssl.keystore.password.file");
    assertThatThrownBy(
            () ->
                read(
                    Map.of(
                        "kafka.security.protocol", "SSL",
                        "kafka.ssl.truststore.location", dir.resolve("missing").toString(),
                        "kafka.ssl.truststore.password", "x")))
        .isInstanceOf(Setting.ConfigException.class)
        .hasMessageContaining("kafka.ssl.truststore.location")
        .hasMessageContaining("cannot read");
    assertThatThrownBy(
            () ->
                read(
                    Map.of(
                        "kafka.ssl.truststore.location",
                        store.toString(),
                        "kafka.ssl.truststore.password",
                        "x")))
        .isInstanceOf(Setting.ConfigException.class)
        .hasMessageContaining("PLAINTEXT");
  }

  @Test
  void anUnknownProtocolIsRefusedWithItsValueButASecretValueIsHidden() {
    assertThatThrownBy(() -> read(Map.of("kafka.security.protocol", "TLS")))
        .hasMessageContaining("'TLS'")
        .hasMessageContaining("kafka.security.protocol");
    assertThat(KafkaSecurity.JAAS_CONFIG.secret()).isTrue();
    assertThat(KafkaSecurity.TRUSTSTORE_PASSWORD.secret()).isTrue();
    assertThat(KafkaSecurity.KEYSTORE_PASSWORD.secret()).isTrue();
    assertThat(KafkaSecurity.KEY_PASSWORD.secret()).isTrue();
    assertThat(Settings.describe(KafkaSecurity.all()))
        .contains("`<hidden>`")
        .doesNotContain("null");
  }

  @Test
  void thePassThroughCannotSetWhatASettingOrTheRegistryDecides() {
    for (String reserved :
        List.of(
            "kafka.client.sasl.jaas.config",
            "kafka.client.bootstrap.servers",
            "kafka.client.security.protocol",
            "kafka.client.ssl.truststore.location",
            "kafka.client.transactional.id",
            "kafka.client.isolation.level")) {
      assertThatThrownBy(() -> read(Map.of(reserved, "x")))
          .as(reserved)
          .isInstanceOf(Setting.ConfigException.class)
          .hasMessageContaining(reserved);
    }
    assertThatThrownBy(() -> read(Map.of("kafka.client.Bad Name", "x")))
        .isInstanceOf(Setting.ConfigException.class);
  }

  @Test
  void thePassThroughComesFromTheEnvironmentToo() {
    Settings s =
        Settings.from(
            new Properties(),
            Map.of(
                "STATUSREG_KAFKA_CLIENT_SSL_CIPHER_SUITES", "TLS_AES_256_GCM_SHA384",
                "STATUSREG_KAFKA_SECURITY_PROTOCOL", "SSL"),
            Map.of(),
            StreamsSettings.all());
    KafkaSecurity k = StreamsSettings.from(s).kafkaSecurity();
    assertThat(k.clientProperties())
        .containsEntry("security.protocol", "SSL")
        .containsEntry("ssl.cipher.suites", "TLS_AES_256_GCM_SHA384");
  }

  @Test
  void everyClientConfigurationOfANodeCarriesTheSecurity() throws Exception {
    Path jaas = Files.writeString(dir.resolve("jaas"), "x required;");
    Map<String, String> raw = new HashMap<>();
    raw.put("kafka.security.protocol", "SASL_PLAINTEXT");
    raw.put("kafka.sasl.jaas.config.file", jaas.toString());
    StreamsSettings s = StreamsSettings.from(Settings.of(raw));
    Properties streams = RegistryNode.streamsConfig(s);
    assertThat(streams)
        .containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.jaas.config", "x required;");
    // Topic creation, the ACL check and the removal of the node's static members on close.
    assertThat(RegistryNode.adminConfig(s))
        .containsEntry("bootstrap.servers", s.bootstrapServers())
        .containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.jaas.config", "x required;");
    assertThat(RegistryNode.gatewayOverrides(s))
        .containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.jaas.config", "x required;");
    assertThat(s.toString()).doesNotContain("x required");
  }
}
