package io.statusreg.registry.keys;

import com.nimbusds.jose.util.Base64;
import io.statusreg.registry.RegistryException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Start-up checks of a signing key's {@code x5c} chain, as OpenID4VC HAIP 1.0 asks of the status
 * list token's header (and as the Token Status List draft's separate status list signer needs):
 *
 * <ol>
 *   <li>every entry is a DER X.509 certificate;
 *   <li>the leaf comes first and its public key is the signing key's;
 *   <li>the leaf is not self-signed;
 *   <li>each certificate is issued and signed by the next one, which is a CA ({@code
 *       basicConstraints}), and all are valid now;
 *   <li>the trust anchor is not included (the last certificate is not self-signed);
 *   <li>when trust anchors are configured, the chain leads to one of them (PKIX validation, without
 *       revocation checking: that is the verifier's business);
 *   <li>when a status list signing EKU is configured ({@code id-kp-oauthStatusSigning}, whose OID
 *       is still to be assigned), the leaf carries it in {@code extendedKeyUsage}.
 * </ol>
 *
 * Every failure is a {@link RegistryException.InvalidInput} naming the key and the rule.
 */
public final class CertificateChain {
  private CertificateChain() {}

  /** What the checks demand beyond HAIP's own rules. */
  public record Policy(Set<TrustAnchor> trustAnchors, String statusSigningEku) {
    public static final Policy HAIP = new Policy(Set.of(), "");

    public Policy {
      trustAnchors = Set.copyOf(trustAnchors);
      statusSigningEku = statusSigningEku == null ? "" : statusSigningEku.trim();
      if (!statusSigningEku.isEmpty() && !isOid(statusSigningEku)) {
        throw new RegistryException.InvalidInput(
            "the status list signing EKU must be a dotted OID such as 1.3.6.1.5.5.7.3.x");
      }
    }
  }

  /** Whether {@code s} is a dotted OID such as {@code 1.3.6.1.5.5.7.3.9}. */
  static boolean isOid(String s) {
    return s.matches("[0-2](\\.[0-9]{1,9}){1,30}");
  }

  /** Decodes an {@code x5c} (base64 DER, leaf first). */
  public static List<X509Certificate> decode(String kid, List<Base64> x5c) {
    List<X509Certificate> out = new ArrayList<>(x5c.size());
    for (int i = 0; i < x5c.size(); i++) {
      try {
        out.add(parse(x5c.get(i).decode()));
      } catch (CertificateException | RuntimeException e) {
        throw invalid(kid, "x5c[" + i + "] is not a DER X.509 certificate");
      }
    }
    return out;
  }

  /**
   * Decodes {@code x5c} and checks that its first certificate (the leaf) holds {@code publicKey}.
   */
  public static List<X509Certificate> checkLeaf(
      String kid, java.security.PublicKey publicKey, List<Base64> x5c) {
    if (x5c.isEmpty()) {
      throw invalid(kid, "x5c is empty");
    }
    List<X509Certificate> chain = decode(kid, x5c);
    if (!chain.getFirst().getPublicKey().equals(publicKey)) {
      for (int i = 1; i < chain.size(); i++) {
        if (chain.get(i).getPublicKey().equals(publicKey)) {
          throw invalid(
              kid,
              "x5c must start with the leaf certificate; the signing key is in x5c[" + i + "]");
        }
      }
      throw invalid(kid, "the signing key does not match the leaf certificate x5c[0]");
    }
    return chain;
  }

  /** Runs every check on {@code key}'s chain at {@code now}; a key without x5c passes. */
  public static void check(SigningKey key, Policy policy, Instant now) {
    if (key.x5c().isEmpty()) {
      return;
    }
    String kid = key.kid();
    List<X509Certificate> chain = checkLeaf(kid, key.publicKey(), key.x5c());
    X509Certificate leaf = chain.getFirst();
    if (selfSigned(leaf)) {
      throw invalid(
          kid,
          "the leaf certificate x5c[0] ("
              + leaf.getSubjectX500Principal().getName()
              + ") is self-signed; HAIP needs a leaf issued by a CA");
    }
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate c = chain.get(i);
      try {
        c.checkValidity(Date.from(now));
      } catch (CertificateException e) {
        throw invalid(
            kid,
            "x5c["
                + i
                + "] is not valid at "
                + now
                + " (valid "
                + c.getNotBefore().toInstant()
                + " to "
                + c.getNotAfter().toInstant()
                + ")");
      }
      if (i + 1 < chain.size()) {
        X509Certificate issuer = chain.get(i + 1);
        if (!c.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
          throw invalid(
              kid,
              "x5c["
                  + i
                  + "] is issued by "
                  + c.getIssuerX500Principal().getName()
                  + ", not by x5c["
                  + (i + 1)
                  + "] ("
                  + issuer.getSubjectX500Principal().getName()
                  + "): the chain is out of order or incomplete");
        }
        if (issuer.getBasicConstraints() < 0) {
          throw invalid(kid, "x5c[" + (i + 1) + "] issues a certificate but is not a CA");
        }
        try {
          c.verify(issuer.getPublicKey());
        } catch (GeneralSecurityException e) {
          throw invalid(kid, "x5c[" + i + "] is not signed by x5c[" + (i + 1) + "]");
        }
      }
    }
    if (chain.size() > 1 && selfSigned(chain.getLast())) {
      throw invalid(
          kid,
          "x5c must not include the trust anchor: x5c["
              + (chain.size() - 1)
              + "] is self-signed; drop it from the chain");
    }
    if (!policy.trustAnchors().isEmpty()) {
      validate(kid, chain, policy.trustAnchors(), now);
    }
    if (!policy.statusSigningEku().isEmpty()) {
      List<String> ekus;
      try {
        ekus = leaf.getExtendedKeyUsage();
      } catch (CertificateException e) {
        ekus = null;
      }
      if (ekus == null || !ekus.contains(policy.statusSigningEku())) {
        throw invalid(
            kid,
            "the leaf certificate lacks the status list signing EKU "
                + policy.statusSigningEku()
                + " (id-kp-oauthStatusSigning) in extendedKeyUsage");
      }
    }
  }

  /** Reads PEM (or DER) certificates, to be used as trust anchors. */
  public static Set<TrustAnchor> trustAnchors(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      Set<TrustAnchor> anchors = new HashSet<>();
      for (Certificate c : certs) {
        anchors.add(new TrustAnchor((X509Certificate) c, null));
      }
      if (anchors.isEmpty()) {
        throw new RegistryException.InvalidInput("trust anchors file " + file + " holds none");
      }
      return anchors;
    } catch (IOException | CertificateException e) {
      throw new RegistryException.InvalidInput(
          "reading trust anchors from " + file + " failed: not PEM or DER certificates");
    }
  }

  static boolean selfSigned(X509Certificate c) {
    if (!c.getIssuerX500Principal().equals(c.getSubjectX500Principal())) {
      return false;
    }
    try {
      c.verify(c.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static void validate(
      String kid, List<X509Certificate> chain, Set<TrustAnchor> anchors, Instant now) {
    try {
      CertificateFactory f = CertificateFactory.getInstance("X.509");
      CertPath path = f.generateCertPath(chain);
      PKIXParameters params = new PKIXParameters(anchors);
      params.setRevocationEnabled(false);
      params.setDate(Date.from(now));
      CertPathValidator.getInstance("PKIX").validate(path, params);
    } catch (CertPathValidatorException e) {
      throw invalid(
          kid,
          "the chain does not lead to a configured trust anchor"
              + (e.getIndex() >= 0 ? " (at x5c[" + e.getIndex() + "])" : "")
              + ": "
              + e.getReason());
    } catch (GeneralSecurityException e) {
      throw invalid(kid, "the chain could not be validated: " + e.getClass().getSimpleName());
    }
  }

  private static X509Certificate parse(byte[] der) throws CertificateException {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  private static RegistryException.InvalidInput invalid(String kid, String why) {
    return new RegistryException.InvalidInput("signing key '" + kid + "': " + why);
  }
}
