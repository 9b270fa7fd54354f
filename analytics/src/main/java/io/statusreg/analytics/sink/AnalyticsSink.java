package io.statusreg.analytics.sink;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.statusreg.analytics.AnalyticsSettings;
import io.statusreg.analytics.schema.Migrator;
import io.statusreg.common.TopicCatalogue;
import io.statusreg.common.wire.DeadLetters;
import io.statusreg.common.wire.PublishedToken;
import io.statusreg.common.wire.TokenSerde;
import io.statusreg.registry.events.EventCodec;
import io.statusreg.registry.events.RegistryEvent;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ClickHouse sink: a consumer in group {@code analytics.group.id} reading {@code
 * statusreg.events} and {@code statusreg.tokens} with {@code read_committed}, batching records by
 * count ({@code analytics.batch.rows}) and time ({@code analytics.batch.max.wait.ms}), inserting
 * each batch with clickhouse-jdbc, and committing offsets only after the insert succeeded.
 *
 * <p>At-least-once into ClickHouse, exactly once as read: a crash between insert and commit inserts
 * the batch again after the restart, and the tables' ReplacingMergeTree keys (event id; list and
 * version) collapse the copies (queries read with {@code FINAL}). When ClickHouse is down the batch
 * is kept, consumption is paused (memory stays bounded by one batch), inserts are retried with
 * exponential back-off up to {@code analytics.retry.max.backoff.ms}, and the lag metric grows;
 * nothing is lost and the registry does not notice. A record it cannot read goes to the dead-letter
 * topic ({@code analytics.topic.dlq}) with its key, value and headers plus the {@link DeadLetters}
 * headers topic, partition, offset and error, is counted, and is skipped. The dead-letter write is
 * acknowledged before the sink reads on, so no record is dropped unseen: when it fails even after
 * the producer's retries, the sink stops (nothing past the record is committed). A crash before the
 * next commit dead-letters the record again after the restart (same coordinates).
 *
 * <pre>{@code
 * try (AnalyticsSink sink = AnalyticsSink.start(AnalyticsSettings.from(settings), meters)) { ... }
 * }</pre>
 */
