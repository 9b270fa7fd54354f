package io.statusreg.analytics.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.statusreg.analytics.AnalyticsSettings;
import io.statusreg.analytics.TestEngine;
import io.statusreg.analytics.chdb.LocalClickHouse;
import io.statusreg.common.wire.PublishedToken;
import io.statusreg.kraft.KraftCluster;
import io.statusreg.registry.Actor;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.Status;
import io.statusreg.registry.config.Settings;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.events.StatusChanged;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.keys.SigningKeys;
import io.statusreg.streams.RegistryNode;
import io.statusreg.streams.StreamsSettings;
import io.statusreg.streams.gateway.CommandGateway;
import io.statusreg.streams.publication.RegistryListSigner;
import io.statusreg.streams.testing.Await;
import io.statusreg.streams.testing.RegistryHarness;
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
              RegistryHarness.startReady(
                  streams,
                  new RegistryListSigner(
                      SigningKeys.development(Clock.systemUTC()), 6, "http://localhost:8080"),
                  Clock.systemUTC())) {
        String db = TestEngine.newDatabase(ch);
        AnalyticsSettings sinkSettings =
            AnalyticsSettings.from(
                Settings.of(TestEngine.sinkSettings(ch, db, kafka.bootstrapServers())));
        try (AnalyticsSink sink = AnalyticsSink.start(sinkSettings, new SimpleMeterRegistry())) {
          List<ListId> lists =
              List.of(ListId.of("acme", "a"), ListId.of("acme", "b"), ListId.of("beta", "c"));
          Map<ListId, List<Long>> allocated = new HashMap<>();
          for (ListId list : lists) {
            submit(node.gateway(), create(list));
            allocated.put(
                list,
                submit(node.gateway(), RegistryHarness.allocate(list, 200, ISSUER))
                    .allocatedIndexes());
          }
          randomChanges(node.gateway(), lists, allocated, new Random(3), 1200);

          List<RegistryEvent> log = RegistryHarness.readEvents(kafka.bootstrapServers());
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
    return RegistryHarness.settings(
        RegistryHarness.nodeSettings(
            kafka.bootstrapServers(), "statusreg-analytics-it", dir.resolve("streams"), 4));
  }

  private static RegistryCommand create(ListId list) {
    return RegistryHarness.create(list, 2, 10_000, 17, ISSUER);
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
          RegistryHarness.submitAsync(
              gateway,
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
    return RegistryHarness.accepted(RegistryHarness.submit(gateway, command));
  }

  private static long count(Connection c, String sql) {
    try {
      return TestEngine.count(c, sql);
    } catch (SQLException e) {
      return -2;
    }
  }

  private static void await(String what, BooleanSupplier condition) {
    Await.until(what, Duration.ofSeconds(180), condition);
  }
}
