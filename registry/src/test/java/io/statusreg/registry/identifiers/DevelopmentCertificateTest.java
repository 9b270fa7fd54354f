package io.statusreg.registry.identifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.util.Base64;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.keys.CertificateChain;
import io.statusreg.registry.keys.SignatureAlgorithm;
import io.statusreg.registry.keys.SigningKey;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The development chain that {@code statusreg dev} gives its signing key: a CA certificate (the
 * trust anchor, handed to verifiers) and a leaf it issued (the key's whole {@code x5c}), checked by
 * the JDK's own X.509 parser and PKIX validator, and by the HAIP rules of {@link CertificateChain}.
 */
class DevelopmentCertificateTest {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  @Test
  void anAuthorityIsACaThatIssuesTheLeafWhichIsNotOne() throws Exception {
    SigningKey ca = SigningKey.generate(SignatureAlgorithm.ES256, "ca", T0);
    SigningKey signer = SigningKey.generate(SignatureAlgorithm.ES256, "signer", T0);
    X509Certificate anchor =
        parse(DevelopmentCertificate.authority(ca, "dev CA", T0, T0.plus(Duration.ofDays(3650))));
    X509Certificate leaf =
        parse(
            DevelopmentCertificate.issued(
                signer.publicKey(), "dev signer", ca, "dev CA", T0, T0.plus(Duration.ofDays(365))));

    assertThat(anchor.getBasicConstraints()).as("the authority is a CA").isGreaterThanOrEqualTo(0);
    assertThat(anchor.getKeyUsage()[5]).as("keyCertSign").isTrue();
    anchor.verify(ca.publicKey());
    assertThat(leaf.getBasicConstraints()).as("the leaf is not a CA").isEqualTo(-1);
    assertThat(leaf.getKeyUsage()[0]).as("digitalSignature").isTrue();
    assertThat(leaf.getKeyUsage()[5]).as("no keyCertSign").isFalse();
    assertThat(leaf.getPublicKey()).isEqualTo(signer.publicKey());
    assertThat(leaf.getIssuerX500Principal()).isEqualTo(anchor.getSubjectX500Principal());
    leaf.verify(ca.publicKey());
    assertThatThrownBy(() -> leaf.verify(signer.publicKey()))
        .as("the leaf is signed by the CA, not by itself")
        .isInstanceOf(java.security.SignatureException.class);
    // The key identifiers link the two: the leaf's authority key id is the CA's subject key id.
    byte[] caSki = anchor.getExtensionValue("2.5.29.14");
    byte[] leafAki = leaf.getExtensionValue("2.5.29.35");
    assertThat(caSki).isNotNull();
    assertThat(leafAki).isNotNull();
    byte[] ski = java.util.Arrays.copyOfRange(caSki, caSki.length - 20, caSki.length);
    byte[] aki = java.util.Arrays.copyOfRange(leafAki, leafAki.length - 20, leafAki.length);
    assertThat(aki).isEqualTo(ski);
  }

  @Test
  void theLeafAloneAsX5cPassesEveryHaipRuleAndLeadsToTheAuthority() throws Exception {
    SigningKey ca = SigningKey.generate(SignatureAlgorithm.ES256, "ca", T0);
    SigningKey signer = SigningKey.generate(SignatureAlgorithm.ES256, "signer", T0);
    byte[] anchor = DevelopmentCertificate.authority(ca, "dev CA", T0, T0.plusSeconds(86_400));
    byte[] leaf =
        DevelopmentCertificate.issued(
            signer.publicKey(), "dev signer", ca, "dev CA", T0, T0.plusSeconds(86_400));
    SigningKey withChain = signer.withX5c(List.of(Base64.encode(leaf)));
    CertificateChain.Policy trusting =
        new CertificateChain.Policy(Set.of(new TrustAnchor(parse(anchor), null)), "");

    assertThatCode(() -> CertificateChain.check(withChain, trusting, T0.plusSeconds(60)))
        .doesNotThrowAnyException();

    // Another CA's anchor does not validate it: PKIX really follows the signature.
    SigningKey otherCa = SigningKey.generate(SignatureAlgorithm.ES256, "other", T0);
    byte[] foreign =
        DevelopmentCertificate.authority(otherCa, "dev CA", T0, T0.plusSeconds(86_400));
    CertificateChain.Policy trustingOther =
        new CertificateChain.Policy(Set.of(new TrustAnchor(parse(foreign), null)), "");
    assertThatThrownBy(() -> CertificateChain.check(withChain, trustingOther, T0.plusSeconds(60)))
        .isInstanceOf(RegistryException.InvalidInput.class)
        .hasMessageContaining("trust anchor");
    // And the authority itself in x5c is refused, as HAIP says.
    SigningKey withAnchor = signer.withX5c(List.of(Base64.encode(leaf), Base64.encode(anchor)));
    assertThatThrownBy(() -> CertificateChain.check(withAnchor, trusting, T0.plusSeconds(60)))
        .isInstanceOf(RegistryException.InvalidInput.class)
        .hasMessageContaining("must not include the trust anchor");
  }

  private static X509Certificate parse(byte[] der) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }
}
