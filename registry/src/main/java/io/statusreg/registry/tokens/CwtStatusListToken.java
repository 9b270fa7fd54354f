package io.statusreg.registry.tokens;

import io.statusreg.registry.keys.SignatureAlgorithm;
import io.statusreg.registry.keys.SigningKey;
import io.statusreg.registry.keys.VerificationKeys;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.TokenException.Reason;
import io.statusreg.registry.tokens.internal.Cbor;
import io.statusreg.registry.tokens.internal.CoseSign1;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

/**
 * A Status List Token in CWT form (draft-ietf-oauth-status-list, section 5.2): a COSE_Sign1 with
 * CBOR tag 18 and no CWT tag 61; protected header {@code {1: alg, 16: "application/statuslist+cwt",
 * 4: kid}} (and 33 x5chain when the key has certificates); payload claims 2 sub, 6 iat, 4 exp,
 * 65534 ttl, 65533 {@code {"bits": n, "lst": zlib bytes}}; the signature is over {@code
 * ["Signature1", protected, h'', payload]}, ECDSA in raw {@code r||s}.
 *
 * <p>Verification reads {@code kid} from the protected header or, as in the IETF example, from the
 * unprotected one (it only selects a key; the signature still has to hold under it).
 *
 * @param kid the {@code kid} (UTF-8) of the key that signed it
 * @param algorithm header 1
 * @param claims the verified claims, with the decoded list
 * @param lst the zlib bytes as they were in the token
 */
