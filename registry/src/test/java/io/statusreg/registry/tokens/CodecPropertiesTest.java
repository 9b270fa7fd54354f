package io.statusreg.registry.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.registry.keys.SigningKey;
import io.statusreg.registry.lists.StatusList;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class CodecPropertiesTest {

  @Provide
  Arbitrary<StatusList> lists() {
    return Arbitraries.of(1, 2, 4, 8)
        .flatMap(
            bits ->
                Arbitraries.longs()
                    .between(1, 300_000)
                    .flatMap(
                        size ->
                            Combinators.combine(
                                    Arbitraries.longs().between(0, size - 1),
                                    Arbitraries.integers().between(1, (1 << bits) - 1))
                                .as((i, v) -> new long[] {i, v})
                                .list()
                                .ofMaxSize(200)
                                .map(
                                    sets -> {
                                      StatusList l = StatusList.empty(bits, size);
                                      for (long[] s : sets) {
                                        l = l.with(s[0], (int) s[1]);
                                      }
                                      return l;
                                    })));
  }

  /** Entries beyond the original size (byte padding) must read as VALID. */
  private static void assertSameStatuses(StatusList decoded, StatusList original) {
    assertThat(decoded.bits()).isEqualTo(original.bits());
    assertThat(decoded.size()).isGreaterThanOrEqualTo(original.size());
    List<Long> expected = new java.util.ArrayList<>();
    original.forEachNonZero(expected::add);
    List<Long> actual = new java.util.ArrayList<>();
    decoded.forEachNonZero(actual::add);
    assertThat(actual).isEqualTo(expected);
    for (long i : expected) {
      assertThat(decoded.get(i)).isEqualTo(original.get(i));
    }
  }

  @Property(tries = 200)
  void lstRoundTripsForEveryBitsSizeAndLevel(
      @ForAll("lists") StatusList list, @ForAll @IntRange(min = 0, max = 9) int level) {
    String lst = StatusListEncoding.level(level).encode(list);

    assertThat(StatusListEncoding.decode(lst, list.bits(), list.size())).isEqualTo(list);
    assertSameStatuses(
        StatusListEncoding.decodeUpTo(lst, list.bits(), StatusListEncoding.DEFAULT_MAX_ENTRIES),
        list);
  }

  @Property(tries = 100)
  void w3cBitstringRoundTrips(@ForAll("lists") StatusList list) {
    String encoded = BitstringStatusList.encode(list);

    StatusList decoded =
        BitstringStatusList.decode(encoded, list.bits(), StatusListEncoding.DEFAULT_MAX_ENTRIES);

    assertThat(decoded.size())
        .isEqualTo(
            Math.max(
                BitstringStatusList.MIN_ENTRIES,
                StatusList.byteLength(list.bits(), list.size()) * (8 / list.bits())));
    assertThat(decoded.size()).isGreaterThanOrEqualTo(BitstringStatusList.MIN_ENTRIES);
    assertSameStatuses(decoded, list);
  }

  @Property(tries = 60)
  void w3cBitOrderIsMostSignificantFirst(@ForAll @IntRange(min = 0, max = 131_071) int index) {
    StatusList list = StatusList.empty(1, BitstringStatusList.MIN_ENTRIES).with(index, 1);

    byte[] bitstring = BitstringStatusList.toBitstring(list);

    assertThat(bitstring[index / 8] & 0xff).isEqualTo(0x80 >>> (index % 8));
  }

  private static SigningKey key(boolean ed) {
    return ed ? TestKeys.EDDSA : TestKeys.ES256;
  }

  @Property(tries = 50)
  void jwtBuildThenVerifyPreservesClaimsAndBits(
      @ForAll("lists") StatusList list,
      @ForAll boolean ed,
      @ForAll @IntRange(min = 1, max = 86_400) int ttl,
      @ForAll boolean aggregation) {
    StatusListClaims claims =
        new StatusListClaims(
            "https://issuer.example/statuslists/" + list.size(),
            TestKeys.NOW,
            TestKeys.NOW.plus(Duration.ofHours(12)),
            Duration.ofSeconds(ttl),
            list,
            aggregation ? "https://issuer.example/statuslists" : null);

    String jwt = JwtStatusListToken.builder().claims(claims).sign(key(ed));
    JwtStatusListToken token = TestKeys.verifier(TestKeys.ES256, TestKeys.EDDSA).verifyJwt(jwt);

    assertThat(token.kid()).isEqualTo(key(ed).kid());
    assertClaims(token.claims(), claims);
  }

  @Property(tries = 50)
  void cwtBuildThenVerifyPreservesClaimsAndBits(
      @ForAll("lists") StatusList list,
      @ForAll boolean ed,
      @ForAll @IntRange(min = 1, max = 86_400) int ttl,
      @ForAll boolean aggregation) {
    StatusListClaims claims =
        new StatusListClaims(
            "https://issuer.example/statuslists/" + list.size(),
            TestKeys.NOW,
            TestKeys.NOW.plus(Duration.ofHours(12)),
            Duration.ofSeconds(ttl),
            list,
            aggregation ? "https://issuer.example/statuslists" : null);

    byte[] cwt = CwtStatusListToken.builder().claims(claims).sign(key(ed));
    CwtStatusListToken token = TestKeys.verifier(TestKeys.ES256, TestKeys.EDDSA).verifyCwt(cwt);

    assertThat(token.kid()).isEqualTo(key(ed).kid());
    assertClaims(token.claims(), claims);
  }

  private static void assertClaims(StatusListClaims actual, StatusListClaims expected) {
    assertThat(actual.subject()).isEqualTo(expected.subject());
    assertThat(actual.issuedAt()).isEqualTo(expected.issuedAt());
    assertThat(actual.expiresAt()).isEqualTo(expected.expiresAt());
    assertThat(actual.ttl()).isEqualTo(expected.ttl());
    assertThat(actual.aggregationUri()).isEqualTo(expected.aggregationUri());
    assertSameStatuses(actual.list(), expected.list());
  }

  @Property(tries = 20)
  void claimsAreKeptToWholeSeconds(@ForAll @IntRange(min = 0, max = 999) int millis) {
    Instant iat = TestKeys.NOW.plusMillis(millis);
    StatusListClaims c = new StatusListClaims("s", iat, iat, null, StatusList.empty(1, 8), null);
    assertThat(c.issuedAt()).isEqualTo(TestKeys.NOW);
  }
}
