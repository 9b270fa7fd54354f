package io.statusreg.common.wire;

import io.statusreg.registry.ListId;
import java.time.Duration;
import java.time.Instant;

/**
 * A signed publication of one list, as written to {@code statusreg.tokens} (key: list id) and
 * served by every instance. Holds every representation prebuilt, so a verifier fetch is a lookup
 * and a write of these bytes.
 *
 * <p>An identifier list (ISO/IEC 18013-5) is published with {@code bits} {@value
 * #IDENTIFIER_LIST_BITS}, its identifier list CWT ({@code application/identifierlist+cwt}) in
 * {@code cwt}, and empty {@code jwt} and {@code w3c}: it has no other form. {@code counts} is then
 * {@code [not revoked, revoked]} over its slots.
 *
 * @param uri the list's public URI (the token's {@code sub})
 * @param version publication number of the list, strictly increasing
 * @param allocated indexes handed out so far (the allocation cursor)
 * @param counts entries per status value (index = status code; length 2^bits)
 * @param etag strong entity tag of this publication, quoted (e.g. {@code "v42-3f2a..."})
 * @param jwt the Status List Token as compact JWT ({@code application/statuslist+jwt})
 * @param cwt the Status List Token as CWT ({@code application/statuslist+cwt})
 * @param w3c the W3C BitstringStatusListCredential as VC-JWT ({@code application/vc+jwt}), or an
 *     empty array when the list cannot be expressed as one
 * @param oldestChangeAt time of the oldest event this publication made visible, or {@code null}
 *     when it is a refresh with no change (publication lag = issuedAt - oldestChangeAt)
 * @param foldedEvents how many of the list's events are folded into this publication (the list's
 *     {@code ListMeta.version} when it was signed): exactly what it covers, so an audit compares it
 *     with the list rebuilt from that many events. {@link #UNKNOWN_FOLDED_EVENTS} for a record of
 *     {@code TokenSerde} wire version 1, which did not carry it.
 */
public record PublishedToken(
    ListId listId,
    String uri,
    long version,
    int bits,
    long size,
    long allocated,
    long[] counts,
    Instant issuedAt,
    Instant expiresAt,
    Duration ttl,
    String kid,
    String etag,
    byte[] jwt,
    byte[] cwt,
    byte[] w3c,
    Instant oldestChangeAt,
    long foldedEvents) {

  /** {@link #bits()} of an identifier list's publication. */
  public static final int IDENTIFIER_LIST_BITS = 0;

  /** {@link #foldedEvents()} of a record that does not say what it covers (wire version 1). */
  public static final long UNKNOWN_FOLDED_EVENTS = -1;

  public PublishedToken {
    if (foldedEvents < UNKNOWN_FOLDED_EVENTS) {
      throw new IllegalArgumentException("foldedEvents must be -1 (unknown) or at least 0");
    }
  }

  /** Whether this is an identifier list (its {@link #cwt()} is the identifier list CWT). */
  public boolean isIdentifierList() {
    return bits == IDENTIFIER_LIST_BITS;
  }

  /** Whether this publication says how many of the list's events it covers. */
  public boolean knowsFoldedEvents() {
    return foldedEvents != UNKNOWN_FOLDED_EVENTS;
  }

  /** Whether {@code time} falls inside this token's validity {@code [iat, exp)}. */
  public boolean validAt(Instant time) {
    return !time.isBefore(issuedAt) && time.isBefore(expiresAt);
  }
}
