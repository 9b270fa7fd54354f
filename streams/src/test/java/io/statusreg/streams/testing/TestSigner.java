package io.statusreg.streams.testing;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.statusreg.registry.ListId;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.keys.SigningKeys;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.streams.publication.ListSigner;
import io.statusreg.streams.publication.RegistryListSigner;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Inflater;

/**
 * The registry's signer ({@link RegistryListSigner} over development {@link SigningKeys}) with a
 * signature counter, and {@link #decode}, which verifies a JWT token with the public key and
 * returns its claims and packed bytes.
 */
public final class TestSigner implements ListSigner {
  private final SigningKeys keys = SigningKeys.development(Clock.systemUTC());
  private final RegistryListSigner signer;
  public final AtomicInteger signatures = new AtomicInteger();
  public final java.util.List<Purpose> purposes = new java.util.concurrent.CopyOnWriteArrayList<>();

  public TestSigner(int level) {
    this.signer = new RegistryListSigner(keys, level, "http://localhost:8080");
  }

  @Override
  public SignedList sign(
      ListId list,
      String uri,
      StatusList entries,
      Purpose purpose,
      Duration ttl,
      Instant iat,
      Instant exp) {
    signatures.incrementAndGet();
    purposes.add(purpose);
    return signer.sign(list, uri, entries, purpose, ttl, iat, exp);
  }

  @Override
  public SignedList signCompressed(
      ListId list,
      String uri,
      CompressedList compressed,
      Purpose purpose,
      Duration ttl,
      Instant iat,
      Instant exp) {
    signatures.incrementAndGet();
    purposes.add(purpose);
    return signer.signCompressed(list, uri, compressed, purpose, ttl, iat, exp);
  }

  @Override
  public SignedList signIdentifiers(
      ListId list,
      String uri,
      StatusList revoked,
      io.statusreg.registry.identifiers.IdentifierCipher cipher,
      Duration ttl,
      Instant iat,
      Instant exp) {
    signatures.incrementAndGet();
    return signer.signIdentifiers(list, uri, revoked, cipher, ttl, iat, exp);
  }

  /** The signer's keys (to verify the other representations). */
  public SigningKeys keys() {
    return keys;
  }

  /** A verified token's claims. */
  public record Decoded(String sub, Instant iat, Instant exp, long ttl, int bits, byte[] packed) {}

  /** Verifies {@code jwt} with this signer's public key and inflates its list. */
  public Decoded decode(byte[] jwtBytes) {
    try {
      SignedJWT jwt = SignedJWT.parse(new String(jwtBytes, StandardCharsets.US_ASCII));
      if (!jwt.verify(new ECDSAVerifier((ECPublicKey) keys.active().publicKey()))) {
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
