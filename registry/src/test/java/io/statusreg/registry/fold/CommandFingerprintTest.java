package io.statusreg.registry.fold;

import static io.statusreg.registry.fold.Fixtures.ISSUER;
import static io.statusreg.registry.fold.Fixtures.KEY;
import static io.statusreg.registry.fold.Fixtures.LIST;
import static io.statusreg.registry.fold.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.registry.Actor;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Reason;
import io.statusreg.registry.Status;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.fold.RegistryCommand.AllocateIndexes;
import io.statusreg.registry.fold.RegistryCommand.Change;
import io.statusreg.registry.fold.RegistryCommand.ChangeStatus;
import io.statusreg.registry.fold.RegistryCommand.CreateList;
import io.statusreg.registry.fold.RegistryCommand.RetireList;
import io.statusreg.registry.fold.RegistryCommand.RevokeIdentifiers;
import io.statusreg.registry.identifiers.ListKind;
import io.statusreg.registry.issuance.IndexPermutation;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An idempotency key names one request: what it asks, not who, when, or the server's randomness.
 */
class CommandFingerprintTest {
  private static final UUID ID = new UUID(1, 1);
  private static final UUID RETRY_ID = new UUID(2, 2);
  private static final Actor OTHER = Actor.issuer("client-2");

  private static CreateList create(
      UUID id, int bits, long size, Purpose purpose, IndexPermutation.Key key, ListKind kind) {
    return new CreateList(
        id,
        LIST,
        bits,
        size,
        Duration.ofMinutes(5),
        Duration.ofDays(1),
        purpose,
        key,
        ISSUER,
        T0,
        kind);
  }

  private static byte[] identifier(int first) {
    byte[] id = new byte[16];
    id[0] = (byte) first;
    return id;
  }

  @Test
  void aRetryByAnotherClientLaterWithAFreshKeyIsTheSameRequest() {
    CreateList first = create(ID, 2, 1000, Purpose.REVOCATION, KEY, ListKind.STATUS_LIST);
    CreateList retry =
        new CreateList(
            RETRY_ID,
            LIST,
            2,
            1000,
            Duration.ofMinutes(5),
            Duration.ofDays(1),
            Purpose.REVOCATION,
            new IndexPermutation.Key(9, 9),
            OTHER,
            T0.plusSeconds(30),
            ListKind.STATUS_LIST);

    assertThat(CommandFingerprint.of(retry)).isEqualTo(CommandFingerprint.of(first)).hasSize(32);
  }

  @Test
  void anyRequestFieldMakesAnotherFingerprint() {
    List<RegistryCommand> commands =
        List.of(
            create(ID, 2, 1000, Purpose.REVOCATION, KEY, ListKind.STATUS_LIST),
            create(ID, 4, 1000, Purpose.REVOCATION, KEY, ListKind.STATUS_LIST),
            create(ID, 2, 1001, Purpose.REVOCATION, KEY, ListKind.STATUS_LIST),
            create(ID, 2, 1000, Purpose.SUSPENSION, KEY, ListKind.STATUS_LIST),
            create(ID, 1, 1000, Purpose.REVOCATION, KEY, ListKind.STATUS_LIST),
            create(ID, 1, 1000, Purpose.REVOCATION, KEY, ListKind.IDENTIFIER_LIST),
            new AllocateIndexes(ID, LIST, 3, ISSUER, T0),
            new AllocateIndexes(ID, LIST, 4, ISSUER, T0),
            new AllocateIndexes(ID, ListId.of("acme", "other"), 3, ISSUER, T0),
            new ChangeStatus(
                ID, LIST, List.of(new Change(1, Status.INVALID, Reason.UNSPECIFIED)), ISSUER, T0),
            new ChangeStatus(
                ID, LIST, List.of(new Change(2, Status.INVALID, Reason.UNSPECIFIED)), ISSUER, T0),
            new ChangeStatus(
                ID, LIST, List.of(new Change(1, Status.SUSPENDED, Reason.UNSPECIFIED)), ISSUER, T0),
            new ChangeStatus(
                ID,
                LIST,
                List.of(new Change(1, Status.INVALID, Reason.KEY_COMPROMISE)),
                ISSUER,
                T0),
            new ChangeStatus(
                ID,
                LIST,
                List.of(
                    new Change(1, Status.INVALID, Reason.UNSPECIFIED),
                    new Change(2, Status.INVALID, Reason.UNSPECIFIED)),
                ISSUER,
                T0),
            new RetireList(ID, LIST, ISSUER, T0),
            new RevokeIdentifiers(ID, LIST, List.of(new byte[16]), Reason.UNSPECIFIED, ISSUER, T0),
            new RevokeIdentifiers(
                ID, LIST, List.of(new byte[16]), Reason.KEY_COMPROMISE, ISSUER, T0),
            new RevokeIdentifiers(ID, LIST, List.of(identifier(1)), Reason.UNSPECIFIED, ISSUER, T0),
            new RevokeIdentifiers(
                ID, LIST, List.of(new byte[16], new byte[16]), Reason.UNSPECIFIED, ISSUER, T0));

    List<String> fingerprints = commands.stream().map(CommandFingerprint::of).toList();

    assertThat(fingerprints).doesNotHaveDuplicates().allMatch(f -> f.matches("[0-9a-f]{32}"));
  }
}
