package io.statusreg.registry.identifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusreg.registry.Actor;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.EventCodec;
import io.statusreg.registry.events.IdentifierRevoked;
import io.statusreg.registry.events.IndexesAllocated;
import io.statusreg.registry.events.ListCreated;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.events.RegistryEvent;
import io.statusreg.registry.fold.Decider;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.ListState;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.fold.Rejection;
import io.statusreg.registry.issuance.IndexPermutation;
import io.statusreg.registry.keys.SignatureAlgorithm;
import io.statusreg.registry.keys.SigningKey;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.TokenException;
import io.statusreg.registry.tokens.internal.Cbor;
import io.statusreg.registry.tokens.internal.CoseSign1;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Identifier lists end to end in the domain core: identifiers, decide/evolve, wire, token. */
class IdentifierListTest {
  static final ListId LIST = ListId.of("acme", "idl");
  static final Actor ISSUER = Actor.issuer("client-1");
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final IndexPermutation.Key KEY = new IndexPermutation.Key(0x1234abcdL, 0x5678ef01L);
  static final Decider DECIDER = new Decider();
  private static long commands;

  static UUID nextId() {
    return new UUID(0x1D1, ++commands);
  }

  static RegistryCommand.CreateList create(long size) {
    return create(ListKind.IDENTIFIER_LIST, 1, size, Purpose.REVOCATION);
  }

  static RegistryCommand.CreateList create(ListKind kind, int bits, long size, Purpose purpose) {
    return new RegistryCommand.CreateList(
        nextId(),
        LIST,
        bits,
        size,
        Duration.ofMinutes(5),
        Duration.ofDays(1),
        purpose,
        KEY,
        ISSUER,
        T0,
        kind);
  }

  static ListState apply(ListState s, RegistryCommand c) {
    Decision d = DECIDER.decide(c, s);
    assertThat(d).as("decision on " + c).isInstanceOf(Decision.Accepted.class);
    return s.evolveAll(((Decision.Accepted) d).events());
  }

  static RegistryCommand.RevokeIdentifiers revoke(byte[]... ids) {
    return new RegistryCommand.RevokeIdentifiers(
        nextId(), LIST, List.of(ids), Reason.KEY_COMPROMISE, ISSUER, T0.plusSeconds(5));
  }

  static ListState listWith(long size, int allocated) {
    ListState s = apply(ListState.initial(), create(size));
    return apply(s, new RegistryCommand.AllocateIndexes(nextId(), LIST, allocated, ISSUER, T0));
  }

  @Test
  void identifiersAreSixteenBytesUniqueAndDecryptBackToTheirSlot() {
    IdentifierCipher cipher = new IdentifierCipher(KEY);
    IdentifierCipher.Slots slots = cipher.slots();
    Set<String> seen = new HashSet<>();
    for (long slot = 0; slot < 20_000; slot++) {
      byte[] id = cipher.identifier(slot);
      assertThat(id).hasSize(16);
      assertThat(seen.add(java.util.HexFormat.of().formatHex(id))).isTrue();
      assertThat(cipher.slotOf(id)).hasValue(slot);
      assertThat(slots.slotOf(id)).as("one decryptor for many").hasValue(slot);
    }
    // Another list's key makes other identifiers, which do not decrypt to a slot here.
    byte[] foreign = new IdentifierCipher(new IndexPermutation.Key(1, 2)).identifier(3);
    assertThat(cipher.slotOf(foreign)).isEmpty();
    assertThat(cipher.slotOf(new byte[15])).isEmpty();
  }

  @Test
  void aRevocationCommandComparesItsIdentifiersByContent() {
    UUID id = nextId();
    byte[] one = new IdentifierCipher(KEY).identifier(1);
    var a =
        new RegistryCommand.RevokeIdentifiers(
            id, LIST, List.of(one), Reason.KEY_COMPROMISE, ISSUER, T0);
    var same =
        new RegistryCommand.RevokeIdentifiers(
            id, LIST, List.of(one.clone()), Reason.KEY_COMPROMISE, ISSUER, T0);
    var other =
        new RegistryCommand.RevokeIdentifiers(
            id, LIST, List.of(new byte[16]), Reason.KEY_COMPROMISE, ISSUER, T0);

    assertThat(same).isEqualTo(a).hasSameHashCodeAs(a);
    assertThat(other).isNotEqualTo(a);
    assertThat(a.toString()).contains(java.util.HexFormat.of().formatHex(one));
  }

