package io.statusreg.streams.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusreg.common.wire.PublishedToken;
import io.statusreg.common.wire.TokenSerde;
import io.statusreg.registry.Actor;
import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.IndexesAllocated;
import io.statusreg.registry.events.ListCreated;
import io.statusreg.registry.events.ListFull;
import io.statusreg.registry.events.ListRetired;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.events.StatusChanged;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.ListMeta;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.fold.Rejection;
import io.statusreg.registry.issuance.IndexPermutation;
import io.statusreg.streams.gateway.CommandGateway.EntryView;
import io.statusreg.streams.gateway.CommandGateway.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/**
 * Every wire type of statusreg round-trips through its serde for randomized values (a fixed-seed
 * loop), and malformed bytes (garbage, truncations, wrong versions) fail with {@link
 * RegistryException.InvalidInput}, never with another exception.
 */
class WireSerdeRoundTripTest {
  private static final int RUNS = 300;
  private final Random random = new Random(0x5eed_2026L);

  // ------------------------------------------------------------------ generators

  private String name() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder b = new StringBuilder();
    int n = 1 + random.nextInt(20);
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  private ListId listId() {
    return ListId.of(name(), name().toUpperCase() + "_-" + random.nextInt(1000));
  }

  private Actor actor() {
    Actor.Kind kind = pick(Actor.Kind.values());
    return new Actor(kind, "sub-" + name() + " ü\"\\ ✓");
  }

  private Instant millis() {
    return Instant.ofEpochMilli(1_600_000_000_000L + random.nextLong(400_000_000_000L));
  }

  private Duration seconds() {
    return Duration.ofSeconds(1 + random.nextInt(1_000_000));
  }

  private <T> T pick(T[] values) {
    return values[random.nextInt(values.length)];
  }

  private int bits() {
    return new int[] {1, 2, 4, 8}[random.nextInt(4)];
  }

  private IndexPermutation.Key key() {
    return new IndexPermutation.Key(random.nextLong(), random.nextLong());
  }

  private RegistryEvent event() {
    EventId id = EventId.random();
    ListId list = listId();
    return switch (random.nextInt(5)) {
      case 0 ->
          new ListCreated(
              id,
              list,
              bits(),
              1 + random.nextInt(10_000_000),
              seconds(),
              seconds(),
              pick(Purpose.values()),
              key(),
              actor(),
              millis());
      case 1 ->
          new IndexesAllocated(
              id, list, random.nextLong(1L << 40), 1 + random.nextInt(1000), actor(), millis());
      case 2 ->
          new StatusChanged(
              id,
              list,
              random.nextLong(1L << 33),
              pick(Status.values()),
              pick(Status.values()),
              pick(Reason.values()),
              actor(),
              millis());
      case 3 -> new ListFull(id, list, random.nextLong(1L << 40), actor(), millis());
      default -> new ListRetired(id, list, actor(), millis());
    };
  }

  private RegistryCommand command() {
    UUID id = UUID.randomUUID();
    ListId list = listId();
    return switch (random.nextInt(4)) {
      case 0 ->
          new RegistryCommand.CreateList(
              id,
              list,
              bits(),
              1 + random.nextInt(10_000_000),
              seconds(),
              seconds(),
              pick(Purpose.values()),
              key(),
              actor(),
              millis());
      case 1 ->
          new RegistryCommand.AllocateIndexes(
              id, list, 1 + random.nextInt(1000), actor(), millis());
      case 2 -> {
        List<RegistryCommand.Change> changes = new ArrayList<>();
        int n = 1 + random.nextInt(5);
        for (int i = 0; i < n; i++) {
          changes.add(
              new RegistryCommand.Change(
                  random.nextLong(1L << 33), pick(Status.values()), pick(Reason.values())));
        }
        yield new RegistryCommand.ChangeStatus(id, list, changes, actor(), millis());
      }
      default -> new RegistryCommand.RetireList(id, list, actor(), millis());
    };
  }

  private Request request() {
    return random.nextInt(5) == 0
        ? new Request.ReadEntry(listId(), random.nextLong(1L << 40))
        : new Request.Decide(command());
  }

  private ListMeta meta() {
    int bits = bits();
    long size = 1 + random.nextInt(10_000_000);
    return new ListMeta(
        listId(),
        bits,
        size,
        Duration.ofMillis(1 + random.nextInt(1_000_000_000)),
        Duration.ofMillis(1 + random.nextInt(1_000_000_000)),
        pick(Purpose.values()),
        key(),
        random.nextLong(size + 1),
        random.nextBoolean(),
        random.nextBoolean(),
        random.nextLong(1L << 40),
        random.nextLong(1L << 20),
        millis(),
        millis());
  }

