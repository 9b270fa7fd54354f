package io.statusreg.streams.publication;

import io.statusreg.registry.ListId;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.keys.SigningKey;
import io.statusreg.registry.keys.SigningKeys;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.BitstringStatusList;
import io.statusreg.registry.tokens.BitstringStatusListCredential;
import io.statusreg.registry.tokens.CwtStatusListToken;
import io.statusreg.registry.tokens.JwtStatusListToken;
import io.statusreg.registry.tokens.StatusListEncoding;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * {@link ListSigner} over the registry's token builders: a JWT and a CWT Status List Token, and a
 * W3C BitstringStatusListCredential (VC-JWT) for every list, all signed with the issuer's active
 * key.
 *
 * <p>The W3C credential of a list:
 *
 * <ul>
 *   <li>{@code statusPurpose} is the list's {@link Purpose} ({@code revocation}, {@code suspension}
 *       or {@code message});
 *   <li>{@code encodedList} holds one entry of {@code bits} bits per index, most significant bit
 *       first (W3C order), and is padded with zeros to at least {@value
 *       BitstringStatusList#MIN_ENTRIES} entries, the W3C herd-privacy minimum: indexes at or
 *       beyond the list's size read as 0 (VALID) and are never allocated;
 *   <li>{@code statusSize} and {@code statusMessage} are not in the credential: W3C Bitstring
 *       Status List v1.0 defines them on the {@code BitstringStatusListEntry} of each referencing
 *       credential. For a list with {@code bits > 1}, the entry handed to the issuer must say
 *       {@code statusSize = bits} and list {@code 2^bits} status messages; {@link W3cStatusEntry}
 *       builds that entry.
 * </ul>
 */
public final class RegistryListSigner implements ListSigner {
  private final SigningKeys keys;
  private final StatusListEncoding encoding;
  private final String w3cIssuerBase;

  /**
   * @param keys the issuers' key rings
   * @param compressionLevel DEFLATE level of {@code lst} and the W3C {@code encodedList}
   * @param publicBaseUrl base URL; W3C credentials name {@code <base>/issuers/<issuer>} as issuer
   */
  public RegistryListSigner(SigningKeys keys, int compressionLevel, String publicBaseUrl) {
    this.keys = keys;
    this.encoding = StatusListEncoding.level(compressionLevel);
    this.w3cIssuerBase = publicBaseUrl + "/issuers/";
  }

  @Override
  public SignedList sign(
      ListId list,
      String uri,
      StatusList entries,
      Purpose purpose,
      Duration ttl,
      Instant iat,
      Instant exp) {
    SigningKey key = keys.active(list.issuer());
    try {
      String jwt =
          JwtStatusListToken.builder()
              .subject(uri)
              .issuedAt(iat)
              .expiresAt(exp)
              .ttl(ttl)
              .list(entries)
              .encoding(encoding)
              .sign(key);
      byte[] cwt =
          CwtStatusListToken.builder()
              .subject(uri)
              .issuedAt(iat)
              .expiresAt(exp)
              .ttl(ttl)
              .list(entries)
              .encoding(encoding)
              .sign(key);
      // BitstringStatusList pads the bitstring to MIN_ENTRIES entries of entries.bits() bits.
      byte[] w3c =
          BitstringStatusListCredential.builder()
              .id(uri)
              .issuer(w3cIssuerBase + list.issuer().value())
              .validFrom(iat)
              .validUntil(exp)
              .statusPurpose(purpose.code())
              .ttl(ttl)
              .list(entries)
              .gzipLevel(encoding.level())
              .sign(key)
              .getBytes(StandardCharsets.US_ASCII);
      return new SignedList(jwt.getBytes(StandardCharsets.US_ASCII), cwt, w3c, key.kid());
    } catch (RuntimeException e) {
      throw new RegistryException("signing list " + list, e);
    }
  }
}
