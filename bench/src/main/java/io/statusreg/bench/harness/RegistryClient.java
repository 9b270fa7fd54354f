package io.statusreg.bench.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.StatusListEncoding;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * The issuer and verifier HTTP API as the benchmarks use it: create a list, allocate indexes,
 * change statuses one at a time or in bulk, fetch a list's token and decode its bits.
 */
public final class RegistryClient {
  public static final String ISSUER = "demo";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final String base;
  private final String bearer;

  public RegistryClient(String baseUrl, String token) {
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    this.base = baseUrl;
    this.bearer = "Bearer " + token;
  }

  /** A change of one entry. */
  public record Change(long idx, String status) {}

  /** A fetched token: its bytes, ETag and decoded list. */
  public record Token(byte[] body, String etag, StatusList list) {}

  /** Creates a list; returns its name. */
  public String createList(int bits, long size) throws IOException {
    ObjectNode body = JSON.createObjectNode().put("bits", bits).put("size", size);
    JsonNode out = send("POST", "/issuers/" + ISSUER + "/lists", body, 201);
    return out.get("id").asText();
  }

  /** Allocates {@code count} indexes on {@code list}. */
  public long[] allocate(String list, int count) throws IOException {
    ObjectNode body = JSON.createObjectNode().put("count", count);
    JsonNode out =
        send("POST", "/issuers/" + ISSUER + "/lists/" + list + "/allocations", body, 201);
    JsonNode idx = out.get("indexes");
    long[] indexes = new long[idx.size()];
    for (int i = 0; i < indexes.length; i++) {
      indexes[i] = idx.get(i).asLong();
    }
    return indexes;
  }

  /** {@code PUT .../entries/{idx}}; returns the HTTP status (202 when accepted). */
  public int put(String list, long idx, String status) throws IOException {
    ObjectNode body = JSON.createObjectNode().put("status", status);
    return sendStatus("PUT", "/issuers/" + ISSUER + "/lists/" + list + "/entries/" + idx, body);
  }

  /** {@code POST .../entries} with every change; returns the HTTP status (202 when accepted). */
  public int bulk(String list, List<Change> changes) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode arr = body.putArray("changes");
    for (Change c : changes) {
      arr.addObject().put("idx", c.idx()).put("status", c.status());
    }
    return sendStatus("POST", "/issuers/" + ISSUER + "/lists/" + list + "/entries", body);
  }

  /** The path verifiers fetch. */
  public static String tokenPath(String list) {
    return "/statuslists/" + ISSUER + "/" + list;
  }

  /** Fetches the list's JWT, or null when it is not published yet (404) or unchanged (304). */
  public Token fetch(String list, String ifNoneMatch) throws IOException {
    HttpRequest.Builder rb =
        HttpRequest.newBuilder(URI.create(base + tokenPath(list)))
            .timeout(Duration.ofSeconds(10))
            .header("Accept", "application/statuslist+jwt");
    if (ifNoneMatch != null) {
      rb.header("If-None-Match", ifNoneMatch);
    }
    HttpResponse<byte[]> r = exchange(rb.GET().build());
    if (r.statusCode() == 404 || r.statusCode() == 304) {
      return null;
    }
    if (r.statusCode() != 200) {
      throw new IOException("GET " + tokenPath(list) + " answered " + r.statusCode());
    }
    return new Token(r.body(), r.headers().firstValue("ETag").orElse(null), decodeJwt(r.body()));
  }

  /** The status list inside a compact JWT Status List Token. */
  public static StatusList decodeJwt(byte[] jwt) throws IOException {
    String text = new String(jwt, StandardCharsets.US_ASCII);
    String[] parts = text.split("\\.");
    if (parts.length != 3) {
      throw new IOException("not a compact JWS");
    }
    JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    JsonNode sl = claims.path("status_list");
    int bits = sl.path("bits").asInt();
    return StatusListEncoding.decodeUpTo(sl.path("lst").asText(), bits, 1L << 27);
  }

  private JsonNode send(String method, String path, JsonNode body, int expected)
      throws IOException {
    HttpResponse<byte[]> r = exchange(request(method, path, body));
    if (r.statusCode() != expected) {
      throw new IOException(
          method
              + " "
              + path
              + " answered "
              + r.statusCode()
              + ": "
              + new String(r.body(), StandardCharsets.UTF_8));
    }
    return JSON.readTree(r.body());
  }

  private int sendStatus(String method, String path, JsonNode body) throws IOException {
    return exchange(request(method, path, body)).statusCode();
  }

  private HttpRequest request(String method, String path, JsonNode body) throws IOException {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", bearer)
        .header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
        .build();
  }

  private HttpResponse<byte[]> exchange(HttpRequest request) throws IOException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + request.method() + " " + request.uri(), e);
    }
  }
}
