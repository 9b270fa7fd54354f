package io.statusreg.compaction;

import static io.statusreg.streams.testing.RegistryHarness.accepted;
import static io.statusreg.streams.testing.RegistryHarness.submitAsync;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.statusreg.common.TopicCatalogue;
import io.statusreg.common.wire.PublishedToken;
import io.statusreg.common.wire.TokenSerde;
import io.statusreg.compaction.replay.RegistryState;
import io.statusreg.compaction.replay.ReplayProgress;
import io.statusreg.compaction.replay.StateRebuilder;
import io.statusreg.kraft.KraftCluster;
import io.statusreg.registry.Actor;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.IndexesAllocated;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.ListState;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.identifiers.IdentifierCipher;
import io.statusreg.registry.identifiers.IdentifierListToken;
import io.statusreg.registry.identifiers.ListKind;
import io.statusreg.registry.issuance.IndexPermutation;
import io.statusreg.registry.keys.SigningKeys;
import io.statusreg.registry.keys.VerificationKeys;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.StatusListEncoding;
import io.statusreg.registry.tokens.TokenVerifier;
import io.statusreg.streams.RegistryNode;
import io.statusreg.streams.StreamsSettings;
import io.statusreg.streams.gateway.CommandGateway;
import io.statusreg.streams.gateway.CommandGateway.Outcome;
import io.statusreg.streams.publication.ListSigner;
import io.statusreg.streams.publication.RegistryListSigner;
import io.statusreg.streams.testing.Await;
import io.statusreg.streams.testing.RegistryHarness;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SRE tools against the real registry: an embedded KRaft broker, topics created by {@link
 * RegistryNode#createTopics} from the one catalogue (and accepted as they are by {@code topics
 * verify}), a streams {@link RegistryNode} fed through its command gateway and publishing signed
 * tokens; then {@code audit} (keys from the live-style JWKS URL) finds nothing, and {@code
 * snapshot} + {@code replay --from-snapshots} give the bits of the live tokens. One of the lists is
 * an ISO 18013-5 identifier list (identifiers issued, some revoked before and after the snapshot):
 * audited like the others, and replayed from its snapshot to exactly the identifiers its live CWT
 * revokes.
 */
