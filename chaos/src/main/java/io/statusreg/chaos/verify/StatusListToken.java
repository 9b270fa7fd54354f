package io.statusreg.chaos.verify;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.SignedJWT;
import java.io.ByteArrayOutputStream;
import java.text.ParseException;
import java.util.Base64;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A Status List Token (JWT) as a verifier reads it, written independently of the registry's own
 * codec: signature checked with the run's signing key, {@code status_list.lst} decoded (base64url,
 * zlib) and read in IETF bit order (entry i at bit offset (i mod (8/bits))*bits of byte
 * floor(i/(8/bits)), least significant bits first).
 */
public record StatusListToken(String sub, long iat, int bits, byte[] bytes) {
  private static final int MAX_INFLATED = 64 << 20;

  public static StatusListToken parse(String compact, ECKey signingKey) {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(compact);
    } catch (ParseException e) {
      throw new IllegalArgumentException("not a JWT: " + e.getMessage(), e);
    }
    if (signingKey != null) {
      try {
        if (!jwt.verify(new ECDSAVerifier(signingKey))) {
          throw new IllegalArgumentException(
              "signature does not verify with " + signingKey.getKeyID());
        }
      } catch (JOSEException e) {
        throw new IllegalArgumentException("cannot verify the signature: " + e.getMessage(), e);
      }
    }
    Map<String, Object> claims;
    try {
      claims = jwt.getJWTClaimsSet().toJSONObject();
    } catch (ParseException e) {
      throw new IllegalArgumentException("bad claims: " + e.getMessage(), e);
    }
    Object sl = claims.get("status_list");
    if (!(sl instanceof Map<?, ?> statusList)) {
      throw new IllegalArgumentException("no status_list claim");
    }
    int bits = ((Number) statusList.get("bits")).intValue();
    String lst = (String) statusList.get("lst");
    Object iat = claims.get("iat");
    long issuedAt = iat instanceof Number n ? n.longValue() : 0;
    return new StatusListToken(
        (String) claims.get("sub"), issuedAt, bits, inflate(Base64.getUrlDecoder().decode(lst)));
  }

  static byte[] inflate(byte[] zlib) {
    Inflater inflater = new Inflater();
    inflater.setInput(zlib);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    try {
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new IllegalArgumentException("truncated zlib stream in lst");
        }
        out.write(buffer, 0, n);
        if (out.size() > MAX_INFLATED) {
          throw new IllegalArgumentException("lst inflates beyond " + MAX_INFLATED + " bytes");
        }
      }
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("lst is not zlib: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
    return out.toByteArray();
  }

  /** The status code of entry {@code idx}. */
  public int status(long idx) {
    int perByte = 8 / bits;
    long byteIndex = idx / perByte;
    if (byteIndex >= bytes.length) {
      throw new IndexOutOfBoundsException("index " + idx + " is beyond the list");
    }
    int shift = (int) (idx % perByte) * bits;
    return (bytes[(int) byteIndex] >> shift) & ((1 << bits) - 1);
  }
}
