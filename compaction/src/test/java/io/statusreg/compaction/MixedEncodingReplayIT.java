package io.statusreg.compaction;

import static io.statusreg.streams.testing.RegistryHarness.accepted;
import static io.statusreg.streams.testing.RegistryHarness.submit;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.statusreg.analytics.AnalyticsSettings;
import io.statusreg.analytics.TestEngine;
import io.statusreg.analytics.chdb.LocalClickHouse;
import io.statusreg.analytics.sink.AnalyticsSink;
import io.statusreg.common.TopicCatalogue;
import io.statusreg.common.wire.PublishedToken;
import io.statusreg.compaction.replay.ListFold;
import io.statusreg.compaction.replay.RegistryState;
import io.statusreg.compaction.replay.ReplayProgress;
import io.statusreg.compaction.replay.StateRebuilder;
import io.statusreg.kraft.KraftCluster;
import io.statusreg.registry.ListId;
import io.statusreg.registry.config.Settings;
import io.statusreg.registry.events.EventCodec;
import io.statusreg.registry.events.IndexesAllocated;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.events.StatusChanged;
import io.statusreg.registry.keys.SigningKeys;
import io.statusreg.registry.keys.VerificationKeys;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.TokenVerifier;
import io.statusreg.streams.RegistryNode;
import io.statusreg.streams.StreamsSettings;
import io.statusreg.streams.publication.RegistryListSigner;
import io.statusreg.streams.testing.Await;
import io.statusreg.streams.testing.RegistryHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log in both event forms on a real broker, as a cluster leaves it when {@code events.encoding}
 * changes in a rolling restart: a registry node writes binary events, is restarted with {@code
 * json}, and writes on (a list created in each era). {@link StateRebuilder} folds the mixed log
 * from the beginning into exactly the entries, allocation cursor and event count of the registry's
 * own published tokens, and the analytics sink puts every event of both forms into the real
 * ClickHouse engine (chDB) with rows whose statuses end where the tokens say.
 */
