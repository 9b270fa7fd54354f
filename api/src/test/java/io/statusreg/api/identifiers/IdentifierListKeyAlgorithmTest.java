package io.statusreg.api.identifiers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statusreg.api.testing.IssuerTokens;
import io.statusreg.api.testing.TestServer;
import io.statusreg.api.verifier.PublicKeys;
import io.statusreg.registry.IssuerId;
import io.statusreg.registry.keys.KeyRing;
import io.statusreg.registry.keys.SignatureAlgorithm;
import io.statusreg.registry.keys.SigningKey;
import io.statusreg.registry.keys.SigningKeys;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Identifier lists are signed with ES256, ES384, ES512 or EdDSA only: an issuer whose signing key
 * is RSA is refused an identifier list (it would fail at every publication), not its status lists.
 */
class IdentifierListKeyAlgorithmTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static TestServer server;

  @BeforeAll
  static void start() {
    Instant now = Instant.now();
    SigningKeys keys =
        new SigningKeys(
            Clock.systemUTC(),
            KeyRing.of(SigningKey.generate(SignatureAlgorithm.ES256, "ec-default", now)));
    keys.put(
        IssuerId.of("rsaco"),
        KeyRing.of(SigningKey.generate(SignatureAlgorithm.RS256, "rsa-key", now)));
    server = new TestServer(Clock.systemUTC(), Map.of(), PublicKeys.of(keys, false));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void anIssuerWithAnRsaKeyIsRefusedAnIdentifierListNamingItsAlgorithmAndTheAcceptedOnes()
      throws Exception {
    String rsaco = server.tokens.bearer("rsaco", IssuerTokens.ALL_SCOPES);
    for (String path :
        new String[] {"/issuers/rsaco/identifier-lists", "/issuers/rsaco/identifiers"}) {
      HttpResponse<String> r = server.json("POST", path, rsaco, "{}");
      assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(422);
      assertThat(r.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/problem+json");
      String detail = JSON.readTree(r.body()).get("detail").asText();
      assertThat(detail).contains("RS256").contains("ES256, ES384, ES512 or EdDSA");
    }
    // Its status lists are not concerned.
    HttpResponse<String> statusList =
        server.json("POST", "/issuers/rsaco/lists", rsaco, "{\"size\":1000}");
    assertThat(statusList.statusCode()).as(statusList.body()).isEqualTo(201);
  }

  @Test
  void anIssuerWithAnEcKeyCreatesIdentifierLists() throws Exception {
    String acme = server.tokens.bearer("acme", IssuerTokens.ALL_SCOPES);
    HttpResponse<String> r =
        server.json("POST", "/issuers/acme/identifier-lists", acme, "{\"size\":1000}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode created = JSON.readTree(r.body());
    assertThat(created.get("kind").asText()).isEqualTo("identifier_list");
  }
}