  private Reply reply() {
    return switch (random.nextInt(6)) {
      case 5 -> new Reply.OwnerFault();
      case 4 -> {
        byte[] previous = new byte[random.nextInt(40)];
        for (int i = 0; i < previous.length; i++) {
          previous[i] =
              random.nextBoolean()
                  ? Reply.ChangesAccepted.UNCHANGED
                  : (byte) pick(Status.values()).code();
        }
        yield new Reply.ChangesAccepted(
            previous,
            random.nextLong(),
            random.nextBoolean() ? Optional.of(meta()) : Optional.empty(),
            millis());
      }
      case 0 -> {
        List<RegistryEvent> events = new ArrayList<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          events.add(event());
        }
        List<Long> allocated = new ArrayList<>();
        int m = random.nextInt(6);
        for (int i = 0; i < m; i++) {
          allocated.add(random.nextLong(1L << 40));
        }
        yield new Reply.Decided(
            new Outcome(
                new Decision.Accepted(events),
                List.copyOf(allocated),
                random.nextBoolean() ? Optional.of(meta()) : Optional.empty(),
                millis()));
      }
      case 1 ->
          new Reply.Decided(
              new Outcome(
                  new Decision.Rejected(
                      new Rejection(pick(Rejection.Kind.values()), "why: " + name() + " ✓")),
                  List.of(),
                  random.nextBoolean() ? Optional.of(meta()) : Optional.empty(),
                  millis()));
      case 2 ->
          new Reply.Entry(
              random.nextBoolean()
                  ? Optional.empty()
                  : Optional.of(
                      new EntryView(
                          listId(),
                          random.nextLong(1L << 40),
                          pick(Status.values()),
                          random.nextBoolean(),
                          random.nextBoolean(),
                          random.nextLong(1L << 40))));
      default -> new Reply.Failed("failed: " + name() + " \"quoted\" ✓");
    };
  }

  private byte[] bytes(int max) {
    byte[] b = new byte[random.nextInt(max + 1)];
    random.nextBytes(b);
    return b;
  }

  private PublishedToken token() {
    int bits = bits();
    long[] counts = new long[1 << bits];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = random.nextLong(1L << 30);
    }
    Instant iat = millis();
    return new PublishedToken(
        listId(),
        "https://status.example/statuslists/" + name(),
        1 + random.nextLong(1L << 40),
        bits,
        1 + random.nextInt(10_000_000),
        random.nextLong(1L << 30),
        counts,
        iat,
        iat.plusMillis(random.nextInt(100_000_000)),
        Duration.ofMillis(random.nextInt(100_000_000)),
        "kid-" + name(),
        "\"v1-" + name() + "\"",
        bytes(3000),
        bytes(3000),
        bytes(3000),
        random.nextBoolean() ? null : millis(),
        random.nextInt(10) == 0 ? PublishedToken.UNKNOWN_FOLDED_EVENTS : random.nextLong(1L << 40));
  }

  // ------------------------------------------------------------------ round trips

  private <T> void roundTrips(Serde<T> serde, java.util.function.Supplier<T> values) {
    for (int i = 0; i < RUNS; i++) {
      T value = values.get();
      byte[] wire = serde.serializer().serialize("t", value);
      T back = serde.deserializer().deserialize("t", wire);
      assertThat(back).as("run %d", i).usingRecursiveComparison().isEqualTo(value);
      assertThat(serde.serializer().serialize("t", back)).as("stable encoding").isEqualTo(wire);
    }
    assertThat(serde.serializer().serialize("t", null)).isNull();
    assertThat(serde.deserializer().deserialize("t", null)).as("tombstone").isNull();
  }

  @Test
  void eventsRoundTrip() {
    roundTrips(new EventSerde(), this::event);
  }

  @Test
  void requestsRoundTrip() {
    roundTrips(new RequestSerde(), this::request);
  }

  @Test
  void repliesRoundTrip() {
    roundTrips(new ReplySerde(), this::reply);
  }

  @Test
  void tokensRoundTrip() {
    roundTrips(new TokenSerde(), this::token);
  }

  @Test
  void tokensAreWrittenAtVersion2WithTheFoldedEventCount() {
    PublishedToken t = token();
    byte[] wire = TokenSerde.toBytes(t);
    assertThat(wire[0]).isEqualTo((byte) 2);
    assertThat(TokenSerde.fromBytes(wire).foldedEvents()).isEqualTo(t.foldedEvents());
  }

  /** A record as the version 1 writer laid it out (no folded event count), written by hand. */
  private static byte[] version1Record(PublishedToken t) throws java.io.IOException {
    java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(buffer)) {
      out.writeByte(1);
      out.writeUTF(t.listId().key());
      out.writeUTF(t.uri());
      out.writeLong(t.version());
      out.writeInt(t.bits());
      out.writeLong(t.size());
      out.writeLong(t.allocated());
      out.writeInt(t.counts().length);
      for (long c : t.counts()) {
        out.writeLong(c);
      }
      out.writeLong(t.issuedAt().toEpochMilli());
      out.writeLong(t.expiresAt().toEpochMilli());
      out.writeLong(t.ttl().toMillis());
      out.writeUTF(t.kid());
      out.writeUTF(t.etag());
      for (byte[] b : new byte[][] {t.jwt(), t.cwt(), t.w3c()}) {
        out.writeInt(b.length);
        out.write(b);
      }
      out.writeLong(t.oldestChangeAt() == null ? -1 : t.oldestChangeAt().toEpochMilli());
    }
    return buffer.toByteArray();
  }

  @Test
  void version1TokensStillReadWithAnUnknownFoldedEventCount() throws Exception {
    for (int i = 0; i < RUNS; i++) {
      PublishedToken t = token();
      PublishedToken back = TokenSerde.fromBytes(version1Record(t));
      assertThat(back.foldedEvents()).isEqualTo(PublishedToken.UNKNOWN_FOLDED_EVENTS);
      assertThat(back.knowsFoldedEvents()).isFalse();
      assertThat(back).usingRecursiveComparison().ignoringFields("foldedEvents").isEqualTo(t);
    }
  }

  @Test
  void listMetadataRoundTrips() {
    for (int i = 0; i < RUNS; i++) {
      ListMeta meta = meta();
      assertThat(ListMetaCodec.decode(ListMetaCodec.encode(meta))).isEqualTo(meta);
    }
  }

  // ------------------------------------------------------------------ malformed input

  private <T> void rejectsMalformed(
      String what, Function<byte[], T> decode, java.util.function.Supplier<byte[]> valid) {
    for (int i = 0; i < RUNS; i++) {
      byte[] garbage = bytes(200);
      assertInvalid(what + " garbage " + Arrays.toString(garbage), decode, garbage);
      byte[] good = valid.get();
      byte[] truncated = Arrays.copyOf(good, random.nextInt(good.length));
      assertInvalid(what + " truncated to " + truncated.length, decode, truncated);
      byte[] flipped = good.clone();
      flipped[random.nextInt(flipped.length)] ^= (byte) (1 + random.nextInt(255));
      try {
        decode.apply(flipped);
      } catch (RegistryException.InvalidInput expected) {
        // a flipped byte may still decode (e.g. inside a string); it must never fail otherwise
      }
    }
  }

  private static <T> void assertInvalid(String what, Function<byte[], T> decode, byte[] bytes) {
    assertThatThrownBy(() -> decode.apply(bytes))
        .as(what)
        .isInstanceOf(RegistryException.InvalidInput.class);
  }

  @Test
  void malformedEventsAreInvalidInput() {
    EventSerde serde = new EventSerde();
    rejectsMalformed("event", b -> serde.deserialize("t", b), () -> serde.serialize("t", event()));
  }

  @Test
  void malformedRequestsAreInvalidInput() {
    rejectsMalformed("request", RequestSerde::fromBytes, () -> RequestSerde.toBytes(request()));
  }

  @Test
  void malformedRepliesAreInvalidInput() {
    rejectsMalformed("reply", ReplySerde::fromBytes, () -> ReplySerde.toBytes(reply()));
  }

  @Test
  void malformedTokensAreInvalidInput() {
    rejectsMalformed("token", TokenSerde::fromBytes, () -> TokenSerde.toBytes(token()));
  }

  @Test
  void malformedListMetadataIsInvalidInput() {
    rejectsMalformed("list meta", ListMetaCodec::decode, () -> ListMetaCodec.encode(meta()));
  }

  @Test
  void unknownVersionsAndTypesAreInvalidInput() {
    String[] bad = {
      "{\"v\":2,\"type\":\"read_entry\",\"list\":\"a/b\",\"idx\":1}",
      "{\"v\":1,\"type\":\"nope\",\"list\":\"a/b\",\"idx\":1}",
      "{\"v\":1,\"type\":\"read_entry\",\"list\":\"a/b\",\"idx\":-1}",
      "{\"v\":1,\"type\":\"read_entry\",\"list\":\"A B/b\",\"idx\":1}",
      "{\"v\":1,\"type\":\"read_entry\",\"list\":\"a/b\",\"idx\":\"1\"}",
      "[1,2]",
      "{\"v\":1} trailing",
    };
    for (String s : bad) {
      assertInvalid(s, RequestSerde::fromBytes, s.getBytes(StandardCharsets.UTF_8));
      assertInvalid(s, ReplySerde::fromBytes, s.getBytes(StandardCharsets.UTF_8));
    }
    byte[] token = TokenSerde.toBytes(token());
    token[0] = 3;
    assertInvalid("token version 3", TokenSerde::fromBytes, token);
    byte[] v2AsV1 = TokenSerde.toBytes(token());
    v2AsV1[0] = TokenSerde.VERSION_1;
    assertInvalid("a version 2 record labelled 1", TokenSerde::fromBytes, v2AsV1);
    byte[] complete = TokenSerde.toBytes(token());
    byte[] trailing = Arrays.copyOf(complete, complete.length + 1);
    assertInvalid("token with trailing bytes", TokenSerde::fromBytes, trailing);
  }
}
