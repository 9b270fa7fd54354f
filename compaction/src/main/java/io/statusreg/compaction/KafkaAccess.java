package io.statusreg.compaction;

import io.statusreg.common.KafkaSecurity;
import io.statusreg.streams.StreamsSettings;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How the SRE tools reach Kafka: the bootstrap servers and the clients built on them. Consumers
 * here never join a group: they are assigned partitions by hand, commit nothing, and read only
 * committed records, so a tool can never disturb the live application's group or offsets.
 */
public record KafkaAccess(String bootstrapServers, Map<String, Object> extra) {
  public KafkaAccess {
    extra = Map.copyOf(extra);
  }

  public static KafkaAccess of(String bootstrapServers) {
    return new KafkaAccess(bootstrapServers, Map.of());
  }

  /** The registry's bootstrap servers and Kafka security ({@link KafkaSecurity}). */
  public static KafkaAccess of(StreamsSettings settings) {
    return new KafkaAccess(
        settings.bootstrapServers(), settings.kafkaSecurity().clientProperties());
  }

  @Override
  public String toString() {
    return "KafkaAccess[" + bootstrapServers + ", extra=" + extra.keySet() + "]";
  }

  /**
   * The bootstrap servers of {@link ToolSettings}: {@code --bootstrap-servers}, else {@code
   * STATUSREG_KAFKA_BOOTSTRAP_SERVERS}, else {@code kafka.bootstrap.servers} in {@code --config},
   * else what {@code statusreg dev} wrote to {@code <data-dir>/kafka/bootstrap}, else the
   * registry's default; the last two are announced on {@code notices}.
   */
  public static KafkaAccess resolve(CliArgs args, Map<String, String> env, PrintStream notices) {
    return of(ToolSettings.read(args, env, notices));
  }

  /** What every client of the tools is configured with: bootstrap, security, a client id. */
  Map<String, Object> common() {
    Map<String, Object> p = new HashMap<>(extra);
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(CommonClientConfigs.CLIENT_ID_CONFIG, "statusreg-sre-" + UUID.randomUUID());
    return p;
  }

  public Admin admin() {
    Map<String, Object> p = common();
    p.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
    return Admin.create(p);
  }

  /**
   * A consumer for manual assignment: no group, no commits, {@code read_committed}, large fetches
   * (replay reads whole topics).
   */
  public KafkaConsumer<String, byte[]> reader() {
    Map<String, Object> p = common();
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
    return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /** An idempotent, transactional producer ({@code acks=all}). */
  public KafkaProducer<String, byte[]> transactionalWriter(String transactionalId) {
    Map<String, Object> p = common();
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
    KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    producer.initTransactions();
    return producer;
  }
}
