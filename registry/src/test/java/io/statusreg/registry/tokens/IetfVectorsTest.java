package io.statusreg.registry.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.statusreg.registry.keys.VerificationKeys;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.internal.Cbor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IetfVectorsTest {
  private static final JsonNode VECTORS = Vectors.ietf();
  private static final HexFormat HEX = HexFormat.of();

  static Stream<Arguments> cases() {
    return Stream.iterate(0, i -> i + 1)
        .limit(VECTORS.get("compressed_byte_array").size())
        .map(i -> VECTORS.get("compressed_byte_array").get(i))
        .map(c -> Arguments.of(c.get("name").asText(), c));
  }

  static Map<Long, Integer> expected(JsonNode c) {
    Map<Long, Integer> out = new TreeMap<>();
    c.get("statuses")
        .properties()
        .forEach(e -> out.put(Long.parseLong(e.getKey()), e.getValue().asInt()));
    return out;
  }

  static Map<Long, Integer> nonZero(StatusList list) {
    Map<Long, Integer> out = new TreeMap<>();
    list.forEachNonZero(i -> out.put(i, list.get(i)));
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void givenVectorLst_whenDecoded_thenExactlyTheListedStatusesAreNonZero(String name, JsonNode c) {
    int bits = c.get("bits").asInt();
    long size = c.get("size").asLong();

    StatusList list = StatusListEncoding.decode(c.get("lst").asText(), bits, size);

    assertThat(list.size()).isEqualTo(size);
    assertThat(nonZero(list)).isEqualTo(expected(c));
    if (c.has("byte_array_hex")) {
      assertThat(HEX.formatHex(list.toBytes())).isEqualTo(c.get("byte_array_hex").asText());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void givenVectorStatuses_whenEncodedAtLevel9_thenLstIsByteForByteTheVector(
      String name, JsonNode c) {
    StatusList list = StatusList.empty(c.get("bits").asInt(), c.get("size").asLong());
    for (Map.Entry<Long, Integer> e : expected(c).entrySet()) {
      list = list.with(e.getKey(), e.getValue());
    }

    String lst = StatusListEncoding.REFERENCE.encode(list);

    assertThat(lst).isEqualTo(c.get("lst").asText());
    if (c.has("zlib_hex")) {
      assertThat(HEX.formatHex(StatusListEncoding.REFERENCE.compress(list)))
          .isEqualTo(c.get("zlib_hex").asText());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void givenVectorLst_whenDecodedWithoutKnownSize_thenStatusesMatch(String name, JsonNode c) {
    StatusList list =
        StatusListEncoding.decodeUpTo(
            c.get("lst").asText(), c.get("bits").asInt(), StatusListEncoding.DEFAULT_MAX_ENTRIES);

    assertThat(list.size()).isGreaterThanOrEqualTo(c.get("size").asLong());
    assertThat(nonZero(list)).isEqualTo(expected(c));
  }

  static VerificationKeys exampleKey() {
    return VerificationKeys.parse(VECTORS.get("example_key_public_jwk").toString());
  }

  static TokenVerifier verifierAt(long epochSecond) {
    return TokenVerifier.of(exampleKey())
        .withClock(Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
  }

  @Test
  void givenExampleJwt_whenVerifiedWithExampleKey_thenClaimsAreTheExpectedOnes() {
    JsonNode v = VECTORS.get("status_list_token_jwt");
    JsonNode expect = v.get("expect");

    JwtStatusListToken token =
        verifierAt(expect.get("iat").asLong() + 3600).verifyJwt(v.get("token").asText());

    assertThat(token.kid()).isEqualTo(expect.get("kid").asText());
    assertThat(token.algorithm().jose()).isEqualTo("ES256");
    assertThat(token.lst()).isEqualTo(expect.get("lst").asText());
    StatusListClaims claims = token.claims();
    assertThat(claims.subject()).isEqualTo(expect.get("sub").asText());
    assertThat(claims.issuedAt()).isEqualTo(Instant.ofEpochSecond(expect.get("iat").asLong()));
    assertThat(claims.expiresAt()).isEqualTo(Instant.ofEpochSecond(expect.get("exp").asLong()));
    assertThat(claims.ttl()).isEqualTo(Duration.ofSeconds(expect.get("ttl").asLong()));
    assertThat(claims.bits()).isEqualTo(expect.get("bits").asInt());
    assertThat(claims.aggregationUri()).isNull();
    assertThat(nonZero(claims.list()))
        .isEqualTo(expected(VECTORS.get("compressed_byte_array").get(0)));
    assertThat(StatusListEncoding.REFERENCE.encode(claims.list()))
        .isEqualTo(expect.get("lst").asText());
  }

  @Test
  void givenExampleJwt_whenVerifiedAfterItsExp_thenExpired() {
    JsonNode v = VECTORS.get("status_list_token_jwt");
    long exp = v.get("expect").get("exp").asLong();

    TokenException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            TokenException.class, () -> verifierAt(exp + 3600).verifyJwt(v.get("token").asText()));

    assertThat(e.reason()).isEqualTo(TokenException.Reason.EXPIRED);
  }

  @Test
  void givenExampleCwt_whenVerifiedWithExampleKey_thenClaimsAreTheExpectedOnes() {
    JsonNode v = VECTORS.get("status_list_token_cwt");
    JsonNode expect = v.get("expect");
    byte[] bytes = HEX.parseHex(v.get("hex").asText());
    assertThat(bytes[0] & 0xff).isEqualTo(0xc0 | expect.get("tag").asInt());

    CwtStatusListToken token = verifierAt(expect.get("iat").asLong() + 3600).verifyCwt(bytes);

    assertThat(HEX.formatHex(token.kid().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isEqualTo(expect.get("kid_hex").asText());
    assertThat(token.algorithm().cose()).isEqualTo(-7);
    assertThat(HEX.formatHex(token.lst())).isEqualTo(expect.get("lst_zlib_hex").asText());
    StatusListClaims claims = token.claims();
    assertThat(claims.subject()).isEqualTo(expect.get("sub").asText());
    assertThat(claims.issuedAt()).isEqualTo(Instant.ofEpochSecond(expect.get("iat").asLong()));
    assertThat(claims.expiresAt()).isEqualTo(Instant.ofEpochSecond(expect.get("exp").asLong()));
    assertThat(claims.ttl()).isEqualTo(Duration.ofSeconds(expect.get("ttl").asLong()));
    assertThat(claims.bits()).isEqualTo(expect.get("bits").asInt());
    assertThat(nonZero(claims.list()))
        .isEqualTo(expected(VECTORS.get("compressed_byte_array").get(0)));
  }

  @Test
  void givenExampleCwtClaims_whenOurBuilderWritesThePayload_thenItIsByteForByteTheExamplePayload()
      throws Exception {
    JsonNode v = VECTORS.get("status_list_token_cwt");
    JsonNode expect = v.get("expect");
    Cbor.Tagged tagged = (Cbor.Tagged) Cbor.decode(HEX.parseHex(v.get("hex").asText()));
    byte[] examplePayload = (byte[]) ((List<?>) tagged.value()).get(2);

    byte[] ours =
        CwtStatusListToken.builder()
            .subject(expect.get("sub").asText())
            .issuedAt(Instant.ofEpochSecond(expect.get("iat").asLong()))
            .expiresAt(Instant.ofEpochSecond(expect.get("exp").asLong()))
            .ttl(Duration.ofSeconds(expect.get("ttl").asLong()))
            .compressedList(1, HEX.parseHex(expect.get("lst_zlib_hex").asText()))
            .payload();

    assertThat(HEX.formatHex(ours)).isEqualTo(HEX.formatHex(examplePayload));
  }
}
