package io.statusreg.registry.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import io.statusreg.registry.RegistryException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One issuer signing key: a private key with its {@code kid}, algorithm, optional certificate chain
 * ({@code x5c}) and its life: {@link #notBefore()} (when it may become the active key) and {@link
 * #retireAfter()} (after which its public part is no longer published).
 *
 * <p>Immutable and thread-safe. {@link #toString()} names the key, never its material.
 */
public final class SigningKey {
  private final String kid;
  private final SignatureAlgorithm algorithm;
  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final JWK publicJwk;
  private final List<Base64> x5c;
  private final Instant notBefore;
  private final Instant retireAfter;

  private SigningKey(
      String kid,
      SignatureAlgorithm algorithm,
      PrivateKey privateKey,
      PublicKey publicKey,
      JWK publicJwk,
      List<Base64> x5c,
      Instant notBefore,
      Instant retireAfter) {
    this.kid = kid;
    this.algorithm = algorithm;
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.publicJwk = publicJwk;
    this.x5c = x5c;
    this.notBefore = notBefore;
    this.retireAfter = retireAfter;
  }

  /**
   * A signing key from a private JWK. The algorithm is the JWK's {@code alg}, or the default for
   * its type (ES256/ES384/ES512 by curve, EdDSA for Ed25519, RS256 for RSA); the {@code kid} is the
   * JWK's, or its RFC 7638 thumbprint; {@code nbf} (else {@code iat}) gives {@link #notBefore()},
   * {@code exp} gives {@link #retireAfter()}; {@code x5c} is kept.
   */
  public static SigningKey fromJwk(JWK jwk) {
    Objects.requireNonNull(jwk, "jwk");
    SignatureAlgorithm alg = Jwks.algorithmOf(jwk);
    PrivateKey priv = Jwks.privateKey(jwk);
    PublicKey pub = Jwks.publicKey(jwk);
    if (!alg.fits(pub)) {
      throw new RegistryException.InvalidInput(
          "key " + Jwks.describe(jwk) + " cannot be used with " + alg.jose());
    }
    if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
      throw new RegistryException.InvalidInput(
          "key " + Jwks.describe(jwk) + " has use '" + jwk.getKeyUse() + "', not 'sig'");
    }
    String kid = jwk.getKeyID() != null ? jwk.getKeyID() : thumbprint(jwk);
    Instant nbf =
        jwk.getNotBeforeTime() != null
            ? jwk.getNotBeforeTime().toInstant()
            : jwk.getIssueTime() != null ? jwk.getIssueTime().toInstant() : Instant.EPOCH;
    Instant exp = jwk.getExpirationTime() == null ? null : jwk.getExpirationTime().toInstant();
    List<Base64> chain = jwk.getX509CertChain() == null ? List.of() : jwk.getX509CertChain();
    return new SigningKey(
        kid, alg, priv, pub, publicJwk(jwk.toPublicJWK(), kid, alg, chain), chain, nbf, exp);
  }

  /**
   * A signing key whose private part stays where it is (a PKCS#11 token, say: {@code priv} is a
   * handle, never extracted), with its certificate chain, leaf first. The public key is the leaf's;
   * the algorithm is the default for its type (ES256/ES384/ES512 by curve, RS256 for RSA); {@link
   * #notBefore()} is the leaf's {@code notBefore}, so that of two keys in a store the one with the
   * newer certificate signs.
   */
  public static SigningKey fromCertificate(
      String kid, PrivateKey priv, List<java.security.cert.X509Certificate> chain) {
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(priv, "priv");
    if (chain.isEmpty()) {
      throw new RegistryException.InvalidInput("key '" + kid + "' has no certificate");
    }
    PublicKey pub = chain.getFirst().getPublicKey();
    JWK jwk =
        switch (pub) {
          case ECPublicKey ec ->
              new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).keyID(kid).build();
          case RSAPublicKey rsa -> new RSAKey.Builder(rsa).keyID(kid).build();
          default ->
              throw new RegistryException.InvalidInput(
                  "key '" + kid + "' is a " + pub.getAlgorithm() + " key (EC or RSA expected)");
        };
    SignatureAlgorithm alg = Jwks.algorithmOf(jwk);
    List<Base64> x5c = new java.util.ArrayList<>();
    try {
      for (java.security.cert.X509Certificate c : chain) {
        x5c.add(Base64.encode(c.getEncoded()));
      }
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new RegistryException.InvalidInput("key '" + kid + "' has an unencodable certificate");
    }
    return new SigningKey(
        kid,
        alg,
        priv,
        pub,
        publicJwk(jwk, kid, alg, List.copyOf(x5c)),
        List.copyOf(x5c),
        chain.getFirst().getNotBefore().toInstant(),
        null);
  }

  /** A fresh ES256 key for development, with a thumbprint {@code kid}, active from {@code now}. */
  public static SigningKey generate(Instant now) {
    return generate(SignatureAlgorithm.ES256, null, now);
  }

  /**
   * A fresh key for {@code algorithm} (RSA keys are 3072 bits), active from {@code notBefore}; the
   * {@code kid} is the RFC 7638 thumbprint when {@code kid} is null.
   */
  public static SigningKey generate(SignatureAlgorithm algorithm, String kid, Instant notBefore) {
    try {
      JWK jwk;
      if (algorithm.isEcdsa()) {
        Curve curve =
            switch (algorithm) {
              case ES256 -> Curve.P_256;
              case ES384 -> Curve.P_384;
              default -> Curve.P_521;
            };
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve.getStdName()));
        KeyPair kp = g.generateKeyPair();
        jwk =
            new ECKey.Builder(curve, (ECPublicKey) kp.getPublic())
                .privateKey(kp.getPrivate())
                .build();
      } else if (algorithm == SignatureAlgorithm.EDDSA) {
        KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] d =
            ((EdECPrivateKey) kp.getPrivate())
                .getBytes()
                .orElseThrow(() -> new GeneralSecurityException("Ed25519 key without raw bytes"));
        jwk = Jwks.ed25519((EdECPublicKey) kp.getPublic(), d);
      } else {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(3072);
        KeyPair kp = g.generateKeyPair();
        jwk = new RSAKey.Builder((RSAPublicKey) kp.getPublic()).privateKey(kp.getPrivate()).build();
      }
      SigningKey key = fromJwk(withAlgorithm(jwk, algorithm, kid));
      return key.withNotBefore(notBefore);
    } catch (GeneralSecurityException e) {
      throw new RegistryException("generating a " + algorithm.jose() + " key", e);
    }
  }

  public String kid() {
    return kid;
  }

  public SignatureAlgorithm algorithm() {
    return algorithm;
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  /** The public JWK with {@code kid}, {@code alg}, {@code use: sig} and {@code x5c} if any. */
  public JWK publicJwk() {
    return publicJwk;
  }

  /** The certificate chain (leaf first), empty when none is configured. */
  public List<Base64> x5c() {
    return x5c;
  }

  public Instant notBefore() {
    return notBefore;
  }

  /** When the public key leaves the JWKS; empty while the key is current. */
  public Optional<Instant> retireAfter() {
    return Optional.ofNullable(retireAfter);
  }

  /** Whether the public key is still published at {@code now}. */
  public boolean isPublishedAt(Instant now) {
    return retireAfter == null || now.isBefore(retireAfter);
  }

  public SigningKey withNotBefore(Instant when) {
    return new SigningKey(
        kid,
        algorithm,
        privateKey,
        publicKey,
        publicJwk,
        x5c,
        Objects.requireNonNull(when),
        retireAfter);
  }

  /**
   * This key with certificate chain {@code chain} (base64 DER, leaf first), after checking that the
   * leaf comes first and holds this key ({@link CertificateChain#checkLeaf}).
   */
  public SigningKey withX5c(List<Base64> chain) {
    List<Base64> copy = List.copyOf(chain);
    CertificateChain.checkLeaf(kid, publicKey, copy);
    return new SigningKey(
        kid,
        algorithm,
        privateKey,
        publicKey,
        publicJwk(publicJwk, kid, algorithm, copy),
        copy,
        notBefore,
        retireAfter);
  }

  public SigningKey withRetireAfter(Instant when) {
    return new SigningKey(kid, algorithm, privateKey, publicKey, publicJwk, x5c, notBefore, when);
  }

  /**
   * Signs {@code input} with this key's algorithm; the signature is in JOSE/COSE form (raw {@code
   * r||s} for ECDSA).
   */
  public byte[] sign(byte[] input) {
    try {
      return algorithm.sign(privateKey, input);
    } catch (GeneralSecurityException e) {
      throw new RegistryException("signing with key '" + kid + "' (" + algorithm.jose() + ")", e);
    }
  }

  /**
   * A nimbus signer over this key. It runs on the JDK's own providers for every algorithm, Ed25519
   * included.
   */
  public JWSSigner jwsSigner() {
    JWSAlgorithm jws = algorithm.jwsAlgorithm();
    JCAContext context = new JCAContext();
    return new JWSSigner() {
      @Override
      public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
        if (!jws.equals(header.getAlgorithm())) {
          throw new JOSEException(
              "key '" + kid + "' signs " + jws + ", the header asks for " + header.getAlgorithm());
        }
        try {
          return Base64URL.encode(algorithm.sign(privateKey, signingInput));
        } catch (GeneralSecurityException e) {
          throw new JOSEException("signing with key '" + kid + "'", e);
        }
      }

      @Override
      public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(jws);
      }

      @Override
      public JCAContext getJCAContext() {
        return context;
      }
    };
  }

  @Override
  public String toString() {
    return "SigningKey[kid="
        + kid
        + ", alg="
        + algorithm.jose()
        + ", notBefore="
        + notBefore
        + (retireAfter == null ? "" : ", retireAfter=" + retireAfter)
        + (x5c.isEmpty() ? "" : ", x5c=" + x5c.size() + " certificates")
        + "]";
  }

  private static JWK publicJwk(JWK pub, String kid, SignatureAlgorithm alg, List<Base64> chain) {
    java.util.Map<String, Object> json = new java.util.LinkedHashMap<>(pub.toJSONObject());
    json.put("kid", kid);
    json.put("alg", alg.jose());
    json.put("use", "sig");
    json.remove("key_ops");
    json.remove("exp");
    json.remove("nbf");
    json.remove("iat");
    if (!chain.isEmpty()) {
      json.put("x5c", chain.stream().map(Base64::toString).toList());
    }
    try {
      return JWK.parse(json);
    } catch (java.text.ParseException e) {
      throw new RegistryException("building the public JWK of key '" + kid + "'", e);
    }
  }

  private static JWK withAlgorithm(JWK jwk, SignatureAlgorithm alg, String kid) {
    java.util.Map<String, Object> json = new java.util.LinkedHashMap<>(jwk.toJSONObject());
    json.put("alg", alg.jose());
    json.put("use", "sig");
    json.put("kid", kid != null ? kid : thumbprint(jwk));
    try {
      return JWK.parse(json);
    } catch (java.text.ParseException e) {
      throw new RegistryException("building a generated " + alg.jose() + " key", e);
    }
  }

  private static String thumbprint(JWK jwk) {
    try {
      return jwk.computeThumbprint().toString();
    } catch (JOSEException e) {
      throw new RegistryException("computing a key thumbprint", e);
    }
  }
}
