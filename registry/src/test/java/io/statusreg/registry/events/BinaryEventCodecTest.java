package io.statusreg.registry.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.statusreg.registry.Actor;
import io.statusreg.registry.EventId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.EventCodec.Format;
import io.statusreg.registry.identifiers.ListKind;
import io.statusreg.registry.issuance.IndexPermutation;
import io.statusreg.registry.testing.EventGenerator;
import io.statusreg.registry.testing.Gen;
import io.statusreg.registry.testing.Property;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class BinaryEventCodecTest {
  private static final StatusChanged CHANGE =
      new StatusChanged(
          EventId.of("6f1c2a4e-8d3b-4c55-9a7e-1b2c3d4e5f60"),
          ListId.of("acme", "main"),
          42,
          Status.VALID,
          Status.INVALID,
          Reason.KEY_COMPROMISE,
          Actor.issuer("c1"),
          Instant.ofEpochMilli(1_700_000_000_000L));

  @Test
  void theDocumentedLayoutOfAStatusChangeIsWhatIsWritten() {
    String expected =
        "00"
            + "01"
            + "03" // magic, version 1 (as its JSON form), status_changed
            + "6f1c2a4e8d3b4c55"
            + "9a7e1b2c3d4e5f60" // id
            + "0000018bcfe56800" // at = 1700000000000 ms
            + "01" // actor kind issuer
            + "0009"
            + HexFormat.of().formatHex("acme/main".getBytes())
            + "0002"
            + HexFormat.of().formatHex("c1".getBytes())
            + "00"
            + "01" // previous VALID, status INVALID
            + "0e"
            + HexFormat.of().formatHex("key_compromise".getBytes())
            + "000000000000002a"; // idx 42

    byte[] bytes = EventCodec.encode(CHANGE, Format.BINARY);

    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(expected);
    assertThat(EventCodec.decode(HexFormat.of().parseHex(expected))).isEqualTo(CHANGE);
  }

  @Test
  void anIdentifierRevocationIsWrittenAtVersionTwoInBothForms() {
    byte[] identifier = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    IdentifierRevoked revoked =
        new IdentifierRevoked(
            CHANGE.id(),
            CHANGE.listId(),
            7,
            identifier,
            Reason.KEY_COMPROMISE,
            CHANGE.actor(),
            CHANGE.at());
    String expected =
        "00"
            + "02"
            + "06" // magic, version 2, identifier_revoked
            + "6f1c2a4e8d3b4c55"
            + "9a7e1b2c3d4e5f60"
            + "0000018bcfe56800"
            + "01"
            + "0009"
            + HexFormat.of().formatHex("acme/main".getBytes())
            + "0002"
            + HexFormat.of().formatHex("c1".getBytes())
            + "0000000000000007" // slot 7
            + "00112233445566778899aabbccddeeff" // identifier
            + "0e"
            + HexFormat.of().formatHex("key_compromise".getBytes());

    byte[] bytes = EventCodec.encode(revoked, Format.BINARY);

    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(expected);
    assertThat(EventCodec.decode(bytes)).isEqualTo(revoked);
    assertThat((int) bytes[1]).isEqualTo(EventCodec.versionOf(revoked)).isEqualTo(2);
    assertThat(new String(EventCodec.encode(revoked, Format.JSON), StandardCharsets.UTF_8))
        .contains("\"v\":2");
  }

  @Test
  void anIdentifierListCarriesItsKindAtVersionTwoAndAStatusListStaysVersionOne() {
    ListCreated status =
        new ListCreated(
            CHANGE.id(),
            CHANGE.listId(),
            1,
            64,
            Duration.ofMinutes(5),
            Duration.ofDays(1),
            Purpose.REVOCATION,
            new IndexPermutation.Key(1, 2),
            CHANGE.actor(),
            CHANGE.at());
    ListCreated identifiers =
        new ListCreated(
            status.id(),
            status.listId(),
            1,
            64,
            status.ttl(),
            status.validity(),
            status.purpose(),
            status.permutationKey(),
            status.actor(),
            status.at(),
            ListKind.IDENTIFIER_LIST);

    byte[] plain = EventCodec.encode(status, Format.BINARY);
    byte[] kinded = EventCodec.encode(identifiers, Format.BINARY);

    assertThat(plain[1]).isEqualTo((byte) 1);
    assertThat(kinded[1]).isEqualTo((byte) 2);
    assertThat(kinded).hasSize(plain.length + 1);
    assertThat(kinded[kinded.length - 1]).isEqualTo((byte) 2); // kind identifier_list
    assertThat(EventCodec.decode(plain)).isEqualTo(status);
    assertThat(EventCodec.decode(kinded)).isEqualTo(identifiers);
  }

  @Test
  void anIdentifierRevocationClaimingVersionOneIsRefused() {
    IdentifierRevoked revoked =
        new IdentifierRevoked(
            CHANGE.id(),
            CHANGE.listId(),
            7,
            new byte[16],
            Reason.UNSPECIFIED,
            CHANGE.actor(),
            CHANGE.at());
    byte[] bytes = EventCodec.encode(revoked, Format.BINARY);
    bytes[1] = 1;

    assertThatThrownBy(() -> EventCodec.decode(bytes))
        .isInstanceOf(RegistryException.InvalidInput.class)
        .hasMessageContaining("identifier_revoked needs event version 2");
  }

  @Test
  void binaryIsAFractionOfTheJsonSize() {
    assertThat(EventCodec.encode(CHANGE, Format.BINARY).length)
        .isLessThan(EventCodec.encode(CHANGE, Format.JSON).length / 3);
  }

  @Test
  void everyEventSurvivesBinaryEncodeThenDecodeAndMatchesItsJsonForm() {
    Property.forAll(
        "everyEventSurvivesBinaryEncodeThenDecode",
        1000,
        EventCodecPropertiesTest.events(),
        event -> {
          byte[] binary = EventCodec.encode(event, Format.BINARY);

          RegistryEvent back = EventCodec.decode(binary);

          assertThat(binary[0])
              .isEqualTo(BinaryEventCodec.encodable(event) ? (byte) 0 : (byte) '{');
          assertThat(back).isEqualTo(event);
          assertThat(back).isEqualTo(EventCodec.decode(EventCodec.encode(event, Format.JSON)));
          assertThat(EventCodec.encode(back, Format.BINARY)).isEqualTo(binary);
        });
  }

  @Test
  void aLogMixingBothFormsFoldsAsOne() {
    EventGenerator.Generated log = EventGenerator.seed(11).generate();
    List<RegistryEvent> mixed = new ArrayList<>();
    for (int i = 0; i < log.events().size(); i++) {
      Format form = i % 2 == 0 ? Format.JSON : Format.BINARY;
      mixed.add(EventCodec.decode(EventCodec.encode(log.events().get(i), form)));
    }

    assertThat(log.statusChanges()).isPositive();
    assertThat(EventGenerator.fold(mixed)).isEqualTo(log.finalStates());
  }

  @Test
  void everyTruncationAndEveryTrailingByteIsRefusedAsInvalidInput() {
    Property.forAll(
        "everyTruncationIsRefused",
        200,
        EventCodecPropertiesTest.events(),
        event -> {
          if (!BinaryEventCodec.encodable(event)) {
            return; // written as JSON, covered by EventCodecPropertiesTest
          }
          byte[] binary = EventCodec.encode(event, Format.BINARY);
          for (int n = 1; n < binary.length; n++) {
            byte[] cut = Arrays.copyOf(binary, n);
            assertThatThrownBy(() -> EventCodec.decode(cut))
                .isInstanceOf(RegistryException.InvalidInput.class);
          }
          byte[] longer = Arrays.copyOf(binary, binary.length + 1);
          assertThatThrownBy(() -> EventCodec.decode(longer))
              .isInstanceOf(RegistryException.InvalidInput.class)
              .hasMessageContaining("after its fields");
        });
  }

  record Flip(RegistryEvent event, int at, int value) {}

  @Test
  void anyCorruptedByteGivesAnEventOrInvalidInput() {
    Gen<RegistryEvent> events = EventCodecPropertiesTest.events();
    Gen<Integer> ints = Gen.ints();
    Gen<Flip> flips = r -> new Flip(events.next(r), ints.next(r), ints.next(r));
    Property.forAll(
        "anyCorruptedBinaryByteGivesAnEventOrInvalidInput",
        3000,
        flips,
        f -> {
          byte[] binary = BinaryEventCodec.encode(f.event());
          int at = 1 + Math.floorMod(f.at(), binary.length - 1);
          binary[at] = (byte) f.value();
          Throwable thrown = catchThrowable(() -> EventCodec.decode(binary));
          if (thrown != null) {
            assertThat(thrown).isInstanceOf(RegistryException.InvalidInput.class);
          }
        });
  }

  @Test
  void randomBytesBehindTheMagicNeverThrowAnythingButInvalidInput() {
    Property.forAll(
        "randomBytesBehindTheBinaryMagic",
        2000,
        Gen.bytes(0, 200),
        tail -> {
          byte[] bytes = new byte[tail.length + 2];
          bytes[1] = 2;
          System.arraycopy(tail, 0, bytes, 2, tail.length);
          Throwable thrown = catchThrowable(() -> EventCodec.decode(bytes));
          if (thrown != null) {
            assertThat(thrown).isInstanceOf(RegistryException.InvalidInput.class);
          }
        });
  }

  @Test
  void anUnknownBinaryVersionIsRefusedByName() {
    byte[] bytes = EventCodec.encode(CHANGE, Format.BINARY);
    bytes[1] = 3;

    assertThatThrownBy(() -> EventCodec.decode(bytes))
        .isInstanceOf(RegistryException.InvalidInput.class)
        .hasMessageContaining("unsupported binary event version 3");
  }

  /** {@link #CHANGE} by another actor subject. */
  private static StatusChanged changeBy(String subject) {
    return new StatusChanged(
        CHANGE.id(),
        CHANGE.listId(),
        1,
        Status.VALID,
        Status.INVALID,
        Reason.UNSPECIFIED,
        Actor.issuer(subject),
        CHANGE.at());
  }

  @Test
  void theSameTextUnderAnotherActorKindOrAsAnotherFieldDecodesAsWhatItIs() {
    // decoding keeps parsed list keys, subjects and reasons by their bytes: the same bytes in
    // another role or under another actor kind must not come back from the wrong cache entry
    StatusChanged byIssuer = changeBy("acme/main");
    StatusChanged byOperator =
        new StatusChanged(
            EventId.of("6f1c2a4e-8d3b-4c55-9a7e-1b2c3d4e5f61"),
            CHANGE.listId(),
            CHANGE.idx(),
            CHANGE.previous(),
            CHANGE.status(),
            Reason.SUPERSEDED,
            Actor.operator("acme/main"),
            CHANGE.at());

    for (int round = 0; round < 2; round++) {
      assertThat(EventCodec.decode(EventCodec.encode(byIssuer, Format.BINARY))).isEqualTo(byIssuer);
      assertThat(EventCodec.decode(EventCodec.encode(byOperator, Format.BINARY)))
          .isEqualTo(byOperator);
    }
  }

  @Test
  void aListKeyRefusedOnceIsRefusedEveryTimeAndItsValidTwinStillDecodes() {
    byte[] valid = EventCodec.encode(CHANGE, Format.BINARY);
    byte[] invalid = valid.clone();
    invalid[indexOf(invalid, (byte) 'm')] = (byte) '!'; // ac!e/main: not an issuer id

    assertThat(EventCodec.decode(valid)).isEqualTo(CHANGE);
    for (int round = 0; round < 2; round++) {
      assertThatThrownBy(() -> EventCodec.decode(invalid))
          .isInstanceOf(RegistryException.InvalidInput.class)
          .hasMessageContaining("issuer id");
    }
    assertThat(EventCodec.decode(valid)).isEqualTo(CHANGE);
  }

  @Test
  void malformedUtf8InTheSubjectIsRefused() {
    StatusChanged withSubject = changeBy("é!");
    byte[] bytes = EventCodec.encode(withSubject, Format.BINARY);
    int at = indexOf(bytes, (byte) 0xC3);
    bytes[at + 1] = (byte) 0x28; // 0xC3 0x28 is not UTF-8

    assertThatThrownBy(() -> EventCodec.decode(bytes))
        .isInstanceOf(RegistryException.InvalidInput.class)
        .hasMessageContaining("UTF-8");
  }

  @Test
  void aSubjectWithALoneSurrogateIsWrittenAsJsonAndSurvives() {
    StatusChanged odd = changeBy("a\ud800b");

    byte[] bytes = EventCodec.encode(odd, Format.BINARY);

    assertThat(bytes[0]).isEqualTo((byte) '{');
    assertThat(EventCodec.decode(bytes)).isEqualTo(odd);
  }

  @Test
  void theFormatSettingParsesItsTwoCodesOnly() {
    assertThat(Format.parse("json")).isEqualTo(Format.JSON);
    assertThat(Format.parse("binary")).isEqualTo(Format.BINARY);
    assertThatThrownBy(() -> Format.parse("BINARY"))
        .isInstanceOf(RegistryException.InvalidInput.class);
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    throw new AssertionError("no byte " + b);
  }
}
