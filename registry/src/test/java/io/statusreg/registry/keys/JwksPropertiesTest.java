package io.statusreg.registry.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class JwksPropertiesTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  @Property(tries = 30)
  void ed25519PublicPointSurvivesJwkRoundTrip(@ForAll byte seed) {
    SigningKey key = SigningKey.generate(SignatureAlgorithm.EDDSA, "ed", T0);
    java.security.interfaces.EdECPublicKey pub =
        (java.security.interfaces.EdECPublicKey) key.publicKey();

    java.security.spec.EdECPoint back = Jwks.decodePoint(Jwks.encodePoint(pub.getPoint()).decode());

    assertThat(back.getY()).isEqualTo(pub.getPoint().getY());
    assertThat(back.isXOdd()).isEqualTo(pub.getPoint().isXOdd());
  }
}
