package io.statusreg.api.identifiers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.util.Base64;
import io.statusreg.api.testing.IssuerTokens;
import io.statusreg.api.testing.TestServer;
import io.statusreg.api.verifier.PublicKeys;
import io.statusreg.registry.IssuerId;
import io.statusreg.registry.identifiers.DevelopmentCertificate;
import io.statusreg.registry.identifiers.MsoEntry;
import io.statusreg.registry.keys.KeyRing;
import io.statusreg.registry.keys.SignatureAlgorithm;
import io.statusreg.registry.keys.SigningKey;
import io.statusreg.registry.keys.SigningKeys;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ISO/IEC 18013-5 (2nd edition): the MSO's {@code identifier_list} entry carries {@code
 * certificate}, the DER of the certificate that signs the list, when a separate list signer signs
 * it ({@code signing.status.eku} set); the issuer's own key signing the lists adds none.
 */
class ListSignerCertificateTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final java.util.Base64.Encoder B64 = java.util.Base64.getUrlEncoder().withoutPadding();
  static SigningKeys keys;
  static byte[] leaf;
  static TestServer server;

  @BeforeAll
  static void start() {
    Instant now = Instant.now();
    SigningKey key = SigningKey.generate(SignatureAlgorithm.ES256, "list-signer", now);
    leaf = DevelopmentCertificate.selfSigned(key, "list signer", now, now.plus(Duration.ofDays(1)));
    keys =
        new SigningKeys(Clock.systemUTC(), KeyRing.of(key.withX5c(List.of(Base64.encode(leaf)))));
    server = new TestServer(Clock.systemUTC(), Map.of(), PublicKeys.of(keys, true));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aSeparateListSignersLeafIsTheCertificateOfTheMsoEntryInJsonAndCbor() throws Exception {
    String acme = server.tokens.bearer("acme", IssuerTokens.ALL_SCOPES);
    HttpResponse<String> r =
        server.json("POST", "/issuers/acme/identifiers", acme, "{\"count\":2}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode body = JSON.readTree(r.body());
    String uri = body.get("uri").asText();
    for (JsonNode entry : body.get("identifiers")) {
      JsonNode info = entry.get("status").get("identifier_list");
      assertThat(info.get("certificate").asText()).isEqualTo(B64.encodeToString(leaf));
      byte[] id = java.util.Base64.getUrlDecoder().decode(entry.get("id").asText());
      assertThat(java.util.Base64.getUrlDecoder().decode(entry.get("status_cbor").asText()))
          .isEqualTo(MsoEntry.identifierList(id, uri, leaf));
    }
  }

  @Test
  void aOneBitStatusListsAllocationCarriesTheMsoStatusListEntriesWithTheCertificate()
      throws Exception {
    String acme = server.tokens.bearer("acme", IssuerTokens.ALL_SCOPES);
    HttpResponse<String> r =
        server.json("POST", "/issuers/acme/allocations", acme, "{\"count\":3}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode body = JSON.readTree(r.body());
    String uri = body.get("uri").asText();
    assertThat(body.get("certificate").asText()).isEqualTo(B64.encodeToString(leaf));
    assertThat(body.get("status_cbor")).hasSize(3);
    for (int i = 0; i < 3; i++) {
      long idx = body.get("indexes").get(i).asLong();
      assertThat(java.util.Base64.getUrlDecoder().decode(body.get("status_cbor").get(i).asText()))
          .isEqualTo(MsoEntry.statusList(idx, uri, leaf));
      // The IETF claim stays as the draft defines it.
      assertThat(body.get("claims").get(i).get("status").get("status_list").has("certificate"))
          .isFalse();
    }

    HttpResponse<String> wide =
        server.json("POST", "/issuers/acme/lists", acme, "{\"bits\":2,\"size\":1000}");
    String list = JSON.readTree(wide.body()).get("id").asText();
    JsonNode twoBits =
        JSON.readTree(
            server.json("POST", "/issuers/acme/lists/" + list + "/allocations", acme, "{}").body());
    assertThat(twoBits.get("indexes")).hasSize(1);
    assertThat(twoBits.has("status_cbor")).as("ISO reads 1-bit status lists only").isFalse();
    assertThat(twoBits.has("certificate")).isFalse();
  }

  @Test
  void withoutASeparateListSignerThereIsNoCertificate() {
    assertThat(PublicKeys.of(keys, false).listSignerCertificate(IssuerId.of("acme"))).isEmpty();
    assertThat(PublicKeys.of(keys, true).listSignerCertificate(IssuerId.of("acme")))
        .hasValueSatisfying(der -> assertThat(der).isEqualTo(leaf));
    // A key without a certificate has none to give, separate signer or not.
    SigningKeys bare = SigningKeys.development(Clock.systemUTC());
    assertThat(PublicKeys.of(bare, true).listSignerCertificate(IssuerId.of("acme"))).isEmpty();
  }
}
