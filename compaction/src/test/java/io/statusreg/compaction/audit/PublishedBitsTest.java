package io.statusreg.compaction.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.registry.identifiers.IdentifierCipher;
import io.statusreg.registry.identifiers.IdentifierListToken.Identifier;
import io.statusreg.registry.issuance.IndexPermutation;
import io.statusreg.registry.lists.StatusList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An identifier list's publication, seen as slot bits for the audit's comparison. */
class PublishedBitsTest {
  private static final IdentifierCipher CIPHER =
      new IdentifierCipher(new IndexPermutation.Key(42L, 7L));

  @Test
  void eachPublishedIdentifierBecomesTheBitOfItsSlot() {
    long size = 100_000;
    long[] slots = {0, 7, 32_767, 32_768, 99_999};
    Set<Identifier> ids = new java.util.HashSet<>();
    for (long s : slots) {
      ids.add(new Identifier(CIPHER.identifier(s)));
    }
    PublishedBits published =
        new PublishedBits(null, Optional.empty(), List.of(), Optional.of(ids));

    PublishedBits seen = published.asSlots(CIPHER, size);

    StatusList expected = StatusList.empty(1, size);
    for (long s : slots) {
      expected = expected.with(s, 1);
    }
    assertThat(seen.jwtList().orElseThrow().toBytes()).isEqualTo(expected.toBytes());
    assertThat(seen.problems()).isEmpty();
    assertThat(seen.identifiers()).isEmpty();
  }

  @Test
  void anIdentifierOfAnotherKeyOrBeyondTheListIsAMismatch() {
    IdentifierCipher other = new IdentifierCipher(new IndexPermutation.Key(1L, 2L));
    Set<Identifier> ids =
        Set.of(
            new Identifier(CIPHER.identifier(3)),
            new Identifier(other.identifier(3)),
            new Identifier(CIPHER.identifier(1_000)));
    PublishedBits published =
        new PublishedBits(null, Optional.empty(), List.of(), Optional.of(ids));

    PublishedBits seen = published.asSlots(CIPHER, 1_000);

    assertThat(seen.jwtList().orElseThrow().get(3)).isEqualTo(1);
    assertThat(seen.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo(AuditReport.Kind.MISMATCH);
              assertThat(p.detail()).startsWith("2 published identifiers");
            });
  }
}