public final class AnalyticsSink implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AnalyticsSink.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_POLL = Duration.ofMillis(200);
  private static final Duration LAG_REFRESH = Duration.ofSeconds(1);
  private static final Duration DEAD_LETTER_TIMEOUT = Duration.ofSeconds(60);

  /** How to run: the clock, where metrics go, and test hooks. */
  public record Options(Clock clock, MeterRegistry meters, SinkHooks hooks) {
    public Options {
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(meters, "meters");
      Objects.requireNonNull(hooks, "hooks");
    }

    public static Options defaults(MeterRegistry meters) {
      return new Options(Clock.systemUTC(), meters, SinkHooks.NONE);
    }

    public Options withHooks(SinkHooks newHooks) {
      return new Options(clock, meters, newHooks);
    }
  }

  private final AnalyticsSettings settings;
  private final Options options;
  private final SinkMetrics metrics;
  private final ClickHouseWriter writer;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> deadLetters;
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicReference<Throwable> crash = new AtomicReference<>();
  private volatile boolean running = true;
  private volatile boolean failing;

  // loop state, touched by the sink thread only
  private final List<ClickHouseWriter.Row> buffer = new ArrayList<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  private long firstBufferedAt;
  private long nextAttemptAt;
  private Duration backoff = FIRST_BACKOFF;
  private boolean paused;
  private long nextLagRefresh;

  private AnalyticsSink(AnalyticsSettings settings, Options options) {
    this.settings = settings;
    this.options = options;
    this.metrics = new SinkMetrics(options.meters());
    this.writer = new ClickHouseWriter(jdbcUrl(settings), jdbcProperties(settings));
    this.consumer = new KafkaConsumer<>(consumerConfig(settings));
    this.deadLetters = new KafkaProducer<>(producerConfig(settings));
    this.thread = Thread.ofPlatform().name("analytics-sink").unstarted(this::run);
  }

  /**
   * Applies pending schema migrations, then starts consuming on a thread of its own.
   *
   * @throws io.statusreg.analytics.schema.MigrationException when the schema cannot be migrated
   *     (ClickHouse unreachable, or an applied migration was edited)
   */
  public static AnalyticsSink start(AnalyticsSettings settings, Options options) {
    migrate(settings);
    AnalyticsSink sink = new AnalyticsSink(settings, options);
    sink.thread.start();
    log.info("analytics sink started: {}", settings);
    return sink;
  }

  /** {@link #start(AnalyticsSettings, Options)} with the system clock and no hooks. */
  public static AnalyticsSink start(AnalyticsSettings settings, MeterRegistry meters) {
    return start(settings, Options.defaults(meters));
  }

  /** {@link #start(AnalyticsSettings, MeterRegistry)} with metrics kept to itself. */
  public static AnalyticsSink start(AnalyticsSettings settings) {
    return start(settings, new SimpleMeterRegistry());
  }

  /** Applies the built-in migrations to the database of {@code analytics.jdbc.url}. */
  public static void migrate(AnalyticsSettings settings) {
    Migrator.createDatabaseIfMissing(jdbcUrl(settings), jdbcProperties(settings));
    try (Connection c = DriverManager.getConnection(jdbcUrl(settings), jdbcProperties(settings))) {
      Migrator.builtIn().migrate(c);
    } catch (SQLException e) {
      throw new io.statusreg.analytics.schema.MigrationException(
          "connecting to ClickHouse at " + jdbcUrl(settings) + ": " + e.getMessage(), e);
    }
  }

  /** The thread is running and has not crashed. */
  public boolean isLive() {
    return thread.isAlive() && crash.get() == null;
  }

  /** Live, and the last insert attempt (if any) succeeded. */
  public boolean isReady() {
    return isLive() && !failing;
  }

  /** What stopped the sink's thread, if it stopped by failing. */
  public Throwable crashCause() {
    return crash.get();
  }

  /** Waits for the thread to end (after {@link #close()} or a crash); true when it did. */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Writes what is buffered if ClickHouse takes it, commits, leaves the group, and stops. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      if (!stopped.await(30, TimeUnit.SECONDS)) {
        log.warn("analytics sink did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      consumer.subscribe(List.of(settings.eventsTopic(), settings.tokensTopic()), new Rebalance());
      while (running) {
        step();
      }
      if (!buffer.isEmpty() && !failing) {
        flush();
      }
    } catch (WakeupException e) {
      if (running) {
        crash.set(e);
      } else if (!buffer.isEmpty() && !failing) {
        flushQuietly();
      }
    } catch (Throwable e) {
      crash.set(e);
      log.error("analytics sink stopped: {}", e.toString(), e);
    } finally {
      try {
        consumer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        log.warn("closing the analytics consumer: {}", e.toString());
      }
      try {
        deadLetters.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        log.warn("closing the dead-letter producer: {}", e.toString());
      }
      writer.close();
      stopped.countDown();
    }
  }

  private void step() {
    long now = options.clock().millis();
    boolean holdBack = buffer.size() >= settings.batchRows() || failing;
    if (holdBack != paused) {
      setPaused(holdBack);
    }
    long wait = MAX_POLL.toMillis();
    if (!buffer.isEmpty()) {
      long due = Math.max(firstBufferedAt + settings.batchMaxWait().toMillis(), nextAttemptAt);
      wait = Math.clamp(due - now, 0, wait);
    }
    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(wait));
    for (ConsumerRecord<byte[], byte[]> r : records) {
      add(r);
    }
    now = options.clock().millis();
    boolean due =
        buffer.size() >= settings.batchRows()
            || (!buffer.isEmpty() && now - firstBufferedAt >= settings.batchMaxWait().toMillis());
    if (due && now >= nextAttemptAt) {
      flush();
    }
    if (now >= nextLagRefresh) {
      refreshLag();
      nextLagRefresh = now + LAG_REFRESH.toMillis();
    }
  }

  private void add(ConsumerRecord<byte[], byte[]> r) {
    if (r.value() == null) {
      return; // a tombstone on the compacted token topic
    }
    Object value;
    try {
      value =
          r.topic().equals(settings.tokensTopic())
              ? TokenSerde.fromBytes(r.value())
              : EventCodec.decode(r.value());
    } catch (RuntimeException e) {
      deadLetter(r, e);
      return;
    }
    if (!(value instanceof RegistryEvent) && !(value instanceof PublishedToken)) {
      return;
    }
    if (buffer.isEmpty()) {
      firstBufferedAt = options.clock().millis();
    }
    buffer.add(new ClickHouseWriter.Row(r.partition(), r.offset(), value, r.topic()));
  }

  /**
   * Writes an unreadable record to the dead-letter topic and waits for the acknowledgement (the
   * producer retries within its delivery timeout); a failure stops the sink.
   */
  private void deadLetter(ConsumerRecord<byte[], byte[]> r, RuntimeException error) {
    log.warn(
        "sending unreadable record {}-{}@{} to {}: {}",
        r.topic(),
        r.partition(),
        r.offset(),
        settings.dlqTopic(),
        DeadLetters.describe(error));
    ProducerRecord<byte[], byte[]> letter =
        new ProducerRecord<>(
            settings.dlqTopic(),
            null,
            r.timestamp(),
            r.key(),
            r.value(),
            DeadLetters.headers(r.headers(), r.topic(), r.partition(), r.offset(), error));
    try {
      deadLetters.send(letter).get(DEAD_LETTER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while dead-lettering " + coordinates(r), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot write unreadable record "
              + coordinates(r)
              + " to "
              + settings.dlqTopic()
              + "; stopping rather than dropping it",
          e instanceof ExecutionException ? e.getCause() : e);
    }
    metrics.skipped(r.topic());
  }

  private static String coordinates(ConsumerRecord<?, ?> r) {
    return r.topic() + "-" + r.partition() + "@" + r.offset();
  }

  /** Inserts the buffer; on success commits exactly the consumed positions and clears it. */
  private void flush() {
    long start = System.nanoTime();
    Map<String, Integer> written;
    try {
      written = writer.write(buffer, options.clock().instant());
    } catch (SQLException | RuntimeException e) {
      metrics.failures.increment();
      failing = true;
      nextAttemptAt = options.clock().millis() + backoff.toMillis();
      log.warn(
          "inserting {} records into ClickHouse failed, retrying in {} ms: {}",
          buffer.size(),
          backoff.toMillis(),
          e.getMessage());
      backoff = min(backoff.multipliedBy(2), settings.retryMaxBackoff());
      return;
    }
    options.hooks().afterInsert(buffer.size());
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : consumer.assignment()) {
      offsets.put(tp, new OffsetAndMetadata(consumer.position(tp, Duration.ofSeconds(10))));
    }
    try {
      consumer.commitSync(offsets, Duration.ofSeconds(30));
      offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
    } catch (WakeupException e) {
      throw e;
    } catch (KafkaException e) {
      // the rows are in ClickHouse; whoever reads these records next inserts them again and the
      // copies collapse on their keys
      log.warn("committing offsets after an insert failed: {}", e.toString());
    }
    written.forEach(
        (table, rows) -> {
          if (rows > 0) {
            metrics.inserted(table, rows);
          }
        });
    metrics.batch.record(Duration.ofNanos(System.nanoTime() - start));
    if (failing) {
      log.info("ClickHouse inserts work again");
    }
    failing = false;
    backoff = FIRST_BACKOFF;
    nextAttemptAt = 0;
    buffer.clear();
    refreshLag();
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      log.warn("final flush of the analytics sink failed: {}", e.toString());
    }
  }

  private void setPaused(boolean pause) {
    if (pause) {
      consumer.pause(consumer.assignment());
    } else {
      consumer.resume(consumer.paused());
    }
    paused = pause;
    metrics.paused(pause);
  }

  private void refreshLag() {
    Set<TopicPartition> assigned = consumer.assignment();
    if (assigned.isEmpty()) {
      metrics.lag(0);
      return;
    }
    try {
      Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, Duration.ofSeconds(2));
      long lag = 0;
      for (TopicPartition tp : assigned) {
        long end = ends.getOrDefault(tp, 0L);
        lag += Math.max(0, end - committed.getOrDefault(tp, 0L));
      }
      metrics.lag(lag);
    } catch (RuntimeException e) {
      log.debug("refreshing the analytics lag failed: {}", e.toString());
    }
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      if (!buffer.isEmpty() && !failing) {
        try {
          flush();
        } catch (RuntimeException e) {
          log.warn("flush before giving up partitions failed: {}", e.toString());
        }
      }
      drop(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      drop(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      Set<TopicPartition> assigned = new HashSet<>(partitions);
      Map<TopicPartition, OffsetAndMetadata> offsets =
          consumer.committed(assigned, Duration.ofSeconds(10));
      Map<TopicPartition, Long> beginnings =
          consumer.beginningOffsets(assigned, Duration.ofSeconds(10));
      for (TopicPartition tp : assigned) {
        OffsetAndMetadata o = offsets.get(tp);
        committed.put(tp, o != null ? o.offset() : beginnings.getOrDefault(tp, 0L));
      }
      if (paused) {
        consumer.pause(partitions);
      }
    }

    /** Forgets buffered records of partitions this sink no longer owns; they were not committed. */
    private void drop(Collection<TopicPartition> partitions) {
      Set<TopicPartition> gone = new HashSet<>(partitions);
      buffer.removeIf(row -> gone.contains(new TopicPartition(row.topic(), row.partition())));
      gone.forEach(committed::remove);
      if (buffer.isEmpty()) {
        failing = false;
        nextAttemptAt = 0;
      }
    }
  }

  static String jdbcUrl(AnalyticsSettings settings) {
    return settings
        .jdbcUrl()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "analytics.jdbc.url (STATUSREG_ANALYTICS_JDBC_URL) is required"));
  }

  static Properties jdbcProperties(AnalyticsSettings settings) {
    Properties p = new Properties();
    p.setProperty("user", settings.user());
    p.setProperty("password", settings.password());
    return p;
  }

  // package-private: AnalyticsSinkSecurityTest checks the security reaches both clients
  static Map<String, Object> consumerConfig(AnalyticsSettings settings) {
    Map<String, Object> c = settings.kafkaSecurity().addTo(new HashMap<>());
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "statusreg-analytics-" + UUID.randomUUID());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(settings.batchRows(), 10_000));
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return c;
  }

  static Map<String, Object> producerConfig(AnalyticsSettings settings) {
    Map<String, Object> p = settings.kafkaSecurity().addTo(new HashMap<>());
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "statusreg-analytics-dlq-" + UUID.randomUUID());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 45_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicCatalogue.MAX_DLQ_RECORD_BYTES);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return p;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