@Tag("integration")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LiveRegistryIT {
  static final Actor ISSUER = Actor.issuer("sre-it");
  static final int PARTITIONS = 4;
  static final int SIZE = 20_000;
  static final ObjectMapper JSON = new ObjectMapper();
  static final ListId IDENTIFIERS = ListId.of("issuer-0", "identifiers");
  static final java.util.Base64.Encoder B64 = java.util.Base64.getUrlEncoder().withoutPadding();

  @TempDir static Path dir;
  static KraftCluster kafka;
  static SigningKeys keys;
  static HttpServer jwksServer;
  static RegistryNode node;
  static Map<String, String> env;

  @BeforeAll
  static void start() throws Exception {
    kafka = KraftCluster.builder().dataDir(dir.resolve("kafka")).build();
    kafka.start();
    // The registry's settings as its process reads them: STATUSREG_* variables.
    env = new HashMap<>();
    env.put("STATUSREG_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("STATUSREG_EVENTS_PARTITIONS", Integer.toString(PARTITIONS));
    env.put("STATUSREG_TOPIC_REPLICATION_FACTOR", "1");
    env.put("STATUSREG_TOPIC_MIN_INSYNC_REPLICAS", "1");
    keys = SigningKeys.development(Clock.systemUTC());
    jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    jwksServer.createContext(
        "/.well-known/jwks.json",
        exchange -> {
          byte[] body = keys.publicJwks().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/jwk-set+json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    jwksServer.start();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    if (jwksServer != null) {
      jwksServer.stop(0);
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  static StreamsSettings nodeSettings() {
    Map<String, String> raw =
        RegistryHarness.nodeSettings(
            kafka.bootstrapServers(), "statusreg-sre-it", dir.resolve("streams"), PARTITIONS);
    raw.put("public.base.url", "http://status.example");
    return RegistryHarness.settings(raw);
  }

  record Run(int code, String out, String err) {}

  static Run cli(String command, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    int code =
        switch (command) {
          case "topics" -> TopicsCommand.run(args, o, e, env);
          case "snapshot" -> SnapshotCommand.run(args, o, e, env, Clock.systemUTC());
          case "replay" -> ReplayCommand.run(args, o, e, env);
          case "audit" -> AuditCommand.run(args, o, e, env);
          default -> throw new IllegalArgumentException(command);
        };
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void auditFindsNothingOnTheLiveRegistryAndReplayFromSnapshotsGivesTheLiveBits() throws Exception {
    // Topics created the way dev and tests create them pass `topics verify` as they are: the
    // catalogue is the one source of per-topic configs.
    StreamsSettings settings = nodeSettings();
    assertThat(RegistryNode.createTopics(settings, Duration.ofSeconds(60)))
        .contains(TopicCatalogue.COMMANDS, TopicCatalogue.REPLIES, TopicCatalogue.SNAPSHOTS);
    Run verify = cli("topics", "verify");
    assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
    Run apply = cli("topics", "apply");
    assertThat(apply.code()).as(apply.out() + apply.err()).isZero();
    assertThat(apply.out()).contains("nothing to do");

    node =
        RegistryHarness.startReady(
            settings, new RegistryListSigner(keys, 6, settings.publicBaseUrl()), Clock.systemUTC());

    List<ListId> lists = new ArrayList<>();
    Map<ListId, List<Long>> allocated = new HashMap<>();
    Random random = new Random(20261121);
    for (int i = 0; i < 4; i++) {
      ListId list = ListId.of("issuer-" + (i % 2), "list-" + i);
      lists.add(list);
      accepted(submitAsync(node.gateway(), create(list)).get(60, TimeUnit.SECONDS));
      List<Long> indexes = new ArrayList<>();
      for (int b = 0; b < 5; b++) {
        Outcome o = submitAsync(node.gateway(), allocate(list, 10 + b)).get(60, TimeUnit.SECONDS);
        indexes.addAll(accepted(o).allocatedIndexes());
      }
      allocated.put(list, indexes);
    }
    int sent = 4 * 6;
    sent += changes(node.gateway(), lists, allocated, random, 240);

    // One ISO 18013-5 identifier list beside them: identifiers issued, some revoked.
    accepted(
        submitAsync(node.gateway(), createIdentifierList(IDENTIFIERS)).get(60, TimeUnit.SECONDS));
    List<byte[]> issued = new ArrayList<>();
    for (int b = 0; b < 4; b++) {
      issued.addAll(issue(node.gateway(), IDENTIFIERS, 25));
    }
    assertThat(issued).hasSize(100);
    Set<String> revokedIds = new TreeSet<>();
    revokeIdentifiers(node.gateway(), issued.subList(0, 12), revokedIds);
    revokeIdentifiers(node.gateway(), issued.subList(40, 48), revokedIds);
    // already revoked: accepted, changes nothing
    revokeIdentifiers(node.gateway(), issued.subList(5, 7), revokedIds);
    assertThat(revokedIds).hasSize(20);
    List<ListId> everyList = new ArrayList<>(lists);
    everyList.add(IDENTIFIERS);

    Path jwksFile = dir.resolve("jwks.json");
    Files.writeString(jwksFile, keys.publicJwks());
    Await.until("every list published", Duration.ofSeconds(60), () -> allPublished(everyList));
    String jwksUrl =
        "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/.well-known/jwks.json";
    Run audit = cli("audit", "--jwks-url", jwksUrl, "--settle", "30s", "--no-progress");
    assertThat(audit.code()).as(audit.out() + audit.err()).isZero();
    assertThat(audit.out())
        .contains("5 lists, 5 tokens, no findings")
        .contains("5 tokens compared at the event count they cover, 0 by settling");

    Run snapshot = cli("snapshot");
    assertThat(snapshot.code()).as(snapshot.out() + snapshot.err()).isZero();
    assertThat(snapshot.out()).contains("5 lists written");

    // More changes after the snapshot: replay from snapshots must fold this tail too.
    sent += changes(node.gateway(), lists, allocated, random, 120);
    // Identifiers revoked after the snapshot, folded onto the identifier list's snapshot.
    revokeIdentifiers(node.gateway(), issued.subList(60, 66), revokedIds);
    revokeIdentifiers(node.gateway(), issued.subList(99, 100), revokedIds);
    assertThat(revokedIds).hasSize(27);
    // Wait for the identifier list's token to cover its tail (created, 4 issues, 27 revocations),
    // so that the audit compares it after events a snapshot does not cover.
    long identifierEvents = 1 + 4 + 27;
    Await.until(
        "the identifier list's token covers every event",
        Duration.ofSeconds(60),
        () ->
            node.directory().latest(IDENTIFIERS).orElseThrow().foldedEvents() == identifierEvents);
    assertThat(sent).isGreaterThanOrEqualTo(300);
    Run again = cli("audit", "--jwks", jwksFile.toString(), "--settle", "30s", "--no-progress");
    assertThat(again.code()).as(again.out() + again.err()).isZero();
    // Right after the changes: tokens may trail the log, each still compared at its own count
    // (the identifier list's covers its revocations after the snapshot).
    assertThat(again.out())
        .contains("5 lists, 5 tokens, no findings")
        .contains("5 tokens compared at the event count they cover, 0 by settling");

    RegistryState fromSnapshots =
        new StateRebuilder(
                KafkaAccess.of(kafka.bootstrapServers()),
                StateRebuilder.Options.fromSnapshots(
                    TopicCatalogue.EVENTS, TopicCatalogue.SNAPSHOTS))
            .rebuild(ReplayProgress.NONE);
    // Only the tail after the watermarks is folded: at most one event per change sent since.
    assertThat(fromSnapshots.eventsApplied()).isPositive().isLessThanOrEqualTo(120 + 7);
    assertThat(fromSnapshots.lists()).hasSize(5);
    // The identifier list restored from its snapshot is still an identifier list, and holds every
    // revocation: those before the snapshot and the 7 of the tail.
    ListState identifierState = fromSnapshots.lists().get(IDENTIFIERS).state();
    assertThat(identifierState.meta().kind()).isEqualTo(ListKind.IDENTIFIER_LIST);
    assertThat(identifierState.meta().cursor()).isEqualTo(100);
    assertThat(identifierState.meta().ignored()).as("events the fold refused").isZero();
    assertThat(identifiersOf(identifierState)).isEqualTo(revokedIds);

    // A list pinned below its snapshot's version (an audited token older than the snapshot) is
    // folded from its first event instead: the same state at the pin as a fold of the whole log.
    ListId pinned = lists.getFirst();
    long pinAt = 4; // created, then 3 of its 5 allocations: older than any snapshot
    assertThat(fromSnapshots.lists().get(pinned).version()).isGreaterThan(pinAt);
    StateRebuilder.Options options =
        StateRebuilder.Options.fromSnapshots(TopicCatalogue.EVENTS, TopicCatalogue.SNAPSHOTS);
    KafkaAccess access = KafkaAccess.of(kafka.bootstrapServers());
    var viaSnapshots =
        new StateRebuilder(access, options)
            .rebuild(ReplayProgress.NONE, Map.of(pinned, pinAt))
            .lists()
            .get(pinned);
    var viaWholeLog =
        new StateRebuilder(access, options.withStart(StateRebuilder.Start.BEGINNING))
            .rebuild(ReplayProgress.NONE, Map.of(pinned, pinAt))
            .lists()
            .get(pinned);
    assertThat(viaSnapshots.atPin()).isPresent();
    assertThat(viaSnapshots.atPin().get().meta().version()).isEqualTo(pinAt);
    assertThat(viaSnapshots.atPin()).isEqualTo(viaWholeLog.atPin());
    assertThat(viaSnapshots.firstEventAfterPin()).isEqualTo(viaWholeLog.firstEventAfterPin());
    assertThat(viaSnapshots.state()).isEqualTo(viaWholeLog.state());

    TokenVerifier verifier = TokenVerifier.of(VerificationKeys.parse(keys.publicJwks()));
    Path replays = dir.resolve("replays");
    for (ListId list : lists) {
      Path out = dir.resolve(list.name() + ".json");
      Run replay =
          cli(
              "replay",
              "--to-application-id",
              "sre-it-" + list.name(),
              "--from-snapshots",
              "--state-dir",
              replays.toString(),
              "--no-progress",
              "--emit",
              list.key(),
              "--out",
              out.toString());
      assertThat(replay.code()).as(replay.out() + replay.err()).isZero();
      JsonNode emitted = JSON.readTree(Files.readAllBytes(out));
      StatusList replayed =
          StatusListEncoding.decode(
              emitted.get("lst").asText(),
              emitted.get("bits").asInt(),
              emitted.get("size").asLong());

      PublishedToken live = node.directory().latest(list).orElseThrow();
      StatusList published =
          verifier.verifyJwt(new String(live.jwt(), StandardCharsets.US_ASCII)).claims().list();
      assertThat(replayed.toBytes()).as("bits of " + list).isEqualTo(published.toBytes());
      assertThat(replayed.histogram()).isEqualTo(live.counts());
    }

    // The identifier list: replay --emit gives the revoked identifiers the live CWT holds.
    assertThat(identifierState.meta().version()).isEqualTo(identifierEvents);
    PublishedToken liveIds = node.directory().latest(IDENTIFIERS).orElseThrow();
    assertThat(liveIds.isIdentifierList()).isTrue();
    IdentifierListToken cwt =
        IdentifierListToken.verify(
            liveIds.cwt(),
            VerificationKeys.parse(keys.publicJwks()).find(liveIds.kid()).orElseThrow().publicKey(),
            Instant.now());
    Set<String> published = new TreeSet<>();
    cwt.identifiers().forEach(id -> published.add(B64.encodeToString(id.bytes())));
    assertThat(published).as("identifiers the live token revokes").isEqualTo(revokedIds);
    Path idOut = dir.resolve("identifiers.json");
    Run replayIds =
        cli(
            "replay",
            "--to-application-id",
            "sre-it-identifiers",
            "--from-snapshots",
            "--state-dir",
            replays.toString(),
            "--no-progress",
            "--emit",
            IDENTIFIERS.key(),
            "--out",
            idOut.toString());
    assertThat(replayIds.code()).as(replayIds.out() + replayIds.err()).isZero();
    JsonNode emittedIds = JSON.readTree(Files.readAllBytes(idOut));
    assertThat(emittedIds.get("kind").asText()).isEqualTo("identifier_list");
    Set<String> replayedIds = new TreeSet<>();
    emittedIds.get("revokedIdentifiers").forEach(n -> replayedIds.add(n.asText()));
    assertThat(replayedIds).as("identifiers replay --emit revokes").isEqualTo(published);
    assertThat(emittedIds.get("nonValid")).hasSize(27);
    assertThat(emittedIds.get("version").asLong()).isEqualTo(liveIds.foldedEvents());

    // And the audit sees a divergence of the identifier list: a correctly signed publication that
    // claims every event but leaves out one revoked identifier is a MISMATCH of exactly that slot.
    long[] first = {-1};
    identifierState.entries().forEachNonZero(slot -> first[0] = first[0] < 0 ? slot : first[0]);
    long dropped = first[0];
    StatusList tampered = identifierState.entries().with(dropped, 0);
    ListSigner.SignedList forged =
        new RegistryListSigner(keys, 6, settings.publicBaseUrl())
            .signIdentifiers(
                IDENTIFIERS,
                liveIds.uri(),
                tampered,
                identifierState.meta().identifiers(),
                liveIds.ttl(),
                liveIds.issuedAt(),
                liveIds.expiresAt());
    PublishedToken forgedToken =
        new PublishedToken(
            liveIds.listId(),
            liveIds.uri(),
            liveIds.version() + 1,
            liveIds.bits(),
            liveIds.size(),
            liveIds.allocated(),
            new long[] {liveIds.counts()[0] + 1, liveIds.counts()[1] - 1},
            liveIds.issuedAt(),
            liveIds.expiresAt(),
            liveIds.ttl(),
            forged.kid(),
            liveIds.etag(),
            forged.jwt(),
            forged.cwt(),
            forged.w3c(),
            liveIds.oldestChangeAt(),
            liveIds.foldedEvents());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  TopicCatalogue.TOKENS, IDENTIFIERS.key(), TokenSerde.toBytes(forgedToken)))
          .get(60, TimeUnit.SECONDS);
    }
    Run tamperedAudit =
        cli("audit", "--jwks", jwksFile.toString(), "--settle", "30s", "--no-progress");
    assertThat(tamperedAudit.code()).as(tamperedAudit.out() + tamperedAudit.err()).isEqualTo(1);
    assertThat(tamperedAudit.out())
        .contains("MISMATCH " + IDENTIFIERS.key() + ": 1 entries differ")
        .contains("index " + dropped + ": log says 1, token says 0")
        .contains("5 lists, 5 tokens, 1 findings");

    long revoked =
        lists.stream().mapToLong(l -> node.directory().latest(l).orElseThrow().counts()[1]).sum();
    assertThat(revoked).as("some entries were revoked").isGreaterThan(20);
  }

  /** The revoked identifiers of an identifier list, base64url: its revoked slots enciphered. */
  static Set<String> identifiersOf(ListState list) {
    IdentifierCipher cipher = list.meta().identifiers();
    Set<String> out = new TreeSet<>();
    list.entries().forEachNonZero(slot -> out.add(B64.encodeToString(cipher.identifier(slot))));
    return out;
  }

  /** Issues {@code count} identifiers of {@code list}: the identifiers of the slots allocated. */
  static List<byte[]> issue(CommandGateway gateway, ListId list, int count) throws Exception {
    Outcome o =
        accepted(
            submitAsync(
                    gateway,
                    new RegistryCommand.AllocateIndexes(
                        UUID.randomUUID(),
                        list,
                        count,
                        ISSUER,
                        Instant.now(),
                        ListKind.IDENTIFIER_LIST))
                .get(60, TimeUnit.SECONDS));
    // An identifier list's slots are the cursors themselves (allocatedIndexes are permuted), as
    // the API's IdentifierListService issues them.
    IdentifierCipher cipher = o.meta().orElseThrow().identifiers();
    List<byte[]> ids = new ArrayList<>();
    for (var event : ((Decision.Accepted) o.decision()).events()) {
      if (event instanceof IndexesAllocated a) {
        for (long slot = a.fromCursor(); slot < a.fromCursor() + a.count(); slot++) {
          ids.add(cipher.identifier(slot));
        }
      }
    }
    return ids;
  }

  /** Revokes identifiers (all or none) and adds them to {@code revoked}, base64url. */
  static void revokeIdentifiers(CommandGateway gateway, List<byte[]> ids, Set<String> revoked)
      throws Exception {
    accepted(
        submitAsync(
                gateway,
                new RegistryCommand.RevokeIdentifiers(
                    UUID.randomUUID(), IDENTIFIERS, ids, Reason.UNSPECIFIED, ISSUER, Instant.now()))
            .get(60, TimeUnit.SECONDS));
    ids.forEach(id -> revoked.add(B64.encodeToString(id)));
  }

  static RegistryCommand createIdentifierList(ListId list) {
    return new RegistryCommand.CreateList(
        UUID.randomUUID(),
        list,
        1,
        5_000,
        Duration.ofMinutes(5),
        Duration.ofHours(1),
        Purpose.REVOCATION,
        new IndexPermutation.Key(list.hashCode(), 11),
        ISSUER,
        Instant.now(),
        ListKind.IDENTIFIER_LIST);
  }

  static boolean allPublished(List<ListId> lists) {
    return lists.stream().allMatch(l -> node.directory().latest(l).isPresent());
  }

  /** Sends {@code count} random status changes in windows of 32; returns how many were sent. */
  static int changes(
      CommandGateway gateway,
      List<ListId> lists,
      Map<ListId, List<Long>> allocated,
      Random random,
      int count)
      throws Exception {
    Status[] statuses = {Status.INVALID, Status.SUSPENDED, Status.SUSPENDED, Status.VALID};
    List<CompletableFuture<Outcome>> window = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ListId list = lists.get(random.nextInt(lists.size()));
      List<Long> idx = allocated.get(list);
      window.add(
          submitAsync(
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
      if (window.size() == 32 || i == count - 1) {
        for (CompletableFuture<Outcome> f : window) {
          f.get(60, TimeUnit.SECONDS);
        }
        window.clear();
      }
    }
    return count;
  }

  static RegistryCommand create(ListId list) {
    return RegistryHarness.create(list, 2, SIZE, 7, ISSUER);
  }

  static RegistryCommand allocate(ListId list, int count) {
    return RegistryHarness.allocate(list, count, ISSUER);
  }
}
