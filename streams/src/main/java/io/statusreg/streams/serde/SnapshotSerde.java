package io.statusreg.streams.serde;

import io.statusreg.common.wire.TokenSerde;
import io.statusreg.common.wire.WireSerde;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * The serde of {@code statusreg.snapshots} values ({@link SnapshotRecord}); keys are strings. The
 * one class that knows the record layout, next to {@link TokenSerde} for tokens; the topic
 * catalogue types the snapshots topic with it, and compaction's snapshot writer and reader (which
 * own the deflated body inside a {@code STATE} or chunks) use it from here. Every value starts with
 * a format version byte ({@value #VERSION}) and a kind byte:
 *
 * <pre>
 * STATE     [1][1][snapshot id: 8][deflated body]
 * MANIFEST  [1][2][snapshot id: 8][chunks: 4][body length: 4][crc32c: 4]
 * CHUNK     [1][3][snapshot id: 8][chunk no: 4][bytes of the deflated body]
 * WATERMARK [1][4][partition: 4][offset: 8][taken at: 8 + 4][interval ms: 8]
 * </pre>
 *
 * Failures are {@link SnapshotFormatException} (a {@link
 * io.statusreg.registry.RegistryException.InvalidInput}).
 */
public final class SnapshotSerde extends WireSerde<SnapshotRecord> {
  public static final byte VERSION = 1;
  static final byte STATE = 1;
  static final byte MANIFEST = 2;
  static final byte CHUNK = 3;
  static final byte WATERMARK = 4;

  @Override
  protected byte[] encode(SnapshotRecord value) {
    return toBytes(value);
  }

  @Override
  protected SnapshotRecord decode(byte[] bytes) {
    return fromBytes(bytes);
  }

  public static byte[] toBytes(SnapshotRecord r) {
    return switch (r) {
      case SnapshotRecord.State s -> {
        byte[] body = s.deflatedBody();
        yield ByteBuffer.allocate(10 + body.length)
            .put(VERSION)
            .put(STATE)
            .putLong(s.snapshotId())
            .put(body)
            .array();
      }
      case SnapshotRecord.Manifest m ->
          ByteBuffer.allocate(22)
              .put(VERSION)
              .put(MANIFEST)
              .putLong(m.snapshotId())
              .putInt(m.chunks())
              .putInt(m.length())
              .putInt(m.crc())
              .array();
      case SnapshotRecord.Chunk c -> {
        byte[] bytes = c.bytes();
        yield ByteBuffer.allocate(14 + bytes.length)
            .put(VERSION)
            .put(CHUNK)
            .putLong(c.snapshotId())
            .putInt(c.index())
            .put(bytes)
            .array();
      }
      case SnapshotRecord.Mark(Watermark w) ->
          ByteBuffer.allocate(2 + 4 + 8 + 12 + 8)
              .put(VERSION)
              .put(WATERMARK)
              .putInt(w.partition())
              .putLong(w.offset())
              .putLong(w.takenAt().getEpochSecond())
              .putInt(w.takenAt().getNano())
              .putLong(w.interval().toMillis())
              .array();
    };
  }

  public static SnapshotRecord fromBytes(byte[] v) {
    if (v.length < 2) {
      throw new SnapshotFormatException("snapshot value of " + v.length + " bytes");
    }
    if (v[0] != VERSION) {
      throw new SnapshotFormatException("unsupported snapshot format version " + v[0]);
    }
    ByteBuffer b = ByteBuffer.wrap(v, 2, v.length - 2);
    try {
      SnapshotRecord r =
          switch (v[1]) {
            case STATE ->
                new SnapshotRecord.State(b.getLong(), Arrays.copyOfRange(v, 10, v.length));
            case MANIFEST ->
                new SnapshotRecord.Manifest(b.getLong(), b.getInt(), b.getInt(), b.getInt());
            case CHUNK ->
                new SnapshotRecord.Chunk(
                    b.getLong(), b.getInt(), Arrays.copyOfRange(v, 14, v.length));
            case WATERMARK ->
                new SnapshotRecord.Mark(
                    new Watermark(
                        b.getInt(),
                        b.getLong(),
                        Instant.ofEpochSecond(b.getLong(), b.getInt()),
                        Duration.ofMillis(b.getLong())));
            default -> throw new SnapshotFormatException("unknown snapshot record kind " + v[1]);
          };
      if (v[1] == MANIFEST || v[1] == WATERMARK) {
        if (b.hasRemaining()) {
          throw new SnapshotFormatException("trailing bytes after a snapshot record");
        }
      }
      return r;
    } catch (BufferUnderflowException | java.time.DateTimeException e) {
      throw new SnapshotFormatException("truncated or corrupt snapshot value", e);
    }
  }
}
