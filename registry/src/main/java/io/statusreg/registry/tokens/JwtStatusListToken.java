package io.statusreg.registry.tokens;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.statusreg.registry.keys.SignatureAlgorithm;
import io.statusreg.registry.keys.SigningKey;
import io.statusreg.registry.keys.VerificationKeys;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.TokenException.Reason;
import io.statusreg.registry.tokens.internal.Base64Url;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Status List Token in JWT form (draft-ietf-oauth-status-list, section 5.1): header {@code typ:
 * statuslist+jwt}, {@code alg}, {@code kid} and {@code x5c} when the key has a certificate chain;
 * claims {@code sub}, {@code iat}, {@code exp}, {@code ttl} and {@code status_list: {bits, lst,
 * aggregation_uri?}}.
 *
 * <p>{@link #builder()} signs one; {@link #verify} checks one and returns this record. Every
 * failure is a {@link TokenException}, never a nimbus or JCA exception.
 *
 * @param kid the header {@code kid} of the key that signed it
 * @param algorithm the header {@code alg}
 * @param x5c the header certificate chain, empty when none (it is returned, not validated: trust
 *     comes from the {@code kid} being among the verifier's keys)
 * @param claims the verified claims, with the decoded list
 * @param lst the {@code lst} as it was in the token
 */
public record JwtStatusListToken(
    String kid,
    SignatureAlgorithm algorithm,
    List<Base64> x5c,
    StatusListClaims claims,
    String lst) {

  /** The JOSE {@code typ} of a Status List Token. */
  public static final String TYP = "statuslist+jwt";

  /** The HTTP media type. */
  public static final String MEDIA_TYPE = "application/statuslist+jwt";

  /** Tokens longer than this are refused before any parsing (a 100M-entry list fits easily). */
  public static final int MAX_TOKEN_CHARS = 64 * 1024 * 1024;

  public JwtStatusListToken {
    x5c = List.copyOf(x5c);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds and signs a JWT Status List Token. Not thread-safe; cheap to create. */
  public static final class Builder extends StatusListClaimsBuilder<Builder, String> {
    private Builder() {}

    /** An {@code lst} encoded already (by a publisher that compresses pages itself). */
    public Builder lst(int bits, String encodedLst) {
      return encodedLst(bits, encodedLst);
    }

    @Override
    String encode(StatusListEncoding e, StatusList l) {
      return e.encode(l);
    }

    /** Signs with {@code key}: {@code alg} and {@code kid} (and {@code x5c}) come from it. */
    public String sign(SigningKey key) {
      requireClaims();
      Map<String, Object> statusList = new LinkedHashMap<>();
      statusList.put("bits", bits());
      statusList.put("lst", lstClaim());
      if (aggregationUri != null) {
        statusList.put("aggregation_uri", aggregationUri);
      }
      JWTClaimsSet.Builder claims =
          new JWTClaimsSet.Builder()
              .subject(subject)
              .issueTime(Date.from(issuedAt))
              .expirationTime(Date.from(expiresAt));
      if (ttl != null) {
        claims.claim("ttl", ttl.toSeconds());
      }
      claims.claim("status_list", statusList);
      JWSHeader.Builder header =
          new JWSHeader.Builder(key.algorithm().jwsAlgorithm())
              .type(new JOSEObjectType(TYP))
              .keyID(key.kid());
      if (!key.x5c().isEmpty()) {
        header.x509CertChain(key.x5c());
      }
      SignedJWT jwt = new SignedJWT(header.build(), claims.build());
      try {
        jwt.sign(key.jwsSigner());
      } catch (JOSEException | RuntimeException e) {
        throw new TokenException(
            Reason.SIGNING_FAILED, "signing the status list token " + subject, e);
      }
      return jwt.serialize();
    }
  }

  /**
   * Verifies a compact JWT Status List Token, in this order: structure ({@code MALFORMED}), {@code
   * typ} ({@code WRONG_TYP}), {@code alg} ({@code WRONG_ALG}: none, HMAC, unknown, not allowed or
   * not the key's), {@code kid} ({@code UNKNOWN_KID}), signature ({@code BAD_SIGNATURE}), then the
   * claims ({@code MISSING_CLAIM}, {@code MALFORMED}, {@code EXPIRED}) and {@code lst} ({@code
   * BAD_LST}, {@code LST_TOO_LARGE}). Nothing in the payload is read before the signature holds.
   */
  public static JwtStatusListToken verify(String token, TokenVerifier verifier) {
    if (token == null || token.isEmpty()) {
      throw new TokenException(Reason.MALFORMED, "token is empty");
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      throw new TokenException(
          Reason.MALFORMED, "token is longer than " + MAX_TOKEN_CHARS + " characters");
    }
    int dot1 = token.indexOf('.');
    int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    if (dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) {
      throw new TokenException(
          Reason.MALFORMED, "not a JWS compact serialisation (header.payload.signature)");
    }
    Map<String, Object> header = json(part(token.substring(0, dot1), "header"), "header");

    Object typ = header.get("typ");
    if (!(typ instanceof String t) || !isStatusListTyp(t)) {
      throw new TokenException(
          Reason.WRONG_TYP,
          "typ must be " + TYP + ", got " + (typ == null ? "none" : "'" + str(typ) + "'"));
    }
    Object alg = header.get("alg");
    if (!(alg instanceof String a)) {
      throw new TokenException(Reason.WRONG_ALG, "header has no alg");
    }
    SignatureAlgorithm algorithm =
        SignatureAlgorithm.fromJose(a)
            .orElseThrow(
                () ->
                    new TokenException(
                        Reason.WRONG_ALG,
                        "alg '"
                            + TokenVerifier.printable(a)
                            + "' is not allowed (asymmetric signatures only: no none, no HMAC)"));
    if (header.containsKey("crit")) {
      throw new TokenException(Reason.MALFORMED, "header has crit extensions we do not know");
    }
    Object kidValue = header.get("kid");
    if (kidValue != null && !(kidValue instanceof String)) {
      throw new TokenException(Reason.MALFORMED, "kid must be a string");
    }
    VerificationKeys.Key key = verifier.keyFor((String) kidValue, algorithm);

    byte[] signature = part(token.substring(dot2 + 1), "signature");
    byte[] signingInput = token.substring(0, dot2).getBytes(StandardCharsets.US_ASCII);
    if (!algorithm.verify(key.publicKey(), signingInput, signature)) {
      throw new TokenException(
          Reason.BAD_SIGNATURE, "signature does not verify with kid '" + key.kid() + "'");
    }

    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException | RuntimeException e) {
      throw new TokenException(Reason.MALFORMED, "token payload is not a JWT claims set", e);
    }
    return new JwtStatusListToken(
        key.kid(),
        algorithm,
        jwt.getHeader().getX509CertChain() == null ? List.of() : jwt.getHeader().getX509CertChain(),
        readClaims(claims, verifier),
        lstOf(claims));
  }

  private static StatusListClaims readClaims(JWTClaimsSet c, TokenVerifier verifier) {
    Object sub = c.getClaim("sub");
    if (sub == null) {
      throw new TokenException(Reason.MISSING_CLAIM, "token has no sub");
    }
    if (!(sub instanceof String s) || s.isEmpty()) {
      throw new TokenException(Reason.MALFORMED, "sub must be a non-empty string");
    }
    Instant iat = seconds(c, "iat", true);
    Instant exp = seconds(c, "exp", false);
    verifier.checkExpiry(exp);
    Instant ttlSeconds = seconds(c, "ttl", false);
    Duration ttl = ttlSeconds == null ? null : Duration.ofSeconds(ttlSeconds.getEpochSecond());
    if (ttl != null && (ttl.isZero() || ttl.isNegative())) {
      throw new TokenException(Reason.MALFORMED, "ttl must be positive");
    }
    Map<String, Object> sl = statusList(c);
    Object bits = sl.get("bits");
    if (bits == null) {
      throw new TokenException(Reason.MISSING_CLAIM, "status_list has no bits");
    }
    if (!(bits instanceof Number n) || n.doubleValue() != n.intValue()) {
      throw new TokenException(Reason.MALFORMED, "status_list.bits must be an integer");
    }
    Object aggregation = sl.get("aggregation_uri");
    if (aggregation != null && !(aggregation instanceof String)) {
      throw new TokenException(Reason.MALFORMED, "status_list.aggregation_uri must be a string");
    }
    StatusList list = StatusListEncoding.decodeUpTo(lstOf(c), n.intValue(), verifier.maxEntries());
    return new StatusListClaims(s, iat, exp, ttl, list, (String) aggregation);
  }

  private static String lstOf(JWTClaimsSet c) {
    Object lst = statusList(c).get("lst");
    if (lst == null) {
      throw new TokenException(Reason.MISSING_CLAIM, "status_list has no lst");
    }
    if (!(lst instanceof String s)) {
      throw new TokenException(Reason.MALFORMED, "status_list.lst must be a string");
    }
    return s;
  }

  private static Map<String, Object> statusList(JWTClaimsSet c) {
    Object sl = c.getClaim("status_list");
    if (sl == null) {
      throw new TokenException(Reason.MISSING_CLAIM, "token has no status_list");
    }
    if (!(sl instanceof Map<?, ?> m)) {
      throw new TokenException(Reason.MALFORMED, "status_list must be an object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) m;
    return map;
  }

  /** A NumericDate-style claim (whole seconds; fractions are dropped). */
  private static Instant seconds(JWTClaimsSet c, String name, boolean required) {
    Object v = c.getClaim(name);
    if (v == null) {
      if (required) {
        throw new TokenException(Reason.MISSING_CLAIM, "token has no " + name);
      }
      return null;
    }
    if (v instanceof Date d) {
      return d.toInstant();
    }
    if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
      return Instant.ofEpochSecond(n.longValue());
    }
    throw new TokenException(Reason.MALFORMED, name + " must be a number of seconds");
  }

  private static boolean isStatusListTyp(String typ) {
    String t = typ.toLowerCase(Locale.ROOT);
    return t.equals(TYP) || t.equals(MEDIA_TYPE);
  }

  private static byte[] part(String text, String what) {
    try {
      return Base64Url.decode(text);
    } catch (Base64Url.Invalid e) {
      throw new TokenException(Reason.MALFORMED, "JWT " + what + " is " + e.getMessage());
    }
  }

  private static Map<String, Object> json(byte[] bytes, String what) {
    String text = new String(bytes, StandardCharsets.UTF_8).strip();
    if (!text.startsWith("{")) {
      throw new TokenException(Reason.MALFORMED, "JWT " + what + " is not a JSON object");
    }
    try {
      return JSONObjectUtils.parse(text);
    } catch (ParseException | RuntimeException e) {
      throw new TokenException(Reason.MALFORMED, "JWT " + what + " is not a JSON object");
    }
  }

  private static String str(Object o) {
    return TokenVerifier.printable(String.valueOf(o));
  }
}
