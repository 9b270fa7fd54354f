package io.statusreg.streams.publication;

import io.statusreg.registry.ListId;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.identifiers.DevelopmentCertificate;
import io.statusreg.registry.identifiers.IdentifierCipher;
import io.statusreg.registry.identifiers.IdentifierListEncoding;
import io.statusreg.registry.identifiers.IdentifierListToken;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger log = LoggerFactory.getLogger(RegistryListSigner.class);
  private final SigningKeys keys;
  private final StatusListEncoding encoding;
  private final String w3cIssuerBase;
  private final IdentifierListEncoding identifierEncoding =
      new IdentifierListEncoding(IDENTIFIER_CACHE_BYTES);
  private final Map<String, byte[]> developmentCertificates = new ConcurrentHashMap<>();

  /** Memory for the per-page fragments of identifier lists, shared by every list. */
  static final long IDENTIFIER_CACHE_BYTES = 64L << 20;

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

  @Override
  public SignedList signIdentifiers(
      ListId list,
      String uri,
      StatusList revoked,
      IdentifierCipher cipher,
      Duration ttl,
      Instant iat,
      Instant exp) {
    SigningKey key = keys.active(list.issuer());
    try {
      IdentifierListEncoding.Encoded identifiers =
          identifierEncoding.encode(list.key(), revoked, cipher);
      byte[] cwt =
          IdentifierListToken.builder()
              .subject(uri)
              .issuedAt(iat)
              .expiresAt(exp)
              .ttl(ttl)
              .encodedIdentifiers(identifiers.map())
              .sign(key, chain(key, iat));
      return new SignedList(new byte[0], cwt, new byte[0], key.kid());
    } catch (RuntimeException e) {
      throw new RegistryException("signing identifier list " + list, e);
    }
  }

  /**
   * The key's {@code x5c} (from {@code signing.keys.file}), or, for a key without one (the
   * generated development key), a self-signed development certificate made once per key: a verifier
   * will not trust it, which is what a development key deserves.
   */
  private List<byte[]> chain(SigningKey key, Instant now) {
    if (!key.x5c().isEmpty()) {
      return IdentifierListToken.chainOf(key);
    }
    byte[] cert =
        developmentCertificates.computeIfAbsent(
            key.kid(),
            kid -> {
              log.warn(
                  "signing key '{}' has no certificate chain (x5c): identifier lists carry a"
                      + " self-signed development certificate that no verifier trusts",
                  kid);
              return DevelopmentCertificate.selfSigned(
                  key,
                  "statusreg development list signer " + kid,
                  now.minus(Duration.ofDays(1)),
                  now.plus(Duration.ofDays(3650)));
            });
    return List.of(cert);
  }
}
