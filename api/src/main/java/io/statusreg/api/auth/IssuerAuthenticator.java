package io.statusreg.api.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.statusreg.api.ApiSettings;
import io.statusreg.api.problems.ApiProblem;
import io.statusreg.api.problems.ProblemKind;
import io.statusreg.registry.Actor;
import io.statusreg.registry.IssuerId;
import io.statusreg.registry.config.Setting.ConfigException;
import io.statusreg.registry.config.Settings;
import java.io.File;
import java.net.URI;
import java.time.Clock;
import java.util.Arrays;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies issuer bearer tokens (JWS-signed JWTs) against a configured JWKS: signature with an
 * allowed algorithm, {@code iss}, {@code aud}, {@code exp} (required), {@code nbf}, {@code iat} no
 * later than now plus the clock skew, and a lifetime ({@code exp - iat}, or {@code exp - now}
 * without {@code iat}) of at most the configured maximum, all against the injected clock; then
 * checks that the token acts for the issuer named in the path and carries the scope the route
 * needs. Failures answer 401 or 403 with a detail that tells an attacker nothing about why.
 *
 * <p>A token that passed is remembered ({@link VerifiedTokens}), so its signature is checked once,
 * not per request: later requests with it check its claims again against the clock and that the
 * JWKS still holds the keys that matched it.
 */
public final class IssuerAuthenticator {
  private static final Logger log = LoggerFactory.getLogger(IssuerAuthenticator.class);
  private static final String REALM = "Bearer realm=\"statusreg\"";

  private final DefaultJWTProcessor<SecurityContext> processor;
  private final DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier;
  private final JWKSource<SecurityContext> keys;
  private final String issuerClaim;
  private final VerifiedTokens verified = new VerifiedTokens();
  private final Clock clock;

