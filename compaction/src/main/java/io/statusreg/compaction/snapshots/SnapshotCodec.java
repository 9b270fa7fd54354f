package io.statusreg.compaction.snapshots;

import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.fold.ListMeta;
import io.statusreg.registry.identifiers.ListKind;
import io.statusreg.registry.issuance.IndexPermutation;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.streams.serde.SnapshotFormatException;
import io.statusreg.streams.serde.SnapshotRecord;
import io.statusreg.streams.serde.SnapshotSerde;
import io.statusreg.streams.serde.Watermark;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.CRC32C;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * How list snapshots become records of {@code statusreg.snapshots} ({@link SnapshotRecord}, written
 * by {@link SnapshotSerde}) and back. A body that fits in one record is a {@link
 * SnapshotRecord.State}; a larger one is split into {@link SnapshotRecord.Chunk}s written before
 * its {@link SnapshotRecord.Manifest} in the same transaction, and a reader accepts chunks only
 * with the manifest's snapshot id and checksum. The body (deflated as a whole) holds the registry's
 * own {@link ListMeta} fields and {@link StatusList} pages: list key, metadata, events coordinates,
 * last and recent event ids, then each non-empty page as page number + 4096 bytes. Keys of chunks
 * and watermarks contain {@code #} or no {@code /}, so they never collide with a list key.
 */
public final class SnapshotCodec {
  public static final String WATERMARK_PREFIX = "~watermark-";
  public static final String CHUNK_SEPARATOR = "#chunk-";

  /** Bytes a STATE value adds to its body; a CHUNK adds 4 more. */
  private static final int STATE_OVERHEAD = 10;

  private static final int CHUNK_OVERHEAD = 14;

  /** Tag of the body's optional trailer after the pages: the list's {@link ListKind} code. */
  private static final int KIND_TRAILER = 1;

  private SnapshotCodec() {}

  /** One record to write: key and value (a {@code null} value is a tombstone). */
  public record Entry(String key, byte[] value) {}

  /** The records of one list's snapshot: one STATE, or CHUNKs then a MANIFEST. */
  public static List<Entry> encode(ListSnapshot snapshot, long snapshotId, int maxValueBytes) {
    byte[] body = deflate(body(snapshot));
    String key = snapshot.listId().key();
    if (body.length + STATE_OVERHEAD <= maxValueBytes) {
      return List.of(
          new Entry(key, SnapshotSerde.toBytes(new SnapshotRecord.State(snapshotId, body))));
    }
    int chunkBytes = maxValueBytes - CHUNK_OVERHEAD;
    if (chunkBytes < 1024) {
      throw new IllegalArgumentException("max value size " + maxValueBytes + " is too small");
    }
    List<Entry> out = new ArrayList<>();
    int chunks = (body.length + chunkBytes - 1) / chunkBytes;
    for (int n = 0; n < chunks; n++) {
      int from = n * chunkBytes;
      int to = Math.min(body.length, from + chunkBytes);
      SnapshotRecord.Chunk c =
          new SnapshotRecord.Chunk(snapshotId, n, Arrays.copyOfRange(body, from, to));
      out.add(new Entry(chunkKey(key, n), SnapshotSerde.toBytes(c)));
    }
    SnapshotRecord.Manifest m =
        new SnapshotRecord.Manifest(snapshotId, chunks, body.length, crc(body));
    out.add(new Entry(key, SnapshotSerde.toBytes(m)));
    return out;
  }

  public static String chunkKey(String listKey, int n) {
    return listKey + CHUNK_SEPARATOR + n;
  }

  public static Entry encode(Watermark w) {
    return new Entry(
        watermarkKey(w.partition()), SnapshotSerde.toBytes(new SnapshotRecord.Mark(w)));
  }

  public static String watermarkKey(int partition) {
    return WATERMARK_PREFIX + partition;
  }

  static int crc(byte[] body) {
    CRC32C crc = new CRC32C();
    crc.update(body);
    return (int) crc.getValue();
  }

  /** A snapshot's body, uncompressed: what digests of rebuilt state are computed over. */
  public static byte[] rawBody(ListSnapshot s) {
    return body(s);
  }

  /** Serialises a snapshot's body (uncompressed). */
  static byte[] body(ListSnapshot s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      ListMeta m = s.meta();
      out.writeUTF(m.listId().key());
      out.writeByte(m.bits());
      out.writeLong(m.size());
      writeDuration(out, m.ttl());
      writeDuration(out, m.validity());
      out.writeUTF(m.purpose().code());
      out.writeLong(m.permutationKey().k0());
      out.writeLong(m.permutationKey().k1());
      out.writeLong(m.cursor());
      out.writeBoolean(m.full());
      out.writeBoolean(m.retired());
      out.writeLong(m.version());
      out.writeLong(m.ignored());
      writeInstant(out, m.createdAt());
      writeInstant(out, m.updatedAt());
      out.writeInt(s.partition());
      out.writeLong(s.nextOffset());
      out.writeLong(s.lastEventOffset());
      writeInstant(out, s.takenAt());
      out.writeBoolean(s.lastEventId().isPresent());
      if (s.lastEventId().isPresent()) {
        writeId(out, s.lastEventId().get());
      }
      out.writeInt(s.recentEventIds().size());
      for (EventId id : s.recentEventIds()) {
        writeId(out, id);
      }
      StatusList entries = s.entries();
      int[] present = new int[entries.pageCount()];
      int[] count = {0};
      entries.forEachPage(p -> present[count[0]++] = p);
      out.writeInt(entries.pageCount());
      out.writeInt(count[0]);
      for (int i = 0; i < count[0]; i++) {
        out.writeInt(present[i]);
        out.write(entries.page(present[i]));
      }
      // The list's kind, after the pages and only when it is not a status list: a status list's
      // body stays byte for byte what earlier releases wrote (and read).
      if (m.kind() != ListKind.STATUS_LIST) {
        out.writeByte(KIND_TRAILER);
        out.writeUTF(m.kind().code());
      }
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory", e);
    }
    return bytes.toByteArray();
  }

  /** Reads a snapshot from its deflated body. */
  static ListSnapshot fromDeflatedBody(byte[] deflated) {
    try (DataInputStream in =
        new DataInputStream(
            new InflaterInputStream(new java.io.ByteArrayInputStream(deflated), newInflater()))) {
      ListId list = ListId.parse(in.readUTF());
      int bits = in.readUnsignedByte();
      long size = in.readLong();
      Duration ttl = readDuration(in);
      Duration validity = readDuration(in);
      Purpose purpose = Purpose.parse(in.readUTF());
      IndexPermutation.Key key = new IndexPermutation.Key(in.readLong(), in.readLong());
      long cursor = in.readLong();
      boolean full = in.readBoolean();
      boolean retired = in.readBoolean();
      long version = in.readLong();
      long ignored = in.readLong();
      Instant createdAt = readInstant(in);
      Instant updatedAt = readInstant(in);
      int partition = in.readInt();
      long nextOffset = in.readLong();
      long lastEventOffset = in.readLong();
      Instant takenAt = readInstant(in);
      Optional<EventId> last = in.readBoolean() ? Optional.of(readId(in)) : Optional.empty();
      int recent = in.readInt();
      if (recent < 0 || recent > 1_000_000) {
        throw new SnapshotFormatException("bad recent event count " + recent);
      }
      List<EventId> ids = new ArrayList<>(recent);
      for (int i = 0; i < recent; i++) {
        ids.add(readId(in));
      }
      int pageCount = in.readInt();
      StatusList entries = StatusList.empty(bits, size);
      if (pageCount != entries.pageCount()) {
        throw new SnapshotFormatException(
            "snapshot of "
                + list
                + " has "
                + pageCount
                + " pages, expected "
                + entries.pageCount());
      }
      int present = in.readInt();
      for (int i = 0; i < present; i++) {
        int p = in.readInt();
        byte[] page = new byte[StatusList.PAGE_BYTES];
        in.readFully(page);
        entries = entries.withPage(p, page);
      }
      // A body without the kind trailer is a status list's (or one written before the trailer).
      ListKind kind = ListKind.STATUS_LIST;
      int trailer = in.read();
      if (trailer == KIND_TRAILER) {
        kind = ListKind.parse(in.readUTF());
      } else if (trailer != -1) {
        throw new SnapshotFormatException(
            "snapshot of " + list + " has an unknown trailer " + trailer + " after its pages");
      }
      ListMeta meta =
          new ListMeta(
              list, bits, size, ttl, validity, purpose, key, cursor, full, retired, version,
              ignored, createdAt, updatedAt, kind);
      return new ListSnapshot(
          meta, entries, partition, nextOffset, lastEventOffset, last, ids, takenAt);
    } catch (IOException | RuntimeException e) {
      if (e instanceof SnapshotFormatException f) {
        throw f;
      }
      throw new SnapshotFormatException("unreadable snapshot body: " + e.getMessage(), e);
    }
  }

  private static java.util.zip.Inflater newInflater() {
    return new java.util.zip.Inflater();
  }

  static byte[] deflate(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, raw.length / 8));
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
    try (DeflaterOutputStream d = new DeflaterOutputStream(out, deflater, 64 * 1024)) {
      d.write(raw);
    } catch (IOException e) {
      throw new IllegalStateException("deflating in memory", e);
    } finally {
      deflater.end();
    }
    return out.toByteArray();
  }

  private static void writeId(DataOutputStream out, EventId id) throws IOException {
    out.writeLong(id.value().getMostSignificantBits());
    out.writeLong(id.value().getLeastSignificantBits());
  }

  private static EventId readId(DataInputStream in) throws IOException {
    return new EventId(new UUID(in.readLong(), in.readLong()));
  }

  private static void writeInstant(DataOutputStream out, Instant t) throws IOException {
    out.writeLong(t.getEpochSecond());
    out.writeInt(t.getNano());
  }

  private static Instant readInstant(DataInputStream in) throws IOException {
    return Instant.ofEpochSecond(in.readLong(), in.readInt());
  }

  private static void writeDuration(DataOutputStream out, Duration d) throws IOException {
    out.writeLong(d.getSeconds());
    out.writeInt(d.getNano());
  }

  private static Duration readDuration(DataInputStream in) throws IOException {
    return Duration.ofSeconds(in.readLong(), in.readInt());
  }
}
