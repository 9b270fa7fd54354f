package io.statusreg.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statusreg.api.testing.FakeDirectory;
import io.statusreg.api.testing.IssuerTokens;
import io.statusreg.api.testing.TestServer;
import io.statusreg.registry.ListId;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's HTTP findings, each reproduced: Jetty's own refusals, non-ASCII digits, non-UTF-8
 * bodies, caller-controlled metric labels, missing security headers, costly history lookups.
 */
class HttpHardeningTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final ListId LIST = ListId.of("acme", "list1");
  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  static TestServer server;
  static String acme;

  @BeforeAll
  static void start() {
    server = new TestServer(Clock.fixed(NOW, ZoneOffset.UTC));
    acme = server.tokens.bearer("acme", IssuerTokens.ALL_SCOPES, NOW);
    Instant now = NOW;
    server.directory.publish(
        FakeDirectory.token(
            LIST, 1, now.minusSeconds(7200), Duration.ofHours(1), Duration.ofMinutes(5), true));
    server.directory.publish(
        FakeDirectory.token(
            LIST, 2, now.minusSeconds(10), Duration.ofHours(1), Duration.ofMinutes(5), true));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static void assertProblem(RawHttp.Reply r, int status) throws Exception {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.headers().get("content-type"))
        .as(r.toString())
        .isEqualTo("application/problem+json");
    assertThat(r.headers().get("x-content-type-options")).isEqualTo("nosniff");
    JsonNode doc = JSON.readTree(r.body());
    assertThat(doc.get("status").asInt()).isEqualTo(status);
    assertThat(doc.get("type").asText()).startsWith("https://statusreg.io/problems/");
    assertThat(r.body()).doesNotContainIgnoringCase("jetty").doesNotContain("<html");
  }

  @Test
  void requestsJettyRefusesBeforeJavalinAreProblemDocuments() throws Exception {
    int port = server.server.port();
    String host = "Host: 127.0.0.1\r\n";
    assertProblem(
        RawHttp.send(port, "GET /statuslists/ac%00me/l HTTP/1.1\r\n" + host + "\r\n"), 400);
    assertProblem(
        RawHttp.send(
            port, "GET /statuslists/acme/" + "a".repeat(10_000) + " HTTP/1.1\r\n" + host + "\r\n"),
        414);
    assertProblem(
        RawHttp.send(
            port,
            "GET /statuslists/acme/list1 HTTP/1.1\r\n"
                + host
                + "X-Big: "
                + "b".repeat(100_000)
                + "\r\n\r\n"),
        431);
    assertProblem(
        RawHttp.send(
            port, "POST /issuers/acme/lists HTTP/1.1\r\n" + host + "Content-Length: 12x\r\n\r\n{}"),
        400);
    assertProblem(
        RawHttp.send(
            port,
            "POST /issuers/acme/lists HTTP/1.1\r\n"
                + host
                + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}"),
        400);
    assertProblem(
        RawHttp.send(
            port,
            "POST /issuers/acme/lists HTTP/1.1\r\n"
                + host
                + "Authorization: "
                + acme
                + "\r\nContent-Type: application/json"
                + "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"),
        400);
    assertProblem(
        RawHttp.send(port, "GET /statuslists/acme/%zz HTTP/1.1\r\n" + host + "\r\n"), 400);
    assertProblem(RawHttp.send(port, "GET /statuslists/acme/list1 HTTP/1.1\r\n\r\n"), 400);
    RawHttp.Reply query =
        RawHttp.send(port, "GET /statuslists/acme/list1?time=%zz HTTP/1.1\r\n" + host + "\r\n");
    assertProblem(query, 400);
    RawHttp.Reply entryQuery =
        RawHttp.send(
            port, "GET /issuers/acme/lists/l/entries/1?a=%zz HTTP/1.1\r\n" + host + "\r\n");
    assertThat(entryQuery.headers().get("content-type")).isEqualTo("application/problem+json");
    assertProblem(RawHttp.send(port, "BREW /issuers/acme/lists HTTP/1.1\r\n" + host + "\r\n"), 501);
    assertProblem(RawHttp.send(port, "BREW /no/such/path HTTP/1.1\r\n" + host + "\r\n"), 501);
    RawHttp.Reply version = RawHttp.send(port, "GET /health/live HTTP/9.9\r\n" + host + "\r\n");
    assertThat(version.status()).isIn(400, 505);
    assertProblem(version, version.status());
  }

  @Test
  void indexSegmentsAndTimesTakeAsciiDigitsOnly() throws Exception {
    // U+0661 ARABIC-INDIC DIGIT ONE, read as 1 by Character.isDigit
    for (String method : new String[] {"GET", "PUT"}) {
      HttpResponse<String> r =
          server.json(
              method, "/issuers/acme/lists/somelist/entries/%D9%A1", acme, "{\"status\":1}");
      assertThat(r.statusCode()).as(method).isEqualTo(400);
      assertThat(r.body()).contains("idx must be");
    }
    HttpResponse<String> t = server.get("/statuslists/acme/list1?time=%D9%A1%D9%A1");
    assertThat(t.statusCode()).isEqualTo(400);
    assertThat(t.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void bodiesMustBeUtf8Json() throws Exception {
    String body = "{\"bits\":1,\"size\":100}";
    for (Charset cs :
        new Charset[] {
          StandardCharsets.UTF_16,
          StandardCharsets.UTF_16BE,
          StandardCharsets.UTF_16LE,
          Charset.forName("UTF-32")
        }) {
      HttpResponse<String> r =
          server.send(
              server
                  .request("/issuers/acme/lists")
                  .header("Authorization", acme)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body.getBytes(cs)))
                  .build());
      assertThat(r.statusCode()).as(cs.name()).isEqualTo(400);
      assertThat(r.body()).contains("UTF-8");
    }
    byte[] bom = ("\uFEFF" + body).getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> withBom =
        server.send(
            server
                .request("/issuers/acme/lists")
                .header("Authorization", acme)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bom))
                .build());
    assertThat(withBom.statusCode()).isEqualTo(400);
    HttpResponse<String> declared =
        server.send(
            server
                .request("/issuers/acme/lists")
                .header("Authorization", acme)
                .header("Content-Type", "application/json; charset=utf-16")
                .POST(
                    HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.UTF_16)))
                .build());
    assertThat(declared.statusCode()).isEqualTo(415);
    HttpResponse<String> utf8 =
        server.send(
            server
                .request("/issuers/acme/lists")
                .header("Authorization", acme)
                .header("Content-Type", "application/json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    assertThat(utf8.statusCode()).isEqualTo(201);
  }

  @Test
  void metricLabelsComeFromClosedSetsWhateverTheCallerSends() throws Exception {
    int port = server.server.port();
    for (int i = 0; i < 40; i++) {
      RawHttp.send(
          port,
          "MADEUP" + i + " /nowhere/" + i + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      RawHttp.send(
          port, "GET /made/up/path/" + i + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      RawHttp.send(
          port,
          "BREW" + i + " /statuslists/acme/list1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    }
    String scrape = server.get("/metrics").body();
    assertThat(scrape).doesNotContain("MADEUP").doesNotContain("BREW").doesNotContain("/made/up");
    assertThat(scrape).contains("method=\"other\"").contains("route=\"unmatched\"");
    Matcher series =
        Pattern.compile("(?m)^statusreg_http_requests_seconds_count\\{").matcher(scrape);
    int count = 0;
    while (series.find()) {
      count++;
    }
    assertThat(count).as("request series").isLessThan(30);
    for (String line : scrape.split("\n")) {
      if (line.startsWith("statusreg_http_requests_seconds_count{")) {
        Matcher route = Pattern.compile("route=\"([^\"]*)\"").matcher(line);
        assertThat(route.find()).isTrue();
        String value = route.group(1);
        assertThat(value.equals(Route.UNMATCHED) || Route.label(value).equals(value))
            .as(line)
            .isTrue();
      }
    }
  }

  @Test
  void everyResponseSaysNosniffAndIssuerResponsesAreNeverStored() throws Exception {
    String[] publicPaths = {
      "/statuslists/acme/list1",
      "/statuslists/acme/missing",
      "/statuslists/acme",
      "/.well-known/jwks.json",
      "/health/live",
      "/metrics",
      "/openapi.json",
      "/no/such/path"
    };
    for (String path : publicPaths) {
      HttpResponse<String> r = server.get(path);
      assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
      if (r.statusCode() >= 400) {
        assertThat(r.headers().allValues("Cache-Control")).as(path).containsExactly("no-store");
      }
    }
    assertThat(server.get("/statuslists/acme/missing").statusCode()).isEqualTo(404);
    HttpResponse<String> unauthorised = server.json("POST", "/issuers/acme/lists", null, "{}");
    HttpResponse<String> created =
        server.json("POST", "/issuers/acme/lists", acme, "{\"bits\":1,\"size\":100}");
    HttpResponse<String> missing = server.get("/issuers/acme/nothing/here", "Authorization", acme);
    assertThat(created.statusCode()).isEqualTo(201);
    for (HttpResponse<String> r : java.util.List.of(unauthorised, created, missing)) {
      assertThat(r.headers().firstValue("X-Content-Type-Options"))
          .as(r.uri().toString())
          .hasValue("nosniff");
      assertThat(r.headers().allValues("Cache-Control"))
          .as(r.uri().toString())
          .containsExactly("no-store");
    }
    RawHttp.Reply jetty =
        RawHttp.send(
            server.server.port(),
            "GET /issuers/" + "i".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(jetty.headers().get("cache-control")).isEqualTo("no-store");
  }

  @Test
  void aHistoryLookupPreparesEachPastPublicationOnce() {
    long before = server.server.cache().historyPrepared();
    String old = "/statuslists/acme/list1?time=" + NOW.minusSeconds(7000).getEpochSecond();
    HttpResponse<String> first = server.get(old);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).startsWith("tok-list1-v1-jwt");
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> again = server.get(old);
      assertThat(again.body()).isEqualTo(first.body());
      assertThat(again.headers().firstValue("ETag")).isEqualTo(first.headers().firstValue("ETag"));
    }
    assertThat(server.server.cache().historyPrepared()).isEqualTo(before + 1);
    assertThat(server.server.cache().historyCached()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void headAndHistoryAreAnsweredByTheSameImplementationAsTheFastPath() {
    HttpResponse<String> get = server.get("/statuslists/acme/list1");
    HttpResponse<String> head =
        server.send(
            server
                .request("/statuslists/acme/list1")
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    for (String h :
        new String[] {"Content-Type", "ETag", "Content-Length", "Vary", "X-Content-Type-Options"}) {
      assertThat(head.headers().firstValue(h)).as(h).isEqualTo(get.headers().firstValue(h));
    }
    HttpResponse<String> twice = server.get("/statuslists/acme/list1?time=1&time=2");
    assertThat(twice.statusCode()).isEqualTo(400);
    assertThat(server.get("/statuslists/acme/nope?time=1").statusCode()).isEqualTo(404);
    assertThat(server.get("/statuslists/acme/list1?time=1").statusCode()).isEqualTo(404);
    assertThat(server.get("/statuslists/acme/list1?time=1").body())
        .contains("token-not-in-history");
  }

  @Test
  void theSlowConnectionSweeperSeesEveryParserState() {
    java.util.Set<String> idle = new java.util.TreeSet<>();
    for (org.eclipse.jetty.http.HttpParser.State s :
        org.eclipse.jetty.http.HttpParser.State.values()) {
      if (ReadDeadlines.phaseOf(s) == ReadDeadlines.Phase.IDLE) {
        idle.add(s.name());
      }
    }
    // Only states between requests (and a response parser's) escape both deadlines.
    assertThat(idle)
        .containsExactlyInAnyOrder(
            "START",
            "CONTENT_END",
            "END",
            "CLOSE",
            "CLOSED",
            "RESPONSE_VERSION",
            "STATUS",
            "REASON");
    assertThat(ReadDeadlines.phaseOf(org.eclipse.jetty.http.HttpParser.State.HEADER))
        .isEqualTo(ReadDeadlines.Phase.HEADERS);
    assertThat(ReadDeadlines.phaseOf(org.eclipse.jetty.http.HttpParser.State.CONTENT))
        .isEqualTo(ReadDeadlines.Phase.BODY);
    assertThat(ReadDeadlines.phaseOf(org.eclipse.jetty.http.HttpParser.State.START))
        .isEqualTo(ReadDeadlines.Phase.IDLE);
  }
}
