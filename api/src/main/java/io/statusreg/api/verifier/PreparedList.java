package io.statusreg.api.verifier;

import io.statusreg.common.wire.PublishedToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;

/**
 * One publication of a list, ready to serve: per representation the body, its gzip form (when
 * smaller), and a strong entity tag for each, plus the header values that do not depend on the
 * request. Built once when the publication arrives, then only read.
 */
public final class PreparedList {
  /**
   * One representation's prebuilt response. The buffers hold the same bytes as the arrays, off the
   * heap and read-only, so that a socket write copies nothing into a temporary direct buffer; each
   * write takes its own {@link ByteBuffer#slice()}.
   */
  public record Variant(
      Representation representation,
      byte[] body,
      byte[] gzip,
      String etag,
      String gzipEtag,
      HttpField contentTypeField,
      HttpField etagField,
      HttpField gzipEtagField,
      ByteBuffer bodyBuffer,
      ByteBuffer gzipBuffer,
      HttpField contentLengthField,
      HttpField gzipContentLengthField) {}

  private final PublishedToken token;
  private final Variant[] variants;
  private final String lastModified;
  private final long expiresAtSecond;
  private final long ttlSeconds;
  private final HttpField lastModifiedField;
  private volatile CacheControl cacheControl = new CacheControl(Long.MIN_VALUE, "", null);

  private record CacheControl(long second, String header, HttpField field) {}

  private PreparedList(PublishedToken token, Variant[] variants) {
    this.token = token;
    this.variants = variants;
    this.lastModified = HttpDate.format(token.issuedAt());
    this.expiresAtSecond = token.expiresAt().getEpochSecond();
    this.ttlSeconds = Math.max(0, token.ttl().toSeconds());
    this.lastModifiedField = new PreEncodedHttpField(HttpHeader.LAST_MODIFIED, lastModified);
  }

  /** Prepares every representation the publication holds (compresses each once). */
  public static PreparedList of(PublishedToken token) {
    Representation[] all = Representation.values();
    Variant[] variants = new Variant[all.length];
    for (Representation r : all) {
      byte[] body = r.bytes(token);
      if (body.length == 0) {
        continue;
      }
      String tag = token.version() + "-" + r.tag() + "-" + digest(body);
      byte[] compressed = gzip(body);
      byte[] gzip = compressed.length < body.length ? compressed : null;
      String etag = "\"" + tag + "\"";
      String gzipEtag = "\"" + tag + "-gz\"";
      variants[r.ordinal()] =
          new Variant(
              r,
              body,
              gzip,
              etag,
              gzipEtag,
              new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, r.mediaType()),
              new PreEncodedHttpField(HttpHeader.ETAG, etag),
              new PreEncodedHttpField(HttpHeader.ETAG, gzipEtag),
              direct(body),
              gzip == null ? null : direct(gzip),
              new HttpField.LongValueHttpField(HttpHeader.CONTENT_LENGTH, body.length),
              gzip == null
                  ? null
                  : new HttpField.LongValueHttpField(HttpHeader.CONTENT_LENGTH, gzip.length));
    }
    return new PreparedList(token, variants);
  }

  public PublishedToken token() {
    return token;
  }

  /** Bytes this preparation holds (bodies and gzip forms, on and off the heap). */
  long bytes() {
    long total = 0;
    for (Variant v : variants) {
      if (v != null) {
        total += 2L * (v.body().length + (v.gzip() == null ? 0 : v.gzip().length));
      }
    }
    return total + 512;
  }

  /** Variants indexed by {@link Representation#ordinal()}; null where the list has none. */
  Variant[] variants() {
    return variants;
  }

  public Variant variant(Representation r) {
    return variants[r.ordinal()];
  }

  String lastModified() {
    return lastModified;
  }

  /** {@code public, max-age=N} with N at most the ttl and at most the seconds left to exp. */
  String cacheControl(long nowSecond) {
    return cacheControlAt(nowSecond).header();
  }

  HttpField cacheControlField(long nowSecond) {
    return cacheControlAt(nowSecond).field();
  }

  HttpField lastModifiedField() {
    return lastModifiedField;
  }

  private CacheControl cacheControlAt(long nowSecond) {
    CacheControl cc = cacheControl;
    if (cc.second() != nowSecond) {
      long maxAge = Math.max(0, Math.min(ttlSeconds, expiresAtSecond - nowSecond));
      String header = "public, max-age=" + maxAge;
      cc =
          new CacheControl(
              nowSecond, header, new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, header));
      cacheControl = cc;
    }
    return cc;
  }

  private static ByteBuffer direct(byte[] bytes) {
    return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
  }

  private static String digest(byte[] body) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(body);
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 2 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
      gz.write(body);
    } catch (IOException e) {
      throw new IllegalStateException("gzip into memory", e);
    }
    return out.toByteArray();
  }
}
