package io.statusreg.compaction.audit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Reads a record of {@code statusreg.tokens} into {@link PublishedBits}: decodes the Status List
 * Token's {@code status_list.lst} (base64url, zlib) to the packed bytes, and verifies the JWS
 * signature against a JWK set when one is given (by {@code kid}).
 *
 * <p>Interim value format: the compact JWT itself. When the {@code streams} branch's {@code
 * PublishedToken} serde is merged, {@link #decode} unwraps that record and takes its {@code jwt}.
 * The covered events offset is read from the record header {@value #COVERS_OFFSET_HEADER} (8-byte
 * big-endian or decimal text) when the publisher sets it.
 */
public final class TokenDecoder {
  public static final String COVERS_OFFSET_HEADER = "statusreg.events.offset";

  private final Optional<JWKSet> keys;

  public TokenDecoder(Optional<JWKSet> keys) {
    this.keys = keys;
  }

  public PublishedBits decode(String key, byte[] value, Headers headers) {
    String jwt = new String(value, StandardCharsets.US_ASCII).trim();
    if (!jwt.startsWith("ey")) {
      throw new IllegalArgumentException("token value is not a compact JWT");
    }
    SignedJWT signed;
    Map<String, Object> statusList;
    try {
      signed = SignedJWT.parse(jwt);
      statusList = signed.getJWTClaimsSet().getJSONObjectClaim("status_list");
    } catch (ParseException e) {
      throw new IllegalArgumentException("token is not a readable JWT: " + e.getMessage(), e);
    }
    if (statusList == null) {
      throw new IllegalArgumentException("token has no status_list claim");
    }
    int bits = ((Number) statusList.get("bits")).intValue();
    byte[] packed = inflate(Base64.getUrlDecoder().decode((String) statusList.get("lst")));
    Instant iat;
    String sub;
    try {
      iat =
          Optional.ofNullable(signed.getJWTClaimsSet().getIssueTime())
              .map(java.util.Date::toInstant)
              .orElse(Instant.EPOCH);
      sub = signed.getJWTClaimsSet().getSubject();
    } catch (ParseException e) {
      throw new IllegalArgumentException("token claims are unreadable", e);
    }
    return new PublishedBits(
        key,
        sub,
        bits,
        packed,
        iat,
        coveredOffset(headers),
        verify(signed),
        Optional.ofNullable(signed.getHeader().getKeyID()));
  }

  private Optional<Boolean> verify(SignedJWT signed) {
    if (keys.isEmpty()) {
      return Optional.empty();
    }
    String kid = signed.getHeader().getKeyID();
    JWK jwk = kid == null ? null : keys.get().getKeyByKeyId(kid);
    if (jwk == null) {
      return Optional.of(false);
    }
    try {
      if (!(jwk instanceof AsymmetricJWK asym)) {
        return Optional.of(false);
      }
      JWSVerifier verifier =
          new DefaultJWSVerifierFactory().createJWSVerifier(signed.getHeader(), asym.toPublicKey());
      return Optional.of(signed.verify(verifier));
    } catch (JOSEException e) {
      return Optional.of(false);
    }
  }

  static Optional<Long> coveredOffset(Headers headers) {
    if (headers == null) {
      return Optional.empty();
    }
    Header h = headers.lastHeader(COVERS_OFFSET_HEADER);
    if (h == null || h.value() == null) {
      return Optional.empty();
    }
    if (h.value().length == 8) {
      return Optional.of(ByteBuffer.wrap(h.value()).getLong());
    }
    try {
      return Optional.of(Long.parseLong(new String(h.value(), StandardCharsets.US_ASCII).trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  static byte[] inflate(byte[] zlib) {
    Inflater inflater = new Inflater();
    inflater.setInput(zlib);
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, zlib.length * 4));
    byte[] buf = new byte[64 * 1024];
    try {
      while (!inflater.finished()) {
        int n = inflater.inflate(buf);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new IllegalArgumentException("lst is a truncated zlib stream");
        }
        out.write(buf, 0, n);
        if (out.size() > Integer.MAX_VALUE - 128 * 1024) {
          throw new IllegalArgumentException("lst inflates beyond the largest list");
        }
      }
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("lst is not zlib: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
    return out.toByteArray();
  }
}
