package io.statusreg.streams.publication;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.statusreg.registry.ListId;
import io.statusreg.registry.keys.SigningKeys;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.StatusListEncoding;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryListSignerTest {
  private static final Instant IAT = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void signsJwtCwtAndW3cForALargeOneBitList() throws Exception {
    SigningKeys keys = SigningKeys.development(Clock.systemUTC());
    RegistryListSigner signer = new RegistryListSigner(keys, 6, "https://status.example");
    StatusList list = StatusList.empty(1, 131_072).with(7, 1);

    ListSigner.SignedList signed =
        signer.sign(
            ListId.of("acme", "l"),
            "https://status.example/statuslists/acme/l",
            list,
            Duration.ofMinutes(5),
            IAT,
            IAT.plusSeconds(3600));

    SignedJWT jwt = SignedJWT.parse(new String(signed.jwt(), StandardCharsets.US_ASCII));
    assertThat(jwt.getHeader().getKeyID()).isEqualTo(signed.kid());
    assertThat(jwt.getJWTClaimsSet().getSubject())
        .isEqualTo("https://status.example/statuslists/acme/l");
    Map<String, Object> sl = jwt.getJWTClaimsSet().getJSONObjectClaim("status_list");
    StatusList decoded =
        StatusListEncoding.decode(
            (String) sl.get("lst"), ((Number) sl.get("bits")).intValue(), list.size());
    assertThat(decoded).isEqualTo(list);
    assertThat(signed.cwt()).isNotEmpty();
    assertThat(signed.w3c()).isNotEmpty();
  }

  @Test
  void smallListHasNoW3cRepresentation() {
    SigningKeys keys = SigningKeys.development(Clock.systemUTC());
    var signed =
        new RegistryListSigner(keys, 6, "https://status.example")
            .sign(
                ListId.of("acme", "s"),
                "https://status.example/statuslists/acme/s",
                StatusList.empty(2, 1000),
                Duration.ofMinutes(5),
                IAT,
                IAT.plusSeconds(3600));
    assertThat(signed.jwt()).isNotEmpty();
    assertThat(signed.cwt()).isNotEmpty();
    assertThat(signed.w3c()).isEmpty();
  }
}
