package io.statusreg.streams.publication;

import io.statusreg.registry.ListId;
import io.statusreg.registry.RegistryException;
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
 * W3C BitstringStatusListCredential (VC-JWT) for 1-bit lists of at least {@value
 * BitstringStatusList#MIN_ENTRIES} entries, all signed with the issuer's active key.
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
      ListId list, String uri, StatusList entries, Duration ttl, Instant iat, Instant exp) {
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
      byte[] w3c = new byte[0];
      if (entries.bits() == 1 && entries.size() >= BitstringStatusList.MIN_ENTRIES) {
        w3c =
            BitstringStatusListCredential.builder()
                .id(uri)
                .issuer(w3cIssuerBase + list.issuer().value())
                .validFrom(iat)
                .validUntil(exp)
                .ttl(ttl)
                .list(entries)
                .gzipLevel(encoding.level())
                .sign(key)
                .getBytes(StandardCharsets.US_ASCII);
      }
      return new SignedList(jwt.getBytes(StandardCharsets.US_ASCII), cwt, w3c, key.kid());
    } catch (RuntimeException e) {
      throw new RegistryException("signing list " + list, e);
    }
  }
}
