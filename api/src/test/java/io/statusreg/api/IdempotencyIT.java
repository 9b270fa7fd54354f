package io.statusreg.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statusreg.api.testing.IssuerTokens;
import io.statusreg.api.testing.LiveRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idempotency keys end to end on a real KRaft broker, a real registry node and real HTTP, with two
 * issuers whose lists share the one commands partition (so one owner, one reply store, sees every
 * command): a key reused across lists, kinds of request and issuers never returns another request's
 * reply, a key reused for another body is refused with nothing applied, and a retry gets the first
 * reply (a retried creation the same list). These are the owner's behaviours: the API's unit tests
 * run on {@code FakeGateway}, which imitates them, and check only the commands the API sends.
 */
@Tag("integration")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class IdempotencyIT {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static LiveRegistry live;
  static IssuerTokens tokens;
  static String acme;
  static String globex;
  static HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() {
    live =
        LiveRegistry.start(
            dir,
            "statusreg-idempotency-it",
            Map.of(
                // every list of both issuers on one commands partition
                "events.partitions", "1",
                "lists.default.size", "1000"));
    tokens = live.tokens;
    acme = tokens.bearer("acme", IssuerTokens.ALL_SCOPES);
    globex = tokens.bearer("globex", IssuerTokens.ALL_SCOPES);
  }

  @AfterAll
  static void stop() {
    if (live != null) {
      live.close();
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse<String> send(
      String method, String path, String bearer, UUID key, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(live.uri(path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (bearer != null) {
      b.header("Authorization", bearer);
    }
    if (key != null) {
      b.header("Idempotency-Key", key.toString());
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException("sending " + method + " " + path, e);
    }
  }

  static JsonNode json(HttpResponse<String> r) {
    try {
      return JSON.readTree(r.body());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }

  static String createList(String bearer, String issuer) {
    HttpResponse<String> r =
        send("POST", "/issuers/" + issuer + "/lists", bearer, null, "{\"bits\":2,\"size\":1000}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r).get("id").asText();
  }

  static long allocate(String bearer, String issuer, String list) {
    HttpResponse<String> r =
        send("POST", "/issuers/" + issuer + "/lists/" + list + "/allocations", bearer, null, "{}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r).get("indexes").get(0).asLong();
  }

  static String status(String bearer, String issuer, String list, long idx) {
    HttpResponse<String> r =
        send(
            "GET", "/issuers/" + issuer + "/lists/" + list + "/entries/" + idx, bearer, null, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).get("status").asText();
  }

  static void assertProblem(HttpResponse<String> r, int status, String slug) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(json(r).get("type").asText()).isEqualTo("https://statusreg.io/problems/" + slug);
  }

  @Test
  void oneKeyAcrossListsKindsAndIssuersOnOnePartitionNeverCrossesOver() {
    String mine = createList(acme, "acme");
    String theirs = createList(globex, "globex");
    long a = allocate(acme, "acme", mine);
    long g = allocate(globex, "globex", theirs);
    UUID key = UUID.randomUUID();

    HttpResponse<String> suspend =
        send(
            "PUT",
            "/issuers/acme/lists/" + mine + "/entries/" + a,
            acme,
            key,
            "{\"status\":\"SUSPENDED\"}");
    assertThat(suspend.statusCode()).as(suspend.body()).isEqualTo(202);

    // Another issuer, same key: its own revocation is applied, not answered with acme's reply.
    HttpResponse<String> revoke =
        send(
            "PUT",
            "/issuers/globex/lists/" + theirs + "/entries/" + g,
            globex,
            key,
            "{\"status\":\"INVALID\",\"reason\":\"key_compromise\"}");
    assertThat(revoke.statusCode()).as(revoke.body()).isEqualTo(202);
    assertThat(json(revoke).get("event_ids")).isNotEqualTo(json(suspend).get("event_ids"));
    assertThat(status(globex, "globex", theirs, g)).isEqualTo("INVALID");

    // Same issuer, same key, another kind of request: decided on its own, never a 503.
    HttpResponse<String> allocation =
        send("POST", "/issuers/acme/lists/" + mine + "/allocations", acme, key, "{\"count\":2}");
    assertThat(allocation.statusCode()).as(allocation.body()).isEqualTo(201);
    assertThat(json(allocation).get("indexes")).hasSize(2);
    assertThat(json(allocation).get("list").asText()).isEqualTo(mine);

    // Same route, same key, another body: refused, nothing applied.
    assertProblem(
        send(
            "PUT",
            "/issuers/acme/lists/" + mine + "/entries/" + a,
            acme,
            key,
            "{\"status\":\"INVALID\"}"),
        422,
        "idempotency-key-reused");
    assertThat(status(acme, "acme", mine, a)).isEqualTo("SUSPENDED");

    // Same route, same key, same body: the first reply.
    HttpResponse<String> retry =
        send(
            "PUT",
            "/issuers/acme/lists/" + mine + "/entries/" + a,
            acme,
            key,
            "{\"status\":\"SUSPENDED\"}");
    assertThat(retry.statusCode()).isEqualTo(202);
    assertThat(json(retry).get("event_ids")).isEqualTo(json(suspend).get("event_ids"));
  }

  @Test
  void anAllocationKeyReusedByAnotherIssuerNeverHandsOutTheFirstIssuersIndexes() {
    String mine = createList(acme, "acme");
    String theirs = createList(globex, "globex");
    UUID key = UUID.randomUUID();

    HttpResponse<String> first =
        send(
            "POST",
            "/issuers/globex/lists/" + theirs + "/allocations",
            globex,
            key,
            "{\"count\":5}");
    HttpResponse<String> second =
        send("POST", "/issuers/acme/lists/" + mine + "/allocations", acme, key, "{\"count\":5}");

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(second.statusCode()).as(second.body()).isEqualTo(201);
    assertThat(json(second).get("uri").asText()).contains("/statuslists/acme/" + mine);
    assertThat(json(second).get("list").asText()).isEqualTo(mine);
    // Every index handed to acme is allocated on acme's list (not an echo of globex's reply).
    for (JsonNode idx : json(second).get("indexes")) {
      HttpResponse<String> entry =
          send("GET", "/issuers/acme/lists/" + mine + "/entries/" + idx.asLong(), acme, null, null);
      assertThat(json(entry).get("allocated").asBoolean()).as("index %s", idx).isTrue();
    }
    HttpResponse<String> again =
        send("POST", "/issuers/acme/lists/" + mine + "/allocations", acme, key, "{\"count\":5}");
    assertThat(json(again).get("indexes")).isEqualTo(json(second).get("indexes"));
  }

  @Test
  void aRetriedIssuerLevelAllocationCreatesOneListAndGetsTheSameIndexes() {
    UUID key = UUID.randomUUID();
    // Initech has no list: the first allocation creates one.
    String initech = tokens.bearer("initech", IssuerTokens.ALL_SCOPES);

    HttpResponse<String> first =
        send("POST", "/issuers/initech/allocations", initech, key, "{\"count\":3}");
    HttpResponse<String> retry =
        send("POST", "/issuers/initech/allocations", initech, key, "{\"count\":3}");

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
    assertThat(json(retry).get("uri")).isEqualTo(json(first).get("uri"));
    assertThat(json(retry).get("indexes")).isEqualTo(json(first).get("indexes"));
    assertProblem(
        send("POST", "/issuers/initech/allocations", initech, key, "{\"count\":4}"),
        422,
        "idempotency-key-reused");
    // Once published, the issuer has exactly one list.
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode lists;
    do {
      sleep(200);
      lists = json(send("GET", "/statuslists/initech", null, null, null)).get("status_lists");
    } while (lists.isEmpty() && System.nanoTime() < deadline);
    sleep(1_000); // a second list, had one been created, would be published by now too
    lists = json(send("GET", "/statuslists/initech", null, null, null)).get("status_lists");
    assertThat(lists).hasSize(1);
    assertThat(lists.get(0).asText()).endsWith("/" + json(first).get("list").asText());
  }

  @Test
  void aRetriedCreationWithItsKeyGetsTheSameListAndAnotherBodyIsRefused() {
    for (String lists : java.util.List.of("lists", "identifier-lists")) {
      UUID key = UUID.randomUUID();
      String path = "/issuers/acme/" + lists;

      HttpResponse<String> first = send("POST", path, acme, key, "{\"size\":500}");
      HttpResponse<String> retry = send("POST", path, acme, key, "{\"size\":500}");

      assertThat(first.statusCode()).as(lists + ": " + first.body()).isEqualTo(201);
      assertThat(retry.statusCode()).as(lists + ": " + retry.body()).isEqualTo(201);
      assertThat(json(retry).get("id")).as(lists).isEqualTo(json(first).get("id"));
      assertProblem(send("POST", path, acme, key, "{\"size\":600}"), 422, "idempotency-key-reused");
    }
  }

  @Test
  void readingAnIndexOutsideTheListIs422NotUnavailable() {
    String mine = createList(acme, "acme");

    assertProblem(
        send("GET", "/issuers/acme/lists/" + mine + "/entries/1000", acme, null, null),
        422,
        "unprocessable");
  }
}
