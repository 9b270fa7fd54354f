package io.statusreg.api.testing;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.statusreg.api.auth.IssuerAuthenticator;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;

/** Mints issuer bearer tokens for tests, and the authenticator that trusts them. */
public final class IssuerTokens {
  public static final String ISS = "https://auth.example";
  public static final String AUD = "statusreg";
  public static final String ALL_SCOPES = "status:write status:read lists:admin";

  public final ECKey key;
  public final ECKey otherKey;

  public IssuerTokens() {
    try {
      key = new ECKeyGenerator(Curve.P_256).keyID("auth-1").generate();
      otherKey = new ECKeyGenerator(Curve.P_256).keyID("auth-1").generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public IssuerAuthenticator authenticator() {
    return authenticator(java.time.Clock.systemUTC());
  }

  /** Trusts {@link #key}: 30 s of clock skew, tokens of at most a day, on {@code clock}. */
  public IssuerAuthenticator authenticator(java.time.Clock clock) {
    return new IssuerAuthenticator(
        new ImmutableJWKSet<SecurityContext>(new JWKSet(key.toPublicJWK())),
        Set.of(JWSAlgorithm.ES256),
        ISS,
        AUD,
        "issuer_id",
        30,
        86_400,
        clock);
  }

  public String bearer(String issuer, String scope) {
    return "Bearer " + token(key, ISS, AUD, issuer, scope, Instant.now().plus(Duration.ofHours(1)));
  }

  public static String token(
      ECKey signer, String iss, String aud, String issuer, String scope, Instant exp) {
    return token(signer, iss, aud, issuer, scope, "client-" + issuer, Instant.now(), exp);
  }

  /** A token with every time claim and the subject chosen; {@code iat} null leaves it out. */
  public static String token(
      ECKey signer,
      String iss,
      String aud,
      String issuer,
      String scope,
      String subject,
      Instant iat,
      Instant exp) {
    try {
      JWTClaimsSet.Builder claims =
          new JWTClaimsSet.Builder()
              .issuer(iss)
              .audience(aud)
              .subject(subject)
              .issueTime(iat == null ? null : Date.from(iat))
              .expirationTime(Date.from(exp));
      if (issuer != null) {
        claims.claim("issuer_id", issuer);
      }
      if (scope != null) {
        claims.claim("scope", scope);
      }
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.ES256)
                  .keyID(signer.getKeyID())
                  .type(JOSEObjectType.JWT)
                  .build(),
              claims.build());
      jwt.sign(new ECDSASigner(signer));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