  @Test
  void revokingSetsTheSlotsBitAndIsPermanentAndIdempotent() {
    ListState s = listWith(1000, 10);
    IdentifierCipher cipher = s.meta().identifiers();
    byte[] third = cipher.identifier(3);

    ListState after = apply(s, revoke(third, cipher.identifier(7), third));

    assertThat(after.entries().get(3)).isEqualTo(1);
    assertThat(after.entries().get(7)).isEqualTo(1);
    assertThat(after.entries().histogram()[1]).isEqualTo(2);
    Decision again = DECIDER.decide(revoke(third), after);
    assertThat(again).isEqualTo(new Decision.Accepted(List.of()));
  }

  @Test
  void anIdentifierThatWasNeverHandedOutIsRefused() {
    ListState s = listWith(1000, 10);
    IdentifierCipher cipher = s.meta().identifiers();

    Decision beyondCursor = DECIDER.decide(revoke(cipher.identifier(10)), s);
    Decision forged = DECIDER.decide(revoke(new byte[16]), s);

    assertThat(beyondCursor).isInstanceOf(Decision.Rejected.class);
    assertThat(((Decision.Rejected) beyondCursor).rejection().kind())
        .isEqualTo(Rejection.Kind.UNPROCESSABLE);
    assertThat(forged).isInstanceOf(Decision.Rejected.class);
    // All or none: one bad identifier refuses the whole request.
    Decision mixed = DECIDER.decide(revoke(cipher.identifier(1), new byte[16]), s);
    assertThat(mixed).isInstanceOf(Decision.Rejected.class);
  }

  @Test
  void statusChangesAndIdentifierRevocationsDoNotCrossKinds() {
    ListState s = listWith(1000, 10);
    Decision byIndex =
        DECIDER.decide(
            new RegistryCommand.ChangeStatus(
                nextId(),
                LIST,
                List.of(new RegistryCommand.Change(1, Status.INVALID, Reason.UNSPECIFIED)),
                ISSUER,
                T0),
            s);
    assertThat(((Decision.Rejected) byIndex).rejection().kind())
        .isEqualTo(Rejection.Kind.UNPROCESSABLE);

    ListState statusList =
        apply(ListState.initial(), create(ListKind.STATUS_LIST, 1, 100, Purpose.REVOCATION));
    Decision byIdentifier = DECIDER.decide(revoke(new byte[16]), statusList);
    assertThat(((Decision.Rejected) byIdentifier).rejection().kind())
        .isEqualTo(Rejection.Kind.UNPROCESSABLE);
  }

  @Test
  void anAllocationForTheOtherKindOfListIsRefusedBeforeASlotIsTaken() {
    ListState identifiers = listWith(1000, 10);
    Decision asIndexes =
        DECIDER.decide(
            new RegistryCommand.AllocateIndexes(
                nextId(), LIST, 5, ISSUER, T0, ListKind.STATUS_LIST),
            identifiers);
    assertThat(((Decision.Rejected) asIndexes).rejection().kind())
        .isEqualTo(Rejection.Kind.UNPROCESSABLE);
    assertThat(((Decision.Rejected) asIndexes).rejection().message())
        .contains("is an identifier list: issue identifiers from it instead");

    ListState statusList =
        apply(ListState.initial(), create(ListKind.STATUS_LIST, 1, 100, Purpose.REVOCATION));
    Decision asIdentifiers =
        DECIDER.decide(
            new RegistryCommand.AllocateIndexes(
                nextId(), LIST, 5, ISSUER, T0, ListKind.IDENTIFIER_LIST),
            statusList);
    assertThat(((Decision.Rejected) asIdentifiers).rejection().message())
        .contains("is a status list");
    // Naming the list's own kind, or none (a command of the previous release), allocates.
    for (ListKind kind : new ListKind[] {ListKind.IDENTIFIER_LIST, null}) {
      Decision d =
          DECIDER.decide(
              new RegistryCommand.AllocateIndexes(nextId(), LIST, 5, ISSUER, T0, kind),
              identifiers);
      assertThat(((Decision.Accepted) d).events())
          .singleElement()
          .isInstanceOfSatisfying(
              IndexesAllocated.class, a -> assertThat(a.fromCursor()).isEqualTo(10));
    }
  }

