package io.statusreg.streams.testing;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.statusreg.registry.ListId;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.streams.publication.ListSigner;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Stopgap ES256 signer for tests until the registry's token builders land: a JWT Status List Token
 * (zlib-deflated {@code lst}); no CWT or W3C representation. {@link #decode} verifies a token with
 * the public key and returns its claims and packed bytes.
 */
public final class TestSigner implements ListSigner {
  private final ECKey key;
  private final int level;
  public final AtomicInteger signatures = new AtomicInteger();

  public TestSigner(int level) {
    try {
      this.key = new ECKeyGenerator(Curve.P_256).keyID("test-key").generate();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    this.level = level;
  }

  public ECKey publicKey() {
    return key.toPublicJWK();
  }

  @Override
  public SignedList sign(
      ListId list, String uri, StatusList entries, Duration ttl, Instant iat, Instant exp) {
    signatures.incrementAndGet();
    try {
      Deflater deflater = new Deflater(level);
      deflater.setInput(entries.toBytes());
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      while (!deflater.finished()) {
        out.write(buf, 0, deflater.deflate(buf));
      }
      deflater.end();
      JWTClaimsSet claims =
          new JWTClaimsSet.Builder()
              .subject(uri)
              .issueTime(Date.from(iat))
              .expirationTime(Date.from(exp))
              .claim("ttl", ttl.toSeconds())
              .claim(
                  "status_list",
                  Map.of(
                      "bits",
                      entries.bits(),
                      "lst",
                      Base64.getUrlEncoder().withoutPadding().encodeToString(out.toByteArray())))
              .build();
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.ES256)
                  .type(new JOSEObjectType("statuslist+jwt"))
                  .keyID(key.getKeyID())
                  .build(),
              claims);
      jwt.sign(new ECDSASigner(key));
      return new SignedList(
          jwt.serialize().getBytes(StandardCharsets.US_ASCII),
          new byte[0],
          new byte[0],
          key.getKeyID());
    } catch (Exception e) {
      throw new IllegalStateException("signing " + list, e);
    }
  }

  /** A verified token's claims. */
  public record Decoded(String sub, Instant iat, Instant exp, long ttl, int bits, byte[] packed) {}

  /** Verifies {@code jwt} with this signer's public key and inflates its list. */
  public Decoded decode(byte[] jwtBytes) {
    try {
      SignedJWT jwt = SignedJWT.parse(new String(jwtBytes, StandardCharsets.US_ASCII));
      if (!jwt.verify(new ECDSAVerifier(publicKey()))) {
        throw new AssertionError("signature does not verify");
      }
      if (!"statuslist+jwt".equals(jwt.getHeader().getType().getType())) {
        throw new AssertionError("wrong typ " + jwt.getHeader().getType());
      }
      JWTClaimsSet c = jwt.getJWTClaimsSet();
      Map<String, Object> sl = c.getJSONObjectClaim("status_list");
      byte[] compressed = Base64.getUrlDecoder().decode((String) sl.get("lst"));
      Inflater inflater = new Inflater();
      inflater.setInput(compressed);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      while (!inflater.finished()) {
        int n = inflater.inflate(buf);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new AssertionError("truncated lst");
        }
        out.write(buf, 0, n);
      }
      inflater.end();
      return new Decoded(
          c.getSubject(),
          c.getIssueTime().toInstant(),
          c.getExpirationTime().toInstant(),
          c.getLongClaim("ttl"),
          ((Number) sl.get("bits")).intValue(),
          out.toByteArray());
    } catch (Exception e) {
      throw new AssertionError("decoding token", e);
    }
  }
}
