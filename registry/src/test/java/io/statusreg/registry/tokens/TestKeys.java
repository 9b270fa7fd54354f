package io.statusreg.registry.tokens;

import io.statusreg.registry.keys.SignatureAlgorithm;
import io.statusreg.registry.keys.SigningKey;
import io.statusreg.registry.keys.VerificationKeys;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Keys and clocks shared by the token tests (generation is slow for RSA: done once). */
final class TestKeys {
  static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");
  static final SigningKey ES256 = SigningKey.generate(SignatureAlgorithm.ES256, "es256-1", NOW);
  static final SigningKey EDDSA = SigningKey.generate(SignatureAlgorithm.EDDSA, "ed-1", NOW);
  static final SigningKey PS256 = SigningKey.generate(SignatureAlgorithm.PS256, "ps-1", NOW);

  private TestKeys() {}

  static TokenVerifier verifier(SigningKey... keys) {
    return TokenVerifier.of(VerificationKeys.of(List.of(keys)))
        .withClock(Clock.fixed(NOW, ZoneOffset.UTC));
  }
}
