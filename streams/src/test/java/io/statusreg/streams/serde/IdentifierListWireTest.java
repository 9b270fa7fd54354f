package io.statusreg.streams.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.registry.Actor;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.fold.ListMeta;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.identifiers.ListKind;
import io.statusreg.registry.issuance.IndexPermutation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Identifier lists on the wire: their commands and metadata; status lists' bytes unchanged. */
class IdentifierListWireTest {
  static final ListId LIST = ListId.of("acme", "idl");
  static final Actor ACTOR = Actor.issuer("c");
  static final Instant AT = Instant.ofEpochMilli(1_700_000_000_000L);
  static final IndexPermutation.Key KEY = new IndexPermutation.Key(3, 4);

  @Test
  void revokeIdentifiersAndIdentifierListCreationRoundTrip() {
    byte[] a = new byte[16];
    byte[] b = new byte[16];
    b[15] = 7;
    var revoke =
        new RegistryCommand.RevokeIdentifiers(
            new UUID(1, 2), LIST, List.of(a, b), Reason.KEY_COMPROMISE, ACTOR, AT);
    var read =
        (RegistryCommand.RevokeIdentifiers)
            ((Request.Decide)
                    RequestSerde.fromBytes(RequestSerde.toBytes(new Request.Decide(revoke))))
                .command();
    assertThat(read.identifiers()).hasSize(2);
    assertThat(read.identifiers().get(1)).isEqualTo(b);
    assertThat(read.reason()).isEqualTo(Reason.KEY_COMPROMISE);

    var create =
        new RegistryCommand.CreateList(
            new UUID(1, 3),
            LIST,
            1,
            64,
            Duration.ofMinutes(1),
            Duration.ofHours(1),
            Purpose.REVOCATION,
            KEY,
            ACTOR,
            AT,
            ListKind.IDENTIFIER_LIST);
    var created =
        (RegistryCommand.CreateList)
            ((Request.Decide)
                    RequestSerde.fromBytes(RequestSerde.toBytes(new Request.Decide(create))))
                .command();
    assertThat(created).isEqualTo(create);
  }

  private static ListMeta meta(ListKind kind) {
    return new ListMeta(
        LIST,
        1,
        64,
        Duration.ofMinutes(1),
        Duration.ofHours(1),
        Purpose.REVOCATION,
        KEY,
        3,
        false,
        false,
        4,
        0,
        AT,
        AT,
        kind);
  }

  /**
   * An allocation names the kind of list it is for as one optional member of the version 1 format:
   * without a kind the bytes are exactly the previous release's, and the previous release's reader
   * (which reads members by name and ignores others, like this one) reads the new form as an
   * allocation on either kind.
   */
  @Test
  void anAllocationsKindIsAnOptionalMemberOfTheVersionOneFormat() {
    UUID id = new UUID(1, 4);
    var any = new RegistryCommand.AllocateIndexes(id, LIST, 3, ACTOR, AT);
    var identifiers =
        new RegistryCommand.AllocateIndexes(id, LIST, 3, ACTOR, AT, ListKind.IDENTIFIER_LIST);
    String previous =
        "{\"v\":1,\"type\":\"allocate_indexes\",\"id\":\""
            + id
            + "\",\"list\":\"acme/idl\",\"count\":3,"
            + "\"actor\":{\"kind\":\"issuer\",\"sub\":\"c\"},\"at\":1700000000000}";

    assertThat(new String(RequestSerde.toBytes(new Request.Decide(any)), StandardCharsets.UTF_8))
        .isEqualTo(previous);
    byte[] withKind = RequestSerde.toBytes(new Request.Decide(identifiers));
    assertThat(new String(withKind, StandardCharsets.UTF_8))
        .isEqualTo(previous.replace("\"count\":3,", "\"count\":3,\"kind\":\"identifier_list\","));

    var read =
        (RegistryCommand.AllocateIndexes)
            ((Request.Decide) RequestSerde.fromBytes(withKind)).command();
    assertThat(read).isEqualTo(identifiers);
    var old =
        (RegistryCommand.AllocateIndexes)
            ((Request.Decide) RequestSerde.fromBytes(previous.getBytes(StandardCharsets.UTF_8)))
                .command();
    assertThat(old.kind()).isNull();
    assertThat(old).isEqualTo(any);
    // The kind is implied by the route, which the idempotency scope already holds: a retry
    // through an instance of either release has the same fingerprint.
    assertThat(io.statusreg.registry.fold.CommandFingerprint.of(identifiers))
        .isEqualTo(io.statusreg.registry.fold.CommandFingerprint.of(any));
  }

  @Test
  void identifierListMetadataIsVersionTwoAndStatusListMetadataStaysVersionOne() {
    ListMeta idl = meta(ListKind.IDENTIFIER_LIST);
    ListMeta plain = meta(ListKind.STATUS_LIST);

    String idlJson = new String(ListMetaCodec.encode(idl), StandardCharsets.UTF_8);
    String plainJson = new String(ListMetaCodec.encode(plain), StandardCharsets.UTF_8);

    assertThat(idlJson).contains("\"v\":2").contains("\"kind\":\"identifier_list\"");
    assertThat(plainJson).contains("\"v\":1").doesNotContain("kind");
    assertThat(ListMetaCodec.decode(idlJson.getBytes(StandardCharsets.UTF_8))).isEqualTo(idl);
    assertThat(ListMetaCodec.decode(plainJson.getBytes(StandardCharsets.UTF_8))).isEqualTo(plain);
  }
}
