package io.statusreg.registry.tokens;

import io.statusreg.registry.keys.SignatureAlgorithm;
import io.statusreg.registry.keys.VerificationKeys;
import io.statusreg.registry.tokens.TokenException.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a verifier of Status List Tokens trusts and checks: the public keys (by {@code kid}), the
 * allowed algorithms, the clock and its leeway for {@code exp}, whether {@code exp} is required,
 * and the largest list it will inflate. Immutable; build with {@link #of} and the {@code with}
 * methods; thread-safe.
 *
 * @param keys trusted public keys
 * @param clock the time {@code exp} is compared with
 * @param leeway tolerated clock skew (default 30 s)
 * @param maxEntries inflation cap in entries (default {@link
 *     StatusListEncoding#DEFAULT_MAX_ENTRIES})
 * @param algorithms allowed algorithms (default: all of {@link SignatureAlgorithm}; never none or
 *     HMAC)
 * @param requireExpiry whether a token without {@code exp} is refused (default true)
 */
public record TokenVerifier(
    VerificationKeys keys,
    Clock clock,
    Duration leeway,
    long maxEntries,
    Set<SignatureAlgorithm> algorithms,
    boolean requireExpiry) {

  public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(30);

  public TokenVerifier {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(clock, "clock");
    if (leeway.isNegative()) {
      throw new IllegalArgumentException("leeway must not be negative");
    }
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive");
    }
    algorithms = Set.copyOf(algorithms);
  }

  public static TokenVerifier of(VerificationKeys keys) {
    return new TokenVerifier(
        keys,
        Clock.systemUTC(),
        DEFAULT_LEEWAY,
        StatusListEncoding.DEFAULT_MAX_ENTRIES,
        EnumSet.allOf(SignatureAlgorithm.class),
        true);
  }

  public TokenVerifier withClock(Clock c) {
    return new TokenVerifier(keys, c, leeway, maxEntries, algorithms, requireExpiry);
  }

  public TokenVerifier withLeeway(Duration l) {
    return new TokenVerifier(keys, clock, l, maxEntries, algorithms, requireExpiry);
  }

  public TokenVerifier withMaxEntries(long m) {
    return new TokenVerifier(keys, clock, leeway, m, algorithms, requireExpiry);
  }

  public TokenVerifier withAlgorithms(Set<SignatureAlgorithm> a) {
    return new TokenVerifier(keys, clock, leeway, maxEntries, a, requireExpiry);
  }

  public TokenVerifier withRequireExpiry(boolean r) {
    return new TokenVerifier(keys, clock, leeway, maxEntries, algorithms, r);
  }

  /** Verifies a JWT Status List Token; see {@link JwtStatusListToken#verify}. */
  public JwtStatusListToken verifyJwt(String token) {
    return JwtStatusListToken.verify(token, this);
  }

  /** Verifies a CWT Status List Token; see {@link CwtStatusListToken#verify}. */
  public CwtStatusListToken verifyCwt(byte[] token) {
    return CwtStatusListToken.verify(token, this);
  }

  /** The trusted key for {@code kid}, checked against the token's algorithm. */
  VerificationKeys.Key keyFor(String kid, SignatureAlgorithm alg) {
    if (!algorithms.contains(alg)) {
      throw new TokenException(Reason.WRONG_ALG, "alg " + alg.jose() + " is not allowed here");
    }
    if (kid == null) {
      throw new TokenException(Reason.UNKNOWN_KID, "token has no kid");
    }
    VerificationKeys.Key key =
        keys.find(kid)
            .orElseThrow(
                () ->
                    new TokenException(
                        Reason.UNKNOWN_KID, "kid '" + printable(kid) + "' is not a trusted key"));
    if (key.algorithm() != alg) {
      throw new TokenException(
          Reason.WRONG_ALG,
          "kid '"
              + printable(kid)
              + "' is a "
              + key.algorithm().jose()
              + " key, the token says "
              + alg.jose());
    }
    return key;
  }

  /** Checks {@code exp} against the clock and the leeway. */
  void checkExpiry(Instant exp) {
    if (exp == null) {
      if (requireExpiry) {
        throw new TokenException(Reason.MISSING_CLAIM, "token has no exp");
      }
      return;
    }
    Instant now = clock.instant();
    if (now.isAfter(exp.plus(leeway))) {
      throw new TokenException(
          Reason.EXPIRED, "token expired at " + exp + " (now " + now + ", leeway " + leeway + ")");
    }
  }

  static String printable(String raw) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < raw.length() && i < 80; i++) {
      char c = raw.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return raw.length() > 80 ? out + "..." : out.toString();
  }
}
