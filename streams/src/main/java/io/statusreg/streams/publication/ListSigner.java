package io.statusreg.streams.publication;

import io.statusreg.registry.ListId;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.identifiers.IdentifierCipher;
import io.statusreg.registry.lists.StatusList;
import java.time.Duration;
import java.time.Instant;

/**
 * Signs one list's entries in every representation the publisher emits. Implementations hold the
 * issuers' keys and the compression level; they must be thread-safe (each stream thread's publisher
 * calls them).
 */
public interface ListSigner {

  /**
   * The signed representations of a list.
   *
   * @param jwt the Status List Token as compact JWT (always present)
   * @param cwt the Status List Token as CWT, or an empty array when not produced
   * @param w3c the BitstringStatusListCredential as VC-JWT (empty only from signers that do not
   *     produce one)
   * @param kid the id of the key that signed them
   */
  record SignedList(byte[] jwt, byte[] cwt, byte[] w3c, String kid) {
    /** Bytes of the three forms together. */
    public long bytes() {
      return (long) jwt.length + cwt.length + w3c.length;
    }
  }

  /**
   * A status list already compressed for every format that carries it.
   *
   * @param bits bits per entry
   * @param size entries
   * @param zlib zlib of the packed bytes (IETF order): the CWT {@code lst}, and the JWT one after
   *     base64url
   * @param w3cGzip gzip of the W3C bitstring in the list's {@link
   *     io.statusreg.registry.tokens.W3cForm} (MSB first, padded to 131,072 entries)
   */
  record CompressedList(int bits, long size, byte[] zlib, byte[] w3cGzip) {}

  /**
   * Signs {@code entries} as list {@code list} with public URI {@code uri}.
   *
   * @param entries the list's entries; {@code entries.bits()} is the list's {@code bits} (the W3C
   *     {@code statusSize})
   * @param purpose the list's purpose (the W3C {@code statusPurpose})
   * @throws io.statusreg.registry.RegistryException when the issuer has no usable key
   */
  SignedList sign(
      ListId list,
      String uri,
      StatusList entries,
      Purpose purpose,
      Duration ttl,
      Instant issuedAt,
      Instant expiresAt);

  /**
   * Signs a list whose forms the caller compressed ({@link ListPublisher} keeps per-page segments
   * across publications). The default inflates {@code compressed.zlib()} and signs as {@link
   * #sign}, for signers that compress themselves.
   */
  default SignedList signCompressed(
      ListId list,
      String uri,
      CompressedList compressed,
      Purpose purpose,
      Duration ttl,
      Instant issuedAt,
      Instant expiresAt) {
    long length = StatusList.byteLength(compressed.bits(), compressed.size());
    StatusList entries =
        StatusList.fromBytes(
            compressed.bits(),
            compressed.size(),
            io.statusreg.registry.tokens.StatusListEncoding.inflate(compressed.zlib(), length));
    return sign(list, uri, entries, purpose, ttl, issuedAt, expiresAt);
  }

  /**
   * Signs an identifier list (ISO/IEC 18013-5): {@code revoked} holds one bit per slot, {@code
   * cipher} turns slots into identifiers. The result has only {@code cwt} (the identifier list CWT,
   * {@code application/identifierlist+cwt}); {@code jwt} and {@code w3c} are empty.
   *
   * @throws UnsupportedOperationException from signers that do not sign identifier lists
   */
  default SignedList signIdentifiers(
      ListId list,
      String uri,
      StatusList revoked,
      IdentifierCipher cipher,
      Duration ttl,
      Instant issuedAt,
      Instant expiresAt) {
    throw new UnsupportedOperationException("this signer does not sign identifier lists");
  }
}
