package io.statusreg.registry.identifiers;

import io.statusreg.registry.keys.SignatureAlgorithm;
import io.statusreg.registry.keys.SigningKey;
import io.statusreg.registry.tokens.TokenException;
import io.statusreg.registry.tokens.TokenException.Reason;
import io.statusreg.registry.tokens.internal.Cbor;
import io.statusreg.registry.tokens.internal.CoseSign1;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ISO/IEC 18013-5 (2nd edition, 12.3.6.4) identifier list as a CWT: a tagged COSE_Sign1 whose
 * protected header is {@code {1: alg, 16: "application/identifierlist+cwt", 4: kid, 33: x5chain}}
 * and whose payload is {@code {2: sub, 6: iat, 4: exp, 65534: ttl, 65530: {"identifiers": {* bstr
 * => {}}, ? "aggregation_uri": tstr}}}. There is no {@code status_list} claim; {@code exp} is
 * mandatory; {@code x5chain} is mandatory (a verifier of mdoc revocation trusts the list through
 * its certificate, not a JWKS). Algorithms: ES256, ES384, ES512 or EdDSA.
 *
 * @param kid the {@code kid} of the signing key
 * @param algorithm header 1
 * @param chain the {@code x5chain}, leaf first
 * @param identifiers the revoked identifiers
 */
