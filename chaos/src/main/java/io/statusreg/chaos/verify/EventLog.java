package io.statusreg.chaos.verify;

import io.statusreg.compaction.KafkaAccess;
import io.statusreg.registry.events.EventCodec;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.events.StatusChanged;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * The event log ({@code statusreg.events}) read from the beginning to its end, committed records
 * only, as an auditor would fold it: every status change with its event id, and every id seen more
 * than once.
 */
public record EventLog(
    List<StatusChanged> statusChanges,
    Map<String, Integer> idCounts,
    long records,
    long unreadable) {

  public static final String TOPIC = "statusreg.events";

  /**
   * Reads the log with {@code kafka}'s reader (manual assignment, no group, {@code read_committed},
   * the settings' Kafka security).
   */
  public static EventLog read(KafkaAccess kafka, Duration timeout) {
    List<StatusChanged> changes = new ArrayList<>();
    Map<String, Integer> ids = new HashMap<>();
    long records = 0;
    long unreadable = 0;
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<String, byte[]> consumer = kafka.reader()) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(TOPIC, timeout)) {
        partitions.add(new TopicPartition(TOPIC, info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      while (!caughtUp(consumer, end)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "reading " + TOPIC + " did not reach its end within " + timeout);
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          records++;
          RegistryEvent event;
          try {
            event = EventCodec.decode(r.value());
          } catch (RuntimeException e) {
            unreadable++;
            continue;
          }
          ids.merge(event.id().toString(), 1, Integer::sum);
          if (event instanceof StatusChanged c) {
            changes.add(c);
          }
        }
      }
    }
    return new EventLog(List.copyOf(changes), Map.copyOf(ids), records, unreadable);
  }

  private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** Event ids that occur more than once. */
  public List<String> duplicateIds() {
    return idCounts.entrySet().stream()
        .filter(e -> e.getValue() > 1)
        .map(Map.Entry::getKey)
        .toList();
  }
}