  public IssuerAuthenticator(
      JWKSource<SecurityContext> keys,
      Set<JWSAlgorithm> algorithms,
      String expectedIssuer,
      String audience,
      String issuerClaim,
      long clockSkewSeconds,
      long maxLifetimeSeconds,
      Clock clock) {
    this.issuerClaim = issuerClaim;
    this.keys = keys;
    this.clock = clock;
    this.processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(
        new DefaultJOSEObjectTypeVerifier<>(
            JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new ClockedClaimsVerifier(
            audience, expectedIssuer, issuerClaim, clockSkewSeconds, maxLifetimeSeconds, clock);
    claims.setMaxClockSkew((int) clockSkewSeconds);
    processor.setJWTClaimsSetVerifier(claims);
    this.claimsVerifier = claims;
  }

  /**
   * The claims checks of {@link DefaultJWTClaimsVerifier} (iss, aud, required claims, exp and nbf)
   * against the injected clock rather than the system's, plus the iat and lifetime limits.
   */
  private static final class ClockedClaimsVerifier
      extends DefaultJWTClaimsVerifier<SecurityContext> {
    private final Clock clock;
    private final long skewSeconds;
    private final long maxLifetimeSeconds;

    ClockedClaimsVerifier(
        String audience,
        String expectedIssuer,
        String issuerClaim,
        long skewSeconds,
        long maxLifetimeSeconds,
        Clock clock) {
      super(
          Set.of(audience),
          new JWTClaimsSet.Builder().issuer(expectedIssuer).build(),
          Set.of("exp", "iss", "aud", issuerClaim),
          Set.of());
      this.clock = clock;
      this.skewSeconds = skewSeconds;
      this.maxLifetimeSeconds = maxLifetimeSeconds;
    }

    @Override
    protected Date currentTime() {
      return Date.from(clock.instant());
    }

    @Override
    public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
      super.verify(claims, context);
      long now = clock.instant().getEpochSecond();
      long exp = claims.getExpirationTime().toInstant().getEpochSecond();
      Date iatDate = claims.getIssueTime();
      if (iatDate != null) {
        long iat = iatDate.toInstant().getEpochSecond();
        if (iat > now + skewSeconds) {
          throw new BadJWTException("iat in the future");
        }
        if (exp - iat > maxLifetimeSeconds) {
          throw new BadJWTException("lifetime too long");
        }
      }
      if (exp - now > maxLifetimeSeconds + skewSeconds) {
        throw new BadJWTException("exp too far ahead");
      }
    }
  }

  /** Builds the authenticator from settings, on the system clock. */
  public static IssuerAuthenticator fromSettings(Settings settings) {
    return fromSettings(settings, Clock.systemUTC());
  }

  /** Builds the authenticator from settings; fails fast, naming the setting, when they are bad. */
  public static IssuerAuthenticator fromSettings(Settings settings, Clock clock) {
    String file = settings.get(ApiSettings.AUTH_JWKS_FILE);
    String url = settings.get(ApiSettings.AUTH_JWKS_URL);
    JWKSource<SecurityContext> source;
    if (!file.isEmpty() && !url.isEmpty()) {
      throw new ConfigException(
          "set only one of issuer.auth.jwks.file and issuer.auth.jwks.url, not both");
    } else if (!file.isEmpty()) {
      try {
        source = new ImmutableJWKSet<>(JWKSet.load(new File(file)));
      } catch (Exception e) {
        throw new ConfigException(
            "bad value '"
                + file
                + "' for issuer.auth.jwks.file (STATUSREG_ISSUER_AUTH_JWKS_FILE): cannot read a JWKS"
                + " from it ("
                + e.getMessage()
                + ")");
      }
    } else if (!url.isEmpty()) {
      try {
        source = JWKSourceBuilder.create(URI.create(url).toURL()).retrying(true).build();
      } catch (Exception e) {
        throw new ConfigException(
            "bad value '"
                + url
                + "' for issuer.auth.jwks.url (STATUSREG_ISSUER_AUTH_JWKS_URL): not a URL");
      }
    } else {
      throw new ConfigException(
          "issuer.auth.jwks.file (STATUSREG_ISSUER_AUTH_JWKS_FILE) or issuer.auth.jwks.url"
              + " (STATUSREG_ISSUER_AUTH_JWKS_URL) is required: the keys that sign issuer tokens");
    }
    Set<JWSAlgorithm> algorithms = new HashSet<>();
    for (String name : settings.get(ApiSettings.AUTH_ALGORITHMS).split(",")) {
      String alg = name.trim();
      if (alg.isEmpty()) {
        continue;
      }
      JWSAlgorithm parsed = JWSAlgorithm.parse(alg);
      if (!JWSAlgorithm.Family.SIGNATURE.contains(parsed)) {
        throw new ConfigException(
            "bad value '"
                + alg
                + "' in issuer.auth.algorithms (STATUSREG_ISSUER_AUTH_ALGORITHMS): expected"
                + " asymmetric JWS algorithms such as ES256, PS256, RS256");
      }
      algorithms.add(parsed);
    }
    if (algorithms.isEmpty()) {
      throw new ConfigException("issuer.auth.algorithms must name at least one algorithm");
    }
    return new IssuerAuthenticator(
        source,
        algorithms,
        settings.get(ApiSettings.AUTH_ISSUER),
        settings.get(ApiSettings.AUTH_AUDIENCE),
        settings.get(ApiSettings.AUTH_ISSUER_CLAIM),
        settings.get(ApiSettings.AUTH_CLOCK_SKEW_SECONDS),
        settings.get(ApiSettings.AUTH_MAX_TOKEN_LIFETIME_SECONDS),
        clock);
  }

  /**
   * Throws a 403 problem unless {@code principal} acts for {@code pathIssuer} with {@code needed}.
   */
  public void permit(Principal principal, String pathIssuer, Scope needed) {
    if (!principal.issuer().value().equals(pathIssuer)) {
      throw forbidden(null);
    }
    if (!principal.scopes().contains(needed)) {
      throw forbidden(needed);
    }
  }

  /** The principal of a bearer token; throws a 401 problem when there is no valid one. */
  public Principal authenticate(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      throw new ApiProblem(
          ProblemKind.UNAUTHORIZED,
          "send a bearer token in the Authorization header",
          Map.of("WWW-Authenticate", REALM));
    }
    if (authorization.length() < 8
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        || authorization.length() > 16_384) {
      throw invalidToken();
    }
    String token = authorization.substring(7).trim();
    VerifiedTokens.Entry known = verified.get(token);
    if (known != null) {
      if (stillValid(known)) {
        return known.principal();
      }
      verified.remove(token); // expired, or a key is gone: verified afresh (and refused) below
    }
    SignedJWT jwt;
    JWTClaimsSet claims;
    List<JWK> before;
    try {
      jwt = SignedJWT.parse(token);
      before = matchingKeys(jwt.getHeader());
      claims = processor.process(jwt, null);
    } catch (Exception e) {
      log.debug("issuer token refused: {}", e.getClass().getSimpleName());
      throw invalidToken();
    }
    Principal principal = principal(claims);
    // After the checks: they held at an instant no later than this one, so they hold from here on
    // until exp (VerifiedTokens.Entry)
    long verifiedAt = clock.millis();
    try {
      // Remembered only when the keys did not change while it was verified, so the keys kept are
      // exactly those that could have verified it.
      if (before.equals(matchingKeys(jwt.getHeader()))) {
        verified.put(
            token,
            new VerifiedTokens.Entry(
                claims,
                jwt.getHeader(),
                before,
                principal,
                verifiedAt,
                claims.getExpirationTime().getTime()),
            e -> !claimsHold(e));
      }
    } catch (KeySourceException e) {
      log.debug("issuer token not remembered: {}", e.getClass().getSimpleName());
    }
    return principal;
  }