@Tag("integration")
@Tag("chdb")
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class MixedEncodingReplayIT {
  static final int PARTITIONS = 4;

  @TempDir Path dir;

  StreamsSettings nodeSettings(KraftCluster kafka, String encoding) {
    Map<String, String> raw =
        RegistryHarness.nodeSettings(
            kafka.bootstrapServers(), "statusreg-mixed-it", dir.resolve("streams"), PARTITIONS);
    raw.put("events.encoding", encoding);
    return RegistryHarness.settings(raw);
  }

  @Test
  void aLogOfBinaryThenJsonEventsReplaysToTheRegistrysStateAndIntoClickHouse() throws Exception {
    try (KraftCluster kafka = KraftCluster.builder().dataDir(dir.resolve("kafka")).build()) {
      kafka.start();
      String bootstrap = kafka.bootstrapServers();
      RegistryNode.createTopics(nodeSettings(kafka, "binary"), Duration.ofSeconds(60));
      SigningKeys keys = SigningKeys.development(Clock.systemUTC());
      Random random = new Random(20261204);
      List<ListId> lists = new ArrayList<>();
      Map<ListId, List<Long>> allocated = new HashMap<>();

      // Before the switch: binary events only.
      try (RegistryNode node = start(kafka, "binary", keys)) {
        for (int i = 0; i < 3; i++) {
          createAndAllocate(node, ListId.of("issuer-" + (i % 2), "binary-" + i), lists, allocated);
        }
        LiveRegistryIT.changes(node.gateway(), lists, allocated, random, 150);
      }
      List<byte[]> beforeSwitch = RegistryHarness.readEventValues(bootstrap);
      // 12 list events, and a status change for each change sent that changed something
      assertThat(beforeSwitch.size()).as("records before the switch").isGreaterThan(60);
      assertThat(beforeSwitch).allMatch(MixedEncodingReplayIT::binary, "binary");

      // After a restart with events.encoding=json: the same lists change on, and a new list is
      // created, in JSON.
      List<byte[]> log;
      TokenVerifier verifier = TokenVerifier.of(VerificationKeys.parse(keys.publicJwks()));
      Map<ListId, StatusList> published = new HashMap<>();
      Map<ListId, PublishedToken> tokens = new HashMap<>();
      RegistryState rebuilt;
      try (RegistryNode node = start(kafka, "json", keys)) {
        createAndAllocate(node, ListId.of("issuer-0", "json-0"), lists, allocated);
        LiveRegistryIT.changes(node.gateway(), lists, allocated, random, 150);
        log = RegistryHarness.readEventValues(bootstrap);
        long binary = log.stream().filter(MixedEncodingReplayIT::binary).count();
        assertThat(binary).as("binary records").isEqualTo(beforeSwitch.size());
        assertThat(log.size() - binary).as("JSON records").isGreaterThan(60);

        RegistryState state =
            new StateRebuilder(
                    KafkaAccess.of(bootstrap),
                    StateRebuilder.Options.fromSnapshots(
                            TopicCatalogue.EVENTS, TopicCatalogue.SNAPSHOTS)
                        .withStart(StateRebuilder.Start.BEGINNING))
                .rebuild(ReplayProgress.NONE);
        rebuilt = state;
        assertThat(rebuilt.unreadable()).isZero();
        assertThat(rebuilt.eventsApplied()).isEqualTo(log.size());
        assertThat(rebuilt.lists().keySet()).containsExactlyInAnyOrderElementsOf(lists);
        // The registry publishes each list at the number of events it folded: wait for the
        // publication of the whole log, then compare its bits with the rebuilt entries.
        Await.until(
            "every list published at the rebuilt version",
            Duration.ofSeconds(90),
            () ->
                lists.stream()
                    .allMatch(
                        l ->
                            node.directory()
                                .latest(l)
                                .filter(t -> t.foldedEvents() == state.lists().get(l).version())
                                .isPresent()));
        for (ListId l : lists) {
          PublishedToken token = node.directory().latest(l).orElseThrow();
          tokens.put(l, token);
          published.put(
              l,
              verifier
                  .verifyJwt(new String(token.jwt(), StandardCharsets.US_ASCII))
                  .claims()
                  .list());
        }
      }
      for (ListId l : lists) {
        ListFold fold = rebuilt.lists().get(l);
        PublishedToken token = tokens.get(l);
        assertThat(fold.state().entries().toBytes())
            .as("rebuilt entries of %s against its token", l)
            .isEqualTo(published.get(l).toBytes());
        assertThat(fold.state().entries().histogram()).isEqualTo(token.counts());
        assertThat(fold.state().meta().cursor()).isEqualTo(token.allocated());
        assertThat(fold.state().meta().ignored()).isZero();
      }
      long revoked = tokens.values().stream().mapToLong(t -> t.counts()[1]).sum();
      assertThat(revoked).as("some entries were revoked").isGreaterThan(10);

      List<RegistryEvent> events = log.stream().map(EventCodec::decode).toList();
      try (LocalClickHouse ch = TestEngine.start(dir.resolve("clickhouse"))) {
        String db = TestEngine.newDatabase(ch);
        AnalyticsSettings sinkSettings =
            AnalyticsSettings.from(Settings.of(TestEngine.sinkSettings(ch, db, bootstrap)));
        try (AnalyticsSink sink = AnalyticsSink.start(sinkSettings, new SimpleMeterRegistry());
            Connection c = DriverManager.getConnection(ch.jdbcUrl(db), ch.jdbcProperties())) {
          long changes = events.stream().filter(e -> e instanceof StatusChanged).count();
          Await.until(
              "every event of both forms in ClickHouse",
              Duration.ofSeconds(120),
              () ->
                  count(c, "SELECT count() FROM status_events FINAL") == changes
                      && count(c, "SELECT count() FROM list_events FINAL")
                          == events.size() - changes);
          assertThat(eventIds(c)).isEqualTo(idsOf(events));
          for (ListId l : lists) {
            assertRowsEndAtTheToken(c, l, allocated.get(l), published.get(l));
            assertThat(
                    count(
                        c,
                        "SELECT sum(allocated) FROM list_events FINAL WHERE event_type ="
                            + " 'indexes_allocated' AND list = '"
                            + l.key()
                            + "'"))
                .isEqualTo(tokens.get(l).allocated());
          }
          assertThat(
                  events.stream()
                      .filter(e -> e instanceof IndexesAllocated)
                      .mapToLong(e -> ((IndexesAllocated) e).count())
                      .sum())
              .isEqualTo(tokens.values().stream().mapToLong(PublishedToken::allocated).sum());
        }
      }
    }
  }

  static boolean binary(byte[] value) {
    // EventCodec: every binary record starts with NUL, which no JSON text does
    return value.length > 0 && value[0] == 0;
  }

  RegistryNode start(KraftCluster kafka, String encoding, SigningKeys keys) {
    StreamsSettings settings = nodeSettings(kafka, encoding);
    assertThat(settings.eventsEncoding()).isEqualTo(EventCodec.Format.parse(encoding));
    return RegistryHarness.startReady(
        settings, new RegistryListSigner(keys, 6, "http://status.example"), Clock.systemUTC());
  }

  static void createAndAllocate(
      RegistryNode node, ListId list, List<ListId> lists, Map<ListId, List<Long>> allocated)
      throws Exception {
    accepted(submit(node.gateway(), LiveRegistryIT.create(list)));
    List<Long> indexes = new ArrayList<>();
    for (int b = 0; b < 3; b++) {
      indexes.addAll(
          accepted(submit(node.gateway(), LiveRegistryIT.allocate(list, 20 + b)))
              .allocatedIndexes());
    }
    lists.add(list);
    allocated.put(list, indexes);
  }

  /**
   * Each entry's rows, in log order, chain from VALID (each old status is the previous new one) and
   * end at the status the token shows; an allocated entry without rows is VALID in the token.
   */
  static void assertRowsEndAtTheToken(
      Connection c, ListId list, List<Long> allocated, StatusList token) throws SQLException {
    Map<Long, Integer> last = new HashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT idx, old_status, new_status FROM status_events FINAL WHERE list = '"
                    + list.key()
                    + "' ORDER BY idx, kafka_offset")) {
      while (rs.next()) {
        long idx = rs.getLong(1);
        assertThat(rs.getInt(2))
            .as("old status of %s[%d]", list, idx)
            .isEqualTo(last.getOrDefault(idx, 0));
        last.put(idx, rs.getInt(3));
      }
    }
    assertThat(last).as("rows of %s", list).isNotEmpty();
    for (long idx : allocated) {
      assertThat(last.getOrDefault(idx, 0))
          .as("last status of %s[%d]", list, idx)
          .isEqualTo(token.get(idx));
    }
  }

  static Set<String> eventIds(Connection c) throws SQLException {
    Set<String> ids = new HashSet<>();
    for (String table : List.of("status_events", "list_events")) {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT toString(event_id) FROM " + table + " FINAL")) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  static Set<String> idsOf(List<RegistryEvent> events) {
    Set<String> ids = new HashSet<>();
    events.forEach(e -> ids.add(e.id().toString()));
    return ids;
  }

  static long count(Connection c, String sql) {
    try {
      return TestEngine.count(c, sql);
    } catch (SQLException e) {
      return -1; // ClickHouse not answering yet: the wait goes on
    }
  }
}
