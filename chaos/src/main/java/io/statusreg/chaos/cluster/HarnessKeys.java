package io.statusreg.chaos.cluster;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

/**
 * The keys of one run, generated fresh: the ES256 key that signs Status List Tokens (a private JWK
 * set for {@code signing.keys.file}), and an ES256 key pair of a stand-in authorization server
 * whose public JWK set goes to {@code issuer.auth.jwks.file} and whose private key signs a bearer
 * token per issuer.
 */
public final class HarnessKeys {
  public static final String AUTH_ISSUER = "https://auth.chaos.statusreg.invalid";
  public static final String AUTH_AUDIENCE = "statusreg";
  public static final String ISSUER_CLAIM = "issuer_id";
  public static final String SCOPES = "lists:admin status:write status:read";

  private final ECKey signingKey;
  private final ECKey authKey;
  private final Path signingKeysFile;
  private final Path authJwksFile;

  private HarnessKeys(ECKey signingKey, ECKey authKey, Path signingKeysFile, Path authJwksFile) {
    this.signingKey = signingKey;
    this.authKey = authKey;
    this.signingKeysFile = signingKeysFile;
    this.authJwksFile = authJwksFile;
  }

  /** Generates both keys and writes their files under {@code dir}. */
  public static HarnessKeys generate(Path dir) {
    try {
      ECKey signing =
          new ECKeyGenerator(Curve.P_256)
              .keyID("chaos-signing-1")
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(JWSAlgorithm.ES256)
              .issueTime(new Date())
              .generate();
      ECKey auth =
          new ECKeyGenerator(Curve.P_256)
              .keyID("chaos-auth-1")
              .keyUse(KeyUse.SIGNATURE)
              .algorithm(JWSAlgorithm.ES256)
              .generate();
      Files.createDirectories(dir);
      Path signingFile = dir.resolve("signing-keys.jwks.json");
      Path authFile = dir.resolve("issuer-auth.jwks.json");
      // Private keys: the signing key set is what a Kubernetes Secret would mount.
      Files.writeString(signingFile, new JWKSet(signing).toString(false), StandardCharsets.UTF_8);
      Files.writeString(
          authFile, new JWKSet(auth.toPublicJWK()).toString(), StandardCharsets.UTF_8);
      return new HarnessKeys(signing, auth, signingFile, authFile);
    } catch (JOSEException e) {
      throw new IllegalStateException("generating the harness keys", e);
    } catch (IOException e) {
      throw new UncheckedIOException("writing the harness keys to " + dir, e);
    }
  }

  /** A bearer token for {@code issuer} with every scope, valid for {@code validity}. */
  public String bearerToken(String issuer, Duration validity) {
    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(AUTH_ISSUER)
            .audience(AUTH_AUDIENCE)
            .subject("chaos-" + issuer)
            .claim(ISSUER_CLAIM, issuer)
            .claim("scope", SCOPES)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(validity)))
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256)
                .type(JOSEObjectType.JWT)
                .keyID(authKey.getKeyID())
                .build(),
            claims);
    try {
      jwt.sign(new ECDSASigner(authKey));
    } catch (JOSEException e) {
      throw new IllegalStateException("signing the bearer token of " + issuer, e);
    }
    return jwt.serialize();
  }

  /** The public half of the token signing key, to verify published tokens. */
  public ECKey signingPublicKey() {
    return signingKey.toPublicJWK();
  }

  /** {@code STATUSREG_*} settings that point an instance at these keys. */
  public Map<String, String> settings() {
    Map<String, String> env = new HashMap<>();
    env.put("STATUSREG_SIGNING_KEYS_FILE", signingKeysFile.toString());
    env.put("STATUSREG_ISSUER_AUTH_JWKS_FILE", authJwksFile.toString());
    env.put("STATUSREG_ISSUER_AUTH_ISSUER", AUTH_ISSUER);
    env.put("STATUSREG_ISSUER_AUTH_AUDIENCE", AUTH_AUDIENCE);
    env.put("STATUSREG_ISSUER_AUTH_ISSUER_CLAIM", ISSUER_CLAIM);
    return env;
  }
}
