package io.statusreg.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statusreg.api.testing.IssuerTokens;
import io.statusreg.api.testing.LiveRegistry;
import io.statusreg.registry.identifiers.IdentifierListBound;
import io.statusreg.registry.identifiers.IdentifierListToken;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * Identifier lists against the record limit, on a real single-node KRaft broker, a real registry
 * node and real HTTP, with {@code record.max.bytes} at its smallest (1 MiB: topics' {@code
 * max.message.bytes} and the producers' {@code max.request.size}). The largest list the bound
 * allows, every identifier revoked, is published and served; one identifier more is refused.
 */
@Tag("integration")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class IdentifierListBoundIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int RECORD_MAX_BYTES = 1 << 20;

  @TempDir static Path dir;
  static LiveRegistry live;
  static String bearer;
  static HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() {
    live =
        LiveRegistry.start(
            dir,
            "statusreg-idl-bound-it",
            Map.of(
                "record.max.bytes",
                Integer.toString(RECORD_MAX_BYTES),
                "lists.default.size",
                "100",
                // The test is about sizes: one request may wait longer than the default 10 s on a
                // loaded machine.
                "command.timeout.ms",
                "60000"));
    bearer = live.tokens.bearer("acme", IssuerTokens.ALL_SCOPES);
  }

  @AfterAll
  static void stop() {
    if (live != null) {
      live.close();
    }
  }

  @Test
  void theLargestListAllowedIsPublishedWithEveryIdentifierRevokedAndOneMoreIsRefused()
      throws Exception {
    long max = IdentifierListBound.maxIdentifiers(RECORD_MAX_BYTES);
    HttpResponse<String> tooLarge =
        send("POST", "/issuers/acme/identifier-lists", "{\"size\":" + (max + 1) + "}", null);
    assertThat(tooLarge.statusCode()).as(tooLarge.body()).isEqualTo(422);
    assertThat(JSON.readTree(tooLarge.body()).get("detail").asText())
        .contains("at most " + max + " identifiers", "record.max.bytes");

    HttpResponse<String> created =
        send("POST", "/issuers/acme/identifier-lists", "{\"size\":" + max + ",\"ttl\":60}", null);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String name = JSON.readTree(created.body()).get("id").asText();
    String base = "/issuers/acme/identifier-lists/" + name;

    List<String> ids = new ArrayList<>();
    while (ids.size() < max) {
      int count = (int) Math.min(1000, max - ids.size());
      HttpResponse<String> issued =
          send("POST", base + "/identifiers", "{\"count\":" + count + "}", null);
      assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
      JSON.readTree(issued.body()).get("identifiers").forEach(e -> ids.add(e.get("id").asText()));
    }
    HttpResponse<String> oneMore = send("POST", base + "/identifiers", "{\"count\":1}", null);
    assertThat(oneMore.statusCode()).as(oneMore.body()).isEqualTo(409);
    JsonNode full = JSON.readTree(oneMore.body());
    assertThat(full.get("type").asText()).endsWith("/list-full");
    assertThat(full.get("detail").asText())
        .contains("has 0 identifiers left", "at most " + max + " identifiers");

    for (int from = 0; from < ids.size(); from += 1000) {
      List<String> batch = ids.subList(from, Math.min(ids.size(), from + 1000));
      HttpResponse<String> revoked =
          send(
              "POST",
              base + "/revocations",
              JSON.writeValueAsString(Map.of("identifiers", batch, "reason", "key_compromise")),
              null);
      assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
    }

    // Published (the record fits the broker's limit) and served, with every identifier.
    IdentifierListToken token =
        awaitIdentifierList("/statuslists/acme/" + name, t -> t.identifiers().size() == max);
    byte[] first = java.util.Base64.getUrlDecoder().decode(ids.getFirst());
    byte[] last = java.util.Base64.getUrlDecoder().decode(ids.getLast());
    assertThat(token.contains(first)).isTrue();
    assertThat(token.contains(last)).isTrue();
  }

  @Test
  void issuerLevelIdentifiersOpenANewListWhenTheCurrentOneIsFull() throws Exception {
    UUID key = UUID.randomUUID();
    // Lists of this registry default to 100 identifiers.
    JsonNode first = issueAny(60, null);
    JsonNode second = issueAny(60, key);
    assertThat(second.get("list")).isNotEqualTo(first.get("list"));
    JsonNode retry = issueAny(60, key);
    assertThat(retry.get("list")).isEqualTo(second.get("list"));
    assertThat(retry.get("identifiers")).isEqualTo(second.get("identifiers"));
    JsonNode third = issueAny(40, null);
    assertThat(third.get("list")).isIn(first.get("list"), second.get("list"));

    // The identifiers are the new list's: revoking one shows in its token.
    String list = second.get("list").asText();
    String id = second.get("identifiers").get(0).get("id").asText();
    HttpResponse<String> revoked =
        send(
            "POST",
            "/issuers/issuer-level/identifier-lists/" + list + "/revocations",
            "{\"identifiers\":[\"" + id + "\"]}",
            null,
            "issuer-level");
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
    awaitIdentifierList(
        "/statuslists/issuer-level/" + list,
        t -> t.contains(java.util.Base64.getUrlDecoder().decode(id)));
  }

  static JsonNode issueAny(int count, UUID key) throws Exception {
    HttpResponse<String> r =
        send(
            "POST",
            "/issuers/issuer-level/identifiers",
            "{\"count\":" + count + "}",
            key,
            "issuer-level");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("identifiers")).hasSize(count);
    return body;
  }

  static IdentifierListToken awaitIdentifierList(
      String path, java.util.function.Predicate<IdentifierListToken> condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    IdentifierListToken last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<byte[]> r =
          http.send(
              HttpRequest.newBuilder(live.uri(path))
                  .timeout(Duration.ofSeconds(20))
                  .header("Accept", IdentifierListToken.MEDIA_TYPE)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() == 200) {
        last = IdentifierListToken.verify(r.body(), null, Instant.now());
        if (condition.test(last)) {
          return last;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "identifier list at "
            + path
            + " did not show the change; last had "
            + (last == null ? "no token" : last.identifiers().size() + " identifiers"));
  }

  static HttpResponse<String> send(String method, String path, String body, UUID key)
      throws Exception {
    return send(method, path, body, key, "acme");
  }

  static HttpResponse<String> send(String method, String path, String body, UUID key, String issuer)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(live.uri(path))
            .timeout(Duration.ofSeconds(30))
            .header(
                "Authorization",
                issuer.equals("acme")
                    ? bearer
                    : live.tokens.bearer(issuer, IssuerTokens.ALL_SCOPES))
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header("Idempotency-Key", key.toString());
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
