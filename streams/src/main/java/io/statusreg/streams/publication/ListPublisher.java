package io.statusreg.streams.publication;

import io.statusreg.common.wire.PublishedToken;
import io.statusreg.registry.ListId;
import io.statusreg.registry.fold.ListMeta;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.streams.StreamsSettings;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Turns a list's state into its next publication: signs the entries in every format, numbers the
 * version, sets iat/exp from the injected clock and the list's validity, and says when the token
 * must be refreshed. No Kafka here: the caller (the processor) loads the state, forwards the token
 * and records the publication, so this type is tested with a fixed clock and a test signer.
 */
public final class ListPublisher {
  private final ListSigner signer;
  private final Clock clock;
  private final String publicBaseUrl;
  private final Duration refreshMargin;

  /** What was published: the token as written to {@code statusreg.tokens}, and its refresh time. */
  public record Published(PublishedToken token, Instant refreshAt) {
    public Published {
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(refreshAt, "refreshAt");
    }
  }

  public ListPublisher(
      ListSigner signer, Clock clock, String publicBaseUrl, Duration refreshMargin) {
    this.signer = Objects.requireNonNull(signer, "signer");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.publicBaseUrl = Objects.requireNonNull(publicBaseUrl, "publicBaseUrl");
    this.refreshMargin = Objects.requireNonNull(refreshMargin, "refreshMargin");
  }

  /**
   * The next publication of a list.
   *
   * @param previousVersion the version of the list's latest publication, 0 when it has none
   * @param oldestChange the oldest change the previous publication does not show, or null for a
   *     refresh of an unchanged list
   */
  public Published publish(
      ListMeta meta, StatusList entries, long previousVersion, Instant oldestChange) {
    ListId list = meta.listId();
    Instant iat = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant exp = iat.plus(meta.validity());
    String uri = StreamsSettings.listUri(publicBaseUrl, list);
    ListSigner.SignedList signed =
        meta.isIdentifierList()
            ? signer.signIdentifiers(list, uri, entries, meta.identifiers(), meta.ttl(), iat, exp)
            : signer.sign(list, uri, entries, meta.purpose(), meta.ttl(), iat, exp);
    long version = previousVersion + 1;
    PublishedToken token =
        new PublishedToken(
            list,
            uri,
            version,
            meta.isIdentifierList() ? PublishedToken.IDENTIFIER_LIST_BITS : meta.bits(),
            meta.size(),
            meta.cursor(),
            entries.histogram(),
            iat,
            exp,
            meta.ttl(),
            signed.kid(),
            etag(version, signed.jwt().length > 0 ? signed.jwt() : signed.cwt()),
            signed.jwt(),
            signed.cwt(),
            signed.w3c(),
            oldestChange,
            meta.version());
    Instant refreshAt =
        Instant.ofEpochMilli(
            Math.max(
                exp.toEpochMilli() - refreshMargin.toMillis(),
                iat.toEpochMilli() + meta.validity().toMillis() / 2));
    return new Published(token, refreshAt);
  }

  static String etag(long version, byte[] jwt) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(jwt);
      return "\"v" + version + "-" + HexFormat.of().formatHex(digest, 0, 8) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
