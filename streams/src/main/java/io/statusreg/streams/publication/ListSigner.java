package io.statusreg.streams.publication;

import io.statusreg.registry.ListId;
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
   * @param w3c the BitstringStatusListCredential as VC-JWT, or an empty array when the list cannot
   *     be one (e.g. fewer bits than a W3C purpose needs)
   * @param kid the id of the key that signed them
   */
  record SignedList(byte[] jwt, byte[] cwt, byte[] w3c, String kid) {}

  /**
   * Signs {@code entries} as list {@code list} with public URI {@code uri}.
   *
   * @throws io.statusreg.registry.RegistryException when the issuer has no usable key
   */
  SignedList sign(
      ListId list,
      String uri,
      StatusList entries,
      Duration ttl,
      Instant issuedAt,
      Instant expiresAt);
}
