package io.statusreg.registry.keys;

import com.nimbusds.jose.JWSAlgorithm;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.EdECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Optional;

/**
 * The asymmetric signature algorithms a status list may be signed with, each with its JOSE name,
 * its COSE id and its JCA implementation. Signatures are in the JOSE/COSE wire form: raw {@code
 * r||s} (IEEE P1363) for ECDSA, the 64 raw bytes for Ed25519, PKCS#1 v1.5 or PSS for RSA.
 *
 * <p>There is deliberately no {@code none} and no HMAC: a status list token must be verifiable by
 * anyone with the issuer's public key and only the issuer can sign it. EdDSA runs on the JDK's own
 * Ed25519 (no Tink, which nimbus would need for its Ed25519 signer).
 */
public enum SignatureAlgorithm {
  ES256("ES256", -7, "SHA256withECDSAinP1363Format", 256),
  ES384("ES384", -35, "SHA384withECDSAinP1363Format", 384),
  ES512("ES512", -36, "SHA512withECDSAinP1363Format", 521),
  EDDSA("EdDSA", -8, "Ed25519", 0),
  RS256("RS256", -257, "SHA256withRSA", 0),
  RS384("RS384", -258, "SHA384withRSA", 0),
  RS512("RS512", -259, "SHA512withRSA", 0),
  PS256("PS256", -37, "RSASSA-PSS", 256),
  PS384("PS384", -38, "RSASSA-PSS", 384),
  PS512("PS512", -39, "RSASSA-PSS", 512);

  private final String jose;
  private final int cose;
  private final String jca;
  private final int size;

  SignatureAlgorithm(String jose, int cose, String jca, int size) {
    this.jose = jose;
    this.cose = cose;
    this.jca = jca;
    this.size = size;
  }

  /** The JOSE {@code alg} value. */
  public String jose() {
    return jose;
  }

  /** The nimbus algorithm object. */
  public JWSAlgorithm jwsAlgorithm() {
    return JWSAlgorithm.parse(jose);
  }

  /** The COSE algorithm id (header parameter 1). */
  public int cose() {
    return cose;
  }

  public boolean isEcdsa() {
    return this == ES256 || this == ES384 || this == ES512;
  }

  public boolean isRsa() {
    return name().startsWith("RS") || name().startsWith("PS");
  }

  /**
   * The algorithm for a JOSE {@code alg}; empty for {@code none}, HMAC and anything unknown. The
   * fully specified {@code Ed25519} (RFC 9864) is read as {@link #EDDSA}.
   */
  public static Optional<SignatureAlgorithm> fromJose(String alg) {
    if (alg == null) {
      return Optional.empty();
    }
    if (alg.equals("Ed25519")) {
      return Optional.of(EDDSA);
    }
    for (SignatureAlgorithm a : values()) {
      if (a.jose.equals(alg)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** The algorithm for a COSE id; empty for anything else (including MACs). -19 is Ed25519. */
  public static Optional<SignatureAlgorithm> fromCose(long id) {
    if (id == -19) {
      return Optional.of(EDDSA);
    }
    for (SignatureAlgorithm a : values()) {
      if (a.cose == id) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a key of this type (and curve, for ECDSA and EdDSA) can be used with this algorithm.
   */
  public boolean fits(java.security.Key key) {
    if (isEcdsa()) {
      return key instanceof ECKey ec && ec.getParams().getCurve().getField().getFieldSize() == size;
    }
    if (this == EDDSA) {
      return key instanceof EdECKey ed
          && ed.getParams() instanceof NamedParameterSpec n
          && n.getName().equalsIgnoreCase("Ed25519");
    }
    return key instanceof RSAKey rsa && rsa.getModulus().bitLength() >= 2048;
  }

  /** Signs {@code input}; the result is in the JOSE/COSE wire form. */
  public byte[] sign(PrivateKey key, byte[] input) throws GeneralSecurityException {
    Signature s = instance();
    s.initSign(key);
    s.update(input);
    return s.sign();
  }

  /** Verifies a JOSE/COSE form signature; false (never an exception) for a malformed one. */
  public boolean verify(PublicKey key, byte[] input, byte[] signature) {
    try {
      Signature s = instance();
      s.initVerify(key);
      s.update(input);
      return s.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private Signature instance() throws GeneralSecurityException {
    Signature s = Signature.getInstance(jca);
    if (jca.equals("RSASSA-PSS")) {
      String digest = "SHA-" + size;
      MGF1ParameterSpec mgf =
          switch (size) {
            case 256 -> MGF1ParameterSpec.SHA256;
            case 384 -> MGF1ParameterSpec.SHA384;
            default -> MGF1ParameterSpec.SHA512;
          };
      s.setParameter(new PSSParameterSpec(digest, "MGF1", mgf, size / 8, 1));
    }
    return s;
  }
}
