package io.statusreg.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64;
import io.statusreg.registry.identifiers.DevelopmentCertificate;
import io.statusreg.registry.keys.CertificateChain;
import io.statusreg.registry.keys.SignatureAlgorithm;
import io.statusreg.registry.keys.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code statusreg dev} gives its signing key: a HAIP chain under a development CA. */
class DevChainTest {
  static final Instant NOW = Instant.parse("2026-12-03T09:00:00Z");

  @TempDir Path dir;

  @Test
  void aFreshDataDirGetsALeafIssuedByTheDevelopmentCaThatPassesTheStartUpChecks() throws Exception {
    Path keys = dir.resolve("signing-keys.jwks.json");

    Optional<Path> anchor = DevChain.ensure(dir, keys, NOW);

    assertThat(anchor).contains(dir.resolve(DevChain.CA_CERT_FILE));
    SigningKey key = signingKey(keys);
    assertThat(key.x5c()).as("x5c holds the leaf only, not the anchor").hasSize(1);
    X509Certificate leaf = DevChain.parse(key.x5c().getFirst().decode());
    assertThat(leaf.getPublicKey()).isEqualTo(key.publicKey());
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    assertThatCode(
            () ->
                CertificateChain.check(
                    key,
                    new CertificateChain.Policy(CertificateChain.trustAnchors(anchor.get()), ""),
                    NOW))
        .doesNotThrowAnyException();
    assertThat(Files.readString(keys))
        .as("the CA's private key is not in the signing keys")
        .doesNotContain(caKey().getKeyID());
  }

  @Test
  void startingAgainKeepsTheChainAndAnOlderDevKeyWithoutOneGetsIt() throws Exception {
    Path keys = dir.resolve("signing-keys.jwks.json");
    // A data dir from an earlier release: the key exists, without x5c.
    ECKey old = DevCommand.ensurePrivateJwks(keys, "dev-signing");
    assertThat(old.getX509CertChain()).isNull();

    DevChain.ensure(dir, keys, NOW);
    String first = Files.readString(keys);
    String anchor = Files.readString(dir.resolve(DevChain.CA_CERT_FILE));
    DevChain.ensure(dir, keys, NOW.plus(Duration.ofDays(10)));

    assertThat(signingKey(keys).kid())
        .as("the same key, now with a chain")
        .isEqualTo(old.getKeyID());
    assertThat(Files.readString(keys)).isEqualTo(first);
    assertThat(Files.readString(dir.resolve(DevChain.CA_CERT_FILE))).isEqualTo(anchor);
  }

  @Test
  void aLeafCloseToItsEndIsIssuedAgainUnderTheSameAnchor() throws Exception {
    Path keys = dir.resolve("signing-keys.jwks.json");
    DevChain.ensure(dir, keys, NOW);
    String anchor = Files.readString(dir.resolve(DevChain.CA_CERT_FILE));
    X509Certificate before = DevChain.parse(signingKey(keys).x5c().getFirst().decode());

    Instant later = NOW.plus(DevChain.LEAF_LIFETIME).minus(Duration.ofDays(5));
    DevChain.ensure(dir, keys, later);

    X509Certificate after = DevChain.parse(signingKey(keys).x5c().getFirst().decode());
    assertThat(after.getNotAfter()).isAfter(before.getNotAfter());
    assertThat(Files.readString(dir.resolve(DevChain.CA_CERT_FILE))).isEqualTo(anchor);
    assertThatCode(
            () ->
                CertificateChain.check(
                    signingKey(keys),
                    new CertificateChain.Policy(
                        CertificateChain.trustAnchors(dir.resolve(DevChain.CA_CERT_FILE)), ""),
                    later))
        .doesNotThrowAnyException();
  }

  @Test
  void aChainAnotherCaIssuedIsLeftAsItIs() throws Exception {
    Path keys = dir.resolve("signing-keys.jwks.json");
    ECKey mine = DevCommand.ensurePrivateJwks(keys, "dev-signing");
    SigningKey theirCa = SigningKey.generate(SignatureAlgorithm.ES256, "their-ca", NOW);
    byte[] theirLeaf =
        DevelopmentCertificate.issued(
            mine.toECPublicKey(), "mine", theirCa, "Their CA", NOW, NOW.plusSeconds(86_400));
    ECKey withTheirs =
        new ECKey.Builder(mine).x509CertChain(List.of(Base64.encode(theirLeaf))).build();
    Files.writeString(keys, new JWKSet(withTheirs).toString(false));
    String before = Files.readString(keys);

    assertThat(DevChain.ensure(dir, keys, NOW)).isEmpty();
    assertThat(Files.readString(keys)).isEqualTo(before);
  }

  private SigningKey signingKey(Path keys) throws Exception {
    return SigningKey.fromJwk(JWKSet.load(keys.toFile()).getKeys().getFirst());
  }

  private ECKey caKey() throws Exception {
    return (ECKey) JWKSet.load(dir.resolve(DevChain.CA_KEY_FILE).toFile()).getKeys().getFirst();
  }
}