  /** The keys of the JWKS that match a token header (by kid, alg, use, ...), as the processor's. */
  private List<JWK> matchingKeys(JWSHeader header) throws KeySourceException {
    return keys.get(new JWKSelector(JWKMatcher.forJWSHeader(header)), null);
  }

  /** Whether a remembered token still passes: its claims now, and every key it matched is there. */
  private boolean stillValid(VerifiedTokens.Entry entry) {
    if (!claimsHold(entry)) {
      return false;
    }
    try {
      return matchingKeys(entry.header()).containsAll(entry.keys());
    } catch (KeySourceException e) {
      return false;
    }
  }

  private boolean claimsHold(VerifiedTokens.Entry entry) {
    if (entry.claimsHoldAt(clock.millis())) {
      return true;
    }
    try {
      claimsVerifier.verify(entry.claims(), null);
      return true;
    } catch (BadJWTException e) {
      return false;
    }
  }

  private Principal principal(JWTClaimsSet claims) {
    try {
      Object issuerValue = claims.getClaim(issuerClaim);
      if (!(issuerValue instanceof String issuerText)) {
        throw invalidToken();
      }
      IssuerId issuer = IssuerId.of(issuerText);
      Set<Scope> scopes = EnumSet.noneOf(Scope.class);
      Object scopeClaim = claims.getClaim("scope");
      if (scopeClaim instanceof String text) {
        Set<String> granted =
            Arrays.stream(text.split(" ")).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        for (Scope s : Scope.values()) {
          if (granted.contains(s.code())) {
            scopes.add(s);
          }
        }
      }
      String subject = claims.getSubject();
      if (subject == null || subject.isBlank()) {
        subject = "issuer:" + issuer.value();
      }
      if (subject.length() > 200) {
        subject = subject.substring(0, 200);
      }
      return new Principal(issuer, scopes, Actor.issuer(subject));
    } catch (ApiProblem p) {
      throw p;
    } catch (RuntimeException e) {
      throw invalidToken();
    }
  }

  /** How many verified tokens are remembered (for tests). */
  int rememberedTokens() {
    return verified.size();
  }

  private static ApiProblem invalidToken() {
    return new ApiProblem(
        ProblemKind.UNAUTHORIZED,
        "the bearer token is not valid",
        Map.of("WWW-Authenticate", REALM + ", error=\"invalid_token\""));
  }

  private static ApiProblem forbidden(Scope needed) {
    return new ApiProblem(
        ProblemKind.FORBIDDEN,
        "the token does not permit this request",
        needed == null
            ? Map.of()
            : Map.of(
                "WWW-Authenticate",
                REALM + ", error=\"insufficient_scope\", scope=\"" + needed.code() + "\""));
  }
}
