package io.statusreg.chaos.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statusreg.chaos.cluster.RegistryInstance;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * The registry's HTTP API as the load uses it: issuer routes with a bearer token and an {@code
 * Idempotency-Key} (so that a retry of an unanswered request is safe), and the public verifier
 * route.
 */
public final class RegistryClient {
  public static final String JWT_TYPE = "application/statuslist+jwt";
  static final ObjectMapper JSON = new ObjectMapper();

  /** A response: status, body and the headers the harness reads. */
  public record Response(int status, byte[] body, Optional<String> etag) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("response is not JSON: " + abbreviated(), e);
      }
    }

    public boolean ok() {
      return status >= 200 && status < 300;
    }

    /** Worth retrying with the same idempotency key: the outcome is unknown or transient. */
    public boolean retryable() {
      return status == 408 || status == 425 || status == 429 || status >= 500;
    }

    public String abbreviated() {
      String t = text();
      return status + " " + (t.length() > 300 ? t.substring(0, 300) + "..." : t);
    }
  }

  private final HttpClient http;
  private final Map<String, String> bearerTokens;
  private final Duration writeTimeout;
  private final Duration readTimeout;

  public RegistryClient(
      Map<String, String> bearerTokens, Duration writeTimeout, Duration readTimeout) {
    this.bearerTokens = Map.copyOf(bearerTokens);
    this.writeTimeout = writeTimeout;
    this.readTimeout = readTimeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
  }

  public Response createList(RegistryInstance at, String issuer, int bits, long size, UUID key)
      throws IOException, InterruptedException {
    String body = "{\"bits\":" + bits + ",\"size\":" + size + "}";
    return issuerPost(at, issuer, "/issuers/" + issuer + "/lists", body, key);
  }

  public Response allocate(RegistryInstance at, ListRef list, int count, UUID key)
      throws IOException, InterruptedException {
    return issuerPost(
        at, list.issuer(), list.issuerPath() + "/allocations", "{\"count\":" + count + "}", key);
  }

  public Response changeStatus(RegistryInstance at, ListRef list, long idx, String status, UUID key)
      throws IOException, InterruptedException {
    HttpRequest request =
        issuerRequest(at, list.issuer(), list.issuerPath() + "/entries/" + idx, key)
            .PUT(HttpRequest.BodyPublishers.ofString("{\"status\":\"" + status + "\"}"))
            .build();
    return send(request);
  }

  public Response fetchToken(RegistryInstance at, ListRef list)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(at.baseUri().resolve(list.verifierPath()))
            .header("Accept", JWT_TYPE)
            .timeout(readTimeout)
            .GET()
            .build();
    return send(request);
  }

  /** The indexes of an allocation response ({@code {"indexes": [...]}}). */
  public static List<Long> indexes(Response r) {
    List<Long> out = new ArrayList<>();
    r.json().path("indexes").forEach(n -> out.add(n.asLong()));
    return out;
  }

  /** The event ids of a change response ({@code {"event_ids": [...]}}). */
  public static List<String> eventIds(Response r) {
    List<String> out = new ArrayList<>();
    try {
      r.json().path("event_ids").forEach(n -> out.add(n.asText()));
    } catch (IllegalStateException e) {
      // not JSON: no ids to record
    }
    return out;
  }

  private Response issuerPost(
      RegistryInstance at, String issuer, String path, String body, UUID key)
      throws IOException, InterruptedException {
    return send(
        issuerRequest(at, issuer, path, key)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private HttpRequest.Builder issuerRequest(
      RegistryInstance at, String issuer, String path, UUID key) {
    String token = bearerTokens.get(issuer);
    if (token == null) {
      throw new IllegalArgumentException("no bearer token for issuer " + issuer);
    }
    return HttpRequest.newBuilder(at.baseUri().resolve(path))
        .header("Authorization", "Bearer " + token)
        .header("Idempotency-Key", key.toString())
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .timeout(writeTimeout);
  }

  private Response send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    return new Response(r.statusCode(), r.body(), r.headers().firstValue("ETag"));
  }
}
