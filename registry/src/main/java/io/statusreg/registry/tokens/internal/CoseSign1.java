package io.statusreg.registry.tokens.internal;

import io.statusreg.registry.keys.SigningKey;
import io.statusreg.registry.tokens.TokenException;
import io.statusreg.registry.tokens.TokenException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The COSE_Sign1 (RFC 9052) that both CWT tokens are: the Status List Token and the ISO/IEC 18013-5
 * identifier list. One place writes the protected header, signs, and takes a tagged COSE_Sign1
 * apart; each token checks its own claims and header rules on top.
 */
public final class CoseSign1 {
  /** CBOR tag of a COSE_Sign1. */
  public static final int TAG = 18;

  /** CBOR tag of a CWT, which neither token carries. */
  public static final int TAG_CWT = 61;

  public static final long ALG = 1;
  public static final long CRIT = 2;
  public static final long KID = 4;
  public static final long CONTENT_TYPE = 16;
  public static final long X5CHAIN = 33;

  private CoseSign1() {}

  /** A COSE_Sign1 taken apart, its protected header decoded; the signature is not yet checked. */
  public record Parts(
      byte[] protectedBytes,
      Map<?, ?> protectedHeader,
      Map<?, ?> unprotected,
      byte[] payload,
      byte[] signature) {}

  /** The key's {@code x5c} as DER certificates for {@code x5chain}, leaf first; empty when none. */
  public static List<byte[]> x5chain(SigningKey key) {
    return key.x5c().stream().map(c -> c.decode()).toList();
  }

  /**
   * {@code {1: alg, 16: contentType, 4: kid, 33: x5chain}}; {@code x5chain} (DER, leaf first) is
   * left out when empty, and is a single byte string when it holds one certificate.
   */
  public static byte[] protectedHeader(SigningKey key, String contentType, List<byte[]> x5chain) {
    Cbor.Writer h = new Cbor.Writer().map(x5chain.isEmpty() ? 3 : 4);
    h.integer(ALG).integer(key.algorithm().cose());
    h.integer(CONTENT_TYPE).text(contentType);
    h.integer(KID).bytes(key.kid().getBytes(StandardCharsets.UTF_8));
    if (x5chain.size() == 1) {
      h.integer(X5CHAIN).bytes(x5chain.getFirst());
    } else if (x5chain.size() > 1) {
      h.integer(X5CHAIN).array(x5chain.size());
      x5chain.forEach(h::bytes);
    }
    return h.toByteArray();
  }

  /**
   * Signs {@code payload} under {@code protectedHeader}: the tagged {@code [protected, {}, payload,
   * signature]}. A key that fails to sign gives {@link Reason#SIGNING_FAILED}, naming {@code what}.
   */
  public static byte[] sign(SigningKey key, byte[] protectedHeader, byte[] payload, String what) {
    byte[] signature;
    try {
      signature = key.sign(sigStructure(protectedHeader, payload));
    } catch (RuntimeException e) {
      throw new TokenException(Reason.SIGNING_FAILED, "signing " + what, e);
    }
    return new Cbor.Writer()
        .tag(TAG)
        .array(4)
        .bytes(protectedHeader)
        .map(0)
        .bytes(payload)
        .bytes(signature)
        .toByteArray();
  }

  /** {@code Sig_structure = ["Signature1", protected, external_aad = h'', payload]} (RFC 9052). */
  public static byte[] sigStructure(byte[] protectedHeader, byte[] payload) {
    return new Cbor.Writer()
        .array(4)
        .text("Signature1")
        .bytes(protectedHeader)
        .bytes(new byte[0])
        .bytes(payload)
        .toByteArray();
  }

  /**
   * Takes a tagged COSE_Sign1 apart: tag 18 (a CWT tag 61 is refused by name), four parts of the
   * right types, a protected header that is a CBOR map (an empty byte string reads as an empty
   * map), and no {@code crit} parameter. Anything else is {@link Reason#MALFORMED}.
   */
  public static Parts parse(byte[] token) {
    Object top = decode(token, "token");
    if (!(top instanceof Cbor.Tagged tagged)) {
      throw new TokenException(Reason.MALFORMED, "token is not a tagged COSE_Sign1 (tag 18)");
    }
    if (tagged.tag() != TAG) {
      throw new TokenException(
          Reason.MALFORMED,
          "token has CBOR tag "
              + tagged.tag()
              + (tagged.tag() == TAG_CWT ? " (CWT), which a COSE_Sign1 token must not have" : "")
              + "; expected COSE_Sign1 tag 18");
    }
    if (!(tagged.value() instanceof List<?> parts)
        || parts.size() != 4
        || !(parts.get(0) instanceof byte[] protectedBytes)
        || !(parts.get(1) instanceof Map<?, ?> unprotected)
        || !(parts.get(2) instanceof byte[] payload)
        || !(parts.get(3) instanceof byte[] signature)) {
      throw new TokenException(
          Reason.MALFORMED, "COSE_Sign1 must be [protected bstr, unprotected map, payload, sig]");
    }
    Map<?, ?> prot =
        protectedBytes.length == 0
            ? Map.of()
            : map(decode(protectedBytes, "protected header"), "protected header");
    if (prot.containsKey(CRIT)) {
      throw new TokenException(Reason.MALFORMED, "header has crit parameters we do not know");
    }
    return new Parts(protectedBytes, prot, unprotected, payload, signature);
  }

  /** Decodes CBOR from a token; invalid CBOR is {@link Reason#MALFORMED}, naming {@code what}. */
  public static Object decode(byte[] bytes, String what) {
    try {
      return Cbor.decode(bytes);
    } catch (Cbor.Invalid e) {
      throw new TokenException(Reason.MALFORMED, what + " is not valid CBOR: " + e.getMessage());
    }
  }

  /** {@code o} as a map; anything else is {@link Reason#MALFORMED}, naming {@code what}. */
  public static Map<?, ?> map(Object o, String what) {
    if (!(o instanceof Map<?, ?> m)) {
      throw new TokenException(Reason.MALFORMED, what + " must be a CBOR map");
    }
    return m;
  }
}
