package io.statusreg.kraft;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for the integration tests: idempotent acks=all writes and full reads. */
final class ClusterClient {
  private ClusterClient() {}

  /**
   * Creates the topic and waits until every partition has a leader in the metadata a client sees,
   * through one admin client.
   */
  static void createTopic(KafkaCluster cluster, NewTopic topic) throws Exception {
    try (Admin admin = Admin.create(cluster.clientConfig())) {
      admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!describe(admin, topic.name()).partitions().stream()
          .allMatch(p -> p.leader() != null)) {
        if (System.nanoTime() - deadline > 0) {
          throw new AssertionError("topic " + topic.name() + " has no leader for every partition");
        }
        Thread.sleep(100);
      }
    }
  }

  static TopicDescription describe(KafkaCluster cluster, String topic) throws Exception {
    try (Admin admin = Admin.create(cluster.clientConfig())) {
      return describe(admin, topic);
    }
  }

  /**
   * Describes a topic, asking again while the broker answering has not read its creation yet: the
   * controller acknowledges a creation before every broker has it from the metadata log, so a
   * describe right after it may meet one that answers UnknownTopicOrPartition.
   */
  private static TopicDescription describe(Admin admin, String topic) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return admin
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get(30, TimeUnit.SECONDS)
            .get(topic);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() - deadline > 0) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  static KafkaProducer<String, String> producer(KafkaCluster cluster) {
    Map<String, Object> config = new HashMap<>(cluster.clientConfig());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    return new KafkaProducer<>(config);
  }

  /** Sends {@code prefix-from .. prefix-(to-1)} and returns the values Kafka acknowledged. */
  static List<String> sendAll(
      KafkaProducer<String, String> producer, String topic, String prefix, int from, int to)
      throws Exception {
    List<String> values = IntStream.range(from, to).mapToObj(i -> prefix + "-" + i).toList();
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    for (String value : values) {
      acks.add(producer.send(new ProducerRecord<>(topic, value, value)));
    }
    for (Future<RecordMetadata> ack : acks) {
      ack.get(90, TimeUnit.SECONDS);
    }
    return values;
  }

  /**
   * Every value in {@code topic} from the beginning, read until {@code expected} or the timeout.
   */
  static List<String> readAll(KafkaCluster cluster, String topic, int expected, Duration timeout) {
    Map<String, Object> config = new HashMap<>(cluster.clientConfig());
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(PartitionInfo::partition)
              .map(p -> new TopicPartition(topic, p))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          values.add(record.value());
        }
      }
    }
    return values;
  }
}
