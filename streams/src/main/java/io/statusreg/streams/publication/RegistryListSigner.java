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
import io.statusreg.registry.tokens.W3cForm;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * {@link ListSigner} over the registry's token builders: a JWT and a CWT Status List Token, and a
 * W3C BitstringStatusListCredential (VC-JWT) for every list, all signed with the issuer's active
 * key.
 *
 * <p>The W3C credential's form (its {@code statusPurpose}, {@code statusSize}, {@code
 * statusMessages} and bitstring) follows {@link W3cForm#of} from the list's purpose and bits; its
 * {@code issuer} is {@code <public.base.url>/issuers/<issuer>}, also named by the header's {@code
 * iss}, whose {@code /.well-known/jwt-vc-issuer} metadata carries the JWKS with the header's {@code
 * kid}. The bitstring is padded with zeros to at least {@value BitstringStatusList#MIN_ENTRIES}
 * entries, the W3C herd-privacy minimum: indexes at or beyond the list's size read as 0 (VALID) and
 * are never allocated.
 *
 * <p>With aggregation on, every JWT and CWT carries {@code status_list.aggregation_uri}: {@code
 * <public.base.url>/statuslists/<issuer>}, the issuer's aggregation endpoint.
 */
public final class RegistryListSigner implements ListSigner {
  private final SigningKeys keys;
  private final StatusListEncoding encoding;
  private final String w3cIssuerBase;
  private final String aggregationBase;

  /**
   * @param keys the issuers' key rings
   * @param compressionLevel DEFLATE level of {@code lst} and the W3C {@code encodedList}
   * @param publicBaseUrl base URL; W3C credentials name {@code <base>/issuers/<issuer>} as issuer
   */
  public RegistryListSigner(SigningKeys keys, int compressionLevel, String publicBaseUrl) {
    this(keys, compressionLevel, publicBaseUrl, false);
  }

  /**
   * @param aggregation whether tokens carry {@code aggregation_uri} (setting {@code
   *     aggregation.enabled})
   */
  public RegistryListSigner(
      SigningKeys keys, int compressionLevel, String publicBaseUrl, boolean aggregation) {
    this.keys = keys;
    this.encoding = StatusListEncoding.level(compressionLevel);
    this.w3cIssuerBase = publicBaseUrl + "/issuers/";
    this.aggregationBase = aggregation ? publicBaseUrl + "/statuslists/" : null;
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
    String aggregationUri =
        aggregationBase == null ? null : aggregationBase + list.issuer().value();
    try {
      String jwt =
          JwtStatusListToken.builder()
              .subject(uri)
              .issuedAt(iat)
              .expiresAt(exp)
              .ttl(ttl)
              .list(entries)
              .aggregationUri(aggregationUri)
              .encoding(encoding)
              .sign(key);
      byte[] cwt =
          CwtStatusListToken.builder()
              .subject(uri)
              .issuedAt(iat)
              .expiresAt(exp)
              .ttl(ttl)
              .list(entries)
              .aggregationUri(aggregationUri)
              .encoding(encoding)
              .sign(key);
      // BitstringStatusList pads the bitstring to MIN_ENTRIES entries of entries.bits() bits.
      byte[] w3c =
          BitstringStatusListCredential.builder()
              .id(uri)
              .issuer(w3cIssuerBase + list.issuer().value())
              .validFrom(iat)
              .validUntil(exp)
              .form(W3cForm.of(purpose, entries.bits()))
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
