package io.statusreg.analytics.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.statusreg.analytics.AnalyticsSettings;
import io.statusreg.analytics.TestEngine;
import io.statusreg.analytics.chdb.LocalClickHouse;
import io.statusreg.kraft.KraftCluster;
import io.statusreg.registry.Actor;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.Status;
import io.statusreg.registry.config.Settings;
import io.statusreg.registry.events.EventCodec;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.events.StatusChanged;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.issuance.IndexPermutation;
import io.statusreg.registry.keys.SigningKeys;
import io.statusreg.streams.CommandGateway;
import io.statusreg.streams.PublishedToken;
import io.statusreg.streams.RegistryNode;
import io.statusreg.streams.StreamsSettings;
import io.statusreg.streams.TopicCatalogue;
import io.statusreg.streams.publication.RegistryListSigner;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path: commands through the registry's real Streams node (events and tokens written in
 * exactly-once transactions), the sink, and the real ClickHouse engine.
 */
@Tag("kafka")
@Tag("chdb")
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class RegistryToClickHouseIT {
  private static final Actor ISSUER = Actor.issuer("it");

  @TempDir Path dir;

  @Test
  void whatTheRegistryAcceptsAndPublishesIsWhatClickHouseCounts() throws Exception {
    try (KraftCluster kafka = KraftCluster.builder().dataDir(dir.resolve("kafka")).build()) {
      kafka.start();
      StreamsSettings streams = streamsSettings(kafka);
      RegistryNode.createTopics(streams, Duration.ofSeconds(30));
      try (LocalClickHouse ch = TestEngine.start(dir.resolve("clickhouse"));
          RegistryNode node =
              RegistryNode.start(
                  streams,
                  new RegistryListSigner(
                      SigningKeys.development(Clock.systemUTC()), 6, "http://localhost:8080"),
                  Clock.systemUTC())) {
        await("registry node ready", node::isReady);
        String db = TestEngine.newDatabase(ch);
        AnalyticsSettings sinkSettings =
            AnalyticsSettings.from(
                Settings.of(
                    Map.of(
                        "analytics.jdbc.url",
                        ch.jdbcUrl(db),
                        "analytics.user",
                        TestEngine.USER,
                        "analytics.password",
                        TestEngine.PASSWORD,
                        "analytics.batch.rows",
                        "300",
                        "analytics.batch.max.wait.ms",
                        "200",
                        "kafka.bootstrap.servers",
                        kafka.bootstrapServers())));
        try (AnalyticsSink sink = AnalyticsSink.start(sinkSettings, new SimpleMeterRegistry())) {
          List<ListId> lists =
              List.of(ListId.of("acme", "a"), ListId.of("acme", "b"), ListId.of("beta", "c"));
          Map<ListId, List<Long>> allocated = new HashMap<>();
          for (ListId list : lists) {
            submit(node.gateway(), create(list));
            allocated.put(
                list,
                submit(
                        node.gateway(),
                        new RegistryCommand.AllocateIndexes(
                            UUID.randomUUID(), list, 200, ISSUER, Instant.now()))
                    .allocatedIndexes());
          }
          randomChanges(node.gateway(), lists, allocated, new Random(3), 1200);

          List<RegistryEvent> log = readEvents(kafka.bootstrapServers());
          Map<Status, Long> byStatus = new EnumMap<>(Status.class);
          log.stream()
              .filter(e -> e instanceof StatusChanged)
              .forEach(e -> byStatus.merge(((StatusChanged) e).status(), 1L, Long::sum));
          long changes = byStatus.values().stream().mapToLong(Long::longValue).sum();
          assertThat(changes).isGreaterThan(500);

          try (Connection c = DriverManager.getConnection(ch.jdbcUrl(db), ch.jdbcProperties())) {
            await(
                "every event and the newest publication of every list in ClickHouse",
                () ->
                    count(c, "SELECT count() FROM status_events FINAL") == changes
                        && lists.stream()
                            .allMatch(
                                l ->
                                    count(
                                            c,
                                            "SELECT max(version) FROM list_publications FINAL"
                                                + " WHERE list = '"
                                                + l.key()
                                                + "'")
                                        == node.directory()
                                            .latest(l)
                                            .map(PublishedToken::version)
                                            .orElse(-1L)));
            for (Status s : List.of(Status.VALID, Status.INVALID, Status.SUSPENDED)) {
              assertThat(
                      count(
                          c,
                          "SELECT count() FROM status_events FINAL WHERE new_status = " + s.code()))
                  .as("changes to %s", s)
                  .isEqualTo(byStatus.getOrDefault(s, 0L));
            }
            assertThat(count(c, "SELECT count() FROM list_events FINAL"))
                .isEqualTo(log.size() - changes);
            for (ListId l : lists) {
              PublishedToken latest = node.directory().latest(l).orElseThrow();
              try (Statement s = c.createStatement();
                  ResultSet rs =
                      s.executeQuery(
                          "SELECT valid, revoked, suspended, allocated, jwt_bytes"
                              + " FROM list_publications FINAL WHERE list = '"
                              + l.key()
                              + "' AND version = "
                              + latest.version())) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(latest.counts()[0]);
                assertThat(rs.getLong(2)).isEqualTo(latest.counts()[1]);
                assertThat(rs.getLong(3)).isEqualTo(latest.counts()[2]);
                assertThat(rs.getLong(4)).isEqualTo(200);
                assertThat(rs.getLong(5)).isEqualTo(latest.jwt().length);
              }
            }
            // the registry's own publications carry the lag from the oldest change they show
            assertThat(count(c, "SELECT count() FROM list_publications FINAL WHERE lag_ms >= 0"))
                .isPositive();
          }
        }
      }
    }
  }

  private StreamsSettings streamsSettings(KraftCluster kafka) {
    Map<String, String> raw = new HashMap<>();
    raw.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    raw.put("application.id", "statusreg-analytics-it");
    raw.put("state.dir", dir.resolve("streams").toString());
    raw.put("num.standby.replicas", "0");
    raw.put("session.timeout.ms", "10000");
    raw.put("publish.interval.ms", "200");
    raw.put("events.partitions", "4");
    raw.put("topic.replication.factor", "1");
    raw.put("topic.min.insync.replicas", "1");
    raw.put("rocksdb.block.cache.bytes", Long.toString(16L << 20));
    raw.put("rocksdb.write.buffer.bytes", Long.toString(8L << 20));
    raw.put("command.timeout.ms", "10000");
    return StreamsSettings.from(Settings.of(raw));
  }

  private static RegistryCommand create(ListId list) {
    return new RegistryCommand.CreateList(
        UUID.randomUUID(),
        list,
        2,
        10_000,
        Duration.ofMinutes(5),
        Duration.ofHours(1),
        Purpose.REVOCATION,
        new IndexPermutation.Key(list.hashCode(), 17),
        ISSUER,
        Instant.now());
  }

  private static void randomChanges(
      CommandGateway gateway,
      List<ListId> lists,
      Map<ListId, List<Long>> allocated,
      Random random,
      int count)
      throws Exception {
    Status[] statuses = {Status.VALID, Status.INVALID, Status.SUSPENDED, Status.SUSPENDED};
    List<CompletableFuture<CommandGateway.Outcome>> window = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ListId list = lists.get(random.nextInt(lists.size()));
      List<Long> idx = allocated.get(list);
      window.add(
          gateway.submit(
              new RegistryCommand.ChangeStatus(
                  UUID.randomUUID(),
                  list,
                  List.of(
                      new RegistryCommand.Change(
                          idx.get(random.nextInt(idx.size())),
                          statuses[random.nextInt(statuses.length)],
                          Reason.UNSPECIFIED)),
                  ISSUER,
                  Instant.now())));
      if (window.size() == 64 || i == count - 1) {
        for (CompletableFuture<CommandGateway.Outcome> f : window) {
          f.get(60, TimeUnit.SECONDS);
        }
        window.clear();
      }
    }
  }

  private static CommandGateway.Outcome submit(CommandGateway gateway, RegistryCommand command)
      throws Exception {
    CommandGateway.Outcome o = gateway.submit(command).get(60, TimeUnit.SECONDS);
    assertThat(o.decision()).isInstanceOf(Decision.Accepted.class);
    return o;
  }

  private static List<RegistryEvent> readEvents(String bootstrap) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<RegistryEvent> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(TopicCatalogue.EVENTS)
          .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        assertThat(System.nanoTime()).as("reading the event log in time").isLessThan(deadline);
        consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(EventCodec.decode(r.value())));
      }
    }
    return out;
  }

  private static long count(Connection c, String sql) {
    try {
      return TestEngine.count(c, sql);
    } catch (SQLException e) {
      return -2;
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(200);
    }
  }
}
