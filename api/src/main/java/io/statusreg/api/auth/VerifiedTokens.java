package io.statusreg.api.auth;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Bearer tokens whose signature was verified, by their compact serialisation: an issuer sends the
 * same token with every request until it expires, and checking an ECDSA or RSA signature per
 * request was the API's largest cost per write. An entry keeps what a later request must check
 * again without the signature: the claims (their time limits are checked on every use, against the
 * authenticator's clock) and the keys of the JWKS that matched the token's header when it was
 * verified (a token is served from here only while every one of them is still in the JWKS, so a
 * removed or replaced key ends its tokens at once).
 *
 * <p>Bounded: at most {@link #MAX_ENTRIES} tokens of at most {@link #MAX_TOKEN_CHARS} characters (a
 * longer token is verified every time); when full, expired entries go first, then arbitrary ones.
 * Only tokens that passed every check are kept, so a caller cannot fill it with forgeries.
 */
final class VerifiedTokens {
  static final int MAX_ENTRIES = 4096;
  static final int MAX_TOKEN_CHARS = 4096;

  /**
   * A verified token: its claims, header, the keys that matched it, its principal, and the instant
   * its claims were found to hold and its {@code exp} (epoch milliseconds). Every time rule of the
   * claims but {@code exp} (nbf, iat not in the future, exp not too far ahead) can only turn from
   * failing to holding as time moves on, and {@code exp} fails only from {@code exp} plus the skew;
   * so at any instant in {@code [verifiedAt, expiresAt)} the claims hold without being checked
   * again ({@link #claimsHoldAt}). Outside it (the clock went back, or the token is at or past its
   * {@code exp}) they are checked in full.
   */
  record Entry(
      JWTClaimsSet claims,
      JWSHeader header,
      List<JWK> keys,
      Principal principal,
      long verifiedAt,
      long expiresAt) {
    /** Whether the claims are known to hold at {@code now} without a full check. */
    boolean claimsHoldAt(long now) {
      return now >= verifiedAt && now < expiresAt;
    }
  }

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  /** The entry of {@code token}, or null. */
  Entry get(String token) {
    return entries.get(token);
  }

  void remove(String token) {
    entries.remove(token);
  }

  /**
   * Keeps {@code entry} for {@code token} (unless the token is too long), first making room: the
   * entries {@code expired} says are of no more use, then arbitrary ones down to 7/8 of the bound.
   */
  void put(String token, Entry entry, Predicate<Entry> expired) {
    if (token.length() > MAX_TOKEN_CHARS) {
      return;
    }
    if (entries.size() >= MAX_ENTRIES) {
      entries.values().removeIf(expired);
      Iterator<String> it = entries.keySet().iterator();
      while (entries.size() >= MAX_ENTRIES * 7 / 8 && it.hasNext()) {
        it.next();
        it.remove();
      }
    }
    entries.put(token, entry);
  }

  int size() {
    return entries.size();
  }
}
