package io.statusreg.compaction.snapshots;

import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.fold.ListMeta;
import io.statusreg.registry.issuance.IndexPermutation;
import io.statusreg.registry.lists.StatusList;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
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
 * The wire format of {@code statusreg.snapshots}. Every value starts with a format version byte
 * ({@value #VERSION}) and a kind byte:
 *
 * <pre>
 * STATE     key = list key            [1][1][snapshot id: 8][deflated body]
 * MANIFEST  key = list key            [1][2][snapshot id: 8][chunks: 4][body length: 4][crc32c: 4]
 * CHUNK     key = list key#chunk-N    [1][3][snapshot id: 8][chunk no: 4][bytes of the deflated body]
 * WATERMARK key = ~watermark-P        [1][4][partition: 4][offset: 8][taken at: 12][interval ms: 8]
 * </pre>
 *
 * A body that fits in one record is a STATE value; a larger one is split into CHUNKs written before
 * its MANIFEST in the same transaction, and a reader accepts chunks only with the manifest's
 * snapshot id and checksum. The body (deflated as a whole): list key, metadata, events coordinates,
 * last and recent event ids, then each non-empty page as page number + 4096 bytes. Keys of chunks
 * and watermarks contain {@code #} or no {@code /}, so they never collide with a list key.
 */
public final class SnapshotCodec {
  public static final byte VERSION = 1;
  static final byte STATE = 1;
  static final byte MANIFEST = 2;
  static final byte CHUNK = 3;
  static final byte WATERMARK = 4;

  public static final String WATERMARK_PREFIX = "~watermark-";
  public static final String CHUNK_SEPARATOR = "#chunk-";

  private SnapshotCodec() {}

  /** One record to write: key and value (a {@code null} value is a tombstone). */
  public record Entry(String key, byte[] value) {}

  /** The records of one list's snapshot: one STATE, or CHUNKs then a MANIFEST. */
  public static List<Entry> encode(ListSnapshot snapshot, long snapshotId, int maxValueBytes) {
    byte[] body = deflate(body(snapshot));
    String key = snapshot.listId().key();
    if (body.length + 10 <= maxValueBytes) {
      ByteBuffer b = ByteBuffer.allocate(10 + body.length);
      b.put(VERSION).put(STATE).putLong(snapshotId).put(body);
      return List.of(new Entry(key, b.array()));
    }
    int chunkBytes = maxValueBytes - 14;
    if (chunkBytes < 1024) {
      throw new IllegalArgumentException("max value size " + maxValueBytes + " is too small");
    }
    List<Entry> out = new ArrayList<>();
    int chunks = (body.length + chunkBytes - 1) / chunkBytes;
    for (int n = 0; n < chunks; n++) {
      int from = n * chunkBytes;
      int to = Math.min(body.length, from + chunkBytes);
      ByteBuffer b = ByteBuffer.allocate(14 + to - from);
      b.put(VERSION).put(CHUNK).putLong(snapshotId).putInt(n).put(body, from, to - from);
      out.add(new Entry(chunkKey(key, n), b.array()));
    }
    CRC32C crc = new CRC32C();
    crc.update(body);
    ByteBuffer m = ByteBuffer.allocate(22);
    m.put(VERSION).put(MANIFEST).putLong(snapshotId).putInt(chunks).putInt(body.length);
    m.putInt((int) crc.getValue());
    out.add(new Entry(key, m.array()));
    return out;
  }

  public static String chunkKey(String listKey, int n) {
    return listKey + CHUNK_SEPARATOR + n;
  }

  public static Entry encode(Watermark w) {
    ByteBuffer b = ByteBuffer.allocate(2 + 4 + 8 + 12 + 8);
    b.put(VERSION).put(WATERMARK).putInt(w.partition()).putLong(w.offset());
    b.putLong(w.takenAt().getEpochSecond()).putInt(w.takenAt().getNano());
    b.putLong(w.interval().toMillis());
    return new Entry(watermarkKey(w.partition()), b.array());
  }

  public static String watermarkKey(int partition) {
    return WATERMARK_PREFIX + partition;
  }

  /** A decoded value, before chunks are joined. */
  sealed interface Value {}

  record State(long snapshotId, byte[] deflatedBody) implements Value {}

  record Manifest(long snapshotId, int chunks, int length, int crc) implements Value {}

  record Chunk(long snapshotId, int index, byte[] bytes) implements Value {}

  record Mark(Watermark watermark) implements Value {}

  static Value decodeValue(byte[] v) {
    if (v.length < 2) {
      throw new SnapshotFormatException("snapshot value of " + v.length + " bytes");
    }
    if (v[0] != VERSION) {
      throw new SnapshotFormatException("unsupported snapshot format version " + v[0]);
    }
    ByteBuffer b = ByteBuffer.wrap(v, 2, v.length - 2);
    try {
      return switch (v[1]) {
        case STATE -> new State(b.getLong(), Arrays.copyOfRange(v, 10, v.length));
        case MANIFEST -> new Manifest(b.getLong(), b.getInt(), b.getInt(), b.getInt());
        case CHUNK -> new Chunk(b.getLong(), b.getInt(), Arrays.copyOfRange(v, 14, v.length));
        case WATERMARK ->
            new Mark(
                new Watermark(
                    b.getInt(),
                    b.getLong(),
                    Instant.ofEpochSecond(b.getLong(), b.getInt()),
                    Duration.ofMillis(b.getLong())));
        default -> throw new SnapshotFormatException("unknown snapshot record kind " + v[1]);
      };
    } catch (java.nio.BufferUnderflowException e) {
      throw new SnapshotFormatException("truncated snapshot value", e);
    }
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
      ListMeta meta =
          new ListMeta(
              list, bits, size, ttl, validity, purpose, key, cursor, full, retired, version,
              ignored, createdAt, updatedAt);
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

  /** A snapshot record that cannot be read. */
  public static final class SnapshotFormatException extends RuntimeException {
    public SnapshotFormatException(String message) {
      super(message);
    }

    public SnapshotFormatException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
