package io.statusreg.streams.publication;

import io.statusreg.registry.IssuerId;
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
import io.statusreg.registry.tokens.W3cForm;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
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
 * <p>The W3C credential's form (its {@code statusPurpose}, {@code statusSize}, {@code
 * statusMessages} and bitstring) follows {@link W3cForm#of} from the list's purpose and bits; its
 * {@code issuer} is {@code <public.base.url>/issuers/<issuer>}, also named by the header's {@code
 * iss}, whose {@code /.well-known/jwt-vc-issuer} metadata carries the JWKS with the header's {@code
 * kid}. The bitstring is padded with zeros to at least {@value BitstringStatusList#MIN_ENTRIES}
 * entries, the W3C herd-privacy minimum: indexes at or beyond the list's size read as 0 (VALID) and
 * are never allocated.
 *
 * <p>With aggregation on, every JWT and CWT carries {@code status_list.aggregation_uri}, and every
 * identifier list carries {@code aggregation_uri} inside claim 65530: {@code
 * <public.base.url>/statuslists/<issuer>}, the issuer's aggregation endpoint (which names status
 * lists under {@code status_lists} and identifier lists under {@code identifier_lists}).
 */
public final class RegistryListSigner implements ListSigner {
  private static final Logger log = LoggerFactory.getLogger(RegistryListSigner.class);
  private static final Base64.Encoder LST = Base64.getUrlEncoder().withoutPadding();
  private final SigningKeys keys;
  private final StatusListEncoding encoding;
  private final String publicBaseUrl;
  private final boolean aggregation;
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
    this.publicBaseUrl = publicBaseUrl;
    this.aggregation = aggregation;
  }

  /**
   * The issuer URL a W3C credential names ({@code issuer}, header {@code iss}): {@code
   * <public.base.url>/issuers/<issuer>}; the API's issuer metadata route resolves it.
   */
  public static String issuerUrl(String publicBaseUrl, IssuerId issuer) {
    return publicBaseUrl + "/issuers/" + issuer.value();
  }

  /**
   * An issuer's Status List Aggregation endpoint: {@code <public.base.url>/statuslists/<issuer>}.
   */
  public static String aggregationUrl(String publicBaseUrl, IssuerId issuer) {
    return publicBaseUrl + "/statuslists/" + issuer.value();
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
    // The JWT's lst is base64url of the CWT's: the list is packed and compressed once.
    return signForms(
        list,
        uri,
        entries.bits(),
        () -> encoding.compress(entries),
        w3c -> w3c.list(entries).gzipLevel(encoding.level()),
        purpose,
        ttl,
        iat,
        exp);
  }

  /**
   * Signs forms compressed by the caller: {@code zlib} is the JWT's (after base64url) and the CWT's
   * {@code lst}, {@code w3cGzip} the credential's {@code encodedList} (after multibase); both must
   * be in the form {@link W3cForm#of} gives for the list's purpose and bits.
   */
  @Override
  public SignedList signCompressed(
      ListId list,
      String uri,
      CompressedList compressed,
      Purpose purpose,
      Duration ttl,
      Instant iat,
      Instant exp) {
    return signForms(
        list,
        uri,
        compressed.bits(),
        compressed::zlib,
        w3c -> w3c.gzippedList(compressed.w3cGzip()),
        purpose,
        ttl,
        iat,
        exp);
  }

  private SignedList signForms(
      ListId list,
      String uri,
      int bits,
      java.util.function.Supplier<byte[]> zlibOf,
      java.util.function.UnaryOperator<BitstringStatusListCredential.Builder> w3cList,
      Purpose purpose,
      Duration ttl,
      Instant iat,
      Instant exp) {
    SigningKey key = keys.active(list.issuer());
    String aggregationUri = aggregation ? aggregationUrl(publicBaseUrl, list.issuer()) : null;
    try {
      byte[] zlib = zlibOf.get();
      String jwt =
          JwtStatusListToken.builder()
              .subject(uri)
              .issuedAt(iat)
              .expiresAt(exp)
              .ttl(ttl)
              .lst(bits, LST.encodeToString(zlib))
              .aggregationUri(aggregationUri)
              .sign(key);
      byte[] cwt =
          CwtStatusListToken.builder()
              .subject(uri)
              .issuedAt(iat)
              .expiresAt(exp)
              .ttl(ttl)
              .compressedList(bits, zlib)
              .aggregationUri(aggregationUri)
              .sign(key);
      // BitstringStatusList pads the bitstring to MIN_ENTRIES entries of `bits` bits.
      byte[] w3c =
          w3cList
              .apply(
                  BitstringStatusListCredential.builder()
                      .id(uri)
                      .issuer(issuerUrl(publicBaseUrl, list.issuer()))
                      .validFrom(iat)
                      .validUntil(exp)
                      .form(W3cForm.of(purpose, bits))
                      .ttl(ttl))
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
              .aggregationUri(aggregation ? aggregationUrl(publicBaseUrl, list.issuer()) : null)
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
