package io.statusreg.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import io.statusreg.common.TopicCatalogue;
import io.statusreg.common.wire.TokenSerde;
import io.statusreg.compaction.audit.TestTokens;
import io.statusreg.compaction.replay.ListExport;
import io.statusreg.compaction.replay.RegistryState;
import io.statusreg.compaction.replay.ReplayProgress;
import io.statusreg.compaction.replay.Snapshotter;
import io.statusreg.compaction.replay.StateRebuilder;
import io.statusreg.compaction.snapshots.SnapshotReader;
import io.statusreg.compaction.snapshots.SnapshotSet;
import io.statusreg.compaction.snapshots.SnapshotWriter;
import io.statusreg.kraft.KraftCluster;
import io.statusreg.registry.ListId;
import io.statusreg.registry.events.EventCodec;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.fold.ListState;
import io.statusreg.registry.keys.SignatureAlgorithm;
import io.statusreg.registry.keys.SigningKey;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.testing.EventGenerator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SRE tools against a real KRaft broker. The topic names are the registry's own, so the steps
 * share one cluster and run in order: topics, then the log (snapshot, expiry, rebuild, replay),
 * then the audit of published tokens.
 */
@Tag("integration")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SreToolsIT {
  static final int LISTS = 6;
  static final int CHANGES_PER_LIST = 50_000;
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  static KraftCluster kafka;
  static KafkaAccess access;
  static EventGenerator.Generated generated;
  static Instant phaseAEnd;
  static Map<ListId, ListState> phaseAStates;

  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    kafka = KraftCluster.builder().build();
    kafka.start();
    access = KafkaAccess.of(kafka.bootstrapServers());
    generated =
        EventGenerator.seed(42)
            .lists(LISTS)
            .shape(200_000, 2)
            .allocatePerList(CHANGES_PER_LIST)
            .statusChanges((long) LISTS * CHANGES_PER_LIST)
            .maxBatch(20)
            .revocationPercent(10)
            .start(START, Duration.ofMillis(1))
            .generate();
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  record Run(int code, String out, String err) {}

  static Run cli(String command, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    String[] all = new String[args.length + 2];
    all[0] = "--bootstrap-servers";
    all[1] = kafka.bootstrapServers();
    System.arraycopy(args, 0, all, 2, args.length);
    // The registry's own setting names, as the process reads them from its environment.
    Map<String, String> env =
        Map.of(
            "STATUSREG_TOPIC_REPLICATION_FACTOR", "1", "STATUSREG_TOPIC_MIN_INSYNC_REPLICAS", "1");
    int code =
        switch (command) {
          case "topics" -> TopicsCommand.run(all, o, e, env);
          case "replay" -> ReplayCommand.run(all, o, e, env);
          case "audit" -> AuditCommand.run(all, o, e, env);
          default -> throw new IllegalArgumentException(command);
        };
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  @Order(1)
  void topicsVerifyReportsAWronglyConfiguredTopicAndPassesAfterApply() throws Exception {
    try (Admin admin = access.admin()) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(TopicCatalogue.EVENTS, 12, (short) 1)
                      .configs(Map.of("cleanup.policy", "compact", "retention.ms", "3600000"))))
          .all()
          .get(60, TimeUnit.SECONDS);
    }
    Run before = cli("topics", "verify");
    assertThat(before.code()).as(before.out() + before.err()).isEqualTo(1);
    assertThat(before.out())
        .contains("statusreg.events: cleanup.policy=compact, expected delete")
        .contains("statusreg.events: retention.ms=3600000, expected -1")
        .contains("statusreg.snapshots: missing")
        .contains("statusreg.commands: missing")
        .contains("statusreg.replies: missing");

    Run apply = cli("topics", "apply");
    assertThat(apply.code()).as(apply.out() + apply.err()).isZero();
    assertThat(apply.out())
        .contains("created statusreg.snapshots")
        .contains("created statusreg.commands")
        .contains("set statusreg.events");

    Run after = cli("topics", "verify");
    assertThat(after.code()).as(after.out() + after.err()).isZero();
    assertThat(after.out()).contains("every topic matches");

    // Bounding events retention before any snapshot exists is refused.
    Run bound = cli("topics", "apply", "--events-retention", "2h");
    assertThat(bound.code()).isEqualTo(1);
    assertThat(bound.err()).contains("no snapshot watermark covers it");
  }

  @Test
  @Order(2)
  void rebuildFromSnapshotsPlusTailAfterExpiryEqualsTheFullFold() throws Exception {
    List<RegistryEvent> events = generated.events();
    int split = events.size() * 2 / 3;
    // Split between commands: the events of one command share their time.
    while (events.get(split).at().equals(events.get(split - 1).at())) {
      split++;
    }
    produce(events.subList(0, split));
    phaseAEnd = events.get(split - 1).at();
    phaseAStates = EventGenerator.fold(events.subList(0, split));

    StateRebuilder.Options fromSnapshots =
        StateRebuilder.Options.fromSnapshots(TopicCatalogue.EVENTS, TopicCatalogue.SNAPSHOTS);
    RegistryState first = new StateRebuilder(access, fromSnapshots).rebuild(ReplayProgress.NONE);
    assertThat(first.eventsApplied()).isEqualTo(split);
    try (SnapshotWriter writer = new SnapshotWriter(access, TopicCatalogue.SNAPSHOTS, 256 * 1024)) {
      // A small value limit so that the bigger lists are chunked.
      Snapshotter.snapshot(first, writer, Instant.now(), Duration.ofMinutes(10), false);
    }
    produce(events.subList(split, events.size()));

    // State as of the end of phase A, from the full log (before anything expires).
    RegistryState asOfA =
        new StateRebuilder(
                access,
                fromSnapshots.withStart(StateRebuilder.Start.BEGINNING).withUntil(phaseAEnd))
            .rebuild(ReplayProgress.NONE);
    assertSameLists(asOfA, phaseAStates);

    // Expire every event the snapshots cover.
    SnapshotSet snapshots =
        new SnapshotReader(access, TopicCatalogue.SNAPSHOTS, Duration.ofMinutes(1)).load();
    assertThat(snapshots.problems()).isEmpty();
    assertThat(snapshots.watermarks()).hasSize(12);
    assertThat(snapshots.lists()).hasSize(LISTS);
    Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
    snapshots
        .watermarks()
        .forEach(
            (p, w) ->
                delete.put(
                    new TopicPartition(TopicCatalogue.EVENTS, p),
                    RecordsToDelete.beforeOffset(w.offset())));
    try (Admin admin = access.admin()) {
      admin.deleteRecords(delete).all().get(60, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> q = new HashMap<>();
      delete.keySet().forEach(tp -> q.put(tp, OffsetSpec.earliest()));
      long expired =
          admin.listOffsets(q).all().get(60, TimeUnit.SECONDS).values().stream()
              .mapToLong(i -> i.offset())
              .sum();
      assertThat(expired).isGreaterThan(split - 1000L);
    }

    RegistryState rebuilt = new StateRebuilder(access, fromSnapshots).rebuild(ReplayProgress.NONE);
    assertThat(rebuilt.eventsApplied()).isEqualTo(events.size() - split);
    assertSameLists(rebuilt, EventGenerator.fold(events));
    assertSameLists(rebuilt, generated.finalStates());

    assertThatThrownBy(
            () ->
                new StateRebuilder(access, fromSnapshots.withStart(StateRebuilder.Start.BEGINNING))
                    .rebuild(ReplayProgress.NONE))
        .isInstanceOf(StateRebuilder.ReplayException.class)
        .hasMessageContaining("have expired");

    // Retention may now be bounded: snapshots are fresh and cover what expired.
    Run bound = cli("topics", "apply", "--events-retention", "2h", "--snapshot-interval", "10m");
    assertThat(bound.code()).as(bound.out() + bound.err()).isZero();
    Run ok = cli("topics", "verify", "--events-retention", "2h");
    assertThat(ok.code()).as(ok.out()).isZero();
    Run tooLow = cli("topics", "verify", "--events-retention", "2h", "--snapshot-interval", "1h");
    assertThat(tooLow.code()).isEqualTo(1);
    assertThat(tooLow.out()).contains("below the safe floor");
  }

  @Test
  @Order(3)
  void replayingTheSameLogTwiceGivesIdenticalState() throws Exception {
    Path dir = tmp.resolve("replays");
    Run a =
        cli(
            "replay",
            "--to-application-id",
            "replay-a",
            "--state-dir",
            dir.toString(),
            "--no-progress");
    Run b =
        cli(
            "replay",
            "--to-application-id",
            "replay-b",
            "--state-dir",
            dir.toString(),
            "--no-progress",
            "--emit",
            "issuer-1/list-1",
            "--out",
            tmp.resolve("l1.json").toString());
    assertThat(a.code()).as(a.err()).isZero();
    assertThat(b.code()).as(b.err()).isZero();
    String digestA = props(dir.resolve("replay-a")).getProperty("digest");
    String digestB = props(dir.resolve("replay-b")).getProperty("digest");
    assertThat(digestA).isNotBlank().isEqualTo(digestB);
    assertThat(Files.readAllBytes(dir.resolve("replay-a/lists.bin")))
        .isEqualTo(Files.readAllBytes(dir.resolve("replay-b/lists.bin")));
    String json = Files.readString(tmp.resolve("l1.json"));
    assertThat(json)
        .contains(
            "\"lst\" : \""
                + ListExport.lst(generated.finalStates().get(ListId.parse("issuer-1/list-1")))
                + "\"");

    Run again =
        cli(
            "replay",
            "--to-application-id",
            "replay-a",
            "--state-dir",
            dir.toString(),
            "--no-progress");
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("not empty");
  }

  @Test
  @Order(4)
  void auditNamesTheListAndIndexOfACorruptedTokenAndPassesOnCorrectOnes() throws Exception {
    SigningKey key = SigningKey.generate(SignatureAlgorithm.ES256, "test-1", Instant.now());
    Path jwks = tmp.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(key.publicJwk()).toString());
    for (Map.Entry<ListId, ListState> e : generated.finalStates().entrySet()) {
      StatusList entries = e.getValue().entries();
      long folded = e.getValue().meta().version();
      publish(
          e.getKey(), TestTokens.record(key, e.getKey(), entries, entries, Instant.now(), folded));
    }
    // A settle time far beyond the class timeout: tokens that say what they cover never wait.
    String[] keys = {"--jwks", jwks.toString(), "--settle", "10m", "--no-progress"};
    Run clean = cli("audit", keys);
    assertThat(clean.code()).as(clean.out() + clean.err()).isZero();
    assertThat(clean.out())
        .contains("6 lists, 6 tokens, no findings")
        .contains("6 tokens compared at the event count they cover, 0 by settling");

    // One flipped bit in both representations: the log disagrees with the publication.
    ListId victim = ListId.parse("issuer-2/list-5");
    ListState state = generated.finalStates().get(victim);
    long version = state.meta().version();
    byte[] bytes = state.entries().toBytes();
    int byteIndex = 1234;
    bytes[byteIndex] ^= 0x04; // 2-bit entries: entry 1 of that byte
    long idx = byteIndex * 4L + 1;
    StatusList flipped = StatusList.fromBytes(2, state.meta().size(), bytes);
    publish(victim, TestTokens.record(key, victim, flipped, flipped, Instant.now(), version));
    Run dirty = cli("audit", keys);
    assertThat(dirty.code()).as(dirty.out() + dirty.err()).isEqualTo(1);
    assertThat(dirty.out())
        .contains(
            "MISMATCH issuer-2/list-5: 1 entries differ from the list after its first "
                + version
                + " events")
        .contains("index " + idx + ": log says " + state.entries().get(idx));
    assertThat(dirty.out()).doesNotContain("issuer-0/list-0");

    // A token that covers fewer events than the log holds is compared with the list at its count:
    // correct there, it only trails the log (a finding once the first event it lacks is older
    // than --max-lag; these events are from January).
    long behind = version - 25;
    ListState earlier = stateAfter(victim, behind);
    assertThat(earlier.entries().toBytes()).isNotEqualTo(state.entries().toBytes());
    publish(
        victim,
        TestTokens.record(
            key, victim, earlier.entries(), earlier.entries(), Instant.now(), behind));
    Run trailing = cli("audit", concat(keys, "--max-lag", "36500d"));
    assertThat(trailing.code()).as(trailing.out() + trailing.err()).isZero();
    assertThat(trailing.out()).contains("1 publications trail the log within --max-lag");
    Run stale = cli("audit", keys);
    assertThat(stale.code()).isEqualTo(1);
    assertThat(stale.out())
        .contains(
            "STALE_TOKEN issuer-2/list-5: the token covers "
                + behind
                + " of the list's "
                + version
                + " events")
        .doesNotContain("MISMATCH");
    // ... and wrong at its count: the list's final bits under an older count are a mismatch.
    publish(
        victim,
        TestTokens.record(key, victim, state.entries(), state.entries(), Instant.now(), behind));
    Run wrongAtCount = cli("audit", concat(keys, "--max-lag", "36500d"));
    assertThat(wrongAtCount.code()).isEqualTo(1);
    assertThat(wrongAtCount.out())
        .contains("MISMATCH issuer-2/list-5: ")
        .contains("differ from the list after its first " + behind + " events");
    // A token claiming more events than the log has.
    publish(
        victim,
        TestTokens.record(
            key, victim, state.entries(), state.entries(), Instant.now(), version + 1));
    Run ahead = cli("audit", keys);
    assertThat(ahead.code()).isEqualTo(1);
    assertThat(ahead.out())
        .contains(
            "MISMATCH issuer-2/list-5: the token (v1) says it folds "
                + (version + 1)
                + " of the list's events; the log has "
                + version);

    // A record of wire version 1 does not say what it covers: it is settled as before.
    publish(victim, TestTokens.recordVersion1(key, victim, flipped, flipped, Instant.now()));
    String[] settling = {"--jwks", jwks.toString(), "--settle", "2s", "--no-progress"};
    Run old = cli("audit", settling);
    assertThat(old.code()).as(old.out() + old.err()).isEqualTo(1);
    assertThat(old.out())
        .contains("MISMATCH issuer-2/list-5: 1 entries differ from the log")
        .contains("which does not say what it covers")
        .contains("5 tokens compared at the event count they cover, 1 by settling");
    publish(
        victim,
        TestTokens.recordVersion1(key, victim, state.entries(), state.entries(), Instant.now()));
    Run oldClean = cli("audit", settling);
    assertThat(oldClean.code()).as(oldClean.out() + oldClean.err()).isZero();

    // The flip only in the CWT: the two representations disagree.
    publish(
        victim, TestTokens.record(key, victim, state.entries(), flipped, Instant.now(), version));
    Run split = cli("audit", keys);
    assertThat(split.code()).as(split.out() + split.err()).isEqualTo(1);
    assertThat(split.out())
        .contains("REPRESENTATIONS_DIFFER issuer-2/list-5: CWT and JWT lists differ in 1 entries")
        .contains("index " + idx)
        .doesNotContain("MISMATCH");

    // Signed by a key the JWKS does not hold.
    SigningKey stranger = SigningKey.generate(SignatureAlgorithm.ES256, "test-1", Instant.now());
    publish(
        victim,
        TestTokens.record(
            stranger, victim, state.entries(), state.entries(), Instant.now(), version));
    Run forged = cli("audit", keys);
    assertThat(forged.code()).isEqualTo(1);
    assertThat(forged.out()).contains("BAD_SIGNATURE issuer-2/list-5");

    Run noKeys =
        cli(
            "audit",
            "--settle",
            "2s",
            "--no-progress",
            "--data-dir",
            tmp.resolve("no-dev").toString());
    assertThat(noKeys.code()).isEqualTo(2);
    assertThat(noKeys.err()).contains("--jwks FILE or --jwks-url URL");
  }

  /** The list after exactly {@code version} of its events (the generated log, folded). */
  static ListState stateAfter(ListId list, long version) {
    ListState s = ListState.initial();
    for (RegistryEvent e : generated.events()) {
      if (e.listId().equals(list)) {
        s = s.evolve(e);
        if (s.exists() && s.meta().version() == version) {
          return s;
        }
      }
    }
    throw new AssertionError(list + " never reaches version " + version);
  }

  static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * Publishes a token record and waits until read_committed readers see it: a commit returns before
   * its markers are written to the partition.
   */
  static void publish(ListId list, byte[] record) throws Exception {
    assertThat(TokenSerde.fromBytes(record).listId()).isEqualTo(list);
    RecordMetadata sent;
    try (KafkaProducer<String, byte[]> p = access.transactionalWriter("test-publisher")) {
      p.beginTransaction();
      sent =
          p.send(new ProducerRecord<>(TopicCatalogue.TOKENS, list.key(), record))
              .get(60, TimeUnit.SECONDS);
      p.commitTransaction();
    }
    TopicPartition tp = new TopicPartition(sent.topic(), sent.partition());
    try (Admin admin = access.admin()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (admin
              .listOffsets(
                  Map.of(tp, OffsetSpec.latest()),
                  new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
              .partitionResult(tp)
              .get(60, TimeUnit.SECONDS)
              .offset()
          <= sent.offset()) {
        assertThat(System.nanoTime()).as("token visible to read_committed").isLessThan(deadline);
        Thread.sleep(20);
      }
    }
  }

  static void produce(List<RegistryEvent> events) {
    try (KafkaProducer<String, byte[]> p = access.transactionalWriter("test-events")) {
      for (int from = 0; from < events.size(); from += 20_000) {
        p.beginTransaction();
        for (RegistryEvent e : events.subList(from, Math.min(events.size(), from + 20_000))) {
          p.send(
              new ProducerRecord<>(TopicCatalogue.EVENTS, e.listId().key(), EventCodec.encode(e)));
        }
        p.commitTransaction();
      }
    }
  }

  static void assertSameLists(RegistryState state, Map<ListId, ListState> expected) {
    assertThat(state.lists().keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach(
        (id, want) -> {
          ListState got = state.list(id).orElseThrow();
          assertThat(got.meta()).as("meta of " + id).isEqualTo(want.meta());
          assertThat(got.entries().toBytes())
              .as("entries of " + id)
              .isEqualTo(want.entries().toBytes());
        });
  }

  static Properties props(Path dir) throws Exception {
    Properties p = new Properties();
    try (var in = Files.newInputStream(dir.resolve("replay.properties"))) {
      p.load(in);
    }
    return p;
  }
}
