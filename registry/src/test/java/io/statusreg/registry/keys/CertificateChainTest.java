package io.statusreg.registry.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HAIP's x5c rules at start-up, on chains made by keytool. */
class CertificateChainTest {
  static final String EKU = "1.3.6.1.5.5.7.3.99";
  @TempDir static Path dir;
  static TestPki pki;
  static Path signer;
  static Path plain;

  @BeforeAll
  static void pki() throws Exception {
    pki = new TestPki(dir);
    signer = pki.leaf("signer", "-1d", EKU);
    plain = pki.leaf("plain", "-2d", null);
  }

  /** A JWK set file text with the store's key and the given chain as x5c. */
  static String jwkSet(Path store, String alias, List<X509Certificate> x5c) throws Exception {
    X509Certificate leaf = TestPki.chain(store, alias).getFirst();
    ECKey key =
        new ECKey.Builder(Curve.P_256, (ECPublicKey) leaf.getPublicKey())
            .privateKey(TestPki.privateKey(store, alias))
            .keyID(alias)
            .build();
    Map<String, Object> json = new java.util.LinkedHashMap<>(key.toJSONObject());
    List<String> certs = new ArrayList<>();
    for (X509Certificate c : x5c) {
      certs.add(Base64.encode(c.getEncoded()).toString());
    }
    json.put("x5c", certs);
    return com.nimbusds.jose.util.JSONObjectUtils.toJSONString(Map.of("keys", List.of(json)));
  }

  static SigningKey key(Path store, String alias, List<X509Certificate> x5c) throws Exception {
    return KeyRing.fromJwkSet(jwkSet(store, alias, x5c)).keys().getFirst();
  }

  static List<X509Certificate> leafAndIntermediate(Path store, String alias) throws Exception {
    return TestPki.chain(store, alias).subList(0, 2);
  }

  @Test
  void aLeafFirstChainWithoutTheAnchorPassesAndItsX5cReachesTheJwks() throws Exception {
    SigningKey key = key(signer, "signer", leafAndIntermediate(signer, "signer"));
    assertThatCode(() -> CertificateChain.check(key, CertificateChain.Policy.HAIP, Instant.now()))
        .doesNotThrowAnyException();
    assertThat(key.x5c()).hasSize(2);
    assertThat(key.publicJwk().getX509CertChain()).isEqualTo(key.x5c());
    // and the public JWKS carries it
    String jwks = KeyRing.of(key).publicJwks(Instant.now());
    assertThat(JWKSet.parse(jwks).getKeys().getFirst().getX509CertChain()).hasSize(2);
  }

  @Test
  void aChainThatDoesNotStartWithTheLeafIsRefusedNamingTheRule() throws Exception {
    List<X509Certificate> chain = new ArrayList<>(leafAndIntermediate(signer, "signer"));
    java.util.Collections.reverse(chain);
    assertThatThrownBy(() -> key(signer, "signer", chain))
        .isInstanceOf(RegistryException.InvalidInput.class)
        .hasMessageContaining("signing key 'signer'")
        .hasMessageContaining("x5c must start with the leaf certificate");
  }

  @Test
  void aChainWhoseLeafHoldsAnotherKeyIsRefused() throws Exception {
    assertThatThrownBy(() -> key(signer, "signer", leafAndIntermediate(plain, "plain")))
        .isInstanceOf(RegistryException.InvalidInput.class)
        .hasMessageContaining("does not match the leaf certificate");
  }

  @Test
  void aSelfSignedLeafIsRefused() throws Exception {
    Path self = pki.selfSigned("self");
    SigningKey key = key(self, "self", TestPki.chain(self, "self"));
    assertThatThrownBy(
            () -> CertificateChain.check(key, CertificateChain.Policy.HAIP, Instant.now()))
        .isInstanceOf(RegistryException.InvalidInput.class)
        .hasMessageContaining("is self-signed; HAIP needs a leaf issued by a CA");
  }

