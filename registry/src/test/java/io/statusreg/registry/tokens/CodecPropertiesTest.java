package io.statusreg.registry.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.registry.keys.SigningKey;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.testing.Gen;
import io.statusreg.registry.testing.Property;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodecPropertiesTest {

  static Gen<StatusList> lists() {
    return Gen.elementOf(1, 2, 4, 8)
        .flatMap(
            bits ->
                Gen.longs(1, 300_000)
                    .flatMap(
                        size -> {
                          Gen<Long> indexes = Gen.longs(0, size - 1);
                          Gen<Integer> values = Gen.ints(1, (1 << bits) - 1);
                          Gen<long[]> set = r -> new long[] {indexes.next(r), values.next(r)};
                          return set.list(0, 200)
                              .map(
                                  sets -> {
                                    StatusList l = StatusList.empty(bits, size);
                                    for (long[] s : sets) {
                                      l = l.with(s[0], (int) s[1]);
                                    }
                                    return l;
                                  });
                        }));
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

  record Leveled(StatusList list, int level) {}

  @Test
  void lstRoundTripsForEveryBitsSizeAndLevel() {
    Gen<StatusList> lists = lists();
    Gen<Integer> levels = Gen.ints(0, 9);

    Property.forAll(
        "lstRoundTripsForEveryBitsSizeAndLevel",
        200,
        r -> new Leveled(lists.next(r), levels.next(r)),
        p -> {
          StatusList list = p.list();
          String lst = StatusListEncoding.level(p.level()).encode(list);

          assertThat(StatusListEncoding.decode(lst, list.bits(), list.size())).isEqualTo(list);
          assertSameStatuses(
              StatusListEncoding.decodeUpTo(
                  lst, list.bits(), StatusListEncoding.DEFAULT_MAX_ENTRIES),
              list);
        });
  }

  @Test
  void w3cBitstringRoundTrips() {
    Property.forAll(
        "w3cBitstringRoundTrips",
        100,
        lists(),
        list -> {
          String encoded = BitstringStatusList.encode(list);

          StatusList decoded =
              BitstringStatusList.decode(
                  encoded, list.bits(), StatusListEncoding.DEFAULT_MAX_ENTRIES);

          assertThat(decoded.size())
              .isEqualTo(
                  Math.max(
                      BitstringStatusList.MIN_ENTRIES,
                      StatusList.byteLength(list.bits(), list.size()) * (8 / list.bits())));
          assertThat(decoded.size()).isGreaterThanOrEqualTo(BitstringStatusList.MIN_ENTRIES);
          assertSameStatuses(decoded, list);
        });
  }

  @Test
  void w3cBitOrderIsMostSignificantFirst() {
    Property.forAll(
        "w3cBitOrderIsMostSignificantFirst",
        60,
        Gen.ints(0, 131_071),
        index -> {
          StatusList list = StatusList.empty(1, BitstringStatusList.MIN_ENTRIES).with(index, 1);

          byte[] bitstring = BitstringStatusList.toBitstring(list);

          assertThat(bitstring[index / 8] & 0xff).isEqualTo(0x80 >>> (index % 8));
        });
  }

  private static SigningKey key(boolean ed) {
    return ed ? TestKeys.EDDSA : TestKeys.ES256;
  }

  record Token(StatusList list, boolean ed, int ttl, boolean aggregation) {
    StatusListClaims claims() {
      return new StatusListClaims(
          "https://issuer.example/statuslists/" + list.size(),
          TestKeys.NOW,
          TestKeys.NOW.plus(Duration.ofHours(12)),
          Duration.ofSeconds(ttl),
          list,
          aggregation ? "https://issuer.example/statuslists" : null);
    }
  }

  static Gen<Token> tokens() {
    Gen<StatusList> lists = lists();
    Gen<Integer> ttls = Gen.ints(1, 86_400);
    return r -> new Token(lists.next(r), r.nextBoolean(), ttls.next(r), r.nextBoolean());
  }

  @Test
  void jwtBuildThenVerifyPreservesClaimsAndBits() {
    Property.forAll(
        "jwtBuildThenVerifyPreservesClaimsAndBits",
        50,
        tokens(),
        t -> {
          StatusListClaims claims = t.claims();

          String jwt = JwtStatusListToken.builder().claims(claims).sign(key(t.ed()));
          JwtStatusListToken token =
              TestKeys.verifier(TestKeys.ES256, TestKeys.EDDSA).verifyJwt(jwt);

          assertThat(token.kid()).isEqualTo(key(t.ed()).kid());
          assertClaims(token.claims(), claims);
        });
  }

  @Test
  void cwtBuildThenVerifyPreservesClaimsAndBits() {
    Property.forAll(
        "cwtBuildThenVerifyPreservesClaimsAndBits",
        50,
        tokens(),
        t -> {
          StatusListClaims claims = t.claims();

          byte[] cwt = CwtStatusListToken.builder().claims(claims).sign(key(t.ed()));
          CwtStatusListToken token =
              TestKeys.verifier(TestKeys.ES256, TestKeys.EDDSA).verifyCwt(cwt);

          assertThat(token.kid()).isEqualTo(key(t.ed()).kid());
          assertClaims(token.claims(), claims);
        });
  }

  private static void assertClaims(StatusListClaims actual, StatusListClaims expected) {
    assertThat(actual.subject()).isEqualTo(expected.subject());
    assertThat(actual.issuedAt()).isEqualTo(expected.issuedAt());
    assertThat(actual.expiresAt()).isEqualTo(expected.expiresAt());
    assertThat(actual.ttl()).isEqualTo(expected.ttl());
    assertThat(actual.aggregationUri()).isEqualTo(expected.aggregationUri());
    assertSameStatuses(actual.list(), expected.list());
  }

  @Test
  void claimsAreKeptToWholeSeconds() {
    Property.forAll(
        "claimsAreKeptToWholeSeconds",
        20,
        Gen.ints(0, 999),
        millis -> {
          Instant iat = TestKeys.NOW.plusMillis(millis);
          StatusListClaims c =
              new StatusListClaims("s", iat, iat, null, StatusList.empty(1, 8), null);
          assertThat(c.issuedAt()).isEqualTo(TestKeys.NOW);
        });
  }
}
