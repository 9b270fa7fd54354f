package io.statusreg.registry.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statusreg.registry.Actor;
import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.Status;
import io.statusreg.registry.identifiers.IdentifierCipher;
import io.statusreg.registry.identifiers.ListKind;
import io.statusreg.registry.issuance.IndexPermutation;
import io.statusreg.registry.testing.Gen;
import io.statusreg.registry.testing.Property;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventCodecPropertiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Gen<EventId> ids() {
    Gen<Long> longs = Gen.longs();
    return r -> new EventId(new UUID(longs.next(r), longs.next(r)));
  }

  static Gen<ListId> listIds() {
    Gen<String> issuerHead = Gen.strings("abcz09", 1, 1);
    Gen<String> issuerTail = Gen.strings("abcxyz0189-", 0, 62);
    Gen<String> name = Gen.strings("ABZabz09_-", 1, 64);
    return r -> ListId.of(issuerHead.next(r) + issuerTail.next(r), name.next(r));
  }

  static Gen<Actor> actors() {
    Gen<Actor.Kind> kinds = Gen.enumValues(Actor.Kind.class);
    Gen<String> subjects = Gen.strings(1, 256);
    return r -> new Actor(kinds.next(r), subjects.next(r));
  }

  static Gen<Instant> instants() {
    return Gen.longs().map(Instant::ofEpochMilli);
  }

  static Gen<RegistryEvent> events() {
    Gen<Long> longs = Gen.longs();
    Gen<Duration> durations = Gen.longs(0, 1L << 40).map(Duration::ofSeconds);
    Gen<Integer> bits = Gen.elementOf(1, 2, 4, 8);
    Gen<Long> sizes = Gen.longs(1, 1L << 34);
    Gen<Purpose> purposes = Gen.enumValues(Purpose.class);
    Gen<Status> statuses = Gen.enumValues(Status.class);
    Gen<Reason> reasons = Gen.enumValues(Reason.class);
    Gen<EventId> ids = ids();
    Gen<ListId> lists = listIds();
    Gen<Actor> actors = actors();
    Gen<Instant> instants = instants();
    Gen<ListKind> kinds = Gen.enumValues(ListKind.class);
    Gen<RegistryEvent> created =
        r ->
            new ListCreated(
                ids.next(r),
                lists.next(r),
                bits.next(r),
                sizes.next(r),
                durations.next(r),
                durations.next(r),
                purposes.next(r),
                new IndexPermutation.Key(longs.next(r), longs.next(r)),
                actors.next(r),
                instants.next(r),
                kinds.next(r));
    Gen<Integer> ints = Gen.ints();
    Gen<RegistryEvent> allocated =
        r ->
            new IndexesAllocated(
                ids.next(r),
                lists.next(r),
                longs.next(r),
                ints.next(r),
                actors.next(r),
                instants.next(r));
    Gen<RegistryEvent> changed =
        r ->
            new StatusChanged(
                ids.next(r),
                lists.next(r),
                longs.next(r),
                statuses.next(r),
                statuses.next(r),
                reasons.next(r),
                actors.next(r),
                instants.next(r));
    Gen<RegistryEvent> full =
        r ->
            new ListFull(
                ids.next(r), lists.next(r), longs.next(r), actors.next(r), instants.next(r));
    Gen<RegistryEvent> retired =
        r -> new ListRetired(ids.next(r), lists.next(r), actors.next(r), instants.next(r));
    Gen<byte[]> identifiers =
        Gen.bytes(IdentifierCipher.IDENTIFIER_BYTES, IdentifierCipher.IDENTIFIER_BYTES);
    Gen<RegistryEvent> revoked =
        r ->
            new IdentifierRevoked(
                ids.next(r),
                lists.next(r),
                longs.next(r),
                identifiers.next(r),
                reasons.next(r),
                actors.next(r),
                instants.next(r));
    return Gen.oneOf(created, allocated, changed, full, retired, revoked);
  }

  @Test
  void everyEventSurvivesEncodeThenDecode() {
    Property.forAll(
        "everyEventSurvivesEncodeThenDecode",
        1000,
        events(),
        event -> {
          byte[] bytes = EventCodec.encode(event);

          RegistryEvent back = EventCodec.decode(bytes);

          assertThat(back).isEqualTo(event);
          assertThat(EventCodec.encode(back)).isEqualTo(bytes);
        });
  }

  @Test
  void randomBytesNeverThrowAnythingButInvalidInput() {
    Property.forAll(
        "randomBytesNeverThrowAnythingButInvalidInput",
        1000,
        Gen.bytes(0, 300),
        EventCodecPropertiesTest::assertDecodesOrRefusesCleanly);
  }

  @Test
  void randomTextNeverThrowsAnythingButInvalidInput() {
    Property.forAll(
        "randomTextNeverThrowsAnythingButInvalidInput",
        1000,
        Gen.strings(0, 255),
        text -> assertDecodesOrRefusesCleanly(text.getBytes(StandardCharsets.UTF_8)));
  }

  static Gen<JsonNode> jsonValues() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return Gen.oneOf(
        Gen.constant(f.nullNode()),
        Gen.booleans().map(f::booleanNode),
        Gen.longs().map(f::numberNode),
        Gen.ints(-3, 20).map(f::numberNode),
        Gen.doubles().map(f::numberNode),
        Gen.bigIntegers(
                BigInteger.TWO.pow(63).negate().multiply(BigInteger.TEN), BigInteger.TWO.pow(80))
            .map(f::numberNode),
        Gen.strings(0, 40).map(f::textNode),
        Gen.elementOf(
                "issuer/list",
                "/x",
                "a/",
                "00000000-0000-0000-0000-00000000000z",
                "list_created",
                "status_changed",
                "issuer",
                "",
                "0123456789abcdef0123456789abcdeg")
            .map(f::textNode),
        r -> f.arrayNode(),
        r -> f.objectNode());
  }

  /** A valid event with one field removed or replaced by any JSON value. */
  record Corruption(RegistryEvent event, JsonNode replacement, int fieldPick, boolean remove) {}

  @Test
  void corruptingAnyFieldGivesAnEventOrInvalidInput() {
    Gen<RegistryEvent> events = events();
    Gen<JsonNode> values = jsonValues();
    Gen<Integer> picks = Gen.ints();
    Gen<Corruption> corruptions =
        r -> new Corruption(events.next(r), values.next(r), picks.next(r), r.nextBoolean());

    Property.forAll(
        "corruptingAnyFieldGivesAnEventOrInvalidInput",
        2000,
        corruptions,
        c -> {
          ObjectNode o = (ObjectNode) JSON.readTree(EventCodec.encode(c.event()));
          List<ObjectNode> owners = new ArrayList<>();
          List<String> names = new ArrayList<>();
          o.fieldNames()
              .forEachRemaining(
                  n -> {
                    owners.add(o);
                    names.add(n);
                  });
          ObjectNode actor = (ObjectNode) o.get("actor");
          actor
              .fieldNames()
              .forEachRemaining(
                  n -> {
                    owners.add(actor);
                    names.add(n);
                  });
          int i = Math.floorMod(c.fieldPick(), names.size());
          if (c.remove()) {
            owners.get(i).remove(names.get(i));
          } else {
            owners.get(i).set(names.get(i), c.replacement());
          }

          assertDecodesOrRefusesCleanly(JSON.writeValueAsBytes(o));
        });
  }

  private static void assertDecodesOrRefusesCleanly(byte[] bytes) {
    Throwable thrown = catchThrowable(() -> EventCodec.decode(bytes));
    if (thrown != null) {
      assertThat(thrown).isInstanceOf(RegistryException.InvalidInput.class);
    }
  }
}
