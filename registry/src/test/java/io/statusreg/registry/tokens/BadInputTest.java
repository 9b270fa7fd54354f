package io.statusreg.registry.tokens;

import static io.statusreg.registry.tokens.TestKeys.ES256;
import static io.statusreg.registry.tokens.TestKeys.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.statusreg.registry.keys.SignatureAlgorithm;
import io.statusreg.registry.keys.SigningKey;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.TokenException.Reason;
import io.statusreg.registry.tokens.internal.Base64Url;
import io.statusreg.registry.tokens.internal.Cbor;
import io.statusreg.registry.tokens.internal.CoseSign1;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class BadInputTest {
  private static final StatusList LIST = StatusList.empty(1, 1024).with(7, 1);

  private static TokenException fails(ThrowingCallable call) {
    TokenException e = catchThrowableOfType(TokenException.class, call);
    assertThat(e).as("a TokenException").isNotNull();
    assertThat(e.getMessage()).startsWith(e.reason() + ": ");
    return e;
  }

  private static String jwt() {
    return JwtStatusListToken.builder()
        .subject("https://example.com/statuslists/1")
        .issuedAt(NOW)
        .expiresAt(NOW.plus(Duration.ofHours(1)))
        .ttl(Duration.ofMinutes(5))
        .list(LIST)
        .sign(ES256);
  }

  private static byte[] cwt() {
    return CwtStatusListToken.builder()
        .subject("https://example.com/statuslists/1")
        .issuedAt(NOW)
        .expiresAt(NOW.plus(Duration.ofHours(1)))
        .list(LIST)
        .sign(ES256);
  }

  private static String b64(String json) {
    return Base64Url.encode(json.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] zlib(byte[] data, int level) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(out, new Deflater(level))) {
      z.write(data);
    }
    return out.toByteArray();
  }

  // ------------------------------------------------------------------ lst

  @Test
  void givenLstWithCharactersOutsideBase64Url_whenDecoded_thenBadLst() {
    TokenException e = fails(() -> StatusListEncoding.decodeUpTo("eNrbuRgAAhcBXQ+/", 1, 1000));
    assertThat(e.reason()).isEqualTo(Reason.BAD_LST);
    assertThat(e.getMessage()).contains("'+'");
  }

  @Test
  void givenLstWithPadding_whenDecoded_thenBadLst() {
    assertThat(fails(() -> StatusListEncoding.decodeUpTo("eNrbuRgAAhcBXQ==", 1, 1000)).reason())
        .isEqualTo(Reason.BAD_LST);
  }

  @Test
  void givenLstWithNonCanonicalTrailingBits_whenDecoded_thenBadLst() {
    // 'R' differs from 'Q' only in the unused low bits of the last character.
    TokenException e = fails(() -> StatusListEncoding.decodeUpTo("eNrbuRgAAhcBXR", 1, 1000));
    assertThat(e.reason()).isEqualTo(Reason.BAD_LST);
    assertThat(e.getMessage()).contains("canonical");
  }

  @Test
  void givenLstThatIsNotZlib_whenDecoded_thenBadLstNamingZlib() {
    TokenException e =
        fails(
            () -> StatusListEncoding.decodeUpTo(Base64Url.encode(new byte[] {1, 2, 3, 4}), 1, 10));
    assertThat(e.reason()).isEqualTo(Reason.BAD_LST);
    assertThat(e.getMessage()).contains("zlib");
  }

  @Test
  void givenTruncatedZlib_whenDecoded_thenBadLst() {
    byte[] good = StatusListEncoding.REFERENCE.compress(LIST);
    byte[] cut = Arrays.copyOf(good, good.length - 3);
    TokenException e = fails(() -> StatusListEncoding.decompressUpTo(cut, 1, 10_000));
    assertThat(e.reason()).isEqualTo(Reason.BAD_LST);
    assertThat(e.getMessage()).contains("truncated");
  }

  @Test
  void givenZlibFollowedByGarbage_whenDecoded_thenBadLst() {
    byte[] good = StatusListEncoding.REFERENCE.compress(LIST);
    byte[] extended = Arrays.copyOf(good, good.length + 2);
    TokenException e = fails(() -> StatusListEncoding.decompressUpTo(extended, 1, 10_000));
    assertThat(e.reason()).isEqualTo(Reason.BAD_LST);
    assertThat(e.getMessage()).contains("after the zlib stream");
  }

  @Test
  void givenZipBombOf100MbOfZeros_whenDecodedForATinyList_thenTooLargeAfterInflatingOnlyTheCap()
      throws Exception {
    byte[] bomb = zlib(new byte[100 * 1024 * 1024], 9);
    assertThat(bomb.length).isLessThan(200_000);
    String lst = Base64Url.encode(bomb);

    TokenException declared = fails(() -> StatusListEncoding.decode(lst, 1, 16));
    TokenException capped = fails(() -> StatusListEncoding.decodeUpTo(lst, 1, 1 << 20));

    assertThat(declared.reason()).isEqualTo(Reason.LST_TOO_LARGE);
    assertThat(declared.getMessage()).contains("cap of 2 bytes");
    assertThat(capped.reason()).isEqualTo(Reason.LST_TOO_LARGE);
    assertThat(capped.getMessage()).contains("cap of 131072 bytes");
  }

  @Test
  void givenZipBombInsideASignedJwt_whenVerified_thenTooLarge() throws Exception {
    String lst = Base64Url.encode(zlib(new byte[100 * 1024 * 1024], 9));
    String token =
        JwtStatusListToken.builder()
            .subject("https://example.com/statuslists/bomb")
            .issuedAt(NOW)
            .expiresAt(NOW.plusSeconds(60))
            .lst(1, lst)
            .sign(ES256);

    TokenException e =
        fails(() -> TestKeys.verifier(ES256).withMaxEntries(1 << 20).verifyJwt(token));

    assertThat(e.reason()).isEqualTo(Reason.LST_TOO_LARGE);
  }

  @Test
  void givenGzipBomb_whenDecodedAsW3cList_thenTooLarge() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(new byte[64 * 1024 * 1024]);
    }
    String encoded = "u" + Base64Url.encode(out.toByteArray());

    TokenException e = fails(() -> BitstringStatusList.decode(encoded, 1, 131_072));

    assertThat(e.reason()).isEqualTo(Reason.LST_TOO_LARGE);
  }

  @Test
  void givenW3cListWithoutMultibasePrefixOrNotGzip_whenDecoded_thenBadLst() {
    assertThat(fails(() -> BitstringStatusList.decode("H4sIAAAA", 1, 1000)).reason())
        .isEqualTo(Reason.BAD_LST);
    assertThat(fails(() -> BitstringStatusList.decode("uAAAAAAAA", 1, 1000)).reason())
        .isEqualTo(Reason.BAD_LST);
  }

  // ------------------------------------------------------------------ JWT

  @Test
  void givenJwtWithWrongTyp_whenVerified_thenWrongTyp() throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256)
                .type(JOSEObjectType.JWT)
                .keyID("es256-1")
                .build(),
            SignedJWT.parse(jwt()).getJWTClaimsSet());
    jwt.sign(ES256.jwsSigner());

    TokenException e = fails(() -> TestKeys.verifier(ES256).verifyJwt(jwt.serialize()));

    assertThat(e.reason()).isEqualTo(Reason.WRONG_TYP);
    assertThat(e.getMessage()).contains("statuslist+jwt").contains("'JWT'");
  }

  @Test
  void givenJwtWithAlgNone_whenVerified_thenWrongAlg() {
    String[] parts = jwt().split("\\.");
    String none = b64("{\"alg\":\"none\",\"typ\":\"statuslist+jwt\",\"kid\":\"es256-1\"}");

    TokenException e = fails(() -> TestKeys.verifier(ES256).verifyJwt(none + "." + parts[1] + "."));

    assertThat(e.reason()).isEqualTo(Reason.WRONG_ALG);
    assertThat(e.getMessage()).contains("'none'");
  }

  @Test
  void givenJwtSignedWithHmac_whenVerified_thenWrongAlg() throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256)
                .type(new JOSEObjectType("statuslist+jwt"))
                .keyID("es256-1")
                .build(),
            SignedJWT.parse(jwt()).getJWTClaimsSet());
    jwt.sign(new MACSigner(new byte[32]));

    TokenException e = fails(() -> TestKeys.verifier(ES256).verifyJwt(jwt.serialize()));

    assertThat(e.reason()).isEqualTo(Reason.WRONG_ALG);
    assertThat(e.getMessage()).contains("HS256");
  }

  @Test
  void givenJwtWhoseAlgIsNotTheKeysAlg_whenVerified_thenWrongAlg() {
    String[] parts = jwt().split("\\.");
    String es384 = b64("{\"alg\":\"ES384\",\"typ\":\"statuslist+jwt\",\"kid\":\"es256-1\"}");

    TokenException e =
        fails(() -> TestKeys.verifier(ES256).verifyJwt(es384 + "." + parts[1] + "." + parts[2]));

    assertThat(e.reason()).isEqualTo(Reason.WRONG_ALG);
    assertThat(e.getMessage()).contains("ES256 key").contains("ES384");
  }

  @Test
  void givenJwtWithAnAlgorithmTheVerifierDoesNotAllow_whenVerified_thenWrongAlg() {
    TokenException e =
        fails(
            () ->
                TestKeys.verifier(ES256)
                    .withAlgorithms(java.util.Set.of(SignatureAlgorithm.EDDSA))
                    .verifyJwt(jwt()));
    assertThat(e.reason()).isEqualTo(Reason.WRONG_ALG);
  }

  @Test
  void givenJwtWithUnknownKid_whenVerified_thenUnknownKid() {
    SigningKey other = SigningKey.generate(SignatureAlgorithm.ES256, "other", NOW);

    TokenException e = fails(() -> TestKeys.verifier(other).verifyJwt(jwt()));

    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KID);
    assertThat(e.getMessage()).contains("es256-1");
  }

  @Test
  void givenJwtSignedByAnotherKeyUnderATrustedKid_whenVerified_thenBadSignature() {
    SigningKey impostor = SigningKey.generate(SignatureAlgorithm.ES256, "es256-1", NOW);
    String forged =
        JwtStatusListToken.builder()
            .subject("https://example.com/statuslists/1")
            .issuedAt(NOW)
            .expiresAt(NOW.plusSeconds(60))
            .list(LIST)
            .sign(impostor);

    assertThat(fails(() -> TestKeys.verifier(ES256).verifyJwt(forged)).reason())
        .isEqualTo(Reason.BAD_SIGNATURE);
  }

  @Test
  void givenJwtWithTamperedPayload_whenVerified_thenBadSignature() throws Exception {
    String[] parts = jwt().split("\\.");
    Map<String, Object> claims = SignedJWT.parse(jwt()).getJWTClaimsSet().toJSONObject();
    claims.put("sub", "https://evil.example/statuslists/1");
    String tampered =
        parts[0]
            + "."
            + b64(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(claims))
            + "."
            + parts[2];

    TokenException e = fails(() -> TestKeys.verifier(ES256).verifyJwt(tampered));

    assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE);
    assertThat(e.getMessage()).contains("es256-1");
  }

  @Test
  void givenExpiredJwt_whenVerified_thenExpiredButWithinLeewayItPasses() {
    String token = jwt();
    java.time.Clock later =
        java.time.Clock.fixed(
            NOW.plus(Duration.ofHours(1)).plusSeconds(31), java.time.ZoneOffset.UTC);
    java.time.Clock justAfter =
        java.time.Clock.fixed(
            NOW.plus(Duration.ofHours(1)).plusSeconds(29), java.time.ZoneOffset.UTC);

    TokenException e = fails(() -> TestKeys.verifier(ES256).withClock(later).verifyJwt(token));

    assertThat(e.reason()).isEqualTo(Reason.EXPIRED);
    assertThat(TestKeys.verifier(ES256).withClock(justAfter).verifyJwt(token).kid())
        .isEqualTo("es256-1");
  }

  @Test
  void givenJwtWithoutSubOrStatusList_whenVerified_thenMissingClaim() throws Exception {
    for (String drop : List.of("sub", "iat", "exp", "status_list")) {
      JWTClaimsSet.Builder b = new JWTClaimsSet.Builder(SignedJWT.parse(jwt()).getJWTClaimsSet());
      b.claim(drop, null);
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.ES256)
                  .type(new JOSEObjectType("statuslist+jwt"))
                  .keyID("es256-1")
                  .build(),
              b.build());
      jwt.sign(ES256.jwsSigner());

      TokenException e = fails(() -> TestKeys.verifier(ES256).verifyJwt(jwt.serialize()));

      assertThat(e.reason()).as(drop).isEqualTo(Reason.MISSING_CLAIM);
      assertThat(e.getMessage()).contains(drop);
    }
  }

  @Test
  void givenNotAJwt_whenVerified_thenMalformed() {
    for (String junk : List.of("", "abc", "a.b", "a.b.c.d", "!!.e30.AA", b64("[]") + ".e30.AA")) {
      assertThat(fails(() -> TestKeys.verifier(ES256).verifyJwt(junk)).reason())
          .as(junk)
          .isEqualTo(Reason.MALFORMED);
    }
  }

  // ------------------------------------------------------------------ CWT

  @Test
  void givenCwtWithCwtTag61_whenVerified_thenMalformedSayingSo() {
    byte[] inner = cwt();
    byte[] wrapped = new byte[inner.length + 2];
    wrapped[0] = (byte) 0xd8;
    wrapped[1] = 61;
    System.arraycopy(inner, 0, wrapped, 2, inner.length);

    TokenException e = fails(() -> TestKeys.verifier(ES256).verifyCwt(wrapped));

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(e.getMessage()).contains("61");
  }

  private static byte[] cose(byte[] protectedHeader, byte[] payload, byte[] signature) {
    return new Cbor.Writer()
        .tag(18)
        .array(4)
        .bytes(protectedHeader)
        .map(0)
        .bytes(payload)
        .bytes(signature)
        .toByteArray();
  }

  private static List<?> parts(byte[] token) throws Exception {
    return (List<?>) ((Cbor.Tagged) Cbor.decode(token)).value();
  }

  @Test
  void givenCwtWithWrongContentType_whenVerified_thenWrongTyp() throws Exception {
    List<?> p = parts(cwt());
    byte[] prot =
        new Cbor.Writer()
            .map(3)
            .integer(1)
            .integer(-7)
            .integer(16)
            .text("application/cwt")
            .integer(4)
            .bytes("es256-1".getBytes(StandardCharsets.UTF_8))
            .toByteArray();
    byte[] payload = (byte[]) p.get(2);
    byte[] sig = ES256.sign(CoseSign1.sigStructure(prot, payload));

    TokenException e = fails(() -> TestKeys.verifier(ES256).verifyCwt(cose(prot, payload, sig)));

    assertThat(e.reason()).isEqualTo(Reason.WRONG_TYP);
  }

  @Test
  void givenCwtWithMacAlgorithm_whenVerified_thenWrongAlg() throws Exception {
    List<?> p = parts(cwt());
    byte[] prot =
        new Cbor.Writer()
            .map(3)
            .integer(1)
            .integer(5) // HMAC 256/256
            .integer(16)
            .text(CwtStatusListToken.MEDIA_TYPE)
            .integer(4)
            .bytes("es256-1".getBytes(StandardCharsets.UTF_8))
            .toByteArray();

    TokenException e =
        fails(
            () -> TestKeys.verifier(ES256).verifyCwt(cose(prot, (byte[]) p.get(2), new byte[32])));

    assertThat(e.reason()).isEqualTo(Reason.WRONG_ALG);
  }

  @Test
  void givenCwtWithUnknownKid_whenVerified_thenUnknownKid() {
    SigningKey other = SigningKey.generate(SignatureAlgorithm.ES256, "other", NOW);
    assertThat(fails(() -> TestKeys.verifier(other).verifyCwt(cwt())).reason())
        .isEqualTo(Reason.UNKNOWN_KID);
  }

  @Test
  void givenCwtWithTamperedPayload_whenVerified_thenBadSignature() throws Exception {
    List<?> p = parts(cwt());
    byte[] payload = ((byte[]) p.get(2)).clone();
    int at = new String(payload, StandardCharsets.ISO_8859_1).indexOf("example.com");
    payload[at] = 'E';

    TokenException e =
        fails(
            () ->
                TestKeys.verifier(ES256)
                    .verifyCwt(cose((byte[]) p.get(0), payload, (byte[]) p.get(3))));

    assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE);
  }

  @Test
  void givenExpiredCwt_whenVerified_thenExpired() {
    java.time.Clock later =
        java.time.Clock.fixed(NOW.plus(Duration.ofDays(1)), java.time.ZoneOffset.UTC);
    assertThat(fails(() -> TestKeys.verifier(ES256).withClock(later).verifyCwt(cwt())).reason())
        .isEqualTo(Reason.EXPIRED);
  }

  @Test
  void givenGarbageOrIndefiniteLengthCbor_whenVerifiedAsCwt_thenMalformed() {
    for (byte[] junk :
        List.of(
            new byte[] {0x01},
            new byte[] {(byte) 0xd2, (byte) 0x9f, (byte) 0xff},
            new byte[] {(byte) 0xd2, (byte) 0x84, 0x40},
            new byte[] {(byte) 0xd2, (byte) 0x9b, 0x7f, -1, -1, -1, -1, -1, -1, -1})) {
      assertThat(fails(() -> TestKeys.verifier(ES256).verifyCwt(junk)).reason())
          .isEqualTo(Reason.MALFORMED);
    }
  }
}
