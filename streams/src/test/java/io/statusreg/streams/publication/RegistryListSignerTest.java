package io.statusreg.streams.publication;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.statusreg.registry.ListId;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.identifiers.IdentifierCipher;
import io.statusreg.registry.identifiers.IdentifierListToken;
import io.statusreg.registry.issuance.IndexPermutation;
import io.statusreg.registry.keys.SigningKeys;
import io.statusreg.registry.keys.VerificationKeys;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.BitstringStatusList;
import io.statusreg.registry.tokens.CwtStatusListToken;
import io.statusreg.registry.tokens.StatusListEncoding;
import io.statusreg.registry.tokens.TokenVerifier;
import io.statusreg.registry.tokens.W3cForm;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RegistryListSignerTest {
  private static final Instant IAT = Instant.parse("2026-01-01T00:00:00Z");
  private static final String URI = "https://status.example/statuslists/acme/l";
  private final SigningKeys keys = SigningKeys.development(Clock.systemUTC());
  private final RegistryListSigner signer =
      new RegistryListSigner(keys, 6, "https://status.example");

  private ListSigner.SignedList sign(StatusList list, Purpose purpose) {
    return signer.sign(
        ListId.of("acme", "l"),
        URI,
        list,
        purpose,
        Duration.ofMinutes(5),
        IAT,
        IAT.plusSeconds(3600));
  }

  /** The verified W3C credential's JSON. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> w3c(ListSigner.SignedList signed) throws Exception {
    JWSObject jws = JWSObject.parse(new String(signed.w3c(), StandardCharsets.US_ASCII));
    assertThat(jws.verify(new ECDSAVerifier((ECPublicKey) keys.active().publicKey()))).isTrue();
    assertThat(jws.getHeader().getType().getType()).isEqualTo("vc+jwt");
    return jws.getPayload().toJSONObject();
  }

  @Test
  void signsJwtCwtAndW3cForALargeOneBitList() throws Exception {
    StatusList list = StatusList.empty(1, 131_072).with(7, 1);

    ListSigner.SignedList signed = sign(list, Purpose.REVOCATION);

    SignedJWT jwt = SignedJWT.parse(new String(signed.jwt(), StandardCharsets.US_ASCII));
    assertThat(jwt.getHeader().getKeyID()).isEqualTo(signed.kid());
    assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(URI);
    Map<String, Object> sl = jwt.getJWTClaimsSet().getJSONObjectClaim("status_list");
    StatusList decoded =
        StatusListEncoding.decode(
            (String) sl.get("lst"), ((Number) sl.get("bits")).intValue(), list.size());
    assertThat(decoded).isEqualTo(list);
    assertThat(signed.cwt()).isNotEmpty();
    assertThat(signed.w3c()).isNotEmpty();
  }

  @Test
  void theJwtAndTheCwtCarryTheSameListAndTheSameCompressedBytes() throws Exception {
    StatusList list = StatusList.empty(2, 40_000).with(3, 1).with(39_999, 2).with(20_000, 3);

    ListSigner.SignedList signed = sign(list, Purpose.REVOCATION);

    Map<String, Object> sl =
        SignedJWT.parse(new String(signed.jwt(), StandardCharsets.US_ASCII))
            .getJWTClaimsSet()
            .getJSONObjectClaim("status_list");
    assertThat(((Number) sl.get("bits")).intValue()).isEqualTo(2);
    TokenVerifier verifier =
        TokenVerifier.of(VerificationKeys.of(keys.defaultRing().keys()))
            .withClock(Clock.fixed(IAT, java.time.ZoneOffset.UTC));
    CwtStatusListToken cwt = CwtStatusListToken.verify(signed.cwt(), verifier);
    assertThat(cwt.claims().list()).isEqualTo(list);
    assertThat(StatusListEncoding.decode((String) sl.get("lst"), 2, list.size())).isEqualTo(list);
    assertThat(java.util.Base64.getUrlDecoder().decode((String) sl.get("lst")))
        .isEqualTo(cwt.lst())
        .isEqualTo(StatusListEncoding.level(6).compress(list));
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyListHasAW3cCredentialInTheFormItsPurposeAndBitsDecide() throws Exception {
    Random random = new Random(20260101L);
    for (int bits : new int[] {1, 2, 4, 8}) {
      for (Purpose purpose : Purpose.values()) {
        long size = 1 + random.nextInt(5000);
        StatusList list = StatusList.empty(bits, size);
        for (int i = 0; i < 20; i++) {
          list = list.with(random.nextLong(size), 1 + random.nextInt((1 << bits) - 1));
        }
        if (bits > 1) {
          list = list.with(size - 1, 2); // at least one SUSPENDED entry
        }
        W3cForm form = W3cForm.of(purpose, bits);

        Map<String, Object> vc = w3c(sign(list, purpose));

        assertThat(vc.get("id")).isEqualTo(URI);
        assertThat(vc.get("issuer")).isEqualTo("https://status.example/issuers/acme");
        assertThat((List<Object>) vc.get("type")).contains("BitstringStatusListCredential");
        Map<String, Object> subject = (Map<String, Object>) vc.get("credentialSubject");
        String expectedPurpose =
            purpose == Purpose.SUSPENSION
                ? "suspension"
                : purpose == Purpose.REVOCATION && bits == 1 ? "revocation" : "message";
        assertThat(subject.get("statusPurpose"))
            .as("%s, bits %d", purpose, bits)
            .isEqualTo(expectedPurpose);
        int statusSize = purpose == Purpose.SUSPENSION ? 1 : bits;
        if (expectedPurpose.equals("message")) {
          assertThat(((Number) subject.get("statusSize")).intValue()).isEqualTo(bits);
          assertThat((List<Object>) subject.get("statusMessages")).hasSize(1 << bits);
        } else {
          assertThat(subject).doesNotContainKeys("statusSize", "statusMessages");
        }
        StatusList w3c =
            BitstringStatusList.decode((String) subject.get("encodedList"), statusSize, 1 << 24);
        assertThat(w3c.size())
            .as("padded to the minimum")
            .isEqualTo(BitstringStatusList.MIN_ENTRIES);
        for (long idx = 0; idx < w3c.size(); idx++) {
          int stored = idx < size ? list.get(idx) : 0;
          int expected = purpose == Purpose.SUSPENSION && bits > 1 ? (stored == 2 ? 1 : 0) : stored;
          if (w3c.get(idx) != expected || (idx < size && form.w3cValue(list, idx) != expected)) {
            throw new AssertionError(
                purpose
                    + " bits "
                    + bits
                    + " index "
                    + idx
                    + ": "
                    + w3c.get(idx)
                    + " != "
                    + expected);
          }
        }
      }
    }
  }

  @Test
  void aggregationUriIsInBothTokensOnlyWhenAggregationIsOn() throws Exception {
    StatusList list = StatusList.empty(1, 16);
    RegistryListSigner on = new RegistryListSigner(keys, 6, "https://status.example", true);
    ListSigner.SignedList withIt =
        on.sign(
            ListId.of("acme", "l"),
            URI,
            list,
            Purpose.REVOCATION,
            Duration.ofMinutes(5),
            IAT,
            IAT.plusSeconds(3600));
    Map<String, Object> sl =
        SignedJWT.parse(new String(withIt.jwt(), StandardCharsets.US_ASCII))
            .getJWTClaimsSet()
            .getJSONObjectClaim("status_list");
    assertThat(sl).containsEntry("aggregation_uri", "https://status.example/statuslists/acme");
    TokenVerifier verifier =
        TokenVerifier.of(VerificationKeys.of(keys.defaultRing().keys()))
            .withClock(Clock.fixed(IAT, java.time.ZoneOffset.UTC));
    assertThat(CwtStatusListToken.verify(withIt.cwt(), verifier).claims().aggregationUri())
        .isEqualTo("https://status.example/statuslists/acme");

    Map<String, Object> without =
        SignedJWT.parse(new String(sign(list, Purpose.REVOCATION).jwt(), StandardCharsets.US_ASCII))
            .getJWTClaimsSet()
            .getJSONObjectClaim("status_list");
    assertThat(without).doesNotContainKey("aggregation_uri");
  }

  @Test
  void aggregationUriIsInTheIdentifierListOnlyWhenAggregationIsOn() {
    StatusList revoked = StatusList.empty(1, 16).with(3, 1);
    IdentifierCipher cipher =
        new IdentifierCipher(IndexPermutation.Key.random(new java.security.SecureRandom()));
    RegistryListSigner on = new RegistryListSigner(keys, 6, "https://status.example", true);
    ListSigner.SignedList withIt =
        on.signIdentifiers(
            ListId.of("acme", "idl"),
            URI,
            revoked,
            cipher,
            Duration.ofMinutes(5),
            IAT,
            IAT.plusSeconds(3600));
    IdentifierListToken read = IdentifierListToken.verify(withIt.cwt(), null, IAT);
    assertThat(read.aggregationUri()).isEqualTo("https://status.example/statuslists/acme");
    assertThat(read.contains(cipher.identifier(3))).isTrue();

    ListSigner.SignedList without =
        signer.signIdentifiers(
            ListId.of("acme", "idl"),
            URI,
            revoked,
            cipher,
            Duration.ofMinutes(5),
            IAT,
            IAT.plusSeconds(3600));
    IdentifierListToken readWithout = IdentifierListToken.verify(without.cwt(), null, IAT);
    assertThat(readWithout.aggregationUri()).isNull();
    assertThat(readWithout.contains(cipher.identifier(3))).isTrue();
  }
}
