package io.statusreg.common.wire;

import io.statusreg.registry.ListId;
import io.statusreg.registry.RegistryException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;

/**
 * Values of {@code statusreg.tokens}: a compact binary form (a list's three representations can be
 * megabytes, so no base64 on the wire). Layout: version byte {@code 2}, then big-endian fields in
 * the order of {@link PublishedToken}'s components; strings as modified UTF-8 with a 2-byte length,
 * byte arrays with a 4-byte length, instants as epoch milliseconds, {@code -1} for a missing {@code
 * oldestChangeAt}.
 *
 * <p>Version 1 (still read, never written) ends after {@code oldestChangeAt}: it has no {@code
 * foldedEvents}, which reads as {@link PublishedToken#UNKNOWN_FOLDED_EVENTS}.
 */
public final class TokenSerde extends WireSerde<PublishedToken> {
  /** The version written. */
  public static final byte VERSION = 2;

  /** The first version, without {@code foldedEvents}: still read. */
  public static final byte VERSION_1 = 1;

  /** Largest array length accepted when reading (guards against corrupt lengths). */
  private static final int MAX_ARRAY = 64 << 20;

  @Override
  protected byte[] encode(PublishedToken value) {
    return toBytes(value);
  }

  @Override
  protected PublishedToken decode(byte[] bytes) {
    return fromBytes(bytes);
  }

  public static byte[] toBytes(PublishedToken t) {
    ByteArrayOutputStream buffer =
        new ByteArrayOutputStream(256 + t.jwt().length + t.cwt().length + t.w3c().length);
    try (DataOutputStream out = new DataOutputStream(buffer)) {
      out.writeByte(VERSION);
      out.writeUTF(t.listId().key());
      out.writeUTF(t.uri());
      out.writeLong(t.version());
      out.writeInt(t.bits());
      out.writeLong(t.size());
      out.writeLong(t.allocated());
      out.writeInt(t.counts().length);
      for (long c : t.counts()) {
        out.writeLong(c);
      }
      out.writeLong(t.issuedAt().toEpochMilli());
      out.writeLong(t.expiresAt().toEpochMilli());
      out.writeLong(t.ttl().toMillis());
      out.writeUTF(t.kid());
      out.writeUTF(t.etag());
      writeBytes(out, t.jwt());
      writeBytes(out, t.cwt());
      writeBytes(out, t.w3c());
      out.writeLong(t.oldestChangeAt() == null ? -1 : t.oldestChangeAt().toEpochMilli());
      out.writeLong(t.foldedEvents());
    } catch (IOException e) {
      throw new UncheckedIOException("encoding token of " + t.listId(), e);
    }
    return buffer.toByteArray();
  }

  public static PublishedToken fromBytes(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      byte v = in.readByte();
      if (v != VERSION && v != VERSION_1) {
        throw new RegistryException.InvalidInput("unsupported token record version " + v);
      }
      ListId list = ListId.parse(in.readUTF());
      String uri = in.readUTF();
      long version = in.readLong();
      int bits = in.readInt();
      long size = in.readLong();
      long allocated = in.readLong();
      int n = in.readInt();
      if (n < 0 || n > 256) {
        throw new RegistryException.InvalidInput("bad counts length " + n);
      }
      long[] counts = new long[n];
      for (int i = 0; i < n; i++) {
        counts[i] = in.readLong();
      }
      Instant iat = Instant.ofEpochMilli(in.readLong());
      Instant exp = Instant.ofEpochMilli(in.readLong());
      Duration ttl = Duration.ofMillis(in.readLong());
      String kid = in.readUTF();
      String etag = in.readUTF();
      byte[] jwt = readBytes(in);
      byte[] cwt = readBytes(in);
      byte[] w3c = readBytes(in);
      long oldest = in.readLong();
      long folded = v == VERSION_1 ? PublishedToken.UNKNOWN_FOLDED_EVENTS : in.readLong();
      if (folded < PublishedToken.UNKNOWN_FOLDED_EVENTS) {
        throw new RegistryException.InvalidInput("bad folded event count " + folded);
      }
      if (in.available() > 0) {
        throw new RegistryException.InvalidInput("trailing bytes after token record");
      }
      return new PublishedToken(
          list,
          uri,
          version,
          bits,
          size,
          allocated,
          counts,
          iat,
          exp,
          ttl,
          kid,
          etag,
          jwt,
          cwt,
          w3c,
          oldest < 0 ? null : Instant.ofEpochMilli(oldest),
          folded);
    } catch (IOException | RuntimeException e) {
      if (e instanceof RegistryException re) {
        throw re;
      }
      throw new RegistryException.InvalidInput("malformed token record: " + e.getMessage(), e);
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_ARRAY) {
      throw new RegistryException.InvalidInput("bad array length " + n);
    }
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new RegistryException.InvalidInput("token record is truncated");
    }
    return b;
  }
}
