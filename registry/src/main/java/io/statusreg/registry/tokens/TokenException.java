package io.statusreg.registry.tokens;

import io.statusreg.registry.RegistryException;

/**
 * A status list token, or its {@code lst}, that cannot be built, read or trusted. The {@link
 * Reason} says which check failed, so that callers map each kind without reading messages; messages
 * say what was wrong and never carry key material.
 */
public final class TokenException extends RegistryException.InvalidInput {
  /** Which check failed. */
  public enum Reason {
    /** Not a JWS compact serialisation / COSE_Sign1, or a claim or header of the wrong type. */
    MALFORMED,
    /** {@code typ} (JWT) or content type 16 (CWT) is not the status list type. */
    WRONG_TYP,
    /** {@code alg} is missing, {@code none}, symmetric, not allowed, or does not fit the key. */
    WRONG_ALG,
    /** No {@code kid}, or a {@code kid} that is not among the verification keys. */
    UNKNOWN_KID,
    /** The signature does not verify with the key named by {@code kid}. */
    BAD_SIGNATURE,
    /** {@code exp} has passed (beyond the leeway). */
    EXPIRED,
    /** {@code lst} is not strict base64url, not zlib/gzip, or does not fit the list's shape. */
    BAD_LST,
    /** {@code lst} inflates beyond the cap computed from {@code bits} and the maximum size. */
    LST_TOO_LARGE,
    /**
     * A required claim ({@code sub}, {@code iat}, {@code exp}, {@code status_list}...) is absent.
     */
    MISSING_CLAIM,
    /** A token could not be signed (key unusable for its algorithm, provider failure). */
    SIGNING_FAILED
  }

  private final Reason reason;

  public TokenException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public TokenException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  @Override
  public String getMessage() {
    return reason + ": " + super.getMessage();
  }
}
