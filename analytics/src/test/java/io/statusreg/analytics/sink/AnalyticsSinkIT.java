package io.statusreg.analytics.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.statusreg.analytics.AnalyticsSettings;
import io.statusreg.analytics.TestEngine;
import io.statusreg.analytics.chdb.LocalClickHouse;
import io.statusreg.common.wire.DeadLetters;
import io.statusreg.common.wire.PublishedToken;
import io.statusreg.common.wire.TokenSerde;
import io.statusreg.kraft.KraftCluster;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Status;
import io.statusreg.registry.config.Settings;
import io.statusreg.registry.events.EventCodec;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.testing.EventGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink end to end: a real KRaft broker, the real ClickHouse engine (chDB) behind its HTTP
 * interface, and the real clickhouse-jdbc driver. Events are a valid random history decided by the
 * registry's own fold.
 */
@Tag("kafka")
@Tag("chdb")
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class AnalyticsSinkIT {
  private static final Duration WAIT = Duration.ofSeconds(180);

  @TempDir static Path dir;
  static KraftCluster kafka;
  static LocalClickHouse ch;

  @BeforeAll
  static void start() {
    kafka = KraftCluster.builder().dataDir(dir.resolve("kafka")).build();
    kafka.start();
    ch = TestEngine.start(dir.resolve("clickhouse"));
  }

  @AfterAll
  static void stop() {
    if (ch != null) {
      ch.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  /** One test's topics, group and database. */
  record Run(String events, String tokens, String dlq, String group, String db) {
    static Run create() throws Exception {
      String id = UUID.randomUUID().toString().substring(0, 8);
      Run run =
          new Run(
              "events-" + id,
              "tokens-" + id,
              "dlq-" + id,
              "analytics-" + id,
              TestEngine.newDatabase(ch));
      try (Admin admin = Admin.create(kafka.clientConfig())) {
        admin
            .createTopics(
                List.of(
                    kafka.newTopic(run.events, 6),
                    kafka.newTopic(run.dlq, 1),
                    kafka
                        .newTopic(run.tokens, 3)
                        .configs(
                            Map.of(
                                TopicConfig.CLEANUP_POLICY_CONFIG,
                                TopicConfig.CLEANUP_POLICY_COMPACT))))
            .all()
            .get(60, TimeUnit.SECONDS);
      }
      return run;
    }

    AnalyticsSettings settings(int batchRows, long maxWaitMs, long maxBackoffMs) {
      Map<String, String> raw = new HashMap<>();
      raw.put("analytics.jdbc.url", ch.jdbcUrl(db));
      raw.put("analytics.user", TestEngine.USER);
      raw.put("analytics.password", TestEngine.PASSWORD);
      raw.put("analytics.batch.rows", Integer.toString(batchRows));
      raw.put("analytics.batch.max.wait.ms", Long.toString(maxWaitMs));
      raw.put("analytics.retry.max.backoff.ms", Long.toString(maxBackoffMs));
      raw.put("kafka.bootstrap.servers", kafka.bootstrapServers());
      raw.put("analytics.group.id", group);
      raw.put("analytics.topic.events", events);
      raw.put("analytics.topic.tokens", tokens);
      raw.put("analytics.topic.dlq", dlq);
      return AnalyticsSettings.from(Settings.of(raw));
    }

    Connection connect() throws SQLException {
      return DriverManager.getConnection(ch.jdbcUrl(db), ch.jdbcProperties());
    }

    long count(String sql) throws SQLException {
      try (Connection c = connect()) {
        return TestEngine.count(c, sql);
      }
    }

    /** The count, or -1 while ClickHouse does not answer. */
    long countOrMinusOne(String sql) {
      try {
        return count(sql);
      } catch (SQLException e) {
        return -1;
      }
    }
  }

  private static KafkaProducer<String, byte[]> transactionalProducer() {
    Map<String, Object> p = new HashMap<>(kafka.clientConfig());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-" + UUID.randomUUID());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p);
    producer.initTransactions();
    return producer;
  }

  /** Writes events in committed transactions of 1000, as the registry's topology does. */
  private static void produce(String topic, List<RegistryEvent> events) {
    try (KafkaProducer<String, byte[]> producer = transactionalProducer()) {
      for (int from = 0; from < events.size(); from += 1000) {
        producer.beginTransaction();
        for (RegistryEvent e : events.subList(from, Math.min(events.size(), from + 1000))) {
          producer.send(new ProducerRecord<>(topic, e.listId().key(), EventCodec.encode(e)));
        }
        producer.commitTransaction();
      }
    }
  }

  private static PublishedToken token(ListId list, long version) {
    Instant issued = T0.plus(Duration.ofMinutes(version));
    return new PublishedToken(
        list,
        "https://status.example/statuslists/" + list.key(),
        version,
        2,
        8000,
        4000,
        new long[] {7000 - version, version, 1000, 0},
        issued,
        issued.plus(Duration.ofDays(1)),
        Duration.ofMinutes(5),
        "kid-1",
        "\"v" + version + "\"",
        new byte[300 + (int) version],
        new byte[200],
        new byte[0],
        issued.minusMillis(100 * version),
        version + 1);
  }

  private static double meter(MeterRegistry meters, String name) {
    return Search.in(meters).name(name).meters().stream()
        .mapToDouble(
            m ->
                switch (m) {
                  case io.micrometer.core.instrument.Counter c -> c.count();
                  case io.micrometer.core.instrument.Gauge g -> g.value();
                  default -> 0;
                })
        .sum();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + WAIT + " waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  /** Thrown by the hook: the process dies after the insert, before the commit. */
  static final class SimulatedCrash extends RuntimeException {
    SimulatedCrash() {
      super("simulated crash between insert and commit");
    }
  }

  @Test
  void tenThousandStatusChangesAreCountedExactlyAcrossACrashBetweenInsertAndCommit()
      throws Exception {
    Run run = Run.create();
    EventGenerator.Generated script = script(42, 6, 3000, 10_000);
    assertThat(script.statusChanges()).isEqualTo(10_000);
    produce(run.events(), script.events());

    // read_committed: an aborted transaction and an unreadable record never reach ClickHouse
    RecordMetadata garbage;
    try (KafkaProducer<String, byte[]> producer = transactionalProducer()) {
      producer.beginTransaction();
      for (RegistryEvent e : script(7, 1, 100, 50).events()) {
        producer.send(new ProducerRecord<>(run.events(), e.listId().key(), EventCodec.encode(e)));
      }
      producer.abortTransaction();
      producer.beginTransaction();
      garbage =
          producer
              .send(
                  new ProducerRecord<>(
                      run.events(),
                      "issuer-0/list-0",
                      "not an event".getBytes(StandardCharsets.UTF_8)))
              .get(60, TimeUnit.SECONDS);
      producer.commitTransaction();
    }

    List<ListId> lists = List.copyOf(script.finalStates().keySet());
    int tokenRecords = 0;
    try (KafkaProducer<String, byte[]> producer = transactionalProducer()) {
      producer.beginTransaction();
      for (ListId list : lists) {
        for (long v = 1; v <= 5; v++) {
          producer.send(
              new ProducerRecord<>(run.tokens(), list.key(), TokenSerde.toBytes(token(list, v))));
          tokenRecords++;
        }
      }
      for (ListId list : lists.subList(0, 3)) { // a publication seen twice
        producer.send(
            new ProducerRecord<>(run.tokens(), list.key(), TokenSerde.toBytes(token(list, 5))));
        tokenRecords++;
      }
      producer.commitTransaction();
    }
    long readable = script.events().size() + tokenRecords;

    AnalyticsSettings settings = run.settings(1000, 200, 1000);
    AtomicInteger inserts = new AtomicInteger();
    AtomicInteger committedBeforeCrash = new AtomicInteger();
    SinkHooks crashOnThirdInsert =
        records -> {
          if (inserts.incrementAndGet() == 3) {
            throw new SimulatedCrash();
          }
          committedBeforeCrash.addAndGet(records);
        };
    MeterRegistry firstMeters = new SimpleMeterRegistry();
    AnalyticsSink first =
        AnalyticsSink.start(
            settings,
            new AnalyticsSink.Options(Clock.systemUTC(), firstMeters, crashOnThirdInsert));
    assertThat(first.awaitStopped(WAIT)).isTrue();
    first.close();
    assertThat(first.crashCause()).isInstanceOf(SimulatedCrash.class);
    assertThat(first.isLive()).isFalse();
    assertThat(run.count("SELECT count() FROM status_events")).isPositive();

    MeterRegistry meters = new SimpleMeterRegistry();
    try (AnalyticsSink second = AnalyticsSink.start(settings, meters)) {
      await(
          "every record inserted and committed",
          () ->
              run.countOrMinusOne("SELECT count() FROM status_events FINAL") == 10_000
                  && run.countOrMinusOne("SELECT count() FROM list_publications FINAL") == 30
                  && meter(meters, SinkMetrics.LAG) == 0
                  && meter(meters, SinkMetrics.INSERTED) > 0);
      assertThat(second.isReady()).isTrue();
      // the restarted sink read everything after the last commit, the crashed batch included
      assertThat(meter(meters, SinkMetrics.INSERTED))
          .isEqualTo((double) (readable - committedBeforeCrash.get()));
      assertThat(meter(meters, SinkMetrics.SKIPPED)).isEqualTo(1.0);
      assertThat(meter(meters, SinkMetrics.FAILURES)).isZero();
    }
    // The unreadable record is on the dead-letter topic with its coordinates (once, or twice if
    // the crashed sink had read it too: at least once, never dropped).
    List<ConsumerRecord<byte[], byte[]>> dead = readAll(run.dlq());
    assertThat(dead).isNotEmpty().hasSizeLessThanOrEqualTo(2);
    for (ConsumerRecord<byte[], byte[]> letter : dead) {
      assertDeadLetter(letter, run.events(), garbage, "issuer-0/list-0", "not an event");
    }

    assertThat(run.count("SELECT count() FROM status_events FINAL")).isEqualTo(10_000);
    assertThat(run.count("SELECT uniqExact(event_id) FROM status_events")).isEqualTo(10_000);
    for (Status status : List.of(Status.VALID, Status.INVALID, Status.SUSPENDED)) {
      assertThat(
              run.count(
                  "SELECT count() FROM status_events FINAL WHERE new_status = " + status.code()))
          .as("changes to %s", status)
          .isEqualTo(script.byNewStatus().getOrDefault(status, 0L));
    }
    // the entries' final statuses, from the last change of each entry, match the fold
    long revokedInFold =
        script.finalStates().values().stream()
            .mapToLong(s -> s.entries().histogram()[Status.INVALID.code()])
            .sum();
    assertThat(run.count("SELECT count() FROM status_events FINAL WHERE new_status = 1"))
        .isEqualTo(revokedInFold);
    assertThat(run.count("SELECT count() FROM list_events FINAL")).isEqualTo(script.listEvents());
    assertThat(run.count("SELECT count() FROM list_events FINAL WHERE event_type = 'list_retired'"))
        .isEqualTo(1);
    assertThat(
            run.count(
                "SELECT sum(allocated) FROM list_events FINAL"
                    + " WHERE event_type = 'indexes_allocated'"))
        .isEqualTo(6 * 3000);
    assertThat(run.count("SELECT count() FROM list_publications FINAL")).isEqualTo(30);
    assertThat(run.count("SELECT sum(lag_ms) FROM list_publications FINAL"))
        .isEqualTo(6 * (100 + 200 + 300 + 400 + 500));
    assertThat(run.count("SELECT sum(revoked) FROM list_publications FINAL WHERE version = 5"))
        .isEqualTo(6 * 5);
  }

  @Test
  void unreadableRecordsGoToTheDeadLetterTopicWithTheirCoordinates() throws Exception {
    Run run = Run.create();
    EventGenerator.Generated script = script(5, 1, 100, 20);
    produce(run.events(), script.events());
    RecordMetadata badEvent;
    RecordMetadata badToken;
    try (KafkaProducer<String, byte[]> producer = transactionalProducer()) {
      producer.beginTransaction();
      ProducerRecord<String, byte[]> event =
          new ProducerRecord<>(run.events(), "issuer-0/list-0", new byte[] {'{', 1, 2});
      event.headers().add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
      badEvent = producer.send(event).get(60, TimeUnit.SECONDS);
      badToken =
          producer
              .send(new ProducerRecord<>(run.tokens(), "issuer-0/list-0", new byte[] {9, 9, 9}))
              .get(60, TimeUnit.SECONDS);
      producer.commitTransaction();
    }
    MeterRegistry meters = new SimpleMeterRegistry();
    try (AnalyticsSink sink = AnalyticsSink.start(run.settings(100, 100, 1000), meters)) {
      await(
          "readable records inserted, unreadable ones dead-lettered",
          () ->
              run.countOrMinusOne("SELECT count() FROM status_events FINAL") == 20
                  && meter(meters, SinkMetrics.SKIPPED) == 2
                  && meter(meters, SinkMetrics.LAG) == 0);
      assertThat(sink.isReady()).isTrue();
    }
    List<ConsumerRecord<byte[], byte[]>> dead = readAll(run.dlq());
    assertThat(dead).hasSize(2);
    ConsumerRecord<byte[], byte[]> event =
        dead.stream()
            .filter(r -> run.events().equals(DeadLetters.header(r.headers(), DeadLetters.TOPIC)))
            .findFirst()
            .orElseThrow();
    assertDeadLetter(event, run.events(), badEvent, "issuer-0/list-0", null);
    assertThat(event.value()).containsExactly('{', 1, 2);
    assertThat(DeadLetters.header(event.headers(), "trace")).isEqualTo("t-1");
    ConsumerRecord<byte[], byte[]> token =
        dead.stream()
            .filter(r -> run.tokens().equals(DeadLetters.header(r.headers(), DeadLetters.TOPIC)))
            .findFirst()
            .orElseThrow();
    assertDeadLetter(token, run.tokens(), badToken, "issuer-0/list-0", null);
    assertThat(token.value()).containsExactly(9, 9, 9);
    assertThat(DeadLetters.header(token.headers(), DeadLetters.ERROR)).contains("token record");
  }

  @Test
  void aRevokedIdentifierIsAStatusEventOfItsSlotWithItsKindAndIdentifier() throws Exception {
    Run run = Run.create();
    ListId list = ListId.of("issuer-0", "identifiers");
    ListId plain = ListId.of("issuer-0", "plain");
    io.statusreg.registry.Actor actor = io.statusreg.registry.Actor.issuer("issuer-0");
    byte[] id = java.util.HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    io.statusreg.registry.events.IdentifierRevoked revoked =
        new io.statusreg.registry.events.IdentifierRevoked(
            io.statusreg.registry.EventId.random(),
            list,
            32_769,
            id,
            io.statusreg.registry.Reason.KEY_COMPROMISE,
            actor,
            T0);
    RegistryEvent created =
        new io.statusreg.registry.events.ListCreated(
            io.statusreg.registry.EventId.random(),
            list,
            1,
            100_000,
            Duration.ofMinutes(5),
            Duration.ofDays(1),
            io.statusreg.registry.events.Purpose.REVOCATION,
            new io.statusreg.registry.issuance.IndexPermutation.Key(1, 2),
            actor,
            T0,
            io.statusreg.registry.identifiers.ListKind.IDENTIFIER_LIST);
    RegistryEvent changed =
        new io.statusreg.registry.events.StatusChanged(
            io.statusreg.registry.EventId.random(),
            plain,
            7,
            Status.VALID,
            Status.INVALID,
            io.statusreg.registry.Reason.KEY_COMPROMISE,
            actor,
            T0);
    produce(run.events(), List.of(created, revoked, changed));
    PublishedToken statusToken = token(plain, 1);
    PublishedToken identifierToken = identifierListToken(list);
    try (KafkaProducer<String, byte[]> producer = transactionalProducer()) {
      producer.beginTransaction();
      producer.send(
          new ProducerRecord<>(run.tokens(), plain.key(), TokenSerde.toBytes(statusToken)));
      producer.send(
          new ProducerRecord<>(run.tokens(), list.key(), TokenSerde.toBytes(identifierToken)));
      producer.commitTransaction();
    }
    try (AnalyticsSink sink =
        AnalyticsSink.start(run.settings(100, 100, 1000), new SimpleMeterRegistry())) {
      await(
          "the events and publications inserted",
          () ->
              run.countOrMinusOne("SELECT count() FROM status_events FINAL") == 2
                  && run.countOrMinusOne("SELECT count() FROM list_publications FINAL") == 2);
    }
    assertThat(
            run.count(
                "SELECT count() FROM status_events FINAL WHERE list = 'issuer-0/identifiers'"
                    + " AND list_kind = 'identifier_list'"
                    + " AND identifier = '00112233445566778899aabbccddeeff'"
                    + " AND unhex(identifier) = unhex('00112233445566778899AABBCCDDEEFF')"
                    + " AND issuer = 'issuer-0' AND idx = 32769 AND old_status = 0"
                    + " AND new_status = 1 AND reason = 'key_compromise' AND actor_kind = 'issuer'"
                    + " AND actor = 'issuer-0' AND event_id = '"
                    + revoked.id()
                    + "' AND event_time = toDateTime64('2026-03-01 00:00:00', 3, 'UTC')"))
        .isEqualTo(1);
    assertThat(
            run.count(
                "SELECT count() FROM status_events FINAL WHERE list = 'issuer-0/plain'"
                    + " AND list_kind = 'status_list' AND identifier = '' AND idx = 7"))
        .isEqualTo(1);
    assertThat(
            run.count(
                "SELECT count() FROM list_events FINAL WHERE list = 'issuer-0/identifiers'"
                    + " AND event_type = 'list_created' AND list_kind = 'identifier_list'"))
        .isEqualTo(1);
    assertThat(
            run.count(
                "SELECT count() FROM list_publications FINAL WHERE"
                    + " (list = 'issuer-0/identifiers' AND list_kind = 'identifier_list'"
                    + " AND bits = 0) OR (list = 'issuer-0/plain' AND list_kind = 'status_list')"))
        .isEqualTo(2);
  }

  /** An identifier list's publication: bits 0, only a CWT, counts [not revoked, revoked]. */
  private static PublishedToken identifierListToken(ListId list) {
    PublishedToken t = token(list, 1);
    return new PublishedToken(
        t.listId(),
        t.uri(),
        t.version(),
        PublishedToken.IDENTIFIER_LIST_BITS,
        100_000,
        40_000,
        new long[] {99_999, 1},
        t.issuedAt(),
        t.expiresAt(),
        t.ttl(),
        t.kid(),
        t.etag(),
        new byte[0],
        t.cwt(),
        new byte[0],
        t.oldestChangeAt(),
        t.foldedEvents());
  }

  /** Every record of a topic, read with read_committed by a consumer of no group. */
  static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    Map<String, Object> c = new HashMap<>(kafka.clientConfig());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    List<ConsumerRecord<byte[], byte[]>> out = new java.util.ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        assertThat(System.nanoTime()).as("reading " + topic).isLessThan(deadline);
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  static void assertDeadLetter(
      ConsumerRecord<byte[], byte[]> letter,
      String topic,
      RecordMetadata source,
      String key,
      String value) {
    assertThat(DeadLetters.header(letter.headers(), DeadLetters.TOPIC)).isEqualTo(topic);
    assertThat(DeadLetters.header(letter.headers(), DeadLetters.PARTITION))
        .isEqualTo(Integer.toString(source.partition()));
    assertThat(DeadLetters.header(letter.headers(), DeadLetters.OFFSET))
        .isEqualTo(Long.toString(source.offset()));
    assertThat(DeadLetters.header(letter.headers(), DeadLetters.ERROR)).isNotBlank();
    assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo(key);
    if (value != null) {
      assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo(value);
    }
  }

  @Test
  void whileClickHouseIsDownTheSinkPausesRetriesAndLagGrowsThenEveryRowArrivesOnce()
      throws Exception {
    Run run = Run.create();
    EventGenerator.Generated script = script(99, 3, 1000, 3000);
    List<RegistryEvent> events = script.events();
    int half = events.size() / 3;
    List<RegistryEvent> before = events.subList(0, half);
    List<RegistryEvent> during = events.subList(half, events.size());
    long statusBefore =
        before.stream()
            .filter(e -> e instanceof io.statusreg.registry.events.StatusChanged)
            .count();

    MeterRegistry meters = new SimpleMeterRegistry();
    try (AnalyticsSink sink = AnalyticsSink.start(run.settings(500, 100, 800), meters)) {
      produce(run.events(), before);
      await(
          "the first events in ClickHouse",
          () -> run.countOrMinusOne("SELECT count() FROM status_events FINAL") == statusBefore);

      int port = ch.port();
      ch.close(); // ClickHouse is down
      produce(run.events(), during);
      await(
          "failed inserts, a paused consumer and the lag covering what was produced",
          () ->
              meter(meters, SinkMetrics.FAILURES) >= 3
                  && meter(meters, SinkMetrics.PAUSED) == 1
                  && meter(meters, SinkMetrics.LAG) >= during.size());
      assertThat(sink.isReady()).isFalse();
      assertThat(sink.isLive()).isTrue();

      ch = TestEngine.start(dir.resolve("clickhouse"), port); // back, same address and data
      await(
          "every row after ClickHouse came back",
          () ->
              run.countOrMinusOne("SELECT count() FROM status_events FINAL") == 3000
                  && meter(meters, SinkMetrics.LAG) == 0);
      assertThat(sink.isReady()).isTrue();
    }
    // exactly once: nothing was inserted twice, even before merges or FINAL
    assertThat(run.count("SELECT count() FROM status_events")).isEqualTo(3000);
    assertThat(run.count("SELECT count() FROM list_events")).isEqualTo(script.listEvents());
    for (Status status : List.of(Status.VALID, Status.INVALID, Status.SUSPENDED)) {
      assertThat(run.count("SELECT count() FROM status_events WHERE new_status = " + status.code()))
          .isEqualTo(script.byNewStatus().getOrDefault(status, 0L));
    }
  }

  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  /** A history of 2-bit lists, times up to a minute apart from {@link #T0}, the last retired. */
  private static EventGenerator.Generated script(
      long seed, int lists, int allocatePerList, int statusChanges) {
    return EventGenerator.seed(seed)
        .lists(lists)
        .shape(allocatePerList * 2L, 2)
        .allocatePerList(allocatePerList)
        .statusChanges(statusChanges)
        .start(T0, Duration.ofMinutes(1))
        .retireLast(true)
        .generate();
  }
}