  @Test
  void anIdentifierListHasOneBitAndTheRevocationPurpose() {
    RegistryCommand.CreateList twoBits =
        create(ListKind.IDENTIFIER_LIST, 2, 100, Purpose.REVOCATION);
    RegistryCommand.CreateList messages = create(ListKind.IDENTIFIER_LIST, 1, 100, Purpose.MESSAGE);

    for (RegistryCommand.CreateList c : List.of(twoBits, messages)) {
      Decision d = DECIDER.decide(c, ListState.initial());
      assertThat(d).as("decision on " + c).isInstanceOf(Decision.Rejected.class);
      assertThat(((Decision.Rejected) d).rejection().kind())
          .isEqualTo(Rejection.Kind.UNPROCESSABLE);
      assertThat(((Decision.Rejected) d).rejection().message())
          .contains("bits 1, purpose revocation");
    }
    assertThat(DECIDER.decide(create(100), ListState.initial()))
        .isInstanceOf(Decision.Accepted.class);
  }

  @Test
  void eventsRoundTripAndStatusListEventsStayVersionOne() {
    ListState s = listWith(1000, 10);
    byte[] id = s.meta().identifiers().identifier(4);
    List<RegistryEvent> events = new ArrayList<>();
    events.add(
        ((Decision.Accepted) DECIDER.decide(create(1000), ListState.initial()))
            .events()
            .getFirst());
    events.add(((Decision.Accepted) DECIDER.decide(revoke(id), s)).events().getFirst());

    for (RegistryEvent e : events) {
      byte[] wire = EventCodec.encode(e);
      assertThat(new String(wire, StandardCharsets.UTF_8)).contains("\"v\":2");
      assertThat(EventCodec.decode(wire)).isEqualTo(e);
    }
    IdentifierRevoked revoked = (IdentifierRevoked) events.get(1);
    assertThat(revoked.slot()).isEqualTo(4);
    assertThat(revoked.identifier()).isEqualTo(id);
    assertThat(((ListCreated) EventCodec.decode(EventCodec.encode(events.get(0)))).kind())
        .isEqualTo(ListKind.IDENTIFIER_LIST);

    IndexesAllocated plain =
        new IndexesAllocated(
            new io.statusreg.registry.EventId(new UUID(1, 2)), LIST, 0, 3, ISSUER, T0);
    assertThat(new String(EventCodec.encode(plain), StandardCharsets.UTF_8)).contains("\"v\":1");
    // A version 1 list_created (no kind) still reads, as a status list.
    String v1 =
        "{\"v\":1,\"type\":\"list_created\",\"id\":\"00000000-0000-0001-0000-000000000002\","
            + "\"list\":\"acme/idl\",\"bits\":1,\"size\":8,\"ttl\":60,\"validity\":600,"
            + "\"purpose\":\"revocation\",\"key\":\"00000000000000010000000000000002\","
            + "\"actor\":{\"kind\":\"issuer\",\"sub\":\"c\"},\"at\":1}";
    assertThat(((ListCreated) EventCodec.decode(v1.getBytes(StandardCharsets.UTF_8))).kind())
        .isEqualTo(ListKind.STATUS_LIST);
    // Nor can an identifier list's list_created: a version 1 reader would take it for a status
    // list.
    String createdAsV1 =
        new String(EventCodec.encode(events.get(0)), StandardCharsets.UTF_8)
            .replace("\"v\":2", "\"v\":1");
    assertThatThrownBy(() -> EventCodec.decode(createdAsV1.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(io.statusreg.registry.RegistryException.InvalidInput.class)
        .hasMessageContaining("needs event version 2");
    // identifier_revoked cannot claim version 1.
    String asV1 =
        new String(EventCodec.encode(revoked), StandardCharsets.UTF_8)
            .replace("\"v\":2", "\"v\":1");
    assertThatThrownBy(() -> EventCodec.decode(asV1.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(io.statusreg.registry.RegistryException.InvalidInput.class);
  }

  @ParameterizedTest
  @EnumSource(
      value = SignatureAlgorithm.class,
      names = {"ES256", "ES384", "ES512", "EDDSA"})
  void theTokenCarriesTheClaimsAndVerifiesUnderItsCertificate(SignatureAlgorithm alg)
      throws Exception {
    SigningKey key = SigningKey.generate(alg, "kid-1", T0);
    byte[] cert = DevelopmentCertificate.selfSigned(key, "dev", T0, T0.plus(Duration.ofDays(1)));
    X509Certificate x509 =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(cert));
    x509.verify(key.publicKey());
    IdentifierCipher cipher = new IdentifierCipher(KEY);
    StatusList revoked = StatusList.empty(1, 70_000).with(5, 1).with(33_000, 1).with(69_999, 1);
    var encoded = new IdentifierListEncoding(1 << 20).encode("acme/idl", revoked, cipher);
    assertThat(encoded.count()).isEqualTo(3);

    byte[] token =
        IdentifierListToken.builder()
            .subject("https://s.example/statuslists/acme/idl")
            .issuedAt(T0)
            .expiresAt(T0.plus(Duration.ofDays(1)))
            .ttl(Duration.ofMinutes(5))
            .aggregationUri("https://s.example/aggregation")
            .encodedIdentifiers(encoded.map())
            .sign(key, List.of(cert));
    IdentifierListToken read =
        IdentifierListToken.verify(token, key.publicKey(), T0.plusSeconds(1));

    assertThat(read.algorithm()).isEqualTo(alg);
    assertThat(read.kid()).isEqualTo("kid-1");
    assertThat(read.subject()).isEqualTo("https://s.example/statuslists/acme/idl");
    assertThat(read.ttl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(read.aggregationUri()).isEqualTo("https://s.example/aggregation");
    assertThat(read.identifiers()).hasSize(3);
    assertThat(read.contains(cipher.identifier(33_000))).isTrue();
    assertThat(read.contains(cipher.identifier(33_001))).isFalse();

    byte[] tampered = token.clone();
    tampered[tampered.length - 3] ^= 0x10;
    assertThatThrownBy(() -> IdentifierListToken.verify(tampered, null, T0))
        .isInstanceOf(TokenException.class)
        .extracting(e -> ((TokenException) e).reason())
        .isEqualTo(TokenException.Reason.BAD_SIGNATURE);
    assertThatThrownBy(() -> IdentifierListToken.verify(token, null, T0.plus(Duration.ofDays(2))))
        .isInstanceOf(TokenException.class)
        .hasMessageContaining("expired");
    SigningKey other = SigningKey.generate(alg, "kid-2", T0);
    assertThatThrownBy(() -> IdentifierListToken.verify(token, other.publicKey(), T0))
        .isInstanceOf(TokenException.class)
        .extracting(e -> ((TokenException) e).reason())
        .isEqualTo(TokenException.Reason.UNKNOWN_KID);
  }

  @Test
  void anIdentifierListIsBoundedSoThatItsTokenFitsOneRecord() {
    assertThat(IdentifierListBound.maxIdentifiers(16 << 20)).isEqualTo(902_940);
    assertThat(IdentifierListBound.maxIdentifiers(1 << 20)).isEqualTo(29_127);
    assertThat(Decider.Limits.DEFAULT.maxIdentifiers()).isEqualTo(902_940);
    assertThatThrownBy(() -> IdentifierListBound.maxIdentifiers(IdentifierListBound.RESERVED_BYTES))
        .isInstanceOf(IllegalArgumentException.class);

    Decider bounded = new Decider(Decider.Limits.forRecordBytes(1 << 20));
    Decision tooLarge = bounded.decide(create(29_128), ListState.initial());
    assertThat(((Decision.Rejected) tooLarge).rejection().kind())
        .isEqualTo(Rejection.Kind.UNPROCESSABLE);
    assertThat(((Decision.Rejected) tooLarge).rejection().message())
        .contains("at most 29127 identifiers", "record.max.bytes");
    assertThat(bounded.decide(create(29_127), ListState.initial()))
        .isInstanceOf(Decision.Accepted.class);
    // A status list of that size is not an identifier list: no such bound.
    assertThat(
            bounded.decide(
                create(ListKind.STATUS_LIST, 1, 1_000_000, Purpose.REVOCATION),
                ListState.initial()))
        .isInstanceOf(Decision.Accepted.class);
  }

  @Test
  void aListCreatedLargerThanTheBoundFillsUpAtTheBound() {
    // Created before the bound (or under a larger record.max.bytes): size 1000, bound 10.
    ListState s = apply(ListState.initial(), create(1000));
    Decider bounded =
        new Decider(new Decider.Limits(100_000_000L, 100, 100, Duration.ofDays(366), 10));
    Decision first =
        bounded.decide(new RegistryCommand.AllocateIndexes(nextId(), LIST, 7, ISSUER, T0), s);
    s = s.evolveAll(((Decision.Accepted) first).events());
    Decision more =
        bounded.decide(new RegistryCommand.AllocateIndexes(nextId(), LIST, 4, ISSUER, T0), s);
    assertThat(((Decision.Rejected) more).rejection().kind()).isEqualTo(Rejection.Kind.LIST_FULL);
    assertThat(((Decision.Rejected) more).rejection().message())
        .contains("3 identifiers left", "at most 10 identifiers");

    Decision last =
        bounded.decide(new RegistryCommand.AllocateIndexes(nextId(), LIST, 3, ISSUER, T0), s);
    List<RegistryEvent> events = ((Decision.Accepted) last).events();
    assertThat(events).hasSize(2);
    assertThat(events.get(1))
        .isInstanceOfSatisfying(
            io.statusreg.registry.events.ListFull.class, f -> assertThat(f.cursor()).isEqualTo(10));
    s = s.evolveAll(events);
    assertThat(s.meta().full()).isTrue();
    Decision oneMore =
        bounded.decide(new RegistryCommand.AllocateIndexes(nextId(), LIST, 1, ISSUER, T0), s);
    assertThat(((Decision.Rejected) oneMore).rejection().kind())
        .isEqualTo(Rejection.Kind.LIST_FULL);
    // A status list of the same size is not bounded by it.
    ListState statusList =
        apply(ListState.initial(), create(ListKind.STATUS_LIST, 1, 1000, Purpose.REVOCATION));
    assertThat(
            bounded.decide(
                new RegistryCommand.AllocateIndexes(nextId(), LIST, 11, ISSUER, T0), statusList))
        .isInstanceOf(Decision.Accepted.class);
  }

  /**
   * The largest list the default bound allows, every identifier revoked, signed with an {@code
   * x5chain} of the largest size start-up accepts and a long URI: its token leaves room in a 16 MiB
   * record for the token record's own fields and Kafka's overhead.
   */
  @Test
  void theLargestListsTokenFitsTheDefaultRecordLimit() {
    long max = Decider.Limits.DEFAULT.maxIdentifiers();
    IdentifierCipher cipher = new IdentifierCipher(KEY);
    StatusList.Editor editor = StatusList.empty(1, max).edit();
    for (long slot = 0; slot < max; slot++) {
      editor.set(slot, 1);
    }
    StatusList revoked = editor.list();
    var encoded = new IdentifierListEncoding(0).encode("acme/idl", revoked, cipher);
    assertThat(encoded.count()).isEqualTo(max);

    SigningKey key = SigningKey.generate(SignatureAlgorithm.ES512, "k".repeat(200), T0);
    byte[] leaf = DevelopmentCertificate.selfSigned(key, "dev", T0, T0.plus(Duration.ofDays(1)));
    List<byte[]> chain = new ArrayList<>(List.of(leaf));
    chain.add(new byte[IdentifierListBound.MAX_CHAIN_BYTES - leaf.length]);
    String uri = "https://" + "s".repeat(2000) + ".example/statuslists/" + "i".repeat(64) + "/idl";
    byte[] token =
        IdentifierListToken.builder()
            .subject(uri)
            .issuedAt(T0)
            .expiresAt(T0.plus(Duration.ofDays(366)))
            .ttl(Duration.ofDays(1))
            .aggregationUri(uri)
            .encodedIdentifiers(encoded.map())
            .sign(key, chain);

    // The record adds the list key, the URI again, kid, ETag, counts and a few numbers; Kafka a
    // record and batch header. 64 KiB covers them many times over.
    assertThat((long) token.length + uri.length() + 64 * 1024)
        .isLessThanOrEqualTo(IdentifierListBound.DEFAULT_RECORD_MAX_BYTES);
    assertThat((long) token.length)
        .as("without the reserve, one more page of identifiers would not fit")
        .isGreaterThan(
            IdentifierListBound.DEFAULT_RECORD_MAX_BYTES - IdentifierListBound.RESERVED_BYTES);
  }

  @Test
  void aTokenWhoseTtlIsNotPositiveIsRefused() {
    SigningKey key = SigningKey.generate(T0);
    byte[] cert = DevelopmentCertificate.selfSigned(key, "dev", T0, T0.plus(Duration.ofDays(1)));
    for (long ttl : new long[] {0, -5}) {
      Cbor.Writer payload = new Cbor.Writer().map(5);
      payload.integer(2).text("https://s.example/statuslists/acme/idl");
      payload.integer(6).integer(T0.getEpochSecond());
      payload.integer(4).integer(T0.plusSeconds(600).getEpochSecond());
      payload.integer(65534).integer(ttl);
      payload.integer(65530).map(1).text("identifiers").map(0);
      byte[] token =
          CoseSign1.sign(
              key,
              CoseSign1.protectedHeader(key, IdentifierListToken.MEDIA_TYPE, List.of(cert)),
              payload.toByteArray(),
              "a test token");

      assertThatThrownBy(() -> IdentifierListToken.verify(token, key.publicKey(), T0))
          .as("ttl %d", ttl)
          .isInstanceOf(TokenException.class)
          .hasMessageContaining("ttl (65534) must be positive");
    }
  }

  @Test
  void aTokenNeedsACertificateOfItsOwnKey() {
    SigningKey key = SigningKey.generate(T0);
    SigningKey other = SigningKey.generate(T0);
    byte[] foreign = DevelopmentCertificate.selfSigned(other, "x", T0, T0.plusSeconds(60));
    var builder =
        IdentifierListToken.builder().subject("s").issuedAt(T0).expiresAt(T0.plusSeconds(60));
    assertThatThrownBy(() -> builder.sign(key, List.of()))
        .isInstanceOf(TokenException.class)
        .hasMessageContaining("needs an x5chain");
    assertThatThrownBy(() -> builder.sign(key, List.of(foreign)))
        .isInstanceOf(TokenException.class)
        .hasMessageContaining("does not hold key");
  }

  @Test
  void reEncodingAfterOneChangeReusesTheOtherPagesAndGivesTheSameBytesAsFromScratch() {
    IdentifierCipher cipher = new IdentifierCipher(KEY);
    StatusList revoked = StatusList.empty(1, 200_000);
    for (long s = 0; s < 200_000; s += 97) {
      revoked = revoked.with(s, 1);
    }
    IdentifierListEncoding cached = new IdentifierListEncoding(64 << 20);
    cached.encode("acme/idl", revoked, cipher);
    StatusList changed = revoked.with(150_001, 1);

    var incremental = cached.encode("acme/idl", changed, cipher);
    var scratch = new IdentifierListEncoding(0).encode("acme/idl", changed, cipher);

    assertThat(incremental.map()).isEqualTo(scratch.map());
    assertThat(incremental.count()).isEqualTo(200_000 / 97 + 1 + 1);
    // The pages come from the cache: encoded again under another list's key (which a list never
    // changes, so only a cache hit can keep the first key's identifiers), the bytes stay the same.
    IdentifierCipher otherKey = new IdentifierCipher(new IndexPermutation.Key(7, 7));
    assertThat(cached.encode("acme/idl", changed, otherKey).map()).isEqualTo(incremental.map());
    assertThat(new IdentifierListEncoding(0).encode("acme/idl", changed, otherKey).map())
        .isNotEqualTo(incremental.map());
  }

  @Test
  void theMsoEntryIsTheIsoShape() {
    byte[] entry = MsoEntry.identifierList(new byte[] {1, 2}, "u", null);
    // {"identifier_list": {"id": h'0102', "uri": "u"}}
    assertThat(java.util.HexFormat.of().formatHex(entry))
        .isEqualTo("a16f6964656e7469666965725f6c697374a262696442010263757269" + "6175");
  }
}
