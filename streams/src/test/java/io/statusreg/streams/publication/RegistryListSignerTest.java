package io.statusreg.streams.publication;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.statusreg.registry.ListId;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.keys.SigningKeys;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.BitstringStatusList;
import io.statusreg.registry.tokens.StatusListEncoding;
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
  @SuppressWarnings("unchecked")
  void everyListHasAW3cCredentialWithItsPurposeAndEntriesPaddedToTheMinimum() throws Exception {
    Random random = new Random(20260101L);
    for (int bits : new int[] {1, 2, 4, 8}) {
      for (Purpose purpose : Purpose.values()) {
        long size = 1 + random.nextInt(5000);
        StatusList list = StatusList.empty(bits, size);
        for (int i = 0; i < 20; i++) {
          list = list.with(random.nextLong(size), 1 + random.nextInt((1 << bits) - 1));
        }

        Map<String, Object> vc = w3c(sign(list, purpose));

        assertThat(vc.get("id")).isEqualTo(URI);
        assertThat((List<Object>) vc.get("type")).contains("BitstringStatusListCredential");
        Map<String, Object> subject = (Map<String, Object>) vc.get("credentialSubject");
        assertThat(subject.get("statusPurpose")).as("bits %d", bits).isEqualTo(purpose.code());
        StatusList w3c =
            BitstringStatusList.decode((String) subject.get("encodedList"), bits, 1 << 24);
        assertThat(w3c.size())
            .as("padded to the minimum")
            .isEqualTo(BitstringStatusList.MIN_ENTRIES);
        for (long idx = 0; idx < w3c.size(); idx++) {
          int expected = idx < size ? list.get(idx) : 0;
          if (w3c.get(idx) != expected) {
            throw new AssertionError(
                "bits " + bits + " index " + idx + ": " + w3c.get(idx) + " != " + expected);
          }
        }
      }
    }
  }

  @Test
  void w3cEntryOfAMultiBitListNamesItsStatusSizeAndEveryMessage() {
    Map<String, Object> one = W3cStatusEntry.of(URI, 42, Purpose.REVOCATION, 1);
    assertThat(one)
        .containsEntry("statusListIndex", "42")
        .containsEntry("statusPurpose", "revocation")
        .containsEntry("statusListCredential", URI)
        .doesNotContainKeys("statusSize", "statusMessage");

    Map<String, Object> two = W3cStatusEntry.of(URI, 7, Purpose.MESSAGE, 2);
    assertThat(two).containsEntry("statusSize", 2);
    assertThat(two.get("statusMessage"))
        .isEqualTo(
            List.of(
                Map.of("status", "0x0", "message", "valid"),
                Map.of("status", "0x1", "message", "invalid"),
                Map.of("status", "0x2", "message", "suspended"),
                Map.of("status", "0x3", "message", "application-specific")));
    assertThat(W3cStatusEntry.statusMessages(4)).hasSize(16);
    assertThat(W3cStatusEntry.statusMessages(8))
        .hasSize(256)
        .last()
        .isEqualTo(Map.of("status", "0xff", "message", "reserved"));
  }
}