  @Test
  void theTrustAnchorMustNotBeIncluded() throws Exception {
    SigningKey key = key(signer, "signer", TestPki.chain(signer, "signer"));
    assertThat(key.x5c()).hasSize(3);
    assertThatThrownBy(
            () -> CertificateChain.check(key, CertificateChain.Policy.HAIP, Instant.now()))
        .isInstanceOf(RegistryException.InvalidInput.class)
        .hasMessageContaining("must not include the trust anchor: x5c[2] is self-signed");
  }

  @Test
  void aChainWithAGapIsRefused() throws Exception {
    X509Certificate leaf = TestPki.chain(signer, "signer").getFirst();
    X509Certificate root = TestPki.pem(pki.root());
    SigningKey key = key(signer, "signer", List.of(leaf, root));
    assertThatThrownBy(
            () -> CertificateChain.check(key, CertificateChain.Policy.HAIP, Instant.now()))
        .isInstanceOf(RegistryException.InvalidInput.class)
        .hasMessageContaining("x5c[0] is issued by CN=Test Intermediate, not by x5c[1]");
  }

  @Test
  void aCertificateIssuedByACertificateThatIsNotACaIsRefused() throws Exception {
    // "plain" is a leaf (no basicConstraints CA); "underleaf" is signed by plain's key.
    X509Certificate plainLeaf = TestPki.chain(plain, "plain").getFirst();
    assertThat(plainLeaf.getBasicConstraints()).isEqualTo(-1);
    Path underLeafPem = pki.issuedBy("underleaf", plain, "plain");
    X509Certificate underLeaf = TestPki.pem(underLeafPem);
    assertThat(underLeaf.getIssuerX500Principal()).isEqualTo(plainLeaf.getSubjectX500Principal());
    underLeaf.verify(plainLeaf.getPublicKey()); // the signature itself is right
    SigningKey key = key(dir.resolve("underleaf.p12"), "underleaf", List.of(underLeaf, plainLeaf));
    assertThatThrownBy(
            () -> CertificateChain.check(key, CertificateChain.Policy.HAIP, Instant.now()))
        .isInstanceOf(RegistryException.InvalidInput.class)
        .hasMessageContaining("signing key 'underleaf'")
        .hasMessageContaining("x5c[1] issues a certificate but is not a CA");
  }

