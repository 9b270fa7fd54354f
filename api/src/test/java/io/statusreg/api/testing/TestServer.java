package io.statusreg.api.testing;

import io.statusreg.api.ApiServer;
import io.statusreg.api.ApiSettings;
import io.statusreg.api.metrics.ApiMetrics;
import io.statusreg.api.verifier.PublicKeys;
import io.statusreg.registry.config.Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The real server on 127.0.0.1 with fakes behind it, and a bounded HTTP client. */
public final class TestServer implements AutoCloseable {
  public final FakeGateway gateway = new FakeGateway();
  public final FakeDirectory directory = new FakeDirectory();
  public final IssuerTokens tokens = new IssuerTokens();
  public final ApiMetrics metrics;
  public final ApiServer server;
  public final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public TestServer(Clock clock, Map<String, String> overrides) {
    this(clock, overrides, () -> "{\"keys\":[{\"kty\":\"EC\",\"kid\":\"k1\"}]}");
  }

  /** A server whose public keys (JWKS, list signer certificate) are {@code keys}. */
  public TestServer(Clock clock, Map<String, String> overrides, PublicKeys keys) {
    Map<String, String> raw = new HashMap<>();
    raw.put("http.host", "127.0.0.1");
    raw.put("http.port", "0");
    raw.put("issuer.auth.issuer", IssuerTokens.ISS);
    raw.put("issuer.auth.audience", IssuerTokens.AUD);
    raw.put("command.timeout.ms", "500");
    raw.put("lists.default.size", "1000");
    // the fake gateway publishes nothing: a creation would wait for a token that never comes
    raw.put("lists.first.publication.wait.ms", "0");
    raw.putAll(overrides);
    metrics = new ApiMetrics(clock).withJvm();
    server =
        new ApiServer(
                ApiSettings.Values.read(Settings.of(raw)),
                new ApiServer.Dependencies(
                    gateway, directory, keys, tokens.authenticator(clock), metrics, clock))
            .start();
  }

  public TestServer(Clock clock) {
    this(clock, Map.of());
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException("sending " + request, e);
    }
  }

  public HttpResponse<byte[]> sendBytes(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (Exception e) {
      throw new IllegalStateException("sending " + request, e);
    }
  }

  public HttpResponse<String> get(String path, String... headers) {
    HttpRequest.Builder b = request(path).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.build());
  }

  public HttpResponse<String> json(String method, String path, String auth, String body) {
    HttpRequest.Builder b =
        request(path)
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return send(b.build());
  }

  @Override
  public void close() {
    server.close();
    metrics.close();
  }
}
