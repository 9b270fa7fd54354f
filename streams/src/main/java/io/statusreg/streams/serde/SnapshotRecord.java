package io.statusreg.streams.serde;

import java.util.Arrays;

/**
 * One value of {@code statusreg.snapshots}, as {@link SnapshotSerde} reads and writes it. A list's
 * snapshot is one {@link State}, or {@link Chunk}s followed by their {@link Manifest} in the same
 * transaction; a {@link Mark} records how far a run covered one events partition.
 */
public sealed interface SnapshotRecord {

  /**
   * A whole snapshot: the deflated body (its layout belongs to compaction's {@code SnapshotCodec}).
   * Key: the list key.
   */
  record State(long snapshotId, byte[] deflatedBody) implements SnapshotRecord {
    public State {
      deflatedBody = deflatedBody.clone();
    }

    @Override
    public byte[] deflatedBody() {
      return deflatedBody.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof State s
          && s.snapshotId == snapshotId
          && Arrays.equals(s.deflatedBody, deflatedBody);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(snapshotId) * 31 + Arrays.hashCode(deflatedBody);
    }

    @Override
    public String toString() {
      return "State[" + snapshotId + ", " + deflatedBody.length + " bytes]";
    }
  }

  /**
   * Joins a chunked snapshot: chunk count, length and CRC32C of the deflated body. Key: the list
   * key.
   */
  record Manifest(long snapshotId, int chunks, int length, int crc) implements SnapshotRecord {}

  /** Part {@code index} of a chunked body. Key: {@code <list key>#chunk-<index>}. */
  record Chunk(long snapshotId, int index, byte[] bytes) implements SnapshotRecord {
    public Chunk {
      bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Chunk c
          && c.snapshotId == snapshotId
          && c.index == index
          && Arrays.equals(c.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return (Long.hashCode(snapshotId) * 31 + index) * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Chunk[" + snapshotId + ", " + index + ", " + bytes.length + " bytes]";
    }
  }

  /** A partition watermark. Key: {@code ~watermark-<partition>}. */
  record Mark(Watermark watermark) implements SnapshotRecord {}
}