public record CwtStatusListToken(
    String kid, SignatureAlgorithm algorithm, StatusListClaims claims, byte[] lst) {

  /** COSE content type (header 16) and HTTP media type. */
  public static final String MEDIA_TYPE = "application/statuslist+cwt";

  static final long ALG = CoseSign1.ALG;
  static final long KID = CoseSign1.KID;
  static final long CONTENT_TYPE = CoseSign1.CONTENT_TYPE;
  static final long X5CHAIN = CoseSign1.X5CHAIN;
  static final long SUB = 2;
  static final long EXP = 4;
  static final long IAT = 6;
  static final long TTL = 65534;
  static final long STATUS_LIST = 65533;

  /** Tokens larger than this are refused before any parsing. */
  public static final int MAX_TOKEN_BYTES = 48 * 1024 * 1024;

  public CwtStatusListToken {
    lst = lst.clone();
  }

  @Override
  public byte[] lst() {
    return lst.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CwtStatusListToken t
        && t.kid.equals(kid)
        && t.algorithm == algorithm
        && t.claims.equals(claims)
        && Arrays.equals(t.lst, lst);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * kid.hashCode() + claims.hashCode()) + Arrays.hashCode(lst);
  }

  @Override
  public String toString() {
    return "CwtStatusListToken[kid="
        + kid
        + ", alg="
        + algorithm.jose()
        + ", claims="
        + claims
        + ", lst="
        + lst.length
        + " bytes]";
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds and signs a CWT Status List Token. Not thread-safe; cheap to create. */
  public static final class Builder extends StatusListClaimsBuilder<Builder, byte[]> {
    private Builder() {}

    /** Already compressed zlib bytes (by a publisher that compresses pages itself). */
    public Builder compressedList(int bits, byte[] zlibBytes) {
      return encodedLst(bits, zlibBytes.clone());
    }

    @Override
    byte[] encode(StatusListEncoding e, StatusList l) {
      return e.compress(l);
    }

    /** The claims payload alone (CBOR map), as signed. */
    public byte[] payload() {
      requireClaims();
      Cbor.Writer w = new Cbor.Writer().map(ttl == null ? 4 : 5);
      w.integer(SUB).text(subject);
      w.integer(IAT).integer(issuedAt.getEpochSecond());
      w.integer(EXP).integer(expiresAt.getEpochSecond());
      if (ttl != null) {
        w.integer(TTL).integer(ttl.toSeconds());
      }
      w.integer(STATUS_LIST).map(aggregationUri == null ? 2 : 3);
      w.text("bits").integer(bits());
      w.text("lst").bytes(lstClaim());
      if (aggregationUri != null) {
        w.text("aggregation_uri").text(aggregationUri);
      }
      return w.toByteArray();
    }

    /** Signs with {@code key}: the tagged COSE_Sign1 bytes. */
    public byte[] sign(SigningKey key) {
      byte[] payload = payload();
      return CoseSign1.sign(
          key,
          CoseSign1.protectedHeader(key, MEDIA_TYPE, CoseSign1.x5chain(key)),
          payload,
          "the status list token " + subject);
    }
  }

  /**
   * Verifies a tagged COSE_Sign1 Status List Token, with the same order of checks and the same
   * {@link TokenException} reasons as {@link JwtStatusListToken#verify}.
   */
  public static CwtStatusListToken verify(byte[] token, TokenVerifier verifier) {
    if (token == null || token.length == 0) {
      throw new TokenException(Reason.MALFORMED, "token is empty");
    }
    if (token.length > MAX_TOKEN_BYTES) {
      throw new TokenException(
          Reason.MALFORMED, "token is larger than " + MAX_TOKEN_BYTES + " bytes");
    }
    CoseSign1.Parts cose = CoseSign1.parse(token);
    byte[] protectedBytes = cose.protectedBytes();
    Map<?, ?> prot = cose.protectedHeader();
    Map<?, ?> unprotected = cose.unprotected();
    byte[] payload = cose.payload();
    for (Object label : prot.keySet()) {
      if (unprotected.containsKey(label)) {
        throw new TokenException(
            Reason.MALFORMED, "header " + label + " is both protected and unprotected");
      }
    }
    Object type = prot.get(CONTENT_TYPE);
    if (!(type instanceof String t) || !t.equalsIgnoreCase(MEDIA_TYPE)) {
      throw new TokenException(
          Reason.WRONG_TYP,
          "protected header 16 must be "
              + MEDIA_TYPE
              + ", got "
              + (type == null
                  ? "none"
                  : "'" + TokenVerifier.printable(String.valueOf(type)) + "'"));
    }
    Object alg = prot.get(ALG);
    if (!(alg instanceof Long id)) {
      throw new TokenException(Reason.WRONG_ALG, "protected header has no integer alg (1)");
    }
    SignatureAlgorithm algorithm =
        SignatureAlgorithm.fromCose(id)
            .orElseThrow(
                () ->
                    new TokenException(
                        Reason.WRONG_ALG,
                        "alg " + id + " is not an allowed asymmetric signature algorithm"));
    Object kidBytes = prot.containsKey(KID) ? prot.get(KID) : unprotected.get(KID);
    if (kidBytes != null && !(kidBytes instanceof byte[])) {
      throw new TokenException(Reason.MALFORMED, "kid (4) must be a byte string");
    }
    VerificationKeys.Key key = verifier.keyFor(kidText((byte[]) kidBytes), algorithm);
    if (!algorithm.verify(
        key.publicKey(), CoseSign1.sigStructure(protectedBytes, payload), cose.signature())) {
      throw new TokenException(
          Reason.BAD_SIGNATURE, "signature does not verify with kid '" + key.kid() + "'");
    }

    Map<?, ?> claims = CoseSign1.map(CoseSign1.decode(payload, "payload"), "payload");
    Object sub = claims.get(SUB);
    if (sub == null) {
      throw new TokenException(Reason.MISSING_CLAIM, "token has no sub (2)");
    }
    if (!(sub instanceof String s) || s.isEmpty()) {
      throw new TokenException(Reason.MALFORMED, "sub (2) must be a non-empty text string");
    }
    Instant iat = seconds(claims, IAT, "iat", true);
    Instant exp = seconds(claims, EXP, "exp", false);
    verifier.checkExpiry(exp);
    Instant ttlSeconds = seconds(claims, TTL, "ttl", false);
    Duration ttl = ttlSeconds == null ? null : Duration.ofSeconds(ttlSeconds.getEpochSecond());
    if (ttl != null && (ttl.isZero() || ttl.isNegative())) {
      throw new TokenException(Reason.MALFORMED, "ttl must be positive");
    }
    Object slValue = claims.get(STATUS_LIST);
    if (slValue == null) {
      throw new TokenException(Reason.MISSING_CLAIM, "token has no status_list (65533)");
    }
    if (!(slValue instanceof Map<?, ?> sl)) {
      throw new TokenException(Reason.MALFORMED, "status_list (65533) must be a map");
    }
    Object bits = sl.get("bits");
    Object lst = sl.get("lst");
    if (bits == null || lst == null) {
      throw new TokenException(
          Reason.MISSING_CLAIM, "status_list has no " + (bits == null ? "bits" : "lst"));
    }
    if (!(bits instanceof Long b) || b < 0 || b > 8) {
      throw new TokenException(Reason.BAD_LST, "status_list.bits must be 1, 2, 4 or 8");
    }
    if (!(lst instanceof byte[] zlib)) {
      throw new TokenException(Reason.MALFORMED, "status_list.lst must be a byte string");
    }
    Object aggregation = sl.get("aggregation_uri");
    if (aggregation != null && !(aggregation instanceof String)) {
      throw new TokenException(Reason.MALFORMED, "status_list.aggregation_uri must be text");
    }
    StatusList list = StatusListEncoding.decompressUpTo(zlib, b.intValue(), verifier.maxEntries());
    return new CwtStatusListToken(
        key.kid(),
        algorithm,
        new StatusListClaims(s, iat, exp, ttl, list, (String) aggregation),
        zlib);
  }

  private static String kidText(byte[] kid) {
    if (kid == null) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(kid))
          .toString();
    } catch (CharacterCodingException e) {
      throw new TokenException(
          Reason.UNKNOWN_KID, "kid h'" + HexFormat.of().formatHex(kid) + "' is not a trusted key");
    }
  }

  private static Instant seconds(Map<?, ?> claims, long label, String name, boolean required) {
    Object v = claims.get(label);
    if (v == null) {
      if (required) {
        throw new TokenException(Reason.MISSING_CLAIM, "token has no " + name + " (" + label + ")");
      }
      return null;
    }
    if (v instanceof Long l) {
      return Instant.ofEpochSecond(l);
    }
    if (v instanceof Double d && Double.isFinite(d)) {
      return Instant.ofEpochSecond(d.longValue());
    }
    throw new TokenException(Reason.MALFORMED, name + " (" + label + ") must be a number");
  }
}
