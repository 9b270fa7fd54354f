package io.statusreg.compaction.snapshots;

import io.statusreg.compaction.KafkaAccess;
import io.statusreg.compaction.LogScan;
import io.statusreg.registry.ListId;
import io.statusreg.registry.RegistryException;
import io.statusreg.streams.serde.SnapshotFormatException;
import io.statusreg.streams.serde.SnapshotRecord;
import io.statusreg.streams.serde.SnapshotRecord.Chunk;
import io.statusreg.streams.serde.SnapshotRecord.Manifest;
import io.statusreg.streams.serde.SnapshotRecord.Mark;
import io.statusreg.streams.serde.SnapshotRecord.State;
import io.statusreg.streams.serde.SnapshotSerde;
import io.statusreg.streams.serde.Watermark;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Loads the latest snapshot of every list from the compacted snapshots topic: reads it to its end
 * ({@code read_committed}, no group), keeps the last value per key, then joins chunked snapshots. A
 * record that cannot be read is reported, never fatal: the list is then rebuilt from events.
 */
public final class SnapshotReader {
  private final KafkaAccess kafka;
  private final String topic;
  private final Duration timeout;

  public SnapshotReader(KafkaAccess kafka, String topic, Duration timeout) {
    this.kafka = kafka;
    this.topic = topic;
    this.timeout = timeout;
  }

  /** The snapshots, or an empty set when the topic does not exist. */
  public SnapshotSet load() {
    Map<String, byte[]> latest = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = kafka.reader()) {
      List<TopicPartition> partitions;
      try {
        partitions = LogScan.partitions(consumer, topic, timeout);
      } catch (IllegalStateException e) {
        return new SnapshotSet(Map.of(), Map.of(), List.of("topic " + topic + " does not exist"));
      }
      LogScan.readToEnd(
          consumer,
          partitions,
          Map.of(),
          timeout,
          r -> {
            if (r.key() == null) {
              return;
            }
            if (r.value() == null) {
              latest.remove(r.key());
            } else {
              latest.put(r.key(), r.value());
            }
          });
    }
    return assemble(latest);
  }

  /** Builds the snapshot set from the latest value of every key. */
  public static SnapshotSet assemble(Map<String, byte[]> latest) {
    Map<ListId, ListSnapshot> lists = new HashMap<>();
    Map<Integer, Watermark> marks = new HashMap<>();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : latest.entrySet()) {
      String key = e.getKey();
      if (key.contains(SnapshotCodec.CHUNK_SEPARATOR)) {
        continue;
      }
      try {
        SnapshotRecord v = SnapshotSerde.fromBytes(e.getValue());
        switch (v) {
          case Mark m -> marks.put(m.watermark().partition(), m.watermark());
          case State s -> put(lists, key, SnapshotCodec.fromDeflatedBody(s.deflatedBody()));
          case Manifest m -> put(lists, key, join(key, m, latest));
          case Chunk c -> problems.add(key + ": a chunk stored under a list key");
        }
      } catch (RegistryException ex) {
        problems.add(key + ": " + ex.getMessage());
      }
    }
    return new SnapshotSet(lists, marks, problems);
  }

  private static void put(Map<ListId, ListSnapshot> lists, String key, ListSnapshot s) {
    if (!s.listId().key().equals(key)) {
      throw new SnapshotFormatException("snapshot of " + s.listId() + " stored under key " + key);
    }
    lists.put(s.listId(), s);
  }

  private static ListSnapshot join(String key, Manifest m, Map<String, byte[]> latest) {
    ByteArrayOutputStream body = new ByteArrayOutputStream(m.length());
    for (int n = 0; n < m.chunks(); n++) {
      byte[] raw = latest.get(SnapshotCodec.chunkKey(key, n));
      if (raw == null) {
        throw new SnapshotFormatException("chunk " + n + " of " + m.chunks() + " is missing");
      }
      if (!(SnapshotSerde.fromBytes(raw) instanceof Chunk c)
          || c.snapshotId() != m.snapshotId()
          || c.index() != n) {
        throw new SnapshotFormatException(
            "chunk " + n + " belongs to another snapshot than the manifest's " + m.snapshotId());
      }
      body.writeBytes(c.bytes());
    }
    byte[] joined = body.toByteArray();
    if (joined.length != m.length() || SnapshotCodec.crc(joined) != m.crc()) {
      throw new SnapshotFormatException("chunked snapshot fails its length or checksum");
    }
    return SnapshotCodec.fromDeflatedBody(joined);
  }
}
