package io.statusreg.kraft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecureListenerTest {
  private final SecureListener listener =
      new SecureListener(
          Path.of("/keys/broker.p12"),
          "key-secret-1",
          Path.of("/keys/ca.p12"),
          "trust-secret-2",
          true);

  @Test
  void addsASaslSslScramListenerBesideThePlaintextOnes() {
    Map<String, String> p =
        listener.brokerProperties(
            "127.0.0.1:9999",
            "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093",
            "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");

    assertThat(p.get("listeners"))
        .isEqualTo(
            "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093,SECURE://127.0.0.1:9999");
    assertThat(p.get("listener.security.protocol.map"))
        .isEqualTo("PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SECURE:SASL_SSL");
    assertThat(p)
        .containsEntry("listener.name.secure.sasl.enabled.mechanisms", "SCRAM-SHA-512")
        .containsEntry("listener.name.secure.ssl.client.auth", "required")
        .containsEntry("listener.name.secure.ssl.keystore.location", "/keys/broker.p12")
        .containsEntry("listener.name.secure.ssl.truststore.password", "trust-secret-2");
  }

  @Test
  void withAMutualTlsListenerAddsAnSslListenerRequiringAClientCertificateAndMappingItsSubject() {
    SecureListener both = listener.withMutualTlsListener("RULE:^CN=([^,]+)$/$1/,DEFAULT");
    Map<String, String> p =
        both.brokerProperties(
            "127.0.0.1:9999",
            "127.0.0.1:9998",
            "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093",
            "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");

    assertThat(p.get("listeners"))
        .isEqualTo(
            "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093,SECURE://127.0.0.1:9999,"
                + "MTLS://127.0.0.1:9998");
    assertThat(p.get("advertised.listeners")).isEqualTo(p.get("listeners"));
    assertThat(p.get("listener.security.protocol.map"))
        .isEqualTo("PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SECURE:SASL_SSL,MTLS:SSL");
    assertThat(p)
        .containsEntry("listener.name.mtls.ssl.client.auth", "required")
        .containsEntry(
            "listener.name.mtls.ssl.principal.mapping.rules", "RULE:^CN=([^,]+)$/$1/,DEFAULT")
        .containsEntry("listener.name.mtls.ssl.keystore.location", "/keys/broker.p12")
        .containsEntry("listener.name.mtls.ssl.truststore.location", "/keys/ca.p12")
        .containsEntry("listener.name.mtls.ssl.truststore.password", "trust-secret-2")
        .doesNotContainKey("listener.name.mtls.sasl.enabled.mechanisms")
        .containsEntry("listener.name.secure.ssl.client.auth", "required");
    assertThat(both.toString()).contains("RULE:").doesNotContain("key-secret-1", "trust-secret-2");
    // the SASL_SSL-only form is refused for it: the SSL listener needs a port of its own
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> both.brokerProperties("127.0.0.1:9999", "PLAINTEXT://x:1", "PLAINTEXT:PLAINTEXT"))
        .isInstanceOf(IllegalStateException.class);
    assertThat(listener.hasMutualTlsListener()).isFalse();
  }

  @Test
  void itsTextNamesTheStoresButNeverTheirPasswords() {
    assertThat(listener.toString())
        .contains("/keys/broker.p12", "mTLS=true")
        .doesNotContain("key-secret-1", "trust-secret-2");
  }
}
