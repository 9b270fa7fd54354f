package io.statusreg.compaction.snapshots;

import io.statusreg.compaction.KafkaAccess;
import io.statusreg.streams.serde.Watermark;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes list snapshots and the partition watermarks they establish to the compacted snapshots
 * topic, all in one Kafka transaction: a reader ({@code read_committed}) sees a whole run or none
 * of it, and a watermark is never visible before the snapshots it vouches for. The fixed
 * transactional id fences a second writer that runs at the same time.
 */
public final class SnapshotWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotWriter.class);

  /** Transactional id of the writer; two concurrent writers fence each other. */
  public static final String TRANSACTIONAL_ID = "statusreg-snapshot-writer";

  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final int maxValueBytes;

  /**
   * @param maxValueBytes largest value to write; bigger snapshots are chunked (keep it below the
   *     topic's {@code max.message.bytes} minus the record overhead)
   */
  public SnapshotWriter(KafkaAccess kafka, String topic, int maxValueBytes) {
    this.producer = kafka.transactionalWriter(TRANSACTIONAL_ID);
    this.topic = topic;
    this.maxValueBytes = maxValueBytes;
  }

  /** What one run wrote. */
  public record Written(int lists, int records, long bytes, int watermarks) {}

  /**
   * Writes {@code snapshots} and then {@code watermarks} in one transaction and waits for it to
   * commit.
   */
  public Written write(
      List<ListSnapshot> snapshots,
      Map<Integer, Long> watermarks,
      Instant takenAt,
      Duration interval) {
    long snapshotId = takenAt.toEpochMilli();
    int records = 0;
    long bytes = 0;
    producer.beginTransaction();
    try {
      for (ListSnapshot s : snapshots) {
        for (SnapshotCodec.Entry e : SnapshotCodec.encode(s, snapshotId, maxValueBytes)) {
          producer.send(new ProducerRecord<>(topic, e.key(), e.value()));
          records++;
          bytes += e.value().length;
        }
      }
      Future<RecordMetadata> last = null;
      for (Map.Entry<Integer, Long> w : watermarks.entrySet()) {
        SnapshotCodec.Entry e =
            SnapshotCodec.encode(new Watermark(w.getKey(), w.getValue(), takenAt, interval));
        last = producer.send(new ProducerRecord<>(topic, e.key(), e.value()));
        records++;
      }
      producer.commitTransaction();
      if (last != null) {
        last.get(60, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      producer.abortTransaction();
      throw new IllegalStateException("interrupted while writing snapshots", e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      try {
        producer.abortTransaction();
      } catch (RuntimeException abort) {
        e.addSuppressed(abort);
      }
      throw new IllegalStateException("writing snapshots to " + topic, e);
    }
    LOG.info(
        "wrote {} list snapshots ({} records, {} bytes) and {} watermarks to {}",
        snapshots.size(),
        records,
        bytes,
        watermarks.size(),
        topic);
    return new Written(snapshots.size(), records, bytes, watermarks.size());
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }
}
