package io.statusreg.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.statusreg.api.problems.ApiProblem;
import io.statusreg.api.testing.IssuerTokens;
import io.statusreg.streams.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A verified bearer token is remembered, and a remembered token is refused as soon as a fresh
 * verification would refuse it: once it expires, once the key that signed it leaves the JWKS, once
 * that key is replaced by another with the same kid.
 */
class VerifiedTokensTest {
  static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

  final IssuerTokens tokens = new IssuerTokens();
  final MutableClock clock = new MutableClock(NOW);
  final AtomicReference<JWKSet> jwks = new AtomicReference<>(new JWKSet(tokens.key.toPublicJWK()));
  final JWKSource<SecurityContext> source = (selector, context) -> selector.select(jwks.get());
  final IssuerAuthenticator auth =
      new IssuerAuthenticator(
          source,
          Set.of(JWSAlgorithm.ES256),
          IssuerTokens.ISS,
          IssuerTokens.AUD,
          "issuer_id",
          30,
          86_400,
          clock);

  String bearer(ECKey signer, Duration lifetime) {
    return "Bearer "
        + IssuerTokens.token(
            signer,
            IssuerTokens.ISS,
            IssuerTokens.AUD,
            "acme",
            "status:write",
            "client-acme",
            NOW,
            NOW.plus(lifetime));
  }

  static void assertRefused(IssuerAuthenticator auth, String bearer) {
    assertThatThrownBy(() -> auth.authenticate(bearer))
        .isInstanceOf(ApiProblem.class)
        .hasMessageContaining("not valid");
  }

  @Test
  void aVerifiedTokenIsRememberedAndAnsweredTheSame() {
    String bearer = bearer(tokens.key, Duration.ofHours(1));
    Principal first = auth.authenticate(bearer);
    assertThat(auth.rememberedTokens()).isEqualTo(1);
    Principal again = auth.authenticate(bearer);
    assertThat(again).isEqualTo(first);
    assertThat(again.issuer().value()).isEqualTo("acme");
    assertThat(again.scopes()).containsExactly(Scope.STATUS_WRITE);
    assertThat(auth.rememberedTokens()).isEqualTo(1);
  }

  @Test
  void aRememberedTokenIsRefusedOnceItExpires() {
    String bearer = bearer(tokens.key, Duration.ofMinutes(10));
    auth.authenticate(bearer);
    clock.advance(Duration.ofMinutes(10)); // at exp, still inside the 30 s clock skew
    auth.authenticate(bearer);
    clock.advance(Duration.ofSeconds(31));
    assertRefused(auth, bearer);
    assertThat(auth.rememberedTokens()).isZero();
  }

  @Test
  void aRememberedTokenIsCheckedInFullWhenTheClockGoesBack() {
    String bearer = bearer(tokens.key, Duration.ofMinutes(10)); // iat = NOW
    auth.authenticate(bearer);
    auth.authenticate(bearer); // served from memory
    clock.advance(Duration.ofSeconds(-31)); // iat is now beyond the 30 s skew in the future
    assertRefused(auth, bearer);
    assertThat(auth.rememberedTokens()).isZero();
  }

  @Test
  void aRememberedTokenIsRefusedOnceItsKeyIsRemoved() {
    String bearer = bearer(tokens.key, Duration.ofHours(1));
    auth.authenticate(bearer);
    jwks.set(new JWKSet());
    assertRefused(auth, bearer);
    assertThat(auth.rememberedTokens()).isZero();
    jwks.set(new JWKSet(tokens.key.toPublicJWK())); // the key comes back: so does the token
    assertThat(auth.authenticate(bearer).issuer().value()).isEqualTo("acme");
  }

  @Test
  void aRememberedTokenIsRefusedWhenItsKeyIsReplacedUnderTheSameKid() {
    String bearer = bearer(tokens.key, Duration.ofHours(1));
    auth.authenticate(bearer);
    // otherKey has the same kid ("auth-1") but another key pair: the token's signature fails.
    jwks.set(new JWKSet(tokens.otherKey.toPublicJWK()));
    assertRefused(auth, bearer);
  }

  @Test
  void aRememberedTokenStaysValidWhenOtherKeysAreAddedOrRemoved() throws Exception {
    ECKey unrelated = new ECKeyGenerator(Curve.P_256).keyID("auth-2").generate();
    String bearer = bearer(tokens.key, Duration.ofHours(1));
    auth.authenticate(bearer);
    jwks.set(new JWKSet(java.util.List.of(tokens.key.toPublicJWK(), unrelated.toPublicJWK())));
    auth.authenticate(bearer);
    jwks.set(new JWKSet(tokens.key.toPublicJWK()));
    auth.authenticate(bearer);
    assertThat(auth.rememberedTokens()).isEqualTo(1);
  }

  @Test
  void refusedTokensAreNeverRemembered() {
    assertRefused(auth, bearer(tokens.otherKey, Duration.ofHours(1))); // bad signature
    assertRefused(auth, bearer(tokens.key, Duration.ofDays(3))); // lifetime too long
    String tampered = bearer(tokens.key, Duration.ofHours(1));
    assertRefused(auth, tampered.substring(0, tampered.length() - 4) + "AAAA");
    assertThat(auth.rememberedTokens()).isZero();
  }

  @Test
  void theCacheIsBounded() {
    VerifiedTokens cache = new VerifiedTokens();
    VerifiedTokens.Entry entry =
        new VerifiedTokens.Entry(null, null, java.util.List.of(), null, 0, 0);
    for (int i = 0; i < VerifiedTokens.MAX_ENTRIES * 2; i++) {
      cache.put("token-" + i, entry, e -> false);
    }
    assertThat(cache.size()).isLessThanOrEqualTo(VerifiedTokens.MAX_ENTRIES);
    cache.put("x".repeat(VerifiedTokens.MAX_TOKEN_CHARS + 1), entry, e -> false);
    assertThat(cache.get("x".repeat(VerifiedTokens.MAX_TOKEN_CHARS + 1))).isNull();
  }
}
