package io.statusreg.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusreg.common.TopicCatalogue;
import io.statusreg.common.wire.TokenSerde;
import io.statusreg.registry.Actor;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.Status;
import io.statusreg.registry.config.Settings;
import io.statusreg.registry.events.EventCodec;
import io.statusreg.registry.events.IndexesAllocated;
import io.statusreg.registry.events.ListCreated;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.events.StatusChanged;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.ListState;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.fold.Rejection;
import io.statusreg.registry.issuance.IndexPermutation;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.streams.gateway.CommandGateway.EntryView;
import io.statusreg.streams.gateway.CommandGateway.Outcome;
import io.statusreg.streams.internal.CommandProcessor;
import io.statusreg.streams.internal.CompactChanges;
import io.statusreg.streams.serde.EventSerde;
import io.statusreg.streams.serde.Reply;
import io.statusreg.streams.serde.ReplySerde;
import io.statusreg.streams.serde.Request;
import io.statusreg.streams.serde.RequestSerde;
import io.statusreg.streams.testing.AuditCapture;
import io.statusreg.streams.testing.MutableClock;
import io.statusreg.streams.testing.TestSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryTopologyTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final ListId LIST = ListId.of("acme", "employees");
  private static final Actor ISSUER = Actor.issuer("acme-client");
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final Duration MARGIN = Duration.ofMinutes(10);

  @TempDir Path state;
  private MutableClock clock;
  private TestSigner signer;
  private TopologyTestDriver driver;
  private RegistryTopology registry;
  private TestInputTopic<byte[], byte[]> commands;
  private TestOutputTopic<String, Reply> replies;
  private TestOutputTopic<String, RegistryEvent> events;
  private TestOutputTopic<String, io.statusreg.common.wire.PublishedToken> tokens;
  private TestOutputTopic<byte[], byte[]> dlq;
  private TestOutputTopic<String, byte[]> pagesChangelog;
  private long requests;

  @BeforeEach
  void start() throws Exception {
    startWith(Map.of());
  }

  private void startWith(Map<String, String> extra) throws Exception {
    if (driver != null) {
      driver.close();
    }
    clock = new MutableClock(START);
    signer = new TestSigner(6);
    Map<String, String> raw = new HashMap<>();
    raw.put("publish.interval.ms", Long.toString(INTERVAL.toMillis()));
    raw.put("refresh.margin.ms", Long.toString(MARGIN.toMillis()));
    raw.put("topic.replication.factor", "1");
    raw.put("topic.min.insync.replicas", "1");
    raw.putAll(extra);
    StreamsSettings settings = StreamsSettings.from(io.statusreg.registry.config.Settings.of(raw));
    registry = RegistryTopology.build(settings, signer, clock);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(state).toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    driver = new TopologyTestDriver(registry.topology(), props, START);
    commands =
        driver.createInputTopic(
            TopicCatalogue.COMMANDS, new ByteArraySerializer(), new ByteArraySerializer());
    StringDeserializer strings = new StringDeserializer();
    replies = driver.createOutputTopic(TopicCatalogue.REPLIES, strings, new ReplySerde());
    events = driver.createOutputTopic(TopicCatalogue.EVENTS, strings, new EventSerde());
    tokens = driver.createOutputTopic(TopicCatalogue.TOKENS, strings, new TokenSerde());
    dlq =
        driver.createOutputTopic(
            TopicCatalogue.DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    pagesChangelog =
        driver.createOutputTopic(
            "topology-test-" + RegistryTopology.PAGES_STORE + "-changelog",
            strings,
            new ByteArrayDeserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  // ------------------------------------------------------------------ helpers

  private Reply send(Request request) {
    String requestId = "req-" + (++requests);
    RecordHeaders headers = new RecordHeaders();
    headers.add(CommandProcessor.HEADER_REQUEST_ID, requestId.getBytes(StandardCharsets.UTF_8));
    headers.add(CommandProcessor.HEADER_REPLY_TO, "test".getBytes(StandardCharsets.UTF_8));
    commands.pipeInput(
        new TestRecord<>(
            request.listId().key().getBytes(StandardCharsets.UTF_8),
            RequestSerde.toBytes(request),
            headers,
            clock.instant()));
    var out = replies.readRecordsToList();
    assertThat(out).hasSize(1);
    assertThat(out.getFirst().key()).isEqualTo(requestId);
    return out.getFirst().value();
  }

  private Outcome decide(RegistryCommand command) {
    Reply reply = send(new Request.Decide(command));
    if (reply instanceof Reply.ChangesAccepted compact
        && command instanceof RegistryCommand.ChangeStatus changes) {
      return CompactChanges.expand(compact, changes);
    }
    assertThat(reply).isInstanceOf(Reply.Decided.class);
    return ((Reply.Decided) reply).outcome();
  }

  private RegistryCommand.CreateList create(ListId list, int bits, long size) {
    return create(list, bits, size, Purpose.REVOCATION);
  }

  private RegistryCommand.CreateList create(ListId list, int bits, long size, Purpose purpose) {
    return new RegistryCommand.CreateList(
        UUID.randomUUID(),
        list,
        bits,
        size,
        Duration.ofMinutes(5),
        Duration.ofHours(1),
        purpose,
        new IndexPermutation.Key(42, 43),
        ISSUER,
        clock.instant());
  }

  private RegistryCommand.AllocateIndexes allocate(int count) {
    return new RegistryCommand.AllocateIndexes(
        UUID.randomUUID(), LIST, count, ISSUER, clock.instant());
  }

  private RegistryCommand.ChangeStatus change(long idx, Status status) {
    return new RegistryCommand.ChangeStatus(
        UUID.randomUUID(),
        LIST,
        List.of(new RegistryCommand.Change(idx, status, Reason.UNSPECIFIED)),
        ISSUER,
        clock.instant());
  }

  private EntryView entry(long idx) {
    Reply reply = send(new Request.ReadEntry(LIST, idx));
    assertThat(reply).isInstanceOf(Reply.Entry.class);
    return ((Reply.Entry) reply).view().orElseThrow();
  }

  private static List<RegistryEvent> accepted(Outcome outcome) {
    assertThat(outcome.decision()).isInstanceOf(Decision.Accepted.class);
    return ((Decision.Accepted) outcome.decision()).events();
  }

  private void tick(Duration d) {
    clock.advance(d);
    driver.advanceWallClockTime(d);
  }

  // ------------------------------------------------------------------ the fold

  @Test
  void createAllocateRevokeSuspendReinstateThroughTheOwner() {
    Outcome created = decide(create(LIST, 2, 10_000));
    assertThat(accepted(created)).singleElement().isInstanceOf(ListCreated.class);

    Outcome allocated = decide(allocate(3));
    assertThat(allocated.allocatedIndexes()).hasSize(3).doesNotHaveDuplicates();
    long a = allocated.allocatedIndexes().get(0);
    long b = allocated.allocatedIndexes().get(1);

    assertThat(accepted(decide(change(a, Status.INVALID))))
        .singleElement()
        .isInstanceOfSatisfying(StatusChanged.class, e -> assertThat(e.idx()).isEqualTo(a));
    assertThat(accepted(decide(change(b, Status.SUSPENDED)))).hasSize(1);
    assertThat(entry(b).status()).isEqualTo(Status.SUSPENDED);
    assertThat(accepted(decide(change(b, Status.VALID)))).hasSize(1);

    assertThat(entry(a).status()).isEqualTo(Status.INVALID);
    assertThat(entry(a).allocated()).isTrue();
    assertThat(entry(b).status()).isEqualTo(Status.VALID);

    List<RegistryEvent> log = events.readValuesToList();
    assertThat(log).hasSize(5);
    assertThat(log.get(1)).isInstanceOf(IndexesAllocated.class);
    ListState folded = ListState.initial().evolveAll(log);
    assertThat(folded.statusAt(a)).isEqualTo(Status.INVALID);
    assertThat(folded.statusAt(b)).isEqualTo(Status.VALID);
    assertThat(folded.meta().cursor()).isEqualTo(3);
  }

  /**
   * The same commands under {@code events.encoding=json} and {@code binary}: the owner writes the
   * chosen form (binary by default), both forms decode to the same events, and a log mixing them (a
   * cluster that wrote json during a rolling upgrade from an older release) folds to the same
   * state.
   */
  @Test
  void theEventsEncodingSettingChoosesTheFormAndALogMixingBothFoldsAsOne() throws Exception {
    List<RegistryCommand> script = new java.util.ArrayList<>();
    script.add(create(LIST, 2, 10_000));
    script.add(allocate(4));
    script.add(change(0, Status.INVALID)); // index 0 may not be allocated: refused or accepted,
    script.add(change(1, Status.SUSPENDED)); // the same in both runs
    List<byte[]> json = eventLog(Map.of("events.encoding", "json"), script);
    List<byte[]> binary = eventLog(Map.of("events.encoding", "binary"), script);
    assertThat(eventLog(Map.of(), script))
        .as("the default is binary")
        .allSatisfy(b -> assertThat(b[0]).isZero());

    assertThat(json).isNotEmpty().hasSameSizeAs(binary);
    assertThat(json).allSatisfy(b -> assertThat(b[0]).isEqualTo((byte) '{'));
    assertThat(binary).allSatisfy(b -> assertThat(b[0]).isEqualTo((byte) 0));
    List<RegistryEvent> fromJson = json.stream().map(EventCodec::decode).toList();
    assertThat(binary.stream().map(EventCodec::decode).toList()).isEqualTo(fromJson);
    List<RegistryEvent> mixed = new java.util.ArrayList<>();
    for (int i = 0; i < json.size(); i++) {
      mixed.add(EventCodec.decode(i % 2 == 0 ? json.get(i) : binary.get(i)));
    }
    ListState expected = ListState.initial().evolveAll(fromJson);
    ListState folded = ListState.initial().evolveAll(mixed);
    assertThat(folded.meta()).isEqualTo(expected.meta());
    for (long idx = 0; idx < 8; idx++) {
      assertThat(folded.statusAt(idx)).isEqualTo(expected.statusAt(idx));
    }
    assertThatThrownBy(
            () -> StreamsSettings.from(Settings.of(Map.of("events.encoding", "protobuf"))))
        .hasMessageContaining("json or binary");
  }

  /** The raw records the owner writes to the events topic for {@code script}, in a fresh driver. */
  private List<byte[]> eventLog(Map<String, String> settings, List<RegistryCommand> script)
      throws Exception {
    startWith(settings);
    TestOutputTopic<String, byte[]> raw =
        driver.createOutputTopic(
            TopicCatalogue.EVENTS, new StringDeserializer(), new ByteArrayDeserializer());
    for (RegistryCommand command : script) {
      send(new Request.Decide(command));
    }
    return raw.readValuesToList();
  }

  @Test
  void revokedEntryStaysRevokedAndTheReplySaysWhy() {
    decide(create(LIST, 2, 1000));
    long idx = decide(allocate(1)).allocatedIndexes().getFirst();
    decide(change(idx, Status.INVALID));
    events.readRecordsToList();

    Outcome reinstate = decide(change(idx, Status.VALID));

    assertThat(reinstate.decision())
        .isInstanceOfSatisfying(
            Decision.Rejected.class,
            r -> assertThat(r.rejection().kind()).isEqualTo(Rejection.Kind.CONFLICT));
    assertThat(events.isEmpty()).isTrue();
    assertThat(entry(idx).status()).isEqualTo(Status.INVALID);
  }

  @Test
  void retriedCommandIdGetsTheSameReplyWithoutDecidingAgain() {
    decide(create(LIST, 1, 1000));
    events.readRecordsToList();
    RegistryCommand.AllocateIndexes command = allocate(4);

    Outcome first = decide(command);
    Outcome retry = decide(command);

    assertThat(retry.allocatedIndexes()).isEqualTo(first.allocatedIndexes());
    assertThat(events.readValuesToList()).hasSize(1);
    assertThat(decide(allocate(1)).allocatedIndexes())
        .doesNotContainAnyElementsOf(first.allocatedIndexes());
  }

  @Test
  void theLargestBulkIsAnsweredWithASmallReplyThatExpandsToExactlyItsEvents() {
    int max = io.statusreg.registry.fold.Decider.Limits.DEFAULT.maxChanges();
    decide(create(LIST, 2, 4L * max));
    List<Long> indexes = decide(allocate(max)).allocatedIndexes();
    decide(change(indexes.get(1), Status.SUSPENDED));
    events.readRecordsToList();
    List<RegistryCommand.Change> changes = new java.util.ArrayList<>();
    for (int i = 0; i < max; i++) {
      // Mostly revocations; some suspensions, a no-op (i = 2 repeats i = 1) and a second change
      // of index 0 (suspended at i = 0, revoked at the end).
      Status status = i % 7 == 0 ? Status.SUSPENDED : Status.INVALID;
      long idx = i == max - 1 ? indexes.get(0) : i == 2 ? indexes.get(1) : indexes.get(i);
      changes.add(new RegistryCommand.Change(idx, status, Reason.KEY_COMPROMISE));
    }
    RegistryCommand.ChangeStatus bulk =
        new RegistryCommand.ChangeStatus(UUID.randomUUID(), LIST, changes, ISSUER, clock.instant());

    Reply reply = send(new Request.Decide(bulk));

    assertThat(ReplySerde.toBytes(reply).length).as("reply bytes").isLessThan(32 * 1024);
    assertThat(reply).isInstanceOf(Reply.ChangesAccepted.class);
    List<RegistryEvent> expanded =
        accepted(CompactChanges.expand((Reply.ChangesAccepted) reply, bulk));
    assertThat(expanded).isEqualTo(events.readValuesToList());
    assertThat(expanded).hasSize(max - 1);
    assertThat(expanded.get(expanded.size() - 1))
        .isInstanceOfSatisfying(
            StatusChanged.class,
            e -> {
              assertThat(e.idx()).isEqualTo(indexes.get(0));
              assertThat(e.previous()).isEqualTo(Status.SUSPENDED);
              assertThat(e.status()).isEqualTo(Status.INVALID);
            });
    assertThat(decide(bulk)).as("a retry, answered from the store").isEqualTo(decide(bulk));
    assertThat(accepted(decide(bulk))).isEqualTo(expanded);

    // The compact reply never expands against other changes of the same count.
    List<RegistryCommand.Change> otherChanges = new java.util.ArrayList<>(changes);
    otherChanges.set(
        3,
        new RegistryCommand.Change(changes.get(3).idx(), Status.SUSPENDED, Reason.KEY_COMPROMISE));
    RegistryCommand.ChangeStatus other =
        new RegistryCommand.ChangeStatus(
            bulk.commandId(), LIST, otherChanges, ISSUER, clock.instant());
    assertThatThrownBy(() -> CompactChanges.expand((Reply.ChangesAccepted) reply, other))
        .isInstanceOf(io.statusreg.registry.RegistryException.class)
        .hasMessageContaining("made for other changes");
  }

  @Test
  void aCommandIdReusedForOtherChangesIsRefusedAndChangesNothing() {
    decide(create(LIST, 2, 1000));
    List<Long> indexes = decide(allocate(2)).allocatedIndexes();
    RegistryCommand.ChangeStatus first = change(indexes.get(0), Status.SUSPENDED);
    decide(first);
    events.readRecordsToList();
    RegistryCommand.ChangeStatus reused =
        new RegistryCommand.ChangeStatus(
            first.commandId(),
            LIST,
            List.of(new RegistryCommand.Change(indexes.get(1), Status.INVALID, Reason.UNSPECIFIED)),
            ISSUER,
            clock.instant());

    Outcome outcome = decide(reused);

    assertKeyReused(outcome);
    assertThat(events.isEmpty()).isTrue();
    assertThat(entry(indexes.get(1)).status()).isEqualTo(Status.VALID);
  }

  private static void assertKeyReused(Outcome outcome) {
    assertThat(outcome.decision())
        .isInstanceOfSatisfying(
            Decision.Rejected.class,
            r -> assertThat(r.rejection().kind()).isEqualTo(Rejection.Kind.KEY_REUSED));
    assertThat(outcome.meta()).as("nothing of the earlier request's list").isEmpty();
    assertThat(outcome.allocatedIndexes()).isEmpty();
  }

  // ------------------------------------------------------------------ idempotency keys

  private static final ListId OTHER_ISSUERS = ListId.of("globex", "staff");

  @Test
  void aKeyReusedForAnotherIssuersListOnTheSamePartitionNeverGetsTheEarlierReply() {
    decide(create(LIST, 1, 1000));
    decide(create(OTHER_ISSUERS, 1, 1000));
    events.readRecordsToList();
    RegistryCommand.AllocateIndexes mine = allocate(3);
    List<Long> myIndexes = decide(mine).allocatedIndexes();
    events.readRecordsToList();

    // Another issuer's client (or a careless one) sends the same id for its own list.
    Outcome theirs =
        decide(
            new RegistryCommand.AllocateIndexes(
                mine.commandId(),
                OTHER_ISSUERS,
                3,
                Actor.issuer("globex-client"),
                clock.instant()));

    assertKeyReused(theirs);
    assertThat(theirs.allocatedIndexes()).doesNotContainAnyElementsOf(myIndexes);
    assertThat(events.isEmpty()).as("nothing applied").isTrue();
    assertThat(decide(mine).allocatedIndexes()).as("the owner's retry").isEqualTo(myIndexes);
  }

  @Test
  void aRevocationWhoseKeyWasUsedOnAnotherListIsRefusedNotAcknowledged() {
    decide(create(LIST, 1, 1000));
    decide(create(OTHER_ISSUERS, 1, 1000));
    long mine = decide(allocate(1)).allocatedIndexes().getFirst();
    long theirs =
        decide(
                new RegistryCommand.AllocateIndexes(
                    UUID.randomUUID(), OTHER_ISSUERS, 1, ISSUER, clock.instant()))
            .allocatedIndexes()
            .getFirst();
    RegistryCommand.ChangeStatus first = change(mine, Status.SUSPENDED);
    decide(first);
    events.readRecordsToList();

    Outcome revoke =
        decide(
            new RegistryCommand.ChangeStatus(
                first.commandId(),
                OTHER_ISSUERS,
                List.of(new RegistryCommand.Change(theirs, Status.INVALID, Reason.KEY_COMPROMISE)),
                ISSUER,
                clock.instant()));

    assertKeyReused(revoke);
    assertThat(events.isEmpty()).isTrue();
  }

  @Test
  void aChangesKeyReusedForAnAllocationIsRefusedNotUnanswerable() {
    decide(create(LIST, 1, 1000));
    long idx = decide(allocate(1)).allocatedIndexes().getFirst();
    RegistryCommand.ChangeStatus revoke = change(idx, Status.INVALID);
    decide(revoke);
    events.readRecordsToList();

    Outcome allocation =
        decide(
            new RegistryCommand.AllocateIndexes(
                revoke.commandId(), LIST, 2, ISSUER, clock.instant()));

    assertKeyReused(allocation);
    assertThat(events.isEmpty()).isTrue();
    assertThat(decide(allocate(1)).allocatedIndexes()).hasSize(1);
  }

  @Test
  void theSameKeyAndRequestGetTheSameReplyWhateverTheActorAndTime() {
    decide(create(LIST, 1, 1000));
    RegistryCommand.AllocateIndexes first = allocate(2);
    Outcome one = decide(first);
    clock.advance(Duration.ofSeconds(5));

    Outcome again =
        decide(
            new RegistryCommand.AllocateIndexes(
                first.commandId(), LIST, 2, Actor.issuer("another-client"), clock.instant()));
    Outcome other =
        decide(
            new RegistryCommand.AllocateIndexes(
                first.commandId(), LIST, 3, ISSUER, clock.instant()));

    assertThat(again.allocatedIndexes()).isEqualTo(one.allocatedIndexes());
    assertKeyReused(other);
  }

  @Test
  void aReplyStoredByThePreviousReleaseStillAnswersItsRetryAndOnlyIt() {
    decide(create(LIST, 1, 1000));
    decide(create(OTHER_ISSUERS, 1, 1000));
    RegistryCommand.AllocateIndexes old = allocate(2);
    Outcome earlier = decide(old);
    // What the previous release kept: the bare reply, no request beside it.
    org.apache.kafka.streams.state.WindowStore<String, byte[]> store =
        driver.getWindowStore(RegistryTopology.REPLIES_STORE);
    store.put(
        old.commandId().toString(),
        ReplySerde.toBytes(new Reply.Decided(earlier)),
        clock.millis() + 1);
    clock.advance(Duration.ofMillis(2));
    events.readRecordsToList();

    assertThat(decide(old).allocatedIndexes()).isEqualTo(earlier.allocatedIndexes());
    assertKeyReused(
        decide(
            new RegistryCommand.AllocateIndexes(
                old.commandId(), OTHER_ISSUERS, 2, ISSUER, clock.instant())));
    assertThat(events.isEmpty()).isTrue();
  }

  @Test
  void aStoredReplyStaysReadableByThePreviousReleasesReplyReader() {
    decide(create(LIST, 1, 1000));
    RegistryCommand.AllocateIndexes command = allocate(2);
    Outcome outcome = decide(command);
    org.apache.kafka.streams.state.WindowStore<String, byte[]> store =
        driver.getWindowStore(RegistryTopology.REPLIES_STORE);

    byte[] stored;
    try (var it = store.fetch(command.commandId().toString(), 0, Long.MAX_VALUE)) {
      stored = it.next().value;
    }

    // The previous release returns a stored reply as it is, and its reader ignores the request.
    assertThat(new String(stored, StandardCharsets.UTF_8))
        .startsWith("{\"request\":{\"list\":\"acme/employees\",\"kind\":\"allocate_indexes\"");
    assertThat(ReplySerde.fromBytes(stored)).isEqualTo(new Reply.Decided(outcome));
  }

  @Test
  void aStoredReplyTheOwnerCannotReadIsAnOwnerFaultThatTellsTheCallerNothingInternal() {
    decide(create(LIST, 1, 1000));
    RegistryCommand.AllocateIndexes command = allocate(2);
    org.apache.kafka.streams.state.WindowStore<String, byte[]> store =
        driver.getWindowStore(RegistryTopology.REPLIES_STORE);
    store.put(
        command.commandId().toString(),
        "{\"request\":{not json".getBytes(StandardCharsets.UTF_8),
        clock.millis() + 1);
    clock.advance(Duration.ofMillis(2));
    events.readRecordsToList();

    Reply reply = send(new Request.Decide(command));

    // Not the caller's fault, so not a refusal carrying the owner's own words.
    assertThat(reply).isEqualTo(new Reply.OwnerFault());
    assertThat(new String(ReplySerde.toBytes(reply), StandardCharsets.UTF_8))
        .doesNotContain("JSON")
        .doesNotContain("stored");
    assertThat(events.isEmpty()).isTrue();
  }

  @Test
  void readingAnIndexOutsideTheListIsARefusalNotAnOutage() {
    decide(create(LIST, 1, 100));

    Reply reply = send(new Request.ReadEntry(LIST, 100));

    assertThat(reply).isInstanceOf(Reply.Failed.class);
    assertThat(((Reply.Failed) reply).message()).contains("outside");
  }

  @Test
  void theOwnerWritesOneAuditLinePerDecidedChange() {
    decide(create(LIST, 2, 1000));
    List<Long> idx = decide(allocate(2)).allocatedIndexes();
    events.readRecordsToList();
    String who = "{\"actor\":\"issuer:acme-client\",\"list\":\"acme/employees\",\"idx\":";
    try (AuditCapture audit = new AuditCapture()) {
      RegistryCommand.ChangeStatus revoke =
          new RegistryCommand.ChangeStatus(
              UUID.randomUUID(),
              LIST,
              List.of(
                  new RegistryCommand.Change(idx.get(0), Status.INVALID, Reason.KEY_COMPROMISE),
                  new RegistryCommand.Change(idx.get(1), Status.VALID, Reason.UNSPECIFIED)),
              ISSUER,
              clock.instant());
      decide(revoke);
      StatusChanged event = (StatusChanged) events.readValuesToList().getFirst();
      assertThat(audit.lines())
          .containsExactly(
              who
                  + idx.get(0)
                  + ",\"old\":\"VALID\",\"new\":\"INVALID\",\"reason\":\"key_compromise\",\"event\":\""
                  + event.id()
                  + "\",\"outcome\":\"accepted\"}",
              who
                  + idx.get(1)
                  + ",\"old\":\"VALID\",\"new\":\"VALID\",\"reason\":\"unspecified\",\"event\":null,"
                  + "\"outcome\":\"unchanged\"}");

      audit.clear();
      decide(revoke); // a retry is answered from the reply cache: not decided again
      assertThat(audit.lines()).isEmpty();

      decide(change(idx.get(0), Status.VALID));
      long unallocated = idx.contains(999L) ? 998 : 999;
      decide(change(unallocated, Status.INVALID));
      assertThat(audit.lines())
          .containsExactly(
              who
                  + idx.get(0)
                  + ",\"old\":\"INVALID\",\"new\":\"VALID\",\"reason\":\"unspecified\",\"event\":null,"
                  + "\"outcome\":\"rejected_conflict\"}",
              who
                  + unallocated
                  + ",\"old\":\"VALID\",\"new\":\"INVALID\",\"reason\":\"unspecified\",\"event\":null,"
                  + "\"outcome\":\"rejected_unprocessable\"}");

      audit.clear();
      decide(allocate(1)); // no status change: no audit line
      assertThat(audit.lines()).isEmpty();
    }
  }

  @Test
  void anActorWithLineBreaksCannotForgeAnOwnerAuditLine() throws Exception {
    decide(create(LIST, 2, 1000));
    long idx = decide(allocate(1)).allocatedIndexes().getFirst();
    String forged = "c\n{\"actor\":\"issuer:admin\",\"outcome\":\"accepted\"}\r\u2028";
    try (AuditCapture audit = new AuditCapture()) {
      decide(
          new RegistryCommand.ChangeStatus(
              UUID.randomUUID(),
              LIST,
              List.of(new RegistryCommand.Change(idx, Status.INVALID, Reason.UNSPECIFIED)),
              Actor.issuer(forged),
              clock.instant()));
      assertThat(audit.lines()).hasSize(1);
      String line = audit.lines().getFirst();
      assertThat(line).doesNotContain("\n").doesNotContain("\r").doesNotContain("\u2028");
      com.fasterxml.jackson.databind.JsonNode parsed =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
      assertThat(parsed.get("actor").asText()).isEqualTo("issuer:" + forged);
      assertThat(parsed.get("outcome").asText()).isEqualTo("accepted");
      assertThat(parsed.get("idx").asLong()).isEqualTo(idx);
    }
  }

  @Test
  void unknownListIsRejectedAndReadsEmpty() {
    Outcome outcome = decide(allocate(1));
    assertThat(outcome.decision())
        .isInstanceOfSatisfying(
            Decision.Rejected.class,
            r -> assertThat(r.rejection().kind()).isEqualTo(Rejection.Kind.LIST_NOT_FOUND));
    Reply read = send(new Request.ReadEntry(LIST, 3));
    assertThat(read).isEqualTo(new Reply.Entry(Optional.empty()));
  }

  // ------------------------------------------------------------------ paging

  @Test
  void aSingleRevocationWritesExactlyOnePage() {
    decide(create(LIST, 1, 1_000_000));
    List<Long> idx = decide(allocate(50)).allocatedIndexes();
    pagesChangelog.readRecordsToList();

    decide(change(idx.get(17), Status.INVALID));

    var written = pagesChangelog.readRecordsToList();
    assertThat(written).hasSize(1);
    long perPage = StatusList.PAGE_BYTES * 8L;
    assertThat(written.getFirst().key()).isEqualTo(LIST.key() + "/" + (idx.get(17) / perPage));
    assertThat(written.getFirst().value()).hasSize(StatusList.PAGE_BYTES);
  }

  @Test
  void aBulkLeavesOneDedupRecordNotOnePerEventAndIsStillAppliedOnce() {
    TestOutputTopic<byte[], byte[]> eventIdsChangelog =
        driver.createOutputTopic(
            "topology-test-" + RegistryTopology.EVENT_IDS_STORE + "-changelog",
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    TestOutputTopic<byte[], byte[]> repliesChangelog =
        driver.createOutputTopic(
            "topology-test-" + RegistryTopology.REPLIES_STORE + "-changelog",
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    decide(create(LIST, 2, 10_000));
    List<Long> indexes = decide(allocate(500)).allocatedIndexes();
    eventIdsChangelog.readRecordsToList();
    repliesChangelog.readRecordsToList();
    events.readRecordsToList();
    List<RegistryCommand.Change> changes =
        indexes.stream()
            .map(i -> new RegistryCommand.Change(i, Status.INVALID, Reason.KEY_COMPROMISE))
            .toList();
    RegistryCommand.ChangeStatus bulk =
        new RegistryCommand.ChangeStatus(UUID.randomUUID(), LIST, changes, ISSUER, clock.instant());

    List<RegistryEvent> applied = accepted(decide(bulk));

    assertThat(applied).hasSize(500);
    assertThat(events.readValuesToList()).isEqualTo(applied);
    assertThat(repliesChangelog.readRecordsToList()).as("the stored reply").hasSize(1);
    assertThat(eventIdsChangelog.readRecordsToList()).as("no record per event").isEmpty();
    // That one record is the command's dedup: a retry applies nothing and gets the same answer.
    assertThat(accepted(decide(bulk))).isEqualTo(applied);
    assertThat(events.isEmpty()).isTrue();
    assertThat(entry(indexes.get(499)).status()).isEqualTo(Status.INVALID);
    // A new command for the same entries finds them changed: nothing of the bulk is applied twice.
    RegistryCommand.ChangeStatus again =
        new RegistryCommand.ChangeStatus(UUID.randomUUID(), LIST, changes, ISSUER, clock.instant());
    assertThat(accepted(decide(again))).isEmpty();
    assertThat(events.isEmpty()).isTrue();
  }

  // ------------------------------------------------------------------ publication

  @Test
  void dirtyListIsPublishedOncePerIntervalAndDecodesToItsStatuses() {
    decide(create(LIST, 2, 5000));
    List<Long> idx = decide(allocate(10)).allocatedIndexes();
    decide(change(idx.get(0), Status.INVALID));
    decide(change(idx.get(1), Status.SUSPENDED));
    assertThat(tokens.isEmpty()).isTrue();

    tick(INTERVAL);
    var first = tokens.readValuesToList();
    assertThat(first).hasSize(1);
    var token = first.getFirst();
    assertThat(token.version()).isEqualTo(1);
    assertThat(token.uri()).isEqualTo("http://localhost:8080/statuslists/acme/employees");
    assertThat(token.expiresAt()).isEqualTo(token.issuedAt().plus(Duration.ofHours(1)));
    assertThat(token.counts()).containsExactly(4998, 1, 1, 0);
    assertThat(token.allocated()).isEqualTo(10);
    assertThat(token.oldestChangeAt()).isNotNull();
    var decoded = signer.decode(token.jwt());
    assertThat(decoded.sub()).isEqualTo(token.uri());
    assertThat(decoded.bits()).isEqualTo(2);
    StatusList bits = StatusList.fromBytes(2, 5000, decoded.packed());
    assertThat(bits.get(idx.get(0))).isEqualTo(Status.INVALID.code());
    assertThat(bits.get(idx.get(1))).isEqualTo(Status.SUSPENDED.code());
    assertThat(bits.histogram()).containsExactly(4998, 1, 1, 0);
    assertThat(entry(idx.get(0)).published()).isTrue();

    // Changes inside the interval after a publication wait for the interval to pass.
    decide(change(idx.get(2), Status.INVALID));
    assertThat(entry(idx.get(2)).published()).isFalse();
    tick(Duration.ofMillis(250));
    decide(change(idx.get(3), Status.INVALID));
    tick(Duration.ofMillis(250));
    tick(Duration.ofMillis(250));
    assertThat(tokens.isEmpty()).isTrue();
    tick(Duration.ofMillis(250));
    var second = tokens.readValuesToList();
    assertThat(second).hasSize(1);
    assertThat(second.getFirst().version()).isEqualTo(2);
    assertThat(second.getFirst().counts()[1]).isEqualTo(3);

    // Nothing changed: nothing is published.
    for (int i = 0; i < 20; i++) {
      tick(INTERVAL);
    }
    assertThat(tokens.isEmpty()).isTrue();
  }

  @Test
  void aPublicationSaysHowManyOfTheListsEventsItFolds() {
    List<RegistryEvent> log = new java.util.ArrayList<>();
    decide(create(LIST, 2, 5000));
    List<Long> idx = decide(allocate(10)).allocatedIndexes();
    decide(change(idx.get(0), Status.INVALID));
    decide(change(idx.get(1), Status.SUSPENDED));
    // Refused: writes no event, so it does not count.
    assertThat(decide(change(idx.get(0), Status.VALID)).decision())
        .isInstanceOf(Decision.Rejected.class);
    tick(INTERVAL);
    log.addAll(events.readValuesToList());
    var first = tokens.readValuesToList().getFirst();
    assertThat(first.foldedEvents()).isEqualTo(log.size()).isEqualTo(4);
    ListState folded = ListState.initial().evolveAll(log);
    assertThat(folded.meta().version()).isEqualTo(first.foldedEvents());
    assertThat(signer.decode(first.jwt()).packed()).isEqualTo(folded.entries().toBytes());

    // A change not yet published is not covered; the next publication covers it.
    decide(change(idx.get(2), Status.INVALID));
    log.addAll(events.readValuesToList());
    assertThat(tokens.isEmpty()).isTrue();
    tick(INTERVAL);
    var second = tokens.readValuesToList().getFirst();
    assertThat(second.foldedEvents()).isEqualTo(log.size()).isEqualTo(5);

    // A refresh with no change covers the same events.
    tick(Duration.ofMinutes(55));
    var refreshed = tokens.readValuesToList();
    assertThat(refreshed).isNotEmpty();
    assertThat(refreshed.getLast().version()).isGreaterThan(second.version());
    assertThat(refreshed.getLast().foldedEvents()).isEqualTo(5);
  }

  @Test
  void unchangedListIsRepublishedBeforeExpiryMinusMargin() {
    decide(create(LIST, 1, 1000));
    tick(INTERVAL);
    var first = tokens.readValuesToList().getFirst();
    int signed = signer.signatures.get();

    // validity 1 h, margin 10 min: due at exp - 10 min.
    Duration untilRefresh = Duration.between(clock.instant(), first.expiresAt().minus(MARGIN));
    tick(untilRefresh.minus(Duration.ofSeconds(5)));
    assertThat(tokens.isEmpty()).isTrue();
    assertThat(signer.signatures.get()).isEqualTo(signed);
    tick(Duration.ofSeconds(5));
    var refreshed = tokens.readValuesToList();
    assertThat(refreshed).hasSize(1);
    assertThat(refreshed.getFirst().version()).isEqualTo(2);
    assertThat(refreshed.getFirst().oldestChangeAt()).isNull();
    assertThat(refreshed.getFirst().expiresAt()).isAfter(first.expiresAt());
    assertThat(signer.decode(refreshed.getFirst().jwt()).exp())
        .isEqualTo(refreshed.getFirst().expiresAt());
  }

  @Test
  void aChangedListDueForRefreshIsPublishedOnceNotTwice() {
    decide(create(LIST, 1, 1000));
    long idx = decide(allocate(1)).allocatedIndexes().getFirst();
    tick(INTERVAL);
    var first = tokens.readValuesToList().getFirst();

    Duration untilRefresh = Duration.between(clock.instant(), first.expiresAt().minus(MARGIN));
    tick(untilRefresh.minus(Duration.ofSeconds(5)));
    assertThat(tokens.isEmpty()).isTrue();
    decide(change(idx, Status.INVALID));
    int signed = signer.signatures.get();
    // Both dirty (past the interval) and at its refresh time in the same tick.
    tick(Duration.ofSeconds(5));
    var published = tokens.readValuesToList();
    assertThat(published).hasSize(1);
    assertThat(published.getFirst().version()).isEqualTo(2);
    assertThat(published.getFirst().oldestChangeAt()).isNotNull();
    assertThat(published.getFirst().expiresAt()).isAfter(first.expiresAt());
    assertThat(signer.signatures.get()).isEqualTo(signed + 1);
    tick(INTERVAL);
    assertThat(tokens.isEmpty()).isTrue();
  }

  @Test
  void directoryServesLatestAndHistoricalPublications() {
    decide(create(LIST, 1, 1000));
    long idx = decide(allocate(1)).allocatedIndexes().getFirst();
    List<io.statusreg.common.wire.PublishedToken> seen = new java.util.ArrayList<>();
    registry.directory().onPublished(seen::add);
    // TopologyTestDriver feeds the tokens sink's output into the global store's source topic.
    tick(INTERVAL);
    var v1 = tokens.readValuesToList().getFirst();
    tick(Duration.ofMinutes(1));
    decide(change(idx, Status.INVALID));
    tick(INTERVAL);
    tokens.readValuesToList();

    TokenDirectory directory = registry.directory();
    assertThat(directory.latest(LIST)).get().extracting(t -> t.version()).isEqualTo(2L);
    assertThat(directory.at(LIST, v1.issuedAt().plusSeconds(30)))
        .get()
        .extracting(t -> t.version())
        .isEqualTo(1L);
    assertThat(directory.at(LIST, v1.issuedAt().minusSeconds(1))).isEmpty();
    assertThat(directory.lists(LIST.issuer())).containsExactly(LIST);
    assertThat(seen).extracting(t -> t.version()).containsExactly(1L, 2L);
  }

  @Test
  void theDirectoryListsOneIssuersListsInNameOrderAndForgetsATombstonedList() {
    ListId first = ListId.of("acme", "a-first");
    ListId other = ListId.of("globex", "b");
    decide(create(LIST, 1, 1000));
    decide(create(first, 1, 1000));
    decide(create(other, 1, 1000));
    tick(INTERVAL);
    tokens.readValuesToList();
    TokenDirectory directory = registry.directory();
    assertThat(directory.lists(LIST.issuer())).containsExactly(first, LIST);
    assertThat(directory.lists(other.issuer())).containsExactly(other);
    assertThat(directory.lists(io.statusreg.registry.IssuerId.of("nobody"))).isEmpty();

    driver
        .createInputTopic(
            TopicCatalogue.TOKENS,
            new org.apache.kafka.common.serialization.StringSerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer())
        .pipeInput(first.key(), (byte[]) null);
    assertThat(directory.lists(LIST.issuer())).containsExactly(LIST);
    assertThat(directory.latest(first)).isEmpty();
  }

  @Test
  void theSignerGetsTheListsPurposeAndEveryListHasAW3cCredential() {
    decide(create(LIST, 2, 1000, Purpose.SUSPENSION));
    tick(INTERVAL);

    var token = tokens.readValuesToList().getFirst();
    assertThat(signer.purposes).containsExactly(Purpose.SUSPENSION);
    assertThat(token.w3c()).isNotEmpty();
  }

  @Test
  void allocationsAloneRepublishTheAllocatedCountWithinAnInterval() {
    decide(create(LIST, 1, 1000));
    tick(INTERVAL);
    assertThat(tokens.readValuesToList())
        .singleElement()
        .extracting(t -> t.allocated())
        .isEqualTo(0L);

    Outcome allocation = decide(allocate(5));
    assertThat(allocation.expectedPublication()).isEqualTo(clock.instant().plus(INTERVAL));
    tick(INTERVAL);

    var after = tokens.readValuesToList();
    assertThat(after).singleElement().extracting(t -> t.allocated()).isEqualTo(5L);
    assertThat(after.getFirst().version()).isEqualTo(2);
  }

  @Test
  void retiringAListRepublishesIt() {
    decide(create(LIST, 1, 1000));
    decide(allocate(3));
    tick(INTERVAL);
    tokens.readValuesToList();

    assertThat(
            accepted(
                decide(
                    new RegistryCommand.RetireList(
                        UUID.randomUUID(), LIST, ISSUER, clock.instant()))))
        .isNotEmpty();
    tick(INTERVAL);

    assertThat(tokens.readValuesToList())
        .singleElement()
        .extracting(t -> t.version())
        .isEqualTo(2L);
  }

  @Test
  void publishedIsTrackedPerEntryNotPerPage() {
    decide(create(LIST, 1, 1000)); // one page
    List<Long> idx = decide(allocate(10)).allocatedIndexes();
    tick(INTERVAL);
    tokens.readValuesToList();
    long changed = idx.get(0);
    long untouched = idx.get(1);

    decide(change(changed, Status.INVALID));

    assertThat(entry(changed).published()).isFalse();
    assertThat(entry(untouched).published())
        .as("an unchanged entry on the changed page is already published")
        .isTrue();
    assertThat(entry(untouched).version()).isEqualTo(1);
    tick(INTERVAL);
    assertThat(entry(changed).published()).isTrue();
    assertThat(entry(changed).version()).isEqualTo(2);
  }

  @Test
  void aNewListIsUnpublishedUntilItsFirstPublication() {
    decide(create(LIST, 1, 1000));
    long idx = decide(allocate(1)).allocatedIndexes().getFirst();
    assertThat(entry(idx).published()).isFalse();
    tick(INTERVAL);
    assertThat(entry(idx).published()).isTrue();
  }

  @Test
  void aCommandIdIsRememberedForTheConfiguredDedupRetentionOnly() throws Exception {
    startWith(Map.of("command.dedup.retention.ms", "60000"));
    decide(create(LIST, 1, 1000));
    RegistryCommand.AllocateIndexes command = allocate(2);
    Outcome first = decide(command);

    clock.advance(Duration.ofSeconds(30));
    assertThat(decide(command).allocatedIndexes()).isEqualTo(first.allocatedIndexes());

    clock.advance(Duration.ofSeconds(31));
    Outcome late = decide(command);
    assertThat(late.allocatedIndexes())
        .as("past the retention the id is forgotten and the command decided again")
        .hasSize(2)
        .doesNotContainAnyElementsOf(first.allocatedIndexes());
  }

  // ------------------------------------------------------------------ dead letters

  @Test
  void unreadableCommandGoesToTheDeadLetterTopicAndProcessingGoesOn() {
    commands.pipeInput(
        new TestRecord<>(
            "acme/x".getBytes(StandardCharsets.UTF_8),
            "{not json".getBytes(StandardCharsets.UTF_8),
            new RecordHeaders(),
            clock.instant()));

    var dead = dlq.readRecordsToList();
    assertThat(dead).hasSize(1);
    var headers = dead.getFirst().headers();
    assertThat(text(headers.lastHeader("topic"))).isEqualTo(TopicCatalogue.COMMANDS);
    assertThat(text(headers.lastHeader("partition"))).isEqualTo("0");
    assertThat(text(headers.lastHeader("offset"))).isEqualTo("0");
    assertThat(text(headers.lastHeader("error"))).contains("JSON");
    assertThat(dead.getFirst().value()).asString().isEqualTo("{not json");

    assertThat(accepted(decide(create(LIST, 1, 100)))).hasSize(1);
    assertThat(dlq.isEmpty()).isTrue();
  }

  private static String text(Header h) {
    assertThat(h).isNotNull();
    return new String(h.value(), StandardCharsets.UTF_8);
  }
}
