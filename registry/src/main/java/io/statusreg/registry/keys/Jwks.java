package io.statusreg.registry.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import io.statusreg.registry.RegistryException;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;

/** Conversions between nimbus JWKs and JCA keys, including Ed25519 without Tink. */
final class Jwks {
  private Jwks() {}

  static PublicKey publicKey(JWK jwk) {
    try {
      return switch (jwk) {
        case ECKey ec -> ec.toECPublicKey();
        case RSAKey rsa -> rsa.toRSAPublicKey();
        case OctetKeyPair okp when Curve.Ed25519.equals(okp.getCurve()) ->
            KeyFactory.getInstance("Ed25519")
                .generatePublic(
                    new EdECPublicKeySpec(
                        NamedParameterSpec.ED25519, decodePoint(okp.getX().decode())));
        default ->
            throw new RegistryException.InvalidInput(
                "key " + describe(jwk) + " is not an EC, RSA or Ed25519 key");
      };
    } catch (JOSEException | java.security.GeneralSecurityException | RuntimeException e) {
      if (e instanceof RegistryException r) {
        throw r;
      }
      throw new RegistryException.InvalidInput(
          "reading the public part of key " + describe(jwk) + ": " + e.getMessage(), e);
    }
  }

  /** The private key, or an error when the JWK has none. */
  static PrivateKey privateKey(JWK jwk) {
    if (!jwk.isPrivate()) {
      throw new RegistryException.InvalidInput(
          "key " + describe(jwk) + " has no private part and cannot sign");
    }
    try {
      return switch (jwk) {
        case ECKey ec -> ec.toECPrivateKey();
        case RSAKey rsa -> rsa.toRSAPrivateKey();
        case OctetKeyPair okp when Curve.Ed25519.equals(okp.getCurve()) ->
            KeyFactory.getInstance("Ed25519")
                .generatePrivate(
                    new EdECPrivateKeySpec(NamedParameterSpec.ED25519, okp.getD().decode()));
        default ->
            throw new RegistryException.InvalidInput(
                "key " + describe(jwk) + " is not an EC, RSA or Ed25519 key");
      };
    } catch (JOSEException | java.security.GeneralSecurityException | RuntimeException e) {
      if (e instanceof RegistryException r) {
        throw r;
      }
      // Never include the exception's text: a provider could echo key material.
      throw new RegistryException.InvalidInput(
          "reading the private part of key " + describe(jwk) + " failed", e);
    }
  }

  /** The algorithm a JWK declares, or the default for its type. */
  static SignatureAlgorithm algorithmOf(JWK jwk) {
    if (jwk.getAlgorithm() != null) {
      return SignatureAlgorithm.fromJose(jwk.getAlgorithm().getName())
          .orElseThrow(
              () ->
                  new RegistryException.InvalidInput(
                      "key "
                          + describe(jwk)
                          + " declares alg "
                          + jwk.getAlgorithm().getName()
                          + ", which is not an allowed signature algorithm"));
    }
    return switch (jwk) {
      case ECKey ec when Curve.P_256.equals(ec.getCurve()) -> SignatureAlgorithm.ES256;
      case ECKey ec when Curve.P_384.equals(ec.getCurve()) -> SignatureAlgorithm.ES384;
      case ECKey ec when Curve.P_521.equals(ec.getCurve()) -> SignatureAlgorithm.ES512;
      case RSAKey rsa -> SignatureAlgorithm.RS256;
      case OctetKeyPair okp when Curve.Ed25519.equals(okp.getCurve()) -> SignatureAlgorithm.EDDSA;
      default ->
          throw new RegistryException.InvalidInput(
              "key " + describe(jwk) + " has no supported type and curve");
    };
  }

  static OctetKeyPair ed25519(EdECPublicKey pub, byte[] rawPrivate) {
    OctetKeyPair.Builder b = new OctetKeyPair.Builder(Curve.Ed25519, encodePoint(pub.getPoint()));
    if (rawPrivate != null) {
      b.d(Base64URL.encode(rawPrivate));
    }
    return b.build();
  }

  static Base64URL encodePoint(EdECPoint point) {
    byte[] be = point.getY().toByteArray();
    byte[] le = new byte[32];
    for (int i = 0; i < 32 && i < be.length; i++) {
      le[i] = be[be.length - 1 - i];
    }
    if (point.isXOdd()) {
      le[31] |= (byte) 0x80;
    }
    return Base64URL.encode(le);
  }

  static EdECPoint decodePoint(byte[] le) {
    if (le.length != 32) {
      throw new RegistryException.InvalidInput(
          "an Ed25519 public key is 32 bytes, got " + le.length);
    }
    boolean xOdd = (le[31] & 0x80) != 0;
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = le[31 - i];
    }
    be[0] &= 0x7f;
    return new EdECPoint(xOdd, new BigInteger(1, be));
  }

  static String describe(JWK jwk) {
    return (jwk.getKeyID() == null ? "(no kid)" : "'" + jwk.getKeyID() + "'")
        + " ("
        + jwk.getKeyType()
        + ")";
  }
}
