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
  void itsTextNamesTheStoresButNeverTheirPasswords() {
    assertThat(listener.toString())
        .contains("/keys/broker.p12", "mTLS=true")
        .doesNotContain("key-secret-1", "trust-secret-2");
  }
}
