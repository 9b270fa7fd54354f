package io.statusreg.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statusreg.api.testing.FakeDirectory;
import io.statusreg.api.testing.IssuerTokens;
import io.statusreg.api.testing.TestServer;
import io.statusreg.registry.ListId;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The standards details of the public routes: IMF-fixdate Last-Modified, the JWKS media type, the
 * W3C {@code ?timestamp=} query, issuer metadata, and the W3C entries of allocation answers.
 */
class StandardsRoutesTest {
  static final ObjectMapper JSON = new ObjectMapper();
  // Day 1 of a month: RFC_1123_DATE_TIME would write "Tue, 1 Dec 2026".
  static final Instant NOW = Instant.parse("2026-12-01T09:05:03Z");
  static final ListId LIST = ListId.of("acme", "hist");
  static TestServer server;
  static TestServer aggregating;
  static String acme;

  @BeforeAll
  static void start() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    server = new TestServer(clock);
    aggregating = new TestServer(clock, Map.of("aggregation.enabled", "true"));
    acme = server.tokens.bearer("acme", IssuerTokens.ALL_SCOPES, NOW);
    server.directory.publish(
        FakeDirectory.token(
            LIST, 1, NOW.minusSeconds(7200), Duration.ofHours(1), Duration.ofMinutes(5), true));
    server.directory.publish(
        FakeDirectory.token(LIST, 2, NOW, Duration.ofHours(1), Duration.ofMinutes(5), true));
  }

  @AfterAll
  static void stop() {
    server.close();
    aggregating.close();
  }

  @Test
  void lastModifiedIsAnImfFixdateWithATwoDigitDayOnBothPaths() {
    HttpResponse<String> fast = server.get("/statuslists/acme/hist");
    HttpResponse<String> routed = server.get("/statuslists/acme/hist?time=" + NOW.getEpochSecond());
    HttpResponse<String> older =
        server.get("/statuslists/acme/hist?timestamp=2026-12-01T07:30:00Z");
    assertThat(fast.headers().firstValue("Last-Modified"))
        .hasValue("Tue, 01 Dec 2026 09:05:03 GMT");
    assertThat(routed.headers().firstValue("Last-Modified"))
        .hasValue("Tue, 01 Dec 2026 09:05:03 GMT");
    assertThat(older.headers().firstValue("Last-Modified"))
        .hasValue("Tue, 01 Dec 2026 07:05:03 GMT");
  }

  @Test
  void jwksIsServedAsJwkSetJsonWithoutACharset() {
    HttpResponse<String> r = server.get("/.well-known/jwks.json");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().allValues("Content-Type")).containsExactly("application/jwk-set+json");
  }

  @Test
  void timestampAnswersTheListAsItWasThen() {
    HttpResponse<String> then = server.get("/statuslists/acme/hist?timestamp=2026-12-01T07:30:00Z");
    assertThat(then.statusCode()).isEqualTo(200);
    assertThat(then.body()).startsWith("tok-hist-v1-jwt");
    HttpResponse<String> offset =
        server.get("/statuslists/acme/hist?timestamp=2026-12-01T10:05:03%2B01:00");
    assertThat(offset.statusCode()).isEqualTo(200);
    assertThat(offset.body()).as("an offset is honoured").startsWith("tok-hist-v2-jwt");
    HttpResponse<String> w3c =
        server.get(
            "/statuslists/acme/hist?timestamp=2026-12-01T07:30:00Z",
            "Accept",
            "application/vc+jwt");
    assertThat(w3c.body()).startsWith("tok-hist-v1-w3c");

    HttpResponse<String> before =
        server.get("/statuslists/acme/hist?timestamp=2020-01-01T00:00:00Z");
    assertThat(before.statusCode()).isEqualTo(404);
    assertThat(before.body()).contains("token-not-in-history");
  }

  @Test
  void malformedTimestampsAndBothQueriesAtOnceAre400Problems() {
    for (String bad :
        new String[] {
          "",
          "2026-12-01T07:30:00",
          "2026-12-01",
          "yesterday",
          "1764572400",
          "x".repeat(41),
          "2026-13-01T00:00:00Z",
          "%C3%A9"
        }) {
      HttpResponse<String> r = server.get("/statuslists/acme/hist?timestamp=" + bad);
      assertThat(r.statusCode()).as("timestamp=%s", bad).isEqualTo(400);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(r.body()).contains("dateTimeStamp");
    }
    HttpResponse<String> both =
        server.get("/statuslists/acme/hist?time=1&timestamp=2026-12-01T07:30:00Z");
    assertThat(both.statusCode()).isEqualTo(400);
    assertThat(both.body()).contains("either time or timestamp");
  }

  @Test
  void issuerMetadataMakesTheCredentialIssuerResolvableAndNamesAggregationWhenOn()
      throws Exception {
    HttpResponse<String> plain = server.get("/.well-known/jwt-vc-issuer/issuers/acme");
    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(plain.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    JsonNode doc = JSON.readTree(plain.body());
    assertThat(doc.get("issuer").asText()).isEqualTo("http://localhost:8080/issuers/acme");
    assertThat(doc.get("jwks").get("keys").get(0).get("kid").asText()).isEqualTo("k1");
    assertThat(doc.has("status_list_aggregation_endpoint")).isFalse();

    JsonNode withAggregation =
        JSON.readTree(aggregating.get("/.well-known/jwt-vc-issuer/issuers/acme").body());
    assertThat(withAggregation.get("status_list_aggregation_endpoint").asText())
        .isEqualTo("http://localhost:8080/statuslists/acme");

    assertThat(server.get("/.well-known/jwt-vc-issuer/issuers/ACME!").statusCode()).isEqualTo(400);
  }

  @Test
  void theIssuerUrlDereferencesToAControllerDocumentWithTheIssuersPublicKeys() throws Exception {
    HttpResponse<String> r = server.get("/issuers/acme");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    JsonNode doc = JSON.readTree(r.body());
    String id = "http://localhost:8080/issuers/acme";
    assertThat(doc.get("@context").asText()).isEqualTo("https://www.w3.org/ns/cid/v1");
    assertThat(doc.get("id").asText())
        .as("the issuer the credential names")
        .isEqualTo(
            JSON.readTree(server.get("/.well-known/jwt-vc-issuer/issuers/acme").body())
                .get("issuer")
                .asText())
        .isEqualTo(id);
    JsonNode method = doc.get("verificationMethod").get(0);
    assertThat(method.get("id").asText()).isEqualTo(id + "#k1");
    assertThat(method.get("type").asText()).isEqualTo("JsonWebKey");
    assertThat(method.get("controller").asText()).isEqualTo(id);
    assertThat(method.get("publicKeyJwk").get("kid").asText()).isEqualTo("k1");
    assertThat(method.get("publicKeyJwk").has("d")).as("no private part").isFalse();
    assertThat(doc.get("assertionMethod").get(0).asText()).isEqualTo(id + "#k1");

    HttpResponse<String> cid = server.get("/issuers/acme", "Accept", "application/cid");
    assertThat(cid.headers().firstValue("Content-Type")).hasValue("application/cid");
    assertThat(server.get("/issuers/ACME!").statusCode()).isEqualTo(400);
    assertThat(server.get("/issuers/acme/lists/hist/entries/1").statusCode())
        .as("the issuer routes below it still need a bearer token")
        .isEqualTo(401);
  }

  @Test
  void allocationAnswersCarryTheBitstringStatusListEntryOfTheListsW3cForm() throws Exception {
    JsonNode oneBit = allocate("{\"bits\":1}");
    JsonNode entry = oneBit.get("credential_status").get(0);
    long idx = oneBit.get("indexes").get(0).asLong();
    String uri = oneBit.get("uri").asText();
    assertThat(entry.get("id").asText()).isEqualTo(uri + "#" + idx);
    assertThat(entry.get("type").asText()).isEqualTo("BitstringStatusListEntry");
    assertThat(entry.get("statusPurpose").asText()).isEqualTo("revocation");
    assertThat(entry.get("statusListIndex").asText()).isEqualTo(Long.toString(idx));
    assertThat(entry.get("statusListCredential").asText()).isEqualTo(uri);
    assertThat(entry.has("statusSize")).isFalse();

    JsonNode twoBits = allocate("{\"bits\":2}").get("credential_status").get(0);
    assertThat(twoBits.get("statusPurpose").asText()).isEqualTo("message");
    assertThat(twoBits.get("statusSize").asInt()).isEqualTo(2);
    assertThat(twoBits.get("statusMessage")).hasSize(4);
    assertThat(twoBits.get("statusMessage").get(2).get("message").asText()).isEqualTo("suspended");

    // every entry of an answer carries its own index and the whole statusMessage array
    JsonNode eightBits = allocate("{\"bits\":8}");
    for (int i = 0; i < 2; i++) {
      JsonNode e = eightBits.get("credential_status").get(i);
      assertThat(e.get("statusListIndex").asText())
          .isEqualTo(eightBits.get("indexes").get(i).asText());
      assertThat(e.get("statusSize").asInt()).isEqualTo(8);
      assertThat(e.get("statusMessage")).hasSize(256);
      assertThat(e.get("statusMessage").get(255).get("status").asText()).isEqualTo("0xff");
    }

    JsonNode suspension =
        allocate("{\"bits\":2,\"purpose\":\"suspension\"}").get("credential_status").get(0);
    assertThat(suspension.get("statusPurpose").asText()).isEqualTo("suspension");
    assertThat(suspension.has("statusSize")).isFalse();

    HttpResponse<String> oneBitSuspension =
        server.json("POST", "/issuers/acme/lists", acme, "{\"bits\":1,\"purpose\":\"suspension\"}");
    assertThat(oneBitSuspension.statusCode()).isEqualTo(422);
    assertThat(oneBitSuspension.body()).contains("at least 2 bits");
  }

  private static JsonNode allocate(String spec) throws Exception {
    HttpResponse<String> created = server.json("POST", "/issuers/acme/lists", acme, spec);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String list = JSON.readTree(created.body()).get("id").asText();
    HttpResponse<String> r =
        server.json("POST", "/issuers/acme/lists/" + list + "/allocations", acme, "{\"count\":2}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("credential_status")).hasSize(2);
    return body;
  }
}
