package io.statusreg.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.statusreg.compaction.replay.EventSequences;
import io.statusreg.compaction.replay.ListExport;
import io.statusreg.compaction.replay.RegistryState;
import io.statusreg.compaction.replay.ReplayProgress;
import io.statusreg.compaction.replay.Snapshotter;
import io.statusreg.compaction.replay.StateRebuilder;
import io.statusreg.compaction.snapshots.SnapshotReader;
import io.statusreg.compaction.snapshots.SnapshotSet;
import io.statusreg.compaction.snapshots.SnapshotWriter;
import io.statusreg.compaction.topics.RegistryTopics;
import io.statusreg.kraft.KraftCluster;
import io.statusreg.registry.ListId;
import io.statusreg.registry.events.EventCodec;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.fold.ListState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
  static EventSequences.Generated generated;
  static Instant phaseAEnd;
  static Map<ListId, ListState> phaseAStates;

  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    kafka = KraftCluster.builder().build();
    kafka.start();
    access = KafkaAccess.of(kafka.bootstrapServers());
    generated = EventSequences.generate(42, LISTS, CHANGES_PER_LIST, 200_000, 2, START);
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
    Map<String, String> env = Map.of();
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
                  new NewTopic(RegistryTopics.EVENTS, 12, (short) 1)
                      .configs(Map.of("cleanup.policy", "compact", "retention.ms", "3600000"))))
          .all()
          .get(60, TimeUnit.SECONDS);
    }
    Run before = cli("topics", "verify");
    assertThat(before.code()).as(before.out() + before.err()).isEqualTo(1);
    assertThat(before.out())
        .contains("statusreg.events: cleanup.policy=compact, expected delete")
        .contains("statusreg.events: retention.ms=3600000, expected -1")
        .contains("statusreg.snapshots: missing");

    Run apply = cli("topics", "apply");
    assertThat(apply.code()).as(apply.out() + apply.err()).isZero();
    assertThat(apply.out())
        .contains("created statusreg.snapshots")
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
    phaseAStates = EventSequences.fold(events.subList(0, split));

    StateRebuilder.Options fromSnapshots =
        StateRebuilder.Options.fromSnapshots(RegistryTopics.EVENTS, RegistryTopics.SNAPSHOTS);
    RegistryState first = new StateRebuilder(access, fromSnapshots).rebuild(ReplayProgress.NONE);
    assertThat(first.eventsApplied()).isEqualTo(split);
    try (SnapshotWriter writer = new SnapshotWriter(access, RegistryTopics.SNAPSHOTS, 256 * 1024)) {
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
        new SnapshotReader(access, RegistryTopics.SNAPSHOTS, Duration.ofMinutes(1)).load();
    assertThat(snapshots.problems()).isEmpty();
    assertThat(snapshots.watermarks()).hasSize(12);
    assertThat(snapshots.lists()).hasSize(LISTS);
    Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
    snapshots
        .watermarks()
        .forEach(
            (p, w) ->
                delete.put(
                    new TopicPartition(RegistryTopics.EVENTS, p),
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
    assertSameLists(rebuilt, EventSequences.fold(events));
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
            "issuer1/list-1",
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
                + ListExport.lst(generated.finalStates().get(ListId.parse("issuer1/list-1")))
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
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("test-1").generate();
    Path jwks = tmp.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
    for (Map.Entry<ListId, ListState> e : generated.finalStates().entrySet()) {
      publish(e.getKey(), token(key, e.getValue(), e.getValue().entries().toBytes()));
    }
    Run clean = cli("audit", "--jwks", jwks.toString(), "--settle", "2s", "--no-progress");
    assertThat(clean.code()).as(clean.out() + clean.err()).isZero();
    assertThat(clean.out()).contains("6 lists, 6 tokens, no findings");

    ListId victim = ListId.parse("issuer2/list-5");
    ListState state = generated.finalStates().get(victim);
    byte[] bytes = state.entries().toBytes();
    int byteIndex = 1234;
    bytes[byteIndex] ^= 0x04; // 2-bit entries: entry 1 of that byte
    long idx = byteIndex * 4L + 1;
    publish(victim, token(key, state, bytes));
    Run dirty = cli("audit", "--jwks", jwks.toString(), "--settle", "2s", "--no-progress");
    assertThat(dirty.code()).as(dirty.out() + dirty.err()).isEqualTo(1);
    assertThat(dirty.out())
        .contains("MISMATCH issuer2/list-5: 1 entries differ")
        .contains("index " + idx + ": log says " + state.entries().get(idx));
    assertThat(dirty.out()).doesNotContain("issuer0/list-0");
  }

  static String token(ECKey key, ListState list, byte[] packed) throws Exception {
    byte[] zlib;
    java.util.zip.Deflater d = new java.util.zip.Deflater(6);
    d.setInput(packed);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    while (!d.finished()) {
      out.write(buf, 0, d.deflate(buf));
    }
    d.end();
    zlib = out.toByteArray();
    Map<String, Object> statusList = new HashMap<>();
    statusList.put("bits", list.meta().bits());
    statusList.put("lst", java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(zlib));
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256)
                .type(new JOSEObjectType("statuslist+jwt"))
                .keyID(key.getKeyID())
                .build(),
            new JWTClaimsSet.Builder()
                .subject("https://status.example/lists/" + list.meta().listId().key())
                .issueTime(new Date())
                .expirationTime(new Date(System.currentTimeMillis() + 3_600_000))
                .claim("ttl", 300)
                .claim("status_list", statusList)
                .build());
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  static void publish(ListId list, String jwt) throws Exception {
    try (KafkaProducer<String, byte[]> p = access.transactionalWriter("test-publisher")) {
      p.beginTransaction();
      p.send(
          new ProducerRecord<>(
              RegistryTopics.TOKENS, list.key(), jwt.getBytes(StandardCharsets.US_ASCII)));
      p.commitTransaction();
    }
  }

  static void produce(List<RegistryEvent> events) {
    try (KafkaProducer<String, byte[]> p = access.transactionalWriter("test-events")) {
      for (int from = 0; from < events.size(); from += 20_000) {
        p.beginTransaction();
        for (RegistryEvent e : events.subList(from, Math.min(events.size(), from + 20_000))) {
          p.send(
              new ProducerRecord<>(RegistryTopics.EVENTS, e.listId().key(), EventCodec.encode(e)));
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
