package io.statusreg.registry.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.registry.testing.Gen;
import io.statusreg.registry.testing.Property;
import java.security.KeyPairGenerator;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPoint;
import org.junit.jupiter.api.Test;

class JwksPropertiesTest {
  /**
   * Each try draws a fresh key pair from the JDK's generator (not through {@link SigningKey}, whose
   * public key has already been through {@link Jwks}); the generated value is unused.
   */
  @Test
  void ed25519PublicPointSurvivesJwkRoundTrip() {
    Property.forAll(
        "ed25519PublicPointSurvivesJwkRoundTrip",
        200,
        Gen.constant("fresh key pair"),
        unused -> {
          EdECPublicKey pub =
              (EdECPublicKey) KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic();

          EdECPoint back = Jwks.decodePoint(Jwks.encodePoint(pub.getPoint()).decode());

          assertThat(back.getY()).isEqualTo(pub.getPoint().getY());
          assertThat(back.isXOdd()).isEqualTo(pub.getPoint().isXOdd());
        });
  }
}
