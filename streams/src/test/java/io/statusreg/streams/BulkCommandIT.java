package io.statusreg.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.common.TopicCatalogue;
import io.statusreg.kraft.KraftCluster;
import io.statusreg.registry.Actor;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.Status;
import io.statusreg.registry.config.Settings;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.events.StatusChanged;
import io.statusreg.registry.fold.Decider;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.issuance.IndexPermutation;
import io.statusreg.streams.gateway.CommandGateway.Outcome;
import io.statusreg.streams.testing.Await;
import io.statusreg.streams.testing.RegistryHarness;
import io.statusreg.streams.testing.TestSigner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The largest command a caller may send (the decider's maximum number of changes, which is also the
 * API's {@code bulk.max.changes} maximum) on a real single-node KRaft broker: it is accepted,
 * durable and published, its reply stays small, and the node keeps answering afterwards. Before
 * replies were made compact, such a command's reply (every event in full) exceeded the broker's 1
 * MB record limit on the {@code command-replies} changelog and killed the stream thread.
 */
@Tag("integration")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BulkCommandIT {
  private static final Actor ISSUER = Actor.issuer("bulk-it");
  private static final int MAX_CHANGES = Decider.Limits.DEFAULT.maxChanges();

  private static final int RECORD_MAX_BYTES = 4 << 20;

  @TempDir static Path dir;
  private KraftCluster kafka;
  private StreamsSettings settings;
  private RegistryNode node;
  private final TestSigner signer = new TestSigner(6);

  @BeforeAll
  void start() {
    kafka = KraftCluster.builder().dataDir(dir.resolve("kafka")).build();
    kafka.start();
    Map<String, String> raw =
        RegistryHarness.nodeSettings(
            kafka.bootstrapServers(), "statusreg-bulk-it", dir.resolve("streams"), 2);
    raw.put("command.timeout.ms", "30000");
    raw.put("record.max.bytes", Integer.toString(RECORD_MAX_BYTES));
    settings = StreamsSettings.from(Settings.of(raw));
    RegistryNode.createTopics(settings, Duration.ofSeconds(30));
    node = RegistryNode.start(settings, signer, Clock.systemUTC());
    Await.until("node ready", Duration.ofSeconds(90), node::isReady);
  }

  @AfterAll
  void stop() {
    if (node != null) {
      node.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void aBulkOfTheMaximumNumberOfChangesIsAcceptedPublishedAndTheNodeKeepsAnswering()
      throws Exception {
    ListId list = ListId.of("bulk", "max");
    accepted(submit(create(list, 4 * MAX_CHANGES)));
    List<Long> indexes = new ArrayList<>(submit(allocate(list, MAX_CHANGES)).allocatedIndexes());
    assertThat(indexes).hasSize(MAX_CHANGES).doesNotHaveDuplicates();

    List<RegistryCommand.Change> changes = new ArrayList<>();
    for (long idx : indexes) {
      changes.add(new RegistryCommand.Change(idx, Status.INVALID, Reason.UNSPECIFIED));
    }
    RegistryCommand.ChangeStatus bulk =
        new RegistryCommand.ChangeStatus(UUID.randomUUID(), list, changes, ISSUER, Instant.now());
    Outcome outcome = submit(bulk);

    List<RegistryEvent> events = accepted(outcome).events();
    assertThat(events).hasSize(MAX_CHANGES);
    for (int n = 0; n < events.size(); n++) {
      StatusChanged e = (StatusChanged) events.get(n);
      assertThat(e.id()).isEqualTo(bulk.eventId(n));
      assertThat(e.idx()).isEqualTo(indexes.get(n));
      assertThat(e.previous()).isEqualTo(Status.VALID);
      assertThat(e.status()).isEqualTo(Status.INVALID);
    }

    // A retry with the same command id is answered from the owner's dedup store, identically.
    Outcome again = submit(bulk);
    assertThat(accepted(again).events()).isEqualTo(events);

    Await.until(
        "the bulk's revocations published",
        Duration.ofSeconds(60),
        () ->
            node.directory()
                .latest(list)
                .map(t -> t.counts()[Status.INVALID.code()] == MAX_CHANGES)
                .orElse(false));

    // The node keeps answering: a further command on the same list (same task) is decided.
    RegistryCommand.ChangeStatus reinstate =
        new RegistryCommand.ChangeStatus(
            UUID.randomUUID(),
            list,
            List.of(new RegistryCommand.Change(indexes.get(0), Status.VALID, Reason.UNSPECIFIED)),
            ISSUER,
            Instant.now());
    assertThat(submit(reinstate).decision()).isInstanceOf(Decision.Rejected.class);
    assertThat(node.isAlive()).isTrue();
  }

  @Test
  void everyTopicAndChangelogTheNodeWritesTakesRecordsAsLargeAsItsProducersSend() throws Exception {
    // A first command makes the task write to every store, so Streams has created the changelogs.
    ListId list = ListId.of("bulk", "limits");
    accepted(submit(create(list, 1000)));
    assertThat(
            RegistryNode.streamsConfig(settings)
                .get(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)))
        .isEqualTo(RECORD_MAX_BYTES);
    List<String> topics = new ArrayList<>();
    for (String store :
        List.of(
            RegistryTopology.META_STORE,
            RegistryTopology.PAGES_STORE,
            RegistryTopology.DIRTY_STORE,
            RegistryTopology.PUBLICATIONS_STORE,
            RegistryTopology.REPLIES_STORE,
            RegistryTopology.EVENT_IDS_STORE)) {
      topics.add(settings.applicationId() + "-" + store + "-changelog");
    }
    settings.topicCatalogue().all().forEach(t -> topics.add(t.name()));
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      List<ConfigResource> resources =
          topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
      Map<ConfigResource, Config> configs =
          admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
      for (ConfigResource r : resources) {
        // The DLQ takes any record of the others plus its dead-letter headers.
        int expected =
            r.name().equals(TopicCatalogue.DLQ)
                ? RECORD_MAX_BYTES + TopicCatalogue.DLQ_HEADER_BYTES
                : RECORD_MAX_BYTES;
        assertThat(configs.get(r).get("max.message.bytes").value())
            .as("max.message.bytes of %s", r.name())
            .isEqualTo(Integer.toString(expected));
      }
    }
  }

  private Outcome submit(RegistryCommand command) throws Exception {
    return node.gateway().submit(command).get(60, TimeUnit.SECONDS);
  }

  private static Decision.Accepted accepted(Outcome o) {
    assertThat(o.decision()).isInstanceOf(Decision.Accepted.class);
    return (Decision.Accepted) o.decision();
  }

  private static RegistryCommand create(ListId list, long size) {
    return new RegistryCommand.CreateList(
        UUID.randomUUID(),
        list,
        1,
        size,
        Duration.ofMinutes(5),
        Duration.ofHours(1),
        Purpose.REVOCATION,
        new IndexPermutation.Key(17, 99),
        ISSUER,
        Instant.now());
  }

  private static RegistryCommand allocate(ListId list, int count) {
    return new RegistryCommand.AllocateIndexes(
        UUID.randomUUID(), list, count, ISSUER, Instant.now());
  }
}
