package io.statusreg.registry.tokens;

import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.TokenException.Reason;
import java.time.Duration;
import java.time.Instant;

/**
 * The claims half shared by the JWT and CWT token builders: the setters and the required-claim
 * checks. {@code E} is the form of an already encoded {@code lst}: base64url text for JWT, zlib
 * bytes for CWT.
 */
abstract sealed class StatusListClaimsBuilder<B extends StatusListClaimsBuilder<B, E>, E>
    permits JwtStatusListToken.Builder, CwtStatusListToken.Builder {
  String subject;
  Instant issuedAt;
  Instant expiresAt;
  Duration ttl;
  String aggregationUri;
  private StatusList list;
  private int bits;
  private E encodedLst;
  private StatusListEncoding encoding = StatusListEncoding.PUBLICATION;

  StatusListClaimsBuilder() {}

  /** All claims at once; the list is compressed at this builder's encoding. */
  public B claims(StatusListClaims c) {
    return subject(c.subject())
        .issuedAt(c.issuedAt())
        .expiresAt(c.expiresAt())
        .ttl(c.ttl())
        .aggregationUri(c.aggregationUri())
        .list(c.list());
  }

  public B subject(String uri) {
    this.subject = uri;
    return self();
  }

  public B issuedAt(Instant t) {
    this.issuedAt = t;
    return self();
  }

  public B expiresAt(Instant t) {
    this.expiresAt = t;
    return self();
  }

  public B ttl(Duration d) {
    this.ttl = d;
    return self();
  }

  public B aggregationUri(String uri) {
    this.aggregationUri = uri;
    return self();
  }

  /** The statuses; compressed with {@link #encoding} when signing. */
  public B list(StatusList l) {
    this.list = l;
    this.encodedLst = null;
    return self();
  }

  /** The zlib level; default {@link StatusListEncoding#PUBLICATION} (6). */
  public B encoding(StatusListEncoding e) {
    this.encoding = e;
    return self();
  }

  /** An {@code lst} encoded already, in place of {@link #list}. */
  final B encodedLst(int bits, E lst) {
    StatusListEncoding.checkBits(bits);
    this.bits = bits;
    this.encodedLst = lst;
    this.list = null;
    return self();
  }

  /** The form-specific {@code lst} of {@code l} at {@code e}. */
  abstract E encode(StatusListEncoding e, StatusList l);

  /** Throws {@link Reason#MISSING_CLAIM} unless sub, iat, exp and the list are set. */
  final void requireClaims() {
    if (subject == null || subject.isEmpty()) {
      throw new TokenException(Reason.MISSING_CLAIM, "sub (the list URI) is required");
    }
    if (issuedAt == null) {
      throw new TokenException(Reason.MISSING_CLAIM, "iat is required");
    }
    if (expiresAt == null) {
      throw new TokenException(Reason.MISSING_CLAIM, "exp is required");
    }
    if (list == null && encodedLst == null) {
      throw new TokenException(Reason.MISSING_CLAIM, "status_list is required");
    }
  }

  /** {@code status_list.bits}. */
  final int bits() {
    return list != null ? list.bits() : bits;
  }

  /** {@code status_list.lst}: the list encoded now, or the one given already encoded. */
  final E lstClaim() {
    return list != null ? encode(encoding, list) : encodedLst;
  }

  @SuppressWarnings("unchecked") // B is the permitted subclass itself
  private B self() {
    return (B) this;
  }
}