  @Test
  void aCertificateWhoseSignatureDoesNotVerifyUnderItsIssuerIsRefused() throws Exception {
    // A CA named like the real intermediate, with a key of its own: names match, signature not.
    X509Certificate leaf = TestPki.chain(signer, "signer").getFirst();
    X509Certificate impostor = TestPki.pem(pki.impostorCa("impostor", "CN=Test Intermediate"));
    assertThat(leaf.getIssuerX500Principal()).isEqualTo(impostor.getSubjectX500Principal());
    assertThat(impostor.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    SigningKey key = key(signer, "signer", List.of(leaf, impostor));
    assertThatThrownBy(
            () -> CertificateChain.check(key, CertificateChain.Policy.HAIP, Instant.now()))
        .isInstanceOf(RegistryException.InvalidInput.class)
        .hasMessageContaining("signing key 'signer'")
        .hasMessageContaining("x5c[0] is not signed by x5c[1]");
  }

  @Test
  void aChainOutsideItsValidityIsRefused() throws Exception {
    SigningKey key = key(signer, "signer", leafAndIntermediate(signer, "signer"));
    Instant later = Instant.now().plus(Duration.ofDays(4000));
    assertThatThrownBy(() -> CertificateChain.check(key, CertificateChain.Policy.HAIP, later))
        .hasMessageContaining("x5c[0] is not valid at");
  }

  @Test
  void configuredTrustAnchorsAreWhatTheChainMustLeadTo() throws Exception {
    SigningKey key = key(signer, "signer", leafAndIntermediate(signer, "signer"));
    Set<TrustAnchor> ours = CertificateChain.trustAnchors(pki.root());
    assertThatCode(
            () -> CertificateChain.check(key, new CertificateChain.Policy(ours, ""), Instant.now()))
        .doesNotThrowAnyException();

    Path stranger = pki.selfSigned("stranger");
    Path strangerPem = dir.resolve("stranger.pem");
    Files.writeString(
        strangerPem,
        "-----BEGIN CERTIFICATE-----\n"
            + java.util.Base64.getMimeEncoder()
                .encodeToString(TestPki.chain(stranger, "stranger").getFirst().getEncoded())
            + "\n-----END CERTIFICATE-----\n");
    Set<TrustAnchor> theirs = CertificateChain.trustAnchors(strangerPem);
    assertThatThrownBy(
            () ->
                CertificateChain.check(key, new CertificateChain.Policy(theirs, ""), Instant.now()))
        .hasMessageContaining("does not lead to a configured trust anchor");
  }

  @Test
  void aSeparateStatusListSignerMustCarryTheConfiguredEku() throws Exception {
    CertificateChain.Policy eku = new CertificateChain.Policy(Set.of(), EKU);
    SigningKey withEku = key(signer, "signer", leafAndIntermediate(signer, "signer"));
    SigningKey without = key(plain, "plain", leafAndIntermediate(plain, "plain"));

    assertThatCode(() -> CertificateChain.check(withEku, eku, Instant.now()))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> CertificateChain.check(without, eku, Instant.now()))
        .hasMessageContaining("lacks the status list signing EKU " + EKU);
    assertThatThrownBy(() -> new CertificateChain.Policy(Set.of(), "not-an-oid"))
        .isInstanceOf(RegistryException.InvalidInput.class);
    assertThatThrownBy(
            () ->
                Settings.of(Map.of("signing.status.eku", "not-an-oid"))
                    .get(KeySettings.STATUS_SIGNING_EKU))
        .isInstanceOf(io.statusreg.registry.config.Setting.ConfigException.class)
        .hasMessageContaining("signing.status.eku");
    assertThat(Settings.of(Map.of("signing.status.eku", EKU)).get(KeySettings.STATUS_SIGNING_EKU))
        .isEqualTo(EKU);
  }

  @Test
  void thePkcs12SettingLoadsTheKeystoreDropsTheRootAndChecksTheChain() throws Exception {
    Settings settings =
        Settings.of(
            Map.of(
                "signing.keystore.file",
                signer.toString(),
                "signing.keystore.password",
                TestPki.PASSWORD,
                "signing.x5c.required",
                "true",
                "signing.trust.anchors.file",
                pki.root().toString(),
                "signing.status.eku",
                EKU));
    SigningKeySource source = SigningKeySource.from(settings, Optional.empty());
    assertThat(source.kind()).isEqualTo(SigningKeySource.Kind.PKCS12);
    assertThat(source.toString()).doesNotContain(TestPki.PASSWORD);

    KeyRing ring = source.load(Clock.systemUTC()).orElseThrow();

    SigningKey key = ring.keys().getFirst();
    assertThat(key.kid()).isEqualTo("signer");
    assertThat(key.x5c()).as("leaf and intermediate, no root").hasSize(2);
    byte[] sig = key.sign(new byte[] {1, 2, 3});
    assertThat(key.algorithm().verify(key.publicKey(), new byte[] {1, 2, 3}, sig)).isTrue();

    Settings wrongEku = settings.with("signing.status.eku", "1.3.6.1.5.5.7.3.98");
    assertThatThrownBy(
            () -> SigningKeySource.from(wrongEku, Optional.empty()).load(Clock.systemUTC()))
        .hasMessageContaining("lacks the status list signing EKU");
    Settings wrongPassword = settings.with("signing.keystore.password", "nope");
    assertThatThrownBy(
            () -> SigningKeySource.from(wrongPassword, Optional.empty()).load(Clock.systemUTC()))
        .hasMessageContaining("wrong password")
        .hasMessageNotContaining("nope");
  }

