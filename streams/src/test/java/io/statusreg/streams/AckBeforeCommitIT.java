package io.statusreg.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.kraft.KraftCluster;
import io.statusreg.registry.Actor;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.IndexesAllocated;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.events.StatusChanged;
import io.statusreg.registry.fold.Decision;
import io.statusreg.streams.gateway.CommandGateway.EntryView;
import io.statusreg.streams.gateway.CommandGateway.Outcome;
import io.statusreg.streams.testing.AckWindowNodeMain;
import io.statusreg.streams.testing.Await;
import io.statusreg.streams.testing.ChildNode;
import io.statusreg.streams.testing.RegistryHarness;
import io.statusreg.streams.testing.TestSigner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command is answered once its owner has decided it, before the exactly_once_v2 transaction that
 * holds its effects commits (streams/README.md, "Acknowledged once decided"), and an answer given
 * inside a transaction that is then lost to a crash still holds: the restarted owner decides the
 * same commands again from the same state, to the same events with the same ids and the same
 * indexes, once each. Real broker; the crashing owner is a child JVM killed hard.
 */
@Tag("integration")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AckBeforeCommitIT {
  private static final Actor ACTOR = Actor.issuer("ack-it");

  @TempDir static Path dir;
  private static KraftCluster kafka;

  @BeforeAll
  static void startBroker() {
    kafka = KraftCluster.builder().dataDir(dir.resolve("kafka")).build();
    kafka.start();
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void aChangeIsAnsweredWhileItsTransactionIsStillOpenAndReadBackAtOnce() throws Exception {
    StreamsSettings s =
        AckWindowNodeMain.settings(
            kafka.bootstrapServers(), dir.resolve("state-open").toString(), "ack-open", "n-open");
    RegistryNode.createTopics(s, Duration.ofSeconds(30));
    ListId list = ListId.of("acme", "open-txn");
    try (RegistryNode node = RegistryHarness.startReady(s, new TestSigner(6), Clock.systemUTC())) {
      RegistryHarness.accepted(
          RegistryHarness.submit(
              node.gateway(), RegistryHarness.create(list, 1, 10_000, 3, ACTOR)));
      List<Long> idx =
          RegistryHarness.accepted(
                  RegistryHarness.submit(node.gateway(), RegistryHarness.allocate(list, 5, ACTOR)))
              .allocatedIndexes();
      Await.until(
          "list published (its transaction committed)",
          Duration.ofSeconds(60),
          () -> node.directory().latest(list).isPresent());
      // A commit may fall between the answer and the look at the log (1 in ~180 with a 9 s
      // interval): the answer must come before the commit in at least one of three tries; with
      // answers read only once committed, it never does.
      boolean answeredInOpenTransaction = false;
      for (int attempt = 0; attempt < 3 && !answeredInOpenTransaction; attempt++) {
        long target = idx.get(attempt);
        Outcome o =
            node.gateway()
                .submit(RegistryHarness.revoke(list, target, ACTOR))
                .get(30, TimeUnit.SECONDS);
        answeredInOpenTransaction =
            RegistryHarness.eventsInOpenTransaction(kafka.bootstrapServers());
        assertThat(o.decision()).isInstanceOf(Decision.Accepted.class);
        // Read your write: the owner answers the entry from its (uncommitted) state.
        Optional<EntryView> entry = node.gateway().entry(list, target).get(30, TimeUnit.SECONDS);
        assertThat(entry).get().extracting(EntryView::status).isEqualTo(Status.INVALID);
      }
      assertThat(answeredInOpenTransaction)
          .as(
              "an accepted change was answered while the events of its transaction were not yet"
                  + " committed (last stable offsets below the high watermarks)")
          .isTrue();
    }
  }

  @Test
  void answersGivenBeforeACrashAreAppliedOnceWithTheAnsweredEventIdsAndIndexes() throws Exception {
    Path state = dir.resolve("state-crash");
    StreamsSettings s =
        AckWindowNodeMain.settings(
            kafka.bootstrapServers(), state.toString(), "ack-crash", "n-crash");
    RegistryNode.createTopics(s, Duration.ofSeconds(30));
    String name = "crash-window";
    ListId list = ListId.of("acme", name);

    Map<Long, UUID> acked = new ConcurrentHashMap<>();
    List<Long> windowAllocated = new CopyOnWriteArrayList<>();
    AtomicBoolean done = new AtomicBoolean();
    Process child = startChild(s, name, acked, windowAllocated, done);
    try {
      Await.until(
          "the child answered its commands inside one commit interval",
          Duration.ofSeconds(180),
          () -> done.get() || !child.isAlive());
      assertThat(child.isAlive()).as("child still running (see child-ack.log)").isTrue();
      assertThat(acked).hasSize(AckWindowNodeMain.REVOCATIONS);
      assertThat(windowAllocated).hasSize(AckWindowNodeMain.WINDOW_ALLOCATION);
      // The crash must hit the window this test is about: answered, not yet committed.
      Set<UUID> committed =
          eventIds(RegistryHarness.readCommittedEventsNow(kafka.bootstrapServers()));
      assertThat(committed)
          .as("no answered revocation was committed before the kill")
          .doesNotContainAnyElementsOf(acked.values());
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    try (RegistryNode node = RegistryNode.start(s, new TestSigner(6), Clock.systemUTC())) {
      Await.until(
          "restarted owner running",
          Duration.ofSeconds(120),
          () -> node.isReady() && node.state() == KafkaStreams.State.RUNNING);
      // The commands are decided again once the owner has its task back.
      Await.until(
          "every answered revocation committed",
          Duration.ofSeconds(90),
          () ->
              eventIds(RegistryHarness.readEvents(kafka.bootstrapServers()))
                  .containsAll(acked.values()));
      List<RegistryEvent> events = RegistryHarness.readEvents(kafka.bootstrapServers());
      Map<UUID, Integer> times = new HashMap<>();
      Map<UUID, StatusChanged> byId = new LinkedHashMap<>();
      long allocatedCursors = 0;
      for (RegistryEvent e : events) {
        if (!e.listId().equals(list)) {
          continue;
        }
        times.merge(e.id().value(), 1, Integer::sum);
        if (e instanceof StatusChanged c) {
          byId.put(c.id().value(), c);
        }
        if (e instanceof IndexesAllocated a) {
          assertThat(a.fromCursor())
              .as("allocations follow each other")
              .isEqualTo(allocatedCursors);
          allocatedCursors += a.count();
        }
      }
      for (Map.Entry<Long, UUID> ack : acked.entrySet()) {
        assertThat(times.get(ack.getValue())).as("event %s applied once", ack.getValue()).isOne();
        StatusChanged c = byId.get(ack.getValue());
        assertThat(c.idx())
            .as("the answered event is the answered index's")
            .isEqualTo(ack.getKey());
        assertThat(c.status()).isEqualTo(Status.INVALID);
        Optional<EntryView> entry =
            node.gateway().entry(list, ack.getKey()).get(30, TimeUnit.SECONDS);
        assertThat(entry).get().extracting(EntryView::status).isEqualTo(Status.INVALID);
      }
      assertThat(allocatedCursors)
          .as("both allocations applied, once each")
          .isEqualTo(AckWindowNodeMain.FIRST_ALLOCATION + AckWindowNodeMain.WINDOW_ALLOCATION);
      for (long idx : windowAllocated) {
        Optional<EntryView> entry = node.gateway().entry(list, idx).get(30, TimeUnit.SECONDS);
        assertThat(entry)
            .as("index %d, answered inside the lost transaction, is allocated", idx)
            .get()
            .extracting(EntryView::allocated)
            .isEqualTo(true);
      }
      assertThat(times.values()).as("no event of the list applied twice").allMatch(n -> n == 1);
      List<Long> next =
          RegistryHarness.accepted(
                  RegistryHarness.submit(node.gateway(), RegistryHarness.allocate(list, 50, ACTOR)))
              .allocatedIndexes();
      assertThat(next)
          .as("an index answered before the crash is never handed out again")
          .doesNotContainAnyElementsOf(windowAllocated);
    }
  }

  private static Set<UUID> eventIds(List<RegistryEvent> events) {
    Set<UUID> out = new HashSet<>();
    events.forEach(e -> out.add(e.id().value()));
    return out;
  }

  private static Process startChild(
      StreamsSettings s,
      String listName,
      Map<Long, UUID> acked,
      List<Long> allocated,
      AtomicBoolean done)
      throws Exception {
    return ChildNode.start(
        AckWindowNodeMain.class,
        s,
        listName,
        dir.resolve("child-ack.log"),
        line -> {
          if (line.startsWith("ACK ")) {
            String[] f = line.split(" ");
            acked.put(Long.parseLong(f[1]), UUID.fromString(f[2]));
          } else if (line.startsWith("ALLOCATED ")) {
            for (String i : line.substring(10).split(",")) {
              allocated.add(Long.parseLong(i));
            }
          } else if (line.equals("DONE")) {
            done.set(true);
          }
        });
  }
}
