package io.statusreg.streams.publication;

import io.statusreg.common.wire.PublishedToken;
import io.statusreg.registry.ListId;
import io.statusreg.registry.fold.ListMeta;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.SegmentedDeflate;
import io.statusreg.registry.tokens.W3cForm;
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
 *
 * <p>A status list is compressed from per-page segments ({@link ListSegments}) kept in the node's
 * {@link SegmentCache} between publications: only the pages changed since the list's last
 * publication are compressed again, once for the JWT and CWT (the same zlib bytes) and once for the
 * W3C bitstring (shared with them for 8-bit lists). One publisher per task initialisation (its
 * cache entries are its own); not thread-safe.
 */
public final class ListPublisher {
  private final ListSigner signer;
  private final Clock clock;
  private final String publicBaseUrl;
  private final Duration refreshMargin;
  private final SegmentCache segments;
  private final SegmentedDeflate deflate;

  /** What was published: the token as written to {@code statusreg.tokens}, and its refresh time. */
  public record Published(PublishedToken token, Instant refreshAt) {
    public Published {
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(refreshAt, "refreshAt");
    }
  }

  /** A publisher without a segment cache at level 6 (whole-list compression every time). */
  public ListPublisher(
      ListSigner signer, Clock clock, String publicBaseUrl, Duration refreshMargin) {
    this(signer, clock, publicBaseUrl, refreshMargin, SegmentCache.disabled(), 6);
  }

  /**
   * @param segments the node's segment cache
   * @param level the DEFLATE level of the segments (setting {@code compression.level}, the
   *     signer's)
   */
  public ListPublisher(
      ListSigner signer,
      Clock clock,
      String publicBaseUrl,
      Duration refreshMargin,
      SegmentCache segments,
      int level) {
    this.signer = Objects.requireNonNull(signer, "signer");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.publicBaseUrl = Objects.requireNonNull(publicBaseUrl, "publicBaseUrl");
    this.refreshMargin = Objects.requireNonNull(refreshMargin, "refreshMargin");
    this.segments = Objects.requireNonNull(segments, "segments");
    this.deflate = new SegmentedDeflate(level);
  }

  /**
   * The next publication of a list read from its pages, compressing only what changed.
   *
   * @param listKey the list's key (the segment cache's)
   * @param changedPages the pages changed since the list's last publication by this publisher, or
   *     null when unknown (a new list, too many changes): then every page is compressed
   */
  public Published publish(
      String listKey,
      ListMeta meta,
      PageSource pages,
      int[] changedPages,
      long previousVersion,
      Instant oldestChange) {
    if (meta.isIdentifierList()) {
      // Identifier lists keep their own per-page fragments in the signer.
      StatusList[] entries = {StatusList.empty(meta.bits(), meta.size())};
      storeFailures(pages).forEachPage((bytes, n) -> entries[0] = entries[0].withPage(n, bytes));
      return publish(meta, entries[0], previousVersion, oldestChange);
    }
    W3cForm form = W3cForm.of(meta.purpose(), meta.bits());
    PageSource store = storeFailures(pages);
    ListSegments s = segments.take(listKey, this);
    ListSigner.CompressedList compressed;
    long[] histogram;
    try {
      if (s == null
          || changedPages == null
          || !s.fits(meta.bits(), meta.size(), form, deflate.level())) {
        s = ListSegments.build(this, meta.bits(), meta.size(), form, deflate, store);
      } else {
        s.update(changedPages, store, deflate);
      }
      compressed =
          new ListSigner.CompressedList(meta.bits(), meta.size(), s.zlib(deflate), s.gzip(deflate));
      histogram = s.histogram();
    } catch (PublicationException e) {
      throw e; // the entry taken out stays out: the next publication compresses the whole list
    } catch (RuntimeException e) {
      throw new PublicationException(
          PublisherMetrics.Failure.ENCODING, "compressing list " + meta.listId(), e);
    }
    // Back before signing: the segments are those of the pages as stored, whatever the signer does.
    segments.put(listKey, s);
    return sign(
        meta,
        (list, uri, iat, exp) ->
            signer.signCompressed(list, uri, compressed, meta.purpose(), meta.ttl(), iat, exp),
        histogram,
        previousVersion,
        oldestChange);
  }

  /** {@code pages} with its failures tagged as {@link PublisherMetrics.Failure#STORE}. */
  private static PageSource storeFailures(PageSource pages) {
    return new PageSource() {
      @Override
      public byte[] page(int n) {
        try {
          return pages.page(n);
        } catch (RuntimeException e) {
          throw new PublicationException(PublisherMetrics.Failure.STORE, "reading page " + n, e);
        }
      }

      @Override
      public void forEachPage(java.util.function.ObjIntConsumer<byte[]> action) {
        try {
          pages.forEachPage(action);
        } catch (PublicationException e) {
          throw e;
        } catch (RuntimeException e) {
          throw new PublicationException(PublisherMetrics.Failure.STORE, "reading pages", e);
        }
      }
    };
  }

  /** Forgets a list's segments (the list is gone). */
  public void forget(String listKey) {
    segments.drop(listKey);
  }

  /** Forgets every list's segments of this publisher (its task is closed). */
  public void close() {
    segments.dropOwner(this);
  }

  /** Signs with the issue and expiry times it is given. */
  private interface Signing {
    ListSigner.SignedList sign(ListId list, String uri, Instant iat, Instant exp);
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
    return sign(
        meta,
        (list, uri, iat, exp) ->
            meta.isIdentifierList()
                ? signer.signIdentifiers(
                    list, uri, entries, meta.identifiers(), meta.ttl(), iat, exp)
                : signer.sign(list, uri, entries, meta.purpose(), meta.ttl(), iat, exp),
        entries.histogram(),
        previousVersion,
        oldestChange);
  }

  private Published sign(
      ListMeta meta,
      Signing signing,
      long[] histogram,
      long previousVersion,
      Instant oldestChange) {
    ListId list = meta.listId();
    Instant iat = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant exp = iat.plus(meta.validity());
    String uri = StreamsSettings.listUri(publicBaseUrl, list);
    ListSigner.SignedList signed;
    try {
      signed = signing.sign(list, uri, iat, exp);
    } catch (RuntimeException e) {
      throw new PublicationException(PublisherMetrics.Failure.SIGNING, "signing list " + list, e);
    }
    long version = previousVersion + 1;
    PublishedToken token =
        new PublishedToken(
            list,
            uri,
            version,
            meta.isIdentifierList() ? PublishedToken.IDENTIFIER_LIST_BITS : meta.bits(),
            meta.size(),
            meta.cursor(),
            histogram,
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