public record IdentifierListToken(
    String kid,
    SignatureAlgorithm algorithm,
    List<X509Certificate> chain,
    String subject,
    Instant issuedAt,
    Instant expiresAt,
    Duration ttl,
    Set<Identifier> identifiers,
    String aggregationUri) {

  /** COSE content type (header 16) and HTTP media type. */
  public static final String MEDIA_TYPE = "application/identifierlist+cwt";

  static final long ALG = CoseSign1.ALG;
  static final long KID = CoseSign1.KID;
  static final long CONTENT_TYPE = CoseSign1.CONTENT_TYPE;
  static final long X5CHAIN = CoseSign1.X5CHAIN;
  static final long SUB = 2;
  static final long EXP = 4;
  static final long IAT = 6;
  static final long TTL = 65534;
  static final long IDENTIFIER_LIST = 65530;
  static final long STATUS_LIST = 65533;

  /** Tokens larger than this are refused before parsing. */
  public static final int MAX_TOKEN_BYTES = 64 * 1024 * 1024;

  /** An identifier as a value (byte arrays compare by identity). */
  public record Identifier(byte[] bytes) {
    public Identifier {
      bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Identifier i && Arrays.equals(i.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "h'" + HexFormat.of().formatHex(bytes) + "'";
    }
  }

  public IdentifierListToken {
    chain = List.copyOf(chain);
    identifiers = Set.copyOf(identifiers);
  }

  public boolean contains(byte[] identifier) {
    return identifiers.contains(new Identifier(identifier));
  }

  /** The key's {@code x5c} as DER certificates, leaf first; empty when it has none. */
  public static List<byte[]> chainOf(SigningKey key) {
    return CoseSign1.x5chain(key);
  }

  /** The algorithms an identifier list may be signed with, as a sentence. */
  public static final String ALGORITHMS = "ES256, ES384, ES512 or EdDSA";

  /** Whether an identifier list may be signed with {@code algorithm} (not RSA). */
  public static boolean signsWith(SignatureAlgorithm algorithm) {
    return !algorithm.isRsa();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds and signs an identifier list CWT. Not thread-safe; cheap to create. */
  public static final class Builder {
    private String subject;
    private Instant issuedAt;
    private Instant expiresAt;
    private Duration ttl;
    private byte[] identifiersMap;
    private String aggregationUri;

    private Builder() {}

    public Builder subject(String uri) {
      this.subject = uri;
      return this;
    }

    public Builder issuedAt(Instant iat) {
      this.issuedAt = iat;
      return this;
    }

    public Builder expiresAt(Instant exp) {
      this.expiresAt = exp;
      return this;
    }

    public Builder ttl(Duration ttl) {
      this.ttl = ttl;
      return this;
    }

    public Builder aggregationUri(String uri) {
      this.aggregationUri = uri;
      return this;
    }

    /** The already encoded {@code identifiers} map ({@link IdentifierListEncoding}). */
    public Builder encodedIdentifiers(byte[] map) {
      this.identifiersMap = map;
      return this;
    }

    /** The identifiers, encoded in the given order. */
    public Builder identifiers(List<byte[]> ids) {
      Cbor.Writer w = new Cbor.Writer().map(ids.size());
      for (byte[] id : ids) {
        w.bytes(id).map(0);
      }
      this.identifiersMap = w.toByteArray();
      return this;
    }

    /** The claims payload (CBOR map), as signed. */
    public byte[] payload() {
      if (subject == null || subject.isEmpty() || issuedAt == null || expiresAt == null) {
        throw new IllegalStateException("an identifier list needs sub, iat and exp");
      }
      if (!expiresAt.isAfter(issuedAt)) {
        throw new IllegalStateException("exp must be after iat");
      }
      if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
        throw new IllegalStateException("ttl must be positive");
      }
      byte[] map = identifiersMap == null ? new byte[] {(byte) 0xa0} : identifiersMap;
      Cbor.Writer w = new Cbor.Writer().map(ttl == null ? 4 : 5);
      w.integer(SUB).text(subject);
      w.integer(IAT).integer(issuedAt.getEpochSecond());
      w.integer(EXP).integer(expiresAt.getEpochSecond());
      if (ttl != null) {
        w.integer(TTL).integer(ttl.toSeconds());
      }
      w.integer(IDENTIFIER_LIST).map(aggregationUri == null ? 1 : 2);
      w.text("identifiers").raw(map);
      if (aggregationUri != null) {
        w.text("aggregation_uri").text(aggregationUri);
      }
      return w.toByteArray();
    }

    /**
     * Signs with {@code key}; {@code chain} (DER, leaf first, the trust anchor left out) goes into
     * {@code x5chain}. Its leaf must hold the key's public key.
     */
    public byte[] sign(SigningKey key, List<byte[]> chain) {
      if (chain == null || chain.isEmpty()) {
        throw new TokenException(
            Reason.SIGNING_FAILED, "an identifier list needs an x5chain (a certificate chain)");
      }
      if (!signsWith(key.algorithm())) {
        throw new TokenException(
            Reason.SIGNING_FAILED,
            "identifier lists are signed with " + ALGORITHMS + ", not " + key.algorithm().jose());
      }
      X509Certificate leaf = certificates(List.of(chain.getFirst())).getFirst();
      if (!Arrays.equals(leaf.getPublicKey().getEncoded(), key.publicKey().getEncoded())) {
        throw new TokenException(
            Reason.SIGNING_FAILED,
            "the x5chain leaf certificate does not hold key '" + key.kid() + "'");
      }
      byte[] payload = payload();
      return CoseSign1.sign(
          key,
          CoseSign1.protectedHeader(key, MEDIA_TYPE, chain),
          payload,
          "the identifier list " + subject);
    }
  }

  /**
   * Verifies an identifier list CWT against {@code trusted} (the key its leaf certificate must
   * hold; {@code null} accepts the leaf's key, for callers that check the chain themselves) at
   * {@code now}: structure, {@code typ}, algorithm, {@code x5chain}, signature, {@code exp}.
   */
  public static IdentifierListToken verify(byte[] token, PublicKey trusted, Instant now) {
    if (token == null || token.length == 0 || token.length > MAX_TOKEN_BYTES) {
      throw new TokenException(Reason.MALFORMED, "token is empty or too large");
    }
    CoseSign1.Parts cose = CoseSign1.parse(token);
    Map<?, ?> prot = cose.protectedHeader();
    byte[] payload = cose.payload();
    if (!cose.unprotected().isEmpty()) {
      throw new TokenException(Reason.MALFORMED, "the unprotected header must be empty");
    }
    if (!(prot.get(CONTENT_TYPE) instanceof String typ) || !typ.equals(MEDIA_TYPE)) {
      throw new TokenException(Reason.WRONG_TYP, "protected header 16 must be " + MEDIA_TYPE);
    }
    if (!(prot.get(ALG) instanceof Long algId)) {
      throw new TokenException(Reason.WRONG_ALG, "protected header has no integer alg (1)");
    }
    SignatureAlgorithm algorithm =
        SignatureAlgorithm.fromCose(algId)
            .filter(a -> !a.isRsa())
            .orElseThrow(
                () -> new TokenException(Reason.WRONG_ALG, "alg " + algId + " is not allowed"));
    Object x5 = prot.get(X5CHAIN);
    List<byte[]> der = new ArrayList<>();
    if (x5 instanceof byte[] one) {
      der.add(one);
    } else if (x5 instanceof List<?> many && !many.isEmpty()) {
      for (Object c : many) {
        if (!(c instanceof byte[] b)) {
          throw new TokenException(Reason.MALFORMED, "x5chain (33) must hold byte strings");
        }
        der.add(b);
      }
    } else {
      throw new TokenException(Reason.MISSING_CLAIM, "protected header has no x5chain (33)");
    }
    List<X509Certificate> chain = certificates(der);
    PublicKey leafKey = chain.getFirst().getPublicKey();
    if (trusted != null && !Arrays.equals(trusted.getEncoded(), leafKey.getEncoded())) {
      throw new TokenException(Reason.UNKNOWN_KID, "the x5chain leaf is not the trusted key");
    }
    if (!algorithm.verify(
        leafKey, CoseSign1.sigStructure(cose.protectedBytes(), payload), cose.signature())) {
      throw new TokenException(Reason.BAD_SIGNATURE, "signature does not verify");
    }
    Object kidBytes = prot.get(KID);
    String kid = kidBytes instanceof byte[] k ? new String(k, StandardCharsets.UTF_8) : null;
    Map<?, ?> claims = CoseSign1.map(CoseSign1.decode(payload, "payload"), "payload");
    if (claims.containsKey(STATUS_LIST)) {
      throw new TokenException(Reason.MALFORMED, "an identifier list has no status_list claim");
    }
    if (!(claims.get(SUB) instanceof String sub) || sub.isEmpty()) {
      throw new TokenException(Reason.MISSING_CLAIM, "token has no sub (2)");
    }
    Instant iat = seconds(claims, IAT, "iat");
    Instant exp = seconds(claims, EXP, "exp");
    if (exp == null || iat == null) {
      throw new TokenException(Reason.MISSING_CLAIM, "token needs iat (6) and exp (4)");
    }
    if (!now.isBefore(exp)) {
      throw new TokenException(Reason.EXPIRED, "token expired at " + exp);
    }
    Instant ttlSeconds = seconds(claims, TTL, "ttl");
    Duration ttl = ttlSeconds == null ? null : Duration.ofSeconds(ttlSeconds.getEpochSecond());
    if (ttl != null && (ttl.isZero() || ttl.isNegative())) {
      // As the builder and the status list CWT: a cache hint of zero or less is no hint.
      throw new TokenException(Reason.MALFORMED, "ttl (65534) must be positive");
    }
    if (!(claims.get(IDENTIFIER_LIST) instanceof Map<?, ?> il)) {
      throw new TokenException(Reason.MISSING_CLAIM, "token has no identifier_list (65530) map");
    }
    if (!(il.get("identifiers") instanceof Map<?, ?> ids)) {
      throw new TokenException(Reason.MISSING_CLAIM, "identifier_list has no identifiers map");
    }
    Set<Identifier> identifiers = new LinkedHashSet<>();
    for (Map.Entry<?, ?> e : ids.entrySet()) {
      if (!(e.getKey() instanceof Cbor.Bytes id) || !(e.getValue() instanceof Map<?, ?>)) {
        throw new TokenException(
            Reason.MALFORMED, "identifiers must map byte strings to maps (IdentifierInfo)");
      }
      identifiers.add(new Identifier(id.value()));
    }
    Object agg = il.get("aggregation_uri");
    if (agg != null && !(agg instanceof String)) {
      throw new TokenException(Reason.MALFORMED, "aggregation_uri must be text");
    }
    return new IdentifierListToken(
        kid, algorithm, chain, sub, iat, exp, ttl, identifiers, (String) agg);
  }

  private static List<X509Certificate> certificates(List<byte[]> der) {
    try {
      CertificateFactory f = CertificateFactory.getInstance("X.509");
      List<X509Certificate> out = new ArrayList<>();
      for (byte[] d : der) {
        out.add((X509Certificate) f.generateCertificate(new ByteArrayInputStream(d)));
      }
      return out;
    } catch (CertificateException e) {
      throw new TokenException(Reason.MALFORMED, "x5chain holds a certificate that does not parse");
    }
  }

  private static Instant seconds(Map<?, ?> claims, long label, String name) {
    Object v = claims.get(label);
    if (v == null) {
      return null;
    }
    if (v instanceof Long l) {
      return Instant.ofEpochSecond(l);
    }
    throw new TokenException(Reason.MALFORMED, name + " (" + label + ") must be an integer");
  }
}
