package io.statusreg.api.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statusreg.api.testing.FakeDirectory;
import io.statusreg.api.testing.TestServer;
import io.statusreg.registry.ListId;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VerifierRoutesTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final ListId LIST = ListId.of("acme", "list1");
  static final ListId SHORT = ListId.of("acme", "short");
  static final ListId NO_W3C = ListId.of("acme", "now3c");
  static TestServer server;

  @BeforeAll
  static void start() {
    server = new TestServer(Clock.fixed(NOW, ZoneOffset.UTC));
    // An old publication, then the latest.
    server.directory.publish(
        FakeDirectory.token(
            LIST, 1, NOW.minusSeconds(7200), Duration.ofHours(1), Duration.ofMinutes(5), true));
    server.directory.publish(
        FakeDirectory.token(
            LIST, 2, NOW.minusSeconds(10), Duration.ofHours(1), Duration.ofMinutes(5), true));
    server.directory.publish(
        FakeDirectory.token(
            SHORT, 1, NOW.minusSeconds(10), Duration.ofSeconds(100), Duration.ofMinutes(5), true));
    server.directory.publish(
        FakeDirectory.token(
            NO_W3C, 1, NOW.minusSeconds(10), Duration.ofHours(1), Duration.ofMinutes(5), false));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void servesTheLatestJwtWhenAcceptIsMissingOrAnything() {
    for (String[] headers : new String[][] {{}, {"Accept", "*/*"}, {"Accept", "application/*"}}) {
      HttpResponse<String> r = server.get("/statuslists/acme/list1", headers);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/statuslist+jwt");
      assertThat(r.body()).startsWith("tok-list1-v2-jwt");
    }
  }

  @Test
  void contentTypeFollowsTheAcceptedRepresentation() {
    HttpResponse<String> cwt =
        server.get("/statuslists/acme/list1", "Accept", "application/statuslist+cwt");
    assertThat(cwt.headers().firstValue("Content-Type")).hasValue("application/statuslist+cwt");
    assertThat(cwt.body()).startsWith("tok-list1-v2-cwt");
    HttpResponse<String> w3c =
        server.get("/statuslists/acme/list1", "Accept", "application/vc+jwt");
    assertThat(w3c.headers().firstValue("Content-Type")).hasValue("application/vc+jwt");
    assertThat(w3c.body()).startsWith("tok-list1-v2-w3c");
  }

  @Test
  void qValuesChooseTheRepresentation() {
    HttpResponse<String> r =
        server.get(
            "/statuslists/acme/list1",
            "Accept",
            "application/statuslist+jwt;q=0.5, application/statuslist+cwt;q=0.9, */*;q=0.1");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/statuslist+cwt");
    HttpResponse<String> refusesJwt =
        server.get(
            "/statuslists/acme/list1", "Accept", "application/statuslist+jwt;q=0, */*;q=0.2");
    assertThat(refusesJwt.headers().firstValue("Content-Type"))
        .hasValue("application/statuslist+cwt");
  }

  @Test
  void unsupportedAcceptIs406ProblemListingTheTypes() {
    HttpResponse<String> r = server.get("/statuslists/acme/list1", "Accept", "text/html");
    assertThat(r.statusCode()).isEqualTo(406);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(r.body())
        .contains("https://statusreg.io/problems/not-acceptable")
        .contains("application/statuslist+jwt")
        .contains("application/statuslist+cwt")
        .contains("application/vc+jwt");
    HttpResponse<String> noW3c =
        server.get("/statuslists/acme/now3c", "Accept", "application/vc+jwt");
    assertThat(noW3c.statusCode()).isEqualTo(406);
    assertThat(noW3c.body()).doesNotContain("vc+jwt");
    // Error responses of the public routes are readable cross-origin too.
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
  }

  @Test
  void etagsDifferPerRepresentationAndMatchingIfNoneMatchGives304() {
    HttpResponse<String> jwt = server.get("/statuslists/acme/list1");
    HttpResponse<String> cwt =
        server.get("/statuslists/acme/list1", "Accept", "application/statuslist+cwt");
    String etag = jwt.headers().firstValue("ETag").orElseThrow();
    assertThat(etag).startsWith("\"").endsWith("\"").doesNotStartWith("W/");
    assertThat(cwt.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag);

    HttpResponse<String> notModified = server.get("/statuslists/acme/list1", "If-None-Match", etag);
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.body()).isEmpty();
    assertThat(notModified.headers().firstValue("ETag")).hasValue(etag);
    assertThat(notModified.headers().firstValue("Cache-Control")).isPresent();

    HttpResponse<String> otherRepresentation =
        server.get(
            "/statuslists/acme/list1",
            "If-None-Match",
            etag,
            "Accept",
            "application/statuslist+cwt");
    assertThat(otherRepresentation.statusCode()).isEqualTo(200);
    HttpResponse<String> stale =
        server.get("/statuslists/acme/list1", "If-None-Match", "\"v1-jwt-0000\"");
    assertThat(stale.statusCode()).isEqualTo(200);
  }

  @Test
  void cacheControlNeverExceedsTtlNorTimeLeftToExp() {
    HttpResponse<String> r = server.get("/statuslists/acme/list1");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
    HttpResponse<String> shortLived = server.get("/statuslists/acme/short");
    // exp = iat + 100 s, iat = now - 10 s: 90 s left, below the 300 s ttl.
    assertThat(shortLived.headers().firstValue("Cache-Control")).hasValue("public, max-age=90");
    assertThat(r.headers().firstValue("Last-Modified")).hasValue("Sun, 01 Mar 2026 11:59:50 GMT");
    assertThat(r.headers().firstValue("Vary")).hasValue("Accept, Accept-Encoding");
  }

  @Test
  void gzipWhenAcceptEncodingAllowsIt() throws Exception {
    HttpResponse<byte[]> r =
        server.sendBytes(
            server
                .request("/statuslists/acme/list1")
                .header("Accept-Encoding", "gzip, deflate")
                .GET()
                .build());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
    byte[] plain = new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes();
    assertThat(new String(plain, StandardCharsets.UTF_8)).startsWith("tok-list1-v2-jwt");
    String gzEtag = r.headers().firstValue("ETag").orElseThrow();
    assertThat(gzEtag)
        .isNotEqualTo(
            server.get("/statuslists/acme/list1").headers().firstValue("ETag").orElseThrow());

    HttpResponse<byte[]> refused =
        server.sendBytes(
            server
                .request("/statuslists/acme/list1")
                .header("Accept-Encoding", "gzip;q=0, identity")
                .GET()
                .build());
    assertThat(refused.headers().firstValue("Content-Encoding")).isEmpty();
  }

  @Test
  void anyOriginMayFetchTokens() {
    HttpResponse<String> r =
        server.get("/statuslists/acme/list1", "Origin", "https://verifier.example");
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(r.headers().firstValue("Access-Control-Expose-Headers").orElse("")).contains("ETag");
    HttpResponse<String> preflight =
        server.send(
            server
                .request("/statuslists/acme/list1")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://verifier.example")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "if-none-match")
                .build());
    assertThat(preflight.statusCode()).isEqualTo(204);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse(""))
        .contains("GET");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(""))
        .contains("If-None-Match");
  }

  @Test
  void timeSelectsTheTokenValidThen() {
    long earlier = NOW.minusSeconds(7000).getEpochSecond();
    HttpResponse<String> r = server.get("/statuslists/acme/list1?time=" + earlier);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("tok-list1-v1-jwt");
    HttpResponse<String> now = server.get("/statuslists/acme/list1?time=" + NOW.getEpochSecond());
    assertThat(now.body()).startsWith("tok-list1-v2-jwt");
  }

  @Test
  void timeOutsideHistoryIs404AndMalformedTimeIs400() {
    HttpResponse<String> before = server.get("/statuslists/acme/list1?time=1000");
    assertThat(before.statusCode()).isEqualTo(404);
    assertThat(before.body()).contains("token-not-in-history");
    for (String bad : new String[] {"abc", "-5", "1.5", "", "99999999999999999999"}) {
      HttpResponse<String> r = server.get("/statuslists/acme/list1?time=" + bad);
      assertThat(r.statusCode()).as("time=%s", bad).isEqualTo(400);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
  }

  @Test
  void unknownListIs404AndMalformedIdsAre400() {
    HttpResponse<String> missing = server.get("/statuslists/acme/nope");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(missing.body()).contains("list-not-found");
    HttpResponse<String> bad = server.get("/statuslists/ACME!/list1");
    assertThat(bad.statusCode()).isEqualTo(400);
  }

  @Test
  void aNewPublicationReplacesTheCachedOne() {
    ListId list = ListId.of("acme", "fresh");
    server.directory.publish(
        FakeDirectory.token(
            list, 1, NOW.minusSeconds(5), Duration.ofHours(1), Duration.ofMinutes(5), true));
    assertThat(server.get("/statuslists/acme/fresh").body()).startsWith("tok-fresh-v1");
    server.directory.publish(
        FakeDirectory.token(
            list, 2, NOW.minusSeconds(1), Duration.ofHours(1), Duration.ofMinutes(5), true));
    assertThat(server.get("/statuslists/acme/fresh").body()).startsWith("tok-fresh-v2");
  }

  @Test
  void issuerListsAreScopedToTheIssuer() {
    server.directory.publish(
        FakeDirectory.token(
            ListId.of("other", "theirs"),
            1,
            NOW,
            Duration.ofHours(1),
            Duration.ofMinutes(5),
            true));
    HttpResponse<String> r = server.get("/statuslists/acme");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    assertThat(r.body())
        .startsWith("{\"status_lists\":[")
        .contains("http://localhost:8080/statuslists/acme/list1")
        .doesNotContain("theirs");
  }

  @Test
  void issuerListsNameStatusListsAndIdentifierListsApart() throws Exception {
    server.directory.publish(
        FakeDirectory.token(
            ListId.of("globex", "sl"), 1, NOW, Duration.ofHours(1), Duration.ofMinutes(5), true));
    server.directory.publish(
        FakeDirectory.identifierList(
            ListId.of("globex", "idl"), 1, NOW, Duration.ofHours(1), Duration.ofMinutes(5)));
    HttpResponse<String> r = server.get("/statuslists/globex");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = new ObjectMapper().readTree(r.body());
    assertThat(body.get("status_lists").toString())
        .isEqualTo("[\"http://localhost:8080/statuslists/globex/sl\"]");
    assertThat(body.get("identifier_lists").toString())
        .isEqualTo("[\"http://localhost:8080/statuslists/globex/idl\"]");

    // An issuer with status lists only answers the draft's format alone.
    JsonNode acme = new ObjectMapper().readTree(server.get("/statuslists/acme").body());
    assertThat(acme.has("status_lists")).isTrue();
    assertThat(acme.has("identifier_lists")).isFalse();
  }

  @Test
  void theJettyFastPathAndTheJavalinRouteAnswerTheSame() {
    long before = server.server.fastPathServed();
    String[] headers = {"Accept", "application/statuslist+cwt", "Accept-Encoding", "gzip"};
    HttpResponse<String> fast = server.get("/statuslists/acme/list1", headers);
    assertThat(server.server.fastPathServed()).isEqualTo(before + 1);
    // ?time= always goes through the Javalin route; at NOW it selects the same latest token.
    HttpResponse<String> routed =
        server.get("/statuslists/acme/list1?time=" + NOW.getEpochSecond(), headers);
    assertThat(server.server.fastPathServed()).isEqualTo(before + 1);
    assertThat(routed.statusCode()).isEqualTo(fast.statusCode()).isEqualTo(200);
    assertThat(routed.body()).isEqualTo(fast.body());
    for (String h :
        new String[] {
          "Content-Type",
          "ETag",
          "Cache-Control",
          "Last-Modified",
          "Vary",
          "Content-Encoding",
          "Access-Control-Allow-Origin",
          "Access-Control-Expose-Headers"
        }) {
      assertThat(routed.headers().firstValue(h)).as(h).isEqualTo(fast.headers().firstValue(h));
    }
  }

  @Test
  void onlyTheExactTokenPathIsAnsweredByTheFastPathAndTheRestStillReachesJavalin() {
    long before = server.server.fastPathServed();
    for (String path : new String[] {"/statuslists/acme/list1/x", "/statuslists//acme/list1"}) {
      HttpResponse<String> r = server.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(r.headers().firstValue("Content-Type"))
          .as(path)
          .hasValue("application/problem+json");
    }
    // Javalin ignores a trailing slash; the fast path leaves such requests to it.
    assertThat(server.get("/statuslists/acme/list1/").statusCode()).isEqualTo(200);
    HttpResponse<String> lists = server.get("/statuslists/acme");
    assertThat(lists.statusCode()).isEqualTo(200);
    HttpResponse<String> head =
        server.send(
            server
                .request("/statuslists/acme/list1")
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(server.server.fastPathServed()).isEqualTo(before);
    HttpResponse<byte[]> fast =
        server.sendBytes(
            server.request("/statuslists/acme/list1").header("Accept-Encoding", "gzip").build());
    assertThat(fast.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(fast.headers().firstValueAsLong("Content-Length"))
        .hasValue((long) fast.body().length);
    assertThat(server.server.fastPathServed()).isEqualTo(before + 1);
  }

  @Test
  void jwksIsServed() {
    HttpResponse<String> r = server.get("/.well-known/jwks.json");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"kid\":\"k1\"");
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
  }
}
