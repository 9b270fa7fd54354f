package io.statusreg.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.statusreg.api.testing.IssuerTokens;
import io.statusreg.api.testing.LiveRegistry;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a real single-node KRaft broker, a real registry node and real HTTP: an issuer
 * creates a list, allocates, revokes, suspends and reinstates; a verifier sees each change in the
 * served token, verifies it against the JWKS, gets 304 on a matching ETag, and reads an earlier
 * state with {@code ?time=}.
 */
@Tag("integration")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RegistryApiIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration CHANGE_VISIBLE = Duration.ofSeconds(20);

  @TempDir static Path dir;
  static LiveRegistry live;
  static IssuerTokens tokens;
  static String bearer;
  static HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() {
    live = LiveRegistry.start(dir, "statusreg-api-it", Map.of());
    tokens = live.tokens;
    bearer = tokens.bearer("acme", IssuerTokens.ALL_SCOPES);
  }

  @AfterAll
  static void stop() {
    if (live != null) {
      live.close();
    }
  }

  @Test
  void issuerChangesShowInTheServedTokenWhichVerifiesAgainstTheJwks() throws Exception {
    HttpResponse<String> created =
        send("POST", "/issuers/acme/lists", "{\"bits\":2,\"size\":131072,\"ttl\":60}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String list = JSON.readTree(created.body()).get("id").asText();
    String uri = JSON.readTree(created.body()).get("uri").asText();
    assertThat(uri).isEqualTo("https://status.example/statuslists/acme/" + list);
    HttpResponse<String> first = get("/statuslists/acme/" + list);
    assertThat(first.statusCode())
        .as("the creation answers once its list is served, not 404 to a verifier meanwhile")
        .isEqualTo(200);
    assertThat(Token.parse(first.body()).bits()).isEqualTo(2);

    HttpResponse<String> allocated =
        send("POST", "/issuers/acme/lists/" + list + "/allocations", "{\"count\":3}");
    assertThat(allocated.statusCode()).as(allocated.body()).isEqualTo(201);
    JsonNode indexes = JSON.readTree(allocated.body()).get("indexes");
    long a = indexes.get(0).asLong();
    long b = indexes.get(1).asLong();

    String path = "/statuslists/acme/" + list;
    Token initial = awaitToken(path, t -> t.status(a) == 0 && t.status(b) == 0);
    assertThat(initial.sub).isEqualTo(uri);

    // A second's gap so that ?time= can tell the publications apart.
    Thread.sleep(1_100);
    assertThat(put(list, a, "{\"status\":\"INVALID\",\"reason\":\"key_compromise\"}").statusCode())
        .isEqualTo(202);
    Token revoked = awaitToken(path, t -> t.status(a) == 1);
    assertThat(revoked.iat).isGreaterThan(initial.iat);

    assertThat(put(list, b, "{\"status\":\"SUSPENDED\"}").statusCode()).isEqualTo(202);
    awaitToken(path, t -> t.status(b) == 2 && t.status(a) == 1);
    assertThat(put(list, b, "{\"status\":\"VALID\",\"reason\":\"reinstatement\"}").statusCode())
        .isEqualTo(202);
    Token reinstated = awaitToken(path, t -> t.status(b) == 0);
    assertThat(reinstated.status(a)).isEqualTo(1);
    HttpResponse<String> refused = put(list, a, "{\"status\":\"VALID\"}");
    assertThat(refused.statusCode()).isEqualTo(409);

    HttpResponse<String> entry =
        http.send(
            request("/issuers/acme/lists/" + list + "/entries/" + a)
                .header("Authorization", bearer)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(JSON.readTree(entry.body()).get("status").asText()).isEqualTo("INVALID");
    assertThat(JSON.readTree(entry.body()).get("published").asBoolean()).isTrue();

    // The served token verifies against the public JWKS.
    HttpResponse<String> latest = get(path);
    SignedJWT jwt = SignedJWT.parse(latest.body());
    JWKSet jwks = JWKSet.parse(get("/.well-known/jwks.json").body());
    ECKey key = (ECKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
    assertThat(key).as("kid %s in JWKS", jwt.getHeader().getKeyID()).isNotNull();
    assertThat(jwt.verify(new ECDSAVerifier(key))).isTrue();
    assertThat(jwt.getHeader().getType().getType()).isEqualTo("statuslist+jwt");

    // A W3C verifier finds the key from the VC-JWT alone: its header's iss is the credential's
    // issuer, whose SD-JWT VC issuer metadata (/.well-known/jwt-vc-issuer inserted before the
    // issuer URL's path) names that issuer and holds the key the header's kid names.
    HttpResponse<String> vc =
        http.send(
            request(path).header("Accept", "application/vc+jwt").GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(vc.statusCode()).isEqualTo(200);
    SignedJWT w3c = SignedJWT.parse(vc.body());
    String iss = (String) w3c.getHeader().getCustomParam("iss");
    assertThat(iss).isEqualTo("https://status.example/issuers/acme");
    assertThat(w3c.getPayload().toJSONObject().get("issuer")).isEqualTo(iss);
    HttpResponse<String> metadata =
        get("/.well-known/jwt-vc-issuer" + java.net.URI.create(iss).getPath());
    assertThat(metadata.statusCode()).as(metadata.body()).isEqualTo(200);
    JsonNode meta = JSON.readTree(metadata.body());
    assertThat(meta.get("issuer").asText()).isEqualTo(iss);
    JWK issuerKey =
        JWKSet.parse(JSON.writeValueAsString(meta.get("jwks")))
            .getKeyByKeyId(w3c.getHeader().getKeyID());
    assertThat(issuerKey)
        .as("kid %s in the issuer metadata", w3c.getHeader().getKeyID())
        .isNotNull();
    assertThat(w3c.verify(new ECDSAVerifier((ECKey) issuerKey))).isTrue();

    // 304 on a matching ETag.
    String etag = latest.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> notModified =
        http.send(
            request(path).header("If-None-Match", etag).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(notModified.statusCode()).isEqualTo(304);

    // CWT representation of the same list.
    HttpResponse<byte[]> cwt =
        http.send(
            request(path).header("Accept", "application/statuslist+cwt").GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(cwt.statusCode()).isEqualTo(200);
    assertThat(cwt.headers().firstValue("Content-Type")).hasValue("application/statuslist+cwt");
    assertThat(cwt.body()[0] & 0xff).as("COSE_Sign1 tag 18").isEqualTo(0xd2);

    // ?time= at the first token's issue time shows the state before the revocation.
    HttpResponse<String> then = get(path + "?time=" + initial.iat);
    assertThat(then.statusCode()).as(then.body()).isEqualTo(200);
    Token earlier = Token.parse(then.body());
    assertThat(earlier.status(a)).isEqualTo(0);
    assertThat(get(path + "?time=1000").statusCode()).isEqualTo(404);
  }

  @Test
  void issuerLevelAllocationCreatesAListWhenTheIssuerHasNone() throws Exception {
    String other = tokens.bearer("fresh-issuer", IssuerTokens.ALL_SCOPES);
    HttpResponse<String> r =
        http.send(
            request("/issuers/fresh-issuer/allocations")
                .header("Authorization", other)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"count\":2}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("indexes")).hasSize(2);
    assertThat(body.get("uri").asText())
        .startsWith("https://status.example/statuslists/fresh-issuer/");
    String path = body.get("uri").asText().substring("https://status.example".length());
    HttpResponse<String> token = get(path);
    assertThat(token.statusCode())
        .as("a credential issued with the answer names a URI that already resolves")
        .isEqualTo(200);
    assertThat(Token.parse(token.body()).status(body.get("indexes").get(0).asLong())).isZero();
  }

  @Test
  void identifierListsAreIssuedRevokedAndServedAsIdentifierListCwts() throws Exception {
    HttpResponse<String> created =
        send("POST", "/issuers/acme/identifier-lists", "{\"size\":100000,\"ttl\":60}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode list = JSON.readTree(created.body());
    assertThat(list.get("kind").asText()).isEqualTo("identifier_list");
    String name = list.get("id").asText();
    String uri = list.get("uri").asText();
    String base = "/issuers/acme/identifier-lists/" + name;

    HttpResponse<String> issued = send("POST", base + "/identifiers", "{\"count\":3}");
    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
    JsonNode ids = JSON.readTree(issued.body()).get("identifiers");
    assertThat(ids).hasSize(3);
    byte[][] id = new byte[3][];
    for (int i = 0; i < 3; i++) {
      id[i] = Base64.getUrlDecoder().decode(ids.get(i).get("id").asText());
      assertThat(id[i]).hasSize(16);
      assertThat(ids.get(i).get("status").get("identifier_list").get("uri").asText())
          .isEqualTo(uri);
      assertThat(Base64.getUrlDecoder().decode(ids.get(i).get("status_cbor").asText()))
          .isEqualTo(io.statusreg.registry.identifiers.MsoEntry.identifierList(id[i], uri, null));
    }
    assertThat(id[0]).isNotEqualTo(id[1]);

    String path = "/statuslists/acme/" + name;
    var initial = awaitIdentifierList(path, t -> t.identifiers().isEmpty());
    assertThat(initial.subject()).isEqualTo(uri);
    assertThat(initial.chain()).isNotEmpty();
    // Only the identifier list form exists for this list.
    HttpResponse<String> asJwt =
        http.send(
            request(path).header("Accept", "application/statuslist+jwt").GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(asJwt.statusCode()).isEqualTo(406);
    HttpResponse<byte[]> any =
        http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(any.headers().firstValue("Content-Type")).hasValue("application/identifierlist+cwt");

    Thread.sleep(1_100);
    String one = Base64.getUrlEncoder().withoutPadding().encodeToString(id[1]);
    HttpResponse<String> revoked =
        send(
            "POST",
            base + "/revocations",
            "{\"identifiers\":[\"" + one + "\"],\"reason\":\"key_compromise\"}");
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
    assertThat(JSON.readTree(revoked.body()).get("newly_revoked").asInt()).isEqualTo(1);
    var after = awaitIdentifierList(path, t -> t.contains(id[1]));
    assertThat(after.contains(id[0])).isFalse();
    assertThat(after.contains(id[2])).isFalse();
    assertThat(after.identifiers()).hasSize(1);

    // Permanent and idempotent; forged and malformed identifiers are refused.
    HttpResponse<String> again =
        send("POST", base + "/revocations", "{\"identifiers\":[\"" + one + "\"]}");
    assertThat(JSON.readTree(again.body()).get("newly_revoked").asInt()).isEqualTo(0);
    HttpResponse<String> forged =
        send("POST", base + "/revocations", "{\"identifiers\":[\"AAAAAAAAAAAAAAAAAAAAAA\"]}");
    assertThat(forged.statusCode()).isEqualTo(422);
    assertThat(forged.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(send("POST", base + "/revocations", "{\"identifiers\":[\"short\"]}").statusCode())
        .isEqualTo(422);
    assertThat(put(name, 1, "{\"status\":\"INVALID\"}").statusCode()).isEqualTo(422);

    // The leaf certificate holds the key the JWKS publishes under the token's kid.
    HttpResponse<byte[]> latest =
        http.send(
            request(path).header("Accept", "application/identifierlist+cwt").GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    JWKSet jwks = JWKSet.parse(get("/.well-known/jwks.json").body());
    var token =
        io.statusreg.registry.identifiers.IdentifierListToken.verify(
            latest.body(), null, java.time.Instant.now());
    ECKey key = (ECKey) jwks.getKeyByKeyId(token.kid());
    assertThat(key).isNotNull();
    io.statusreg.registry.identifiers.IdentifierListToken.verify(
        latest.body(), key.toECPublicKey(), java.time.Instant.now());

    // Caching and history as for status lists.
    String etag = latest.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> notModified =
        http.send(
            request(path)
                .header("Accept", "application/identifierlist+cwt")
                .header("If-None-Match", etag)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(latest.headers().firstValue("Cache-Control").orElse("")).contains("max-age=");
    HttpResponse<byte[]> then =
        http.send(
            request(path + "?time=" + initial.issuedAt().getEpochSecond())
                .header("Accept", "application/identifierlist+cwt")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(then.statusCode()).isEqualTo(200);
    var earlier =
        io.statusreg.registry.identifiers.IdentifierListToken.verify(
            then.body(), null, java.time.Instant.now());
    assertThat(earlier.contains(id[1])).isFalse();
  }

  static io.statusreg.registry.identifiers.IdentifierListToken awaitIdentifierList(
      String path, Predicate<io.statusreg.registry.identifiers.IdentifierListToken> condition)
      throws Exception {
    long deadline = System.nanoTime() + CHANGE_VISIBLE.toNanos();
    io.statusreg.registry.identifiers.IdentifierListToken last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<byte[]> r =
          http.send(
              request(path).header("Accept", "application/identifierlist+cwt").GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() == 200) {
        last =
            io.statusreg.registry.identifiers.IdentifierListToken.verify(
                r.body(), null, java.time.Instant.now());
        if (condition.test(last)) {
          return last;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "identifier list at " + path + " did not show the change; last " + last);
  }

  /** A decoded Status List Token. */
  record Token(String sub, long iat, int bits, byte[] packed) {
    int status(long idx) {
      int perByte = 8 / bits;
      int b = packed[(int) (idx / perByte)] & 0xff;
      return (b >> ((idx % perByte) * bits)) & ((1 << bits) - 1);
    }

    static Token parse(String compact) throws Exception {
      SignedJWT jwt = SignedJWT.parse(compact);
      Map<String, Object> sl = jwt.getJWTClaimsSet().getJSONObjectClaim("status_list");
      byte[] compressed = Base64.getUrlDecoder().decode((String) sl.get("lst"));
      Inflater inflater = new Inflater();
      inflater.setInput(compressed);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      while (!inflater.finished()) {
        int n = inflater.inflate(buf);
        if (n == 0 && inflater.needsInput()) {
          throw new IllegalStateException("truncated lst");
        }
        out.write(buf, 0, n);
      }
      inflater.end();
      return new Token(
          jwt.getJWTClaimsSet().getSubject(),
          jwt.getJWTClaimsSet().getIssueTime().toInstant().getEpochSecond(),
          ((Number) sl.get("bits")).intValue(),
          out.toByteArray());
    }
  }

  static Token awaitToken(String path, Predicate<Token> condition) throws Exception {
    long deadline = System.nanoTime() + CHANGE_VISIBLE.toNanos();
    Token last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = get(path);
      if (r.statusCode() == 200) {
        last = Token.parse(r.body());
        if (condition.test(last)) {
          return last;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("token at " + path + " did not show the change; last " + last);
  }

  static HttpResponse<String> put(String list, long idx, String body) throws Exception {
    return send("PUT", "/issuers/acme/lists/" + list + "/entries/" + idx, body);
  }

  static HttpResponse<String> send(String method, String path, String body) throws Exception {
    return http.send(
        request(path)
            .header("Authorization", bearer)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String path) {
    try {
      return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(live.uri(path)).timeout(Duration.ofSeconds(20));
  }
}
