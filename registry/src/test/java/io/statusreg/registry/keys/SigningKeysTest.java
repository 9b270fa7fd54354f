package io.statusreg.registry.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.statusreg.registry.IssuerId;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.CwtStatusListToken;
import io.statusreg.registry.tokens.JwtStatusListToken;
import io.statusreg.registry.tokens.TokenVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SigningKeysTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  /** A clock tests move by hand. */
  static final class StepClock extends Clock {
    Instant now;

    StepClock(Instant start) {
      now = start;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static String sign(SigningKey key) {
    return JwtStatusListToken.builder()
        .subject("https://issuer.example/statuslists/1")
        .issuedAt(T0)
        .expiresAt(T0.plus(Duration.ofDays(2)))
        .list(StatusList.empty(1, 64).with(5, 1))
        .sign(key);
  }

  private static TokenVerifier verifierFor(String jwks, Instant now) {
    return TokenVerifier.of(VerificationKeys.parse(jwks))
        .withClock(Clock.fixed(now, ZoneOffset.UTC));
  }

  @ParameterizedTest
  @EnumSource(
      value = SignatureAlgorithm.class,
      names = {"ES256", "ES384", "ES512", "EDDSA", "RS256", "PS256"})
  void givenGeneratedKeyOfEachAlgorithm_whenSigningJwtAndCwt_thenItsPublishedJwksVerifiesBoth(
      SignatureAlgorithm alg) {
    SigningKey key = SigningKey.generate(alg, null, T0);
    KeyRing ring = KeyRing.of(key);

    String jwks = ring.publicJwks(T0);
    byte[] cwt =
        CwtStatusListToken.builder()
            .subject("https://issuer.example/statuslists/1")
            .issuedAt(T0)
            .expiresAt(T0.plusSeconds(60))
            .list(StatusList.empty(1, 64))
            .sign(key);

    assertThat(key.kid()).isNotBlank();
    assertThat(verifierFor(jwks, T0).verifyJwt(sign(key)).algorithm()).isEqualTo(alg);
    assertThat(verifierFor(jwks, T0).verifyCwt(cwt).kid()).isEqualTo(key.kid());
  }

  @Test
  void givenDevelopmentKeys_thenDefaultIsEs256AndPublicJwksCarriesKidAlgUseButNoPrivatePart()
      throws Exception {
    SigningKeys keys = SigningKeys.development(Clock.fixed(T0, ZoneOffset.UTC));

    JWKSet published = JWKSet.parse(keys.publicJwks());

    assertThat(keys.active().algorithm()).isEqualTo(SignatureAlgorithm.ES256);
    assertThat(published.getKeys()).hasSize(1);
    JWK jwk = published.getKeys().getFirst();
    assertThat(jwk.getKeyID()).isEqualTo(keys.active().kid());
    assertThat(jwk.getAlgorithm().getName()).isEqualTo("ES256");
    assertThat(jwk.getKeyUse().identifier()).isEqualTo("sig");
    assertThat(jwk.isPrivate()).isFalse();
    assertThat(keys.publicJwks()).doesNotContain("\"d\"");
  }

  @Test
  void givenAKey_whenPrinted_thenNoKeyMaterialAppears() {
    SigningKey key = SigningKey.generate(SignatureAlgorithm.EDDSA, "k1", T0);
    String d = ((com.nimbusds.jose.jwk.OctetKeyPair) privateJwk(key)).getD().toString();

    assertThat(key.toString()).contains("k1").contains("EdDSA").doesNotContain(d);
    assertThat(KeyRing.of(key).toString()).doesNotContain(d);
    assertThat(new SigningKeys(Clock.systemUTC(), KeyRing.of(key)).toString()).doesNotContain(d);
  }

  private static JWK privateJwk(SigningKey key) {
    try {
      java.lang.reflect.Field f = SigningKey.class.getDeclaredField("privateKey");
      f.setAccessible(true);
      java.security.interfaces.EdECPrivateKey pk =
          (java.security.interfaces.EdECPrivateKey) f.get(key);
      return Jwks.ed25519(
          (java.security.interfaces.EdECPublicKey) key.publicKey(), pk.getBytes().orElseThrow());
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void givenJwkSetFileWithTwoPrivateKeys_whenLoaded_thenLastIsActiveAndBothArePublished(
      @TempDir Path dir) throws Exception {
    SigningKey a = SigningKey.generate(SignatureAlgorithm.ES256, "a", T0);
    SigningKey b = SigningKey.generate(SignatureAlgorithm.EDDSA, "b", T0);
    String json = "{\"keys\":[" + exportPrivate(a) + "," + exportPrivate(b) + "]}";
    Path file = dir.resolve("keys.jwks");
    Files.writeString(file, json);

    KeyRing ring = KeyRing.fromJwkSetFile(file);

    assertThat(ring.keys()).extracting(SigningKey::kid).containsExactly("a", "b");
    assertThat(ring.active(T0).kid()).isEqualTo("b");
    assertThat(ring.pin("a").active(T0).kid()).isEqualTo("a");
    assertThat(JWKSet.parse(ring.publicJwks(T0)).getKeys())
        .extracting(JWK::getKeyID)
        .containsExactly("a", "b");
    assertThat(verifierFor(ring.publicJwks(T0), T0).verifyJwt(sign(ring.active(T0))).kid())
        .isEqualTo("b");
  }

  private static String exportPrivate(SigningKey key) throws Exception {
    java.lang.reflect.Field f = SigningKey.class.getDeclaredField("privateKey");
    f.setAccessible(true);
    Object priv = f.get(key);
    JWK pub = key.publicJwk();
    JWK full =
        switch (pub) {
          case com.nimbusds.jose.jwk.ECKey ec ->
              new com.nimbusds.jose.jwk.ECKey.Builder(ec)
                  .privateKey((java.security.PrivateKey) priv)
                  .build();
          case com.nimbusds.jose.jwk.OctetKeyPair okp ->
              new com.nimbusds.jose.jwk.OctetKeyPair.Builder(okp)
                  .d(
                      com.nimbusds.jose.util.Base64URL.encode(
                          ((java.security.interfaces.EdECPrivateKey) priv)
                              .getBytes()
                              .orElseThrow()))
                  .build();
          default -> throw new AssertionError(pub);
        };
    return full.toJSONString();
  }

  @Test
  void givenJwkSetWithOnlyPublicKeys_whenLoadedAsSigningKeys_thenClearErrorWithoutKeyMaterial() {
    SigningKey a = SigningKey.generate(SignatureAlgorithm.ES256, "pub-only", T0);
    String json = "{\"keys\":[" + a.publicJwk().toJSONString() + "]}";

    assertThatThrownBy(() -> KeyRing.fromJwkSet(json))
        .isInstanceOf(RegistryException.InvalidInput.class)
        .hasMessageContaining("pub-only")
        .hasMessageContaining("no private part");
  }

  @Test
  void givenMalformedJwkSet_whenLoaded_thenErrorDoesNotEchoTheInput() {
    String secretish = "{\"keys\":[{\"kty\":\"EC\",\"d\":\"SECRET-MATERIAL\"";

    assertThatThrownBy(() -> KeyRing.fromJwkSet(secretish))
        .isInstanceOf(RegistryException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SECRET-MATERIAL"));
  }

  @Test
  void givenPkcs12KeystoreWithCertificate_whenLoaded_thenAliasIsKidAndX5cIsCarriedIntoTheJwt(
      @TempDir Path dir) throws Exception {
    Path store = dir.resolve("signing.p12");
    String password = "changeit-123";
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "issuer-2026",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-sigalg",
                "SHA256withECDSA",
                "-dname",
                "CN=issuer.example",
                "-validity",
                "30",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                password,
                "-keypass",
                password)
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();

    KeyRing ring = KeyRing.fromPkcs12(store, password.toCharArray(), "issuer-2026");
    // A keystore key signs from its certificate's notBefore on.
    Instant now = Instant.now();
    assertThat(ring.keys().getFirst().notBefore()).isBefore(now.plusSeconds(1));
    assertThatThrownBy(() -> ring.active(T0)).hasMessageContaining("no signing key is active");
    SigningKey key = ring.active(now);
    String jwt = sign(key);
    JwtStatusListToken token = verifierFor(ring.publicJwks(now), T0).verifyJwt(jwt);

    assertThat(key.kid()).isEqualTo("issuer-2026");
    assertThat(key.algorithm()).isEqualTo(SignatureAlgorithm.ES256);
    assertThat(key.x5c()).hasSize(1);
    assertThat(token.x5c()).isEqualTo(key.x5c());
    assertThat(ring.publicJwks(now)).contains("\"x5c\"");
    assertThatThrownBy(() -> KeyRing.fromPkcs12(store, "wrong".toCharArray()))
        .isInstanceOf(RegistryException.InvalidInput.class)
        .hasMessageContaining("wrong password")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(password));
  }

  @Test
  void givenRotation_whenTimePasses_thenNewKeySignsAndOldKeyStaysPublishedUntilRetireAfter() {
    StepClock clock = new StepClock(T0);
    SigningKey first = SigningKey.generate(SignatureAlgorithm.ES256, "k1", T0);
    SigningKeys keys = new SigningKeys(clock, KeyRing.of(first));
    String oldToken = sign(first);

    clock.now = T0.plus(Duration.ofDays(1));
    keys.rotateDefault(
        SigningKey.generate(SignatureAlgorithm.ES256, "k2", clock.now), Duration.ofDays(2));

    assertThat(keys.active().kid()).isEqualTo("k2");
    assertThat(keys.publicJwks()).contains("\"k1\"").contains("\"k2\"");
    assertThat(verifierFor(keys.publicJwks(), clock.now).verifyJwt(oldToken).kid()).isEqualTo("k1");

    clock.now = T0.plus(Duration.ofDays(3)).plusSeconds(1);

    assertThat(keys.active().kid()).isEqualTo("k2");
    assertThat(keys.publicJwks()).doesNotContain("\"k1\"").contains("\"k2\"");
  }

  @Test
  void givenIssuerWithOwnRing_thenItSignsWithItAndOthersFallBackToTheDefaultRing() {
    StepClock clock = new StepClock(T0);
    SigningKeys keys =
        new SigningKeys(
            clock, KeyRing.of(SigningKey.generate(SignatureAlgorithm.ES256, "dflt", T0)));
    IssuerId acme = IssuerId.of("acme");
    IssuerId other = IssuerId.of("other");

    keys.rotate(
        acme, SigningKey.generate(SignatureAlgorithm.EDDSA, "acme-1", T0), Duration.ofDays(1));

    assertThat(keys.active(acme).kid()).isEqualTo("acme-1");
    assertThat(keys.active(other).kid()).isEqualTo("dflt");
    assertThat(keys.hasOwnRing(other)).isFalse();
    assertThat(keys.publicJwks(acme)).contains("acme-1").doesNotContain("dflt");
    assertThat(keys.publicJwks(other)).contains("dflt");
  }

  @Test
  void theCommonJwksVerifiesEveryRingsTokensAndKeepsOldKeysUntilTheyRetire() throws Exception {
    StepClock clock = new StepClock(T0);
    SigningKey dflt = SigningKey.generate(SignatureAlgorithm.ES256, "dflt", T0);
    SigningKeys keys = new SigningKeys(clock, KeyRing.of(dflt));
    IssuerId acme = IssuerId.of("acme");
    SigningKey acme1 = SigningKey.generate(SignatureAlgorithm.EDDSA, "acme-1", T0);
    keys.rotate(acme, acme1, Duration.ofDays(2));
    String acmeOld = sign(keys.active(acme));
    String dfltToken = sign(keys.active(IssuerId.of("other")));

    clock.now = T0.plus(Duration.ofDays(1));
    keys.rotate(
        acme,
        SigningKey.generate(SignatureAlgorithm.ES384, "acme-2", clock.now),
        Duration.ofDays(2));
    String acmeNew = sign(keys.active(acme));

    TokenVerifier common = verifierFor(keys.publicJwks(), clock.now);
    assertThat(common.verifyJwt(dfltToken).kid()).isEqualTo("dflt");
    assertThat(common.verifyJwt(acmeOld).kid()).isEqualTo("acme-1");
    assertThat(common.verifyJwt(acmeNew).kid()).isEqualTo("acme-2");
    assertThat(JWKSet.parse(keys.publicJwks()).getKeys())
        .extracting(JWK::getKeyID)
        .containsExactly("dflt", "acme-1", "acme-2");
    // The issuer's own JWKS (its jwt-vc-issuer metadata) holds only its ring.
    assertThat(keys.publicJwks(acme)).contains("acme-1", "acme-2").doesNotContain("dflt");

    clock.now = T0.plus(Duration.ofDays(3)).plusSeconds(1);
    assertThat(JWKSet.parse(keys.publicJwks()).getKeys())
        .extracting(JWK::getKeyID)
        .containsExactly("dflt", "acme-2");
  }

  @Test
  void aKidThatNamesAnotherKeyInAnotherRingIsRefusedAndTheSameKeyIsListedOnce() throws Exception {
    StepClock clock = new StepClock(T0);
    SigningKey shared = SigningKey.generate(SignatureAlgorithm.ES256, "shared", T0);
    SigningKeys keys = new SigningKeys(clock, KeyRing.of(shared));

    assertThatThrownBy(
            () ->
                keys.put(
                    IssuerId.of("acme"),
                    KeyRing.of(SigningKey.generate(SignatureAlgorithm.ES256, "shared", T0))))
        .isInstanceOf(RegistryException.InvalidInput.class)
        .hasMessageContaining("kid 'shared' already names another key in the default ring");
    assertThatThrownBy(
            () ->
                keys.rotate(
                    IssuerId.of("acme"),
                    SigningKey.generate(SignatureAlgorithm.ES256, "shared", T0),
                    Duration.ofDays(1)))
        .isInstanceOf(RegistryException.InvalidInput.class);
    assertThat(keys.hasOwnRing(IssuerId.of("acme"))).isFalse();

    keys.put(IssuerId.of("acme"), KeyRing.of(shared));
    assertThat(JWKSet.parse(keys.publicJwks()).getKeys()).hasSize(1);
  }

  @Test
  void givenKeyWithFutureNotBefore_thenItIsPublishedButNotActiveUntilThen() {
    SigningKey now = SigningKey.generate(SignatureAlgorithm.ES256, "now", T0);
    SigningKey later =
        SigningKey.generate(SignatureAlgorithm.ES256, "later", T0.plus(Duration.ofHours(1)));
    KeyRing ring = KeyRing.of(now).with(later);

    assertThat(ring.active(T0).kid()).isEqualTo("now");
    assertThat(ring.publicJwks(T0)).contains("\"later\"");
    assertThat(ring.active(T0.plus(Duration.ofHours(2))).kid()).isEqualTo("later");
  }

  @Test
  void givenDuplicateKidsOrUnknownPin_thenRingIsRefused() {
    SigningKey a = SigningKey.generate(SignatureAlgorithm.ES256, "same", T0);
    SigningKey b = SigningKey.generate(SignatureAlgorithm.ES256, "same", T0);

    assertThatThrownBy(() -> KeyRing.of(List.of(a, b))).hasMessageContaining("'same'");
    assertThatThrownBy(() -> KeyRing.of(a).pin("nope")).hasMessageContaining("'nope'");
  }

  @Test
  void givenPrePublishedKeyOvertakenByRotation_thenItLeavesTheJwksAndNeverBecomesActive() {
    StepClock clock = new StepClock(T0);
    SigningKey current = SigningKey.generate(SignatureAlgorithm.ES256, "current", T0);
    SigningKey planned =
        SigningKey.generate(SignatureAlgorithm.ES256, "planned", T0.plus(Duration.ofDays(7)));
    SigningKeys keys = new SigningKeys(clock, KeyRing.of(current).with(planned));
    assertThat(keys.publicJwks()).contains("\"planned\"");

    keys.rotateDefault(
        SigningKey.generate(SignatureAlgorithm.ES256, "urgent", T0), Duration.ofDays(1));
    clock.now = T0.plus(Duration.ofDays(8));

    assertThat(keys.publicJwks()).doesNotContain("\"planned\"").contains("\"urgent\"");
    assertThat(keys.active().kid()).isEqualTo("urgent");
  }
}
