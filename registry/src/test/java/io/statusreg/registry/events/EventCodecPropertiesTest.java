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
import io.statusreg.registry.issuance.IndexPermutation;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class EventCodecPropertiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Arbitrary<EventId> ids() {
    return Combinators.combine(Arbitraries.longs(), Arbitraries.longs())
        .as((a, b) -> new EventId(new UUID(a, b)));
  }

  static Arbitrary<ListId> listIds() {
    Arbitrary<String> issuer =
        Combinators.combine(
                Arbitraries.strings().withChars("abcz09").ofLength(1),
                Arbitraries.strings().withChars("abcxyz0189-").ofMaxLength(62))
            .as(String::concat);
    Arbitrary<String> name =
        Arbitraries.strings().withChars("ABZabz09_-").ofMinLength(1).ofMaxLength(64);
    return Combinators.combine(issuer, name).as(ListId::of);
  }

  static Arbitrary<Actor> actors() {
    return Combinators.combine(
            Arbitraries.of(Actor.Kind.class),
            Arbitraries.strings().all().ofMinLength(1).ofMaxLength(256))
        .as(Actor::new);
  }

  static Arbitrary<Instant> instants() {
    return Arbitraries.longs().map(Instant::ofEpochMilli);
  }

  @Provide
  Arbitrary<RegistryEvent> events() {
    Arbitrary<RegistryEvent> created =
        Combinators.combine(
                ids(),
                listIds(),
                Arbitraries.of(1, 2, 4, 8),
                Arbitraries.longs().between(1, 1L << 34),
                Arbitraries.longs().between(0, 1L << 40).map(Duration::ofSeconds),
                Arbitraries.longs().between(0, 1L << 40).map(Duration::ofSeconds),
                Arbitraries.of(Purpose.class),
                Combinators.combine(Arbitraries.longs(), Arbitraries.longs())
                    .as(IndexPermutation.Key::new))
            .as(
                (id, list, bits, size, ttl, validity, purpose, key) ->
                    new ListCreated(
                        id,
                        list,
                        bits,
                        size,
                        ttl,
                        validity,
                        purpose,
                        key,
                        Actor.SYSTEM,
                        Instant.EPOCH))
            .flatMap(
                e ->
                    Combinators.combine(actors(), instants())
                        .as(
                            (actor, at) ->
                                new ListCreated(
                                    e.id(),
                                    e.listId(),
                                    e.bits(),
                                    e.size(),
                                    e.ttl(),
                                    e.validity(),
                                    e.purpose(),
                                    e.permutationKey(),
                                    actor,
                                    at)));
    Arbitrary<RegistryEvent> allocated =
        Combinators.combine(
                ids(), listIds(), Arbitraries.longs(), Arbitraries.integers(), actors(), instants())
            .as(IndexesAllocated::new);
    Arbitrary<RegistryEvent> changed =
        Combinators.combine(
                ids(),
                listIds(),
                Arbitraries.longs(),
                Arbitraries.of(Status.class),
                Arbitraries.of(Status.class),
                Arbitraries.of(Reason.class),
                actors(),
                instants())
            .as(StatusChanged::new);
    Arbitrary<RegistryEvent> full =
        Combinators.combine(ids(), listIds(), Arbitraries.longs(), actors(), instants())
            .as(ListFull::new);
    Arbitrary<RegistryEvent> retired =
        Combinators.combine(ids(), listIds(), actors(), instants()).as(ListRetired::new);
    return Arbitraries.oneOf(created, allocated, changed, full, retired);
  }

  @Property(tries = 1000)
  void everyEventSurvivesEncodeThenDecode(@ForAll("events") RegistryEvent event) {
    byte[] bytes = EventCodec.encode(event);

    RegistryEvent back = EventCodec.decode(bytes);

    assertThat(back).isEqualTo(event);
    assertThat(EventCodec.encode(back)).isEqualTo(bytes);
  }

  @Property(tries = 1000)
  void randomBytesNeverThrowAnythingButInvalidInput(@ForAll byte[] bytes) {
    assertDecodesOrRefusesCleanly(bytes);
  }

  @Property(tries = 1000)
  void randomTextNeverThrowsAnythingButInvalidInput(@ForAll String text) {
    assertDecodesOrRefusesCleanly(text.getBytes(StandardCharsets.UTF_8));
  }

  @Provide
  Arbitrary<JsonNode> jsonValues() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return Arbitraries.oneOf(
        Arbitraries.just(f.nullNode()),
        Arbitraries.of(true, false).map(f::booleanNode),
        Arbitraries.longs().map(f::numberNode),
        Arbitraries.integers().between(-3, 20).map(f::numberNode),
        Arbitraries.doubles().map(f::numberNode),
        Arbitraries.bigIntegers()
            .between(
                BigInteger.TWO.pow(63).negate().multiply(BigInteger.TEN), BigInteger.TWO.pow(80))
            .map(f::numberNode),
        Arbitraries.strings().ofMaxLength(40).map(f::textNode),
        Arbitraries.of(
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
        Arbitraries.just(f.arrayNode()),
        Arbitraries.just(f.objectNode()));
  }

  /** A valid event with one field removed or replaced by any JSON value. */
  @Property(tries = 2000)
  void corruptingAnyFieldGivesAnEventOrInvalidInput(
      @ForAll("events") RegistryEvent event,
      @ForAll("jsonValues") JsonNode replacement,
      @ForAll int fieldPick,
      @ForAll boolean remove)
      throws Exception {
    ObjectNode o = (ObjectNode) JSON.readTree(EventCodec.encode(event));
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
    int i = Math.floorMod(fieldPick, names.size());
    if (remove) {
      owners.get(i).remove(names.get(i));
    } else {
      owners.get(i).set(names.get(i), replacement);
    }

    assertDecodesOrRefusesCleanly(JSON.writeValueAsBytes(o));
  }

  private static void assertDecodesOrRefusesCleanly(byte[] bytes) {
    Throwable thrown = catchThrowable(() -> EventCodec.decode(bytes));
    if (thrown != null) {
      assertThat(thrown).isInstanceOf(RegistryException.InvalidInput.class);
    }
  }
}