  @Test
  void aChainTooLargeToTravelBesideTheLargestIdentifierListIsRefusedAtStartUp() throws Exception {
    SigningKey key = key(signer, "signer", leafAndIntermediate(signer, "signer"));
    // The intermediate again and again: each entry a real certificate, together over the limit.
    List<Base64> padded = new ArrayList<>(key.x5c());
    long bytes = 0;
    while (bytes <= io.statusreg.registry.identifiers.IdentifierListBound.MAX_CHAIN_BYTES) {
      padded.add(key.x5c().get(1));
      bytes += key.x5c().get(1).decode().length;
    }
    SigningKey large = key.withX5c(padded);
    SigningKeySource source = SigningKeySource.from(Settings.of(Map.of()), Optional.empty());

    assertThatThrownBy(() -> source.check(KeyRing.of(large), Clock.systemUTC()))
        .isInstanceOf(RegistryException.InvalidInput.class)
        .hasMessageContaining("signing key 'signer' has an x5c of")
        .hasMessageContaining("at most 262144");
    assertThatCode(() -> source.check(KeyRing.of(key), Clock.systemUTC()))
        .doesNotThrowAnyException();
  }

  @Test
  void x5cRequiredRefusesAKeyWithoutAChainAndTwoSourcesAreRefused() throws Exception {
    Path jwks = dir.resolve("bare.jwks.json");
    String bare =
        new ECKey.Builder(new com.nimbusds.jose.jwk.gen.ECKeyGenerator(Curve.P_256).generate())
            .keyID("bare")
            .build()
            .toJSONString();
    Files.writeString(jwks, "{\"keys\":[" + bare + "]}");
    Settings required = Settings.of(Map.of("signing.x5c.required", "true"));
    assertThatThrownBy(
            () -> SigningKeySource.from(required, Optional.of(jwks)).load(Clock.systemUTC()))
        .hasMessageContaining("signing key 'bare' has no x5c");
    assertThatCode(
            () ->
                SigningKeySource.from(Settings.of(Map.of()), Optional.of(jwks))
                    .load(Clock.systemUTC()))
        .doesNotThrowAnyException();
    Settings two = Settings.of(Map.of("signing.keystore.file", signer.toString()));
    assertThatThrownBy(() -> SigningKeySource.from(two, Optional.of(jwks)))
        .hasMessageContaining("set at most one of");
  }

  @Test
  void aNewerKeystoreCertificateTakesOverAndTheOldKeyStaysPublishedForTheKeepPeriod()
      throws Exception {
    KeyRing ring =
        KeyRing.of(
            SigningKey.fromCertificate(
                "old", TestPki.privateKey(plain, "plain"), leafAndIntermediate(plain, "plain")),
            SigningKey.fromCertificate(
                "new",
                TestPki.privateKey(signer, "signer"),
                leafAndIntermediate(signer, "signer")));
    Instant oldNbf = ring.keys().get(0).notBefore();
    Instant newNbf = ring.keys().get(1).notBefore();
    assertThat(newNbf).as("the certificates' own dates").isAfter(oldNbf);

    KeyRing rotated = ring.supersede(Duration.ofDays(2));

    Instant justAfter = newNbf.plusSeconds(1);
    assertThat(rotated.active(justAfter).kid()).isEqualTo("new");
    assertThat(rotated.active(newNbf.minusSeconds(1)).kid()).isEqualTo("old");
    assertThat(rotated.publicJwkSet(justAfter).getKeys()).hasSize(2);
    assertThat(rotated.publicJwkSet(newNbf.plus(Duration.ofDays(2)).minusSeconds(1)).getKeys())
        .hasSize(2);
    assertThat(rotated.publicJwkSet(newNbf.plus(Duration.ofDays(2))).getKeys())
        .singleElement()
        .satisfies(k -> assertThat(k.getKeyID()).isEqualTo("new"));
    Clock at = Clock.fixed(justAfter, ZoneOffset.UTC);
    assertThat(new SigningKeys(at, rotated).active().kid()).isEqualTo("new");
  }
}
