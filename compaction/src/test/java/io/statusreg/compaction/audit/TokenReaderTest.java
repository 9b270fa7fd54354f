package io.statusreg.compaction.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusreg.compaction.audit.AuditReport.Kind;
import io.statusreg.registry.ListId;
import io.statusreg.registry.RegistryException;
import io.statusreg.registry.keys.SignatureAlgorithm;
import io.statusreg.registry.keys.SigningKey;
import io.statusreg.registry.keys.VerificationKeys;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.TokenVerifier;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenReaderTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final SigningKey KEY = SigningKey.generate(SignatureAlgorithm.ES256, "audit-1", NOW);
  static final SigningKey OTHER = SigningKey.generate(SignatureAlgorithm.ES256, "audit-1", NOW);
  static final ListId LIST = ListId.of("acme", "l1");

  static TokenReader reader(SigningKey trusted) {
    return new TokenReader(
        TokenVerifier.of(VerificationKeys.of(List.of(trusted)))
            .withClock(Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC)));
  }

  static StatusList randomList(long seed, int bits, long size) {
    Random r = new Random(seed);
    StatusList l = StatusList.empty(bits, size);
    for (int i = 0; i < size / 20; i++) {
      l = l.with(r.nextLong(size), 1 + r.nextInt((1 << bits) - 1));
    }
    return l;
  }

  @Test
  void aTokenWhoseJwtAndCwtAgreeIsReadWithNoProblemAtEveryBitWidth() {
    for (int bits : new int[] {1, 2, 4, 8}) {
      for (long seed = 0; seed < 5; seed++) {
        StatusList list = randomList(seed * 31 + bits, bits, 1000 + seed * 977);
        PublishedBits read =
            reader(KEY).read(LIST.key(), TestTokens.record(KEY, LIST, list, list, NOW));
        assertThat(read.problems()).as("bits %d seed %d", bits, seed).isEmpty();
        assertThat(read.jwtList().orElseThrow().toBytes()).isEqualTo(list.toBytes());
      }
    }
  }

  @Test
  void aCwtThatDisagreesWithTheJwtIsAFindingNamingTheIndex() {
    StatusList jwt = randomList(1, 2, 4000);
    StatusList cwt = jwt.with(1234, (jwt.get(1234) + 1) % 4);
    PublishedBits read = reader(KEY).read(LIST.key(), TestTokens.record(KEY, LIST, jwt, cwt, NOW));
    assertThat(read.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo(Kind.REPRESENTATIONS_DIFFER);
              assertThat(p.detail()).contains("differ in 1 entries").contains("index 1234");
            });
    assertThat(read.jwtList().orElseThrow().toBytes()).isEqualTo(jwt.toBytes());
  }

  @Test
  void aTokenSignedByAnUntrustedKeyIsABadSignatureEvenWithTheSameKid() {
    StatusList list = randomList(2, 1, 800);
    PublishedBits read =
        reader(KEY).read(LIST.key(), TestTokens.record(OTHER, LIST, list, list, NOW));
    assertThat(read.problems())
        .extracting(PublishedBits.Problem::kind)
        .contains(Kind.BAD_SIGNATURE);
    assertThat(read.jwtList()).isEmpty();
  }

  @Test
  void anExpiredTokenIsAFindingAndItsBitsAreStillCompared() {
    StatusList list = randomList(3, 1, 800);
    Instant longAgo = NOW.minusSeconds(86_400);
    PublishedBits read =
        reader(KEY).read(LIST.key(), TestTokens.record(KEY, LIST, list, list, longAgo));
    assertThat(read.problems())
        .extracting(PublishedBits.Problem::kind)
        .contains(Kind.EXPIRED_TOKEN);
    assertThat(read.jwtList().orElseThrow().toBytes()).isEqualTo(list.toBytes());
  }

  @Test
  void aRecordThatIsNotATokenRecordIsRefusedAsInvalidInput() {
    byte[] bareJwt = "eyJhbGciOiJFUzI1NiJ9.e30.sig".getBytes();
    assertThatThrownBy(() -> reader(KEY).read(LIST.key(), bareJwt))
        .isInstanceOf(RegistryException.InvalidInput.class);
  }
}
