package io.statusreg.compaction;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/** Reads every partition of a topic from given offsets to its end offsets, with a bounded wait. */
public final class LogScan {
  private LogScan() {}

  /** The partitions of {@code topic}, sorted; fails when the topic does not exist. */
  public static List<TopicPartition> partitions(
      KafkaConsumer<?, ?> consumer, String topic, Duration timeout) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException("topic " + topic + " does not exist");
    }
    List<TopicPartition> out = new ArrayList<>();
    for (PartitionInfo p : infos) {
      out.add(new TopicPartition(topic, p.partition()));
    }
    out.sort(java.util.Comparator.comparingInt(TopicPartition::partition));
    return out;
  }

  /**
   * Reads {@code partitions} from {@code start} (earliest where absent) up to the end offsets seen
   * when the scan begins (the last stable offsets for a {@code read_committed} consumer), handing
   * every record to {@code sink}. Returns the end offsets reached.
   */
  public static Map<TopicPartition, Long> readToEnd(
      KafkaConsumer<String, byte[]> consumer,
      List<TopicPartition> partitions,
      Map<TopicPartition, Long> start,
      Duration timeout,
      Consumer<ConsumerRecord<String, byte[]>> sink) {
    consumer.assign(partitions);
    Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, timeout);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
    List<TopicPartition> open = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      long from = Math.max(begin.get(tp), start.getOrDefault(tp, 0L));
      consumer.seek(tp, from);
      if (from < end.get(tp)) {
        open.add(tp);
      }
    }
    Instant deadline = Instant.now().plus(timeout);
    Map<TopicPartition, Long> reached = new HashMap<>(end);
    consumer.pause(partitions);
    consumer.resume(open);
    while (!open.isEmpty()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "reading " + open + " did not reach the end offsets within " + timeout);
      }
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        if (r.offset() < end.get(tp)) {
          sink.accept(r);
        }
      }
      open.removeIf(
          tp -> {
            boolean done = consumer.position(tp) >= end.get(tp);
            if (done) {
              consumer.pause(List.of(tp));
            }
            return done;
          });
    }
    return reached;
  }
}
