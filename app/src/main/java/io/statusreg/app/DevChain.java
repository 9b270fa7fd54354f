package io.statusreg.app;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.identifiers.DevelopmentCertificate;
import io.statusreg.registry.keys.CertificateChain;
import io.statusreg.registry.keys.SigningKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The development signing key's certificate chain, so that what {@code statusreg dev} serves
 * follows HAIP as a production key would: every status list token carries {@code x5c} (JWT) or
 * {@code x5chain} (CWT, identifier lists) holding a leaf certificate for the signing key, issued by
 * a development CA whose certificate is the trust anchor, written to {@code <data-dir>/dev-ca.pem}
 * for verifiers and never put into a chain. The CA's key stays in {@code <data-dir>} (mode 600).
 *
 * <p>Made once and kept: the CA for ten years, the leaf for one, each made again when it has less
 * than 30 days left or no longer matches its key. A signing key whose {@code x5c} another CA issued
 * (a chain the user put into the file) is left as it is.
 */
final class DevChain {
  private static final Logger log = LoggerFactory.getLogger(DevChain.class);

  static final String CA_KEY_FILE = "dev-ca-private.jwks.json";
  static final String CA_CERT_FILE = "dev-ca.pem";
  static final String CA_NAME = "statusreg development CA";
  static final String LEAF_NAME = "statusreg development status list signer";
  static final Duration CA_LIFETIME = Duration.ofDays(3650);
  static final Duration LEAF_LIFETIME = Duration.ofDays(365);
  static final Duration RENEW_BEFORE = Duration.ofDays(30);

  private DevChain() {}

  /**
   * Gives the one key of {@code signingKeys} a chain issued by the development CA unless it has a
   * current one; returns the CA certificate's file (the trust anchor), or empty when the key's
   * chain is someone else's.
   */
  static Optional<Path> ensure(Path dataDir, Path signingKeys, Instant now) throws IOException {
    ECKey signing = DevCommand.ensurePrivateJwks(signingKeys, "dev-signing");
    SigningKey ca =
        SigningKey.fromJwk(DevCommand.ensurePrivateJwks(dataDir.resolve(CA_KEY_FILE), "dev-ca"));
    Path anchorFile = dataDir.resolve(CA_CERT_FILE);
    X509Certificate anchor = readAnchor(anchorFile, ca, now).orElse(null);
    if (anchor == null) {
      byte[] der =
          DevelopmentCertificate.authority(
              ca, CA_NAME, now.minus(Duration.ofDays(1)), now.plus(CA_LIFETIME));
      Files.writeString(anchorFile, pem(der), StandardCharsets.US_ASCII);
      anchor = parse(der);
      log.info("generated the development CA certificate {}", anchorFile);
    }
    List<Base64> x5c = signing.getX509CertChain();
    if (x5c != null && !x5c.isEmpty()) {
      X509Certificate leaf;
      try {
        leaf = parse(x5c.getFirst().decode());
      } catch (IOException e) {
        leaf = null;
      }
      if (leaf == null || !leaf.getIssuerX500Principal().equals(anchor.getSubjectX500Principal())) {
        log.info(
            "signing key '{}' carries a chain of its own ({}): kept as it is, the start-up checks"
                + " judge it",
            signing.getKeyID(),
            leaf == null ? "x5c[0] unreadable" : leaf.getIssuerX500Principal().getName());
        return Optional.empty();
      }
      if (current(signing, anchor, now)) {
        return Optional.of(anchorFile);
      }
    }
    byte[] leaf =
        DevelopmentCertificate.issued(
            publicKey(signing),
            LEAF_NAME,
            ca,
            CA_NAME,
            now.minus(Duration.ofHours(1)),
            now.plus(LEAF_LIFETIME));
    ECKey withChain =
        new ECKey.Builder(signing).x509CertChain(List.of(Base64.encode(leaf))).build();
    DevCommand.writePrivate(signingKeys, new JWKSet(withChain).toString(false));
    log.info(
        "signing key '{}' has a development certificate issued by {} (trust anchor {})",
        signing.getKeyID(),
        CA_NAME,
        anchorFile);
    return Optional.of(anchorFile);
  }

  private static java.security.PublicKey publicKey(ECKey key) throws IOException {
    try {
      return key.toECPublicKey();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IOException("the signing key has no usable public key", e);
    }
  }

  /** The CA certificate in {@code file} when it is the CA key's and current. */
  private static Optional<X509Certificate> readAnchor(Path file, SigningKey ca, Instant now) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try (InputStream in = Files.newInputStream(file)) {
      X509Certificate c =
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      if (c.getPublicKey().equals(ca.publicKey())
          && c.getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE))) {
        c.checkValidity(Date.from(now));
        return Optional.of(c);
      }
    } catch (IOException | GeneralSecurityException e) {
      log.warn("{} is not a usable certificate ({}): making a new one", file, e.getMessage());
    }
    return Optional.empty();
  }

  /**
   * Whether the key's chain passes the start-up checks under the anchor (leaf first and holding the
   * key, issued and signed by the anchor) and stays valid for {@link #RENEW_BEFORE} more.
   */
  private static boolean current(ECKey signing, X509Certificate anchor, Instant now) {
    try {
      CertificateChain.check(
          SigningKey.fromJwk(signing),
          new CertificateChain.Policy(Set.of(new TrustAnchor(anchor, null)), ""),
          now.plus(RENEW_BEFORE));
      return true;
    } catch (RegistryException.InvalidInput e) {
      return false;
    }
  }

  static X509Certificate parse(byte[] der) throws IOException {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IOException("not an X.509 certificate", e);
    }
  }

  static String pem(byte[] der) {
    String body =
        java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(der);
    return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
  }
}
