package io.statusreg.api.testing;

import io.statusreg.api.ApiServer;
import io.statusreg.api.ApiSettings;
import io.statusreg.api.metrics.ApiMetrics;
import io.statusreg.kraft.KraftCluster;
import io.statusreg.registry.config.Settings;
import io.statusreg.registry.keys.SigningKeys;
import io.statusreg.streams.RegistryNode;
import io.statusreg.streams.StreamsSettings;
import io.statusreg.streams.publication.RegistryListSigner;
import io.statusreg.streams.testing.RegistryHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The whole registry for integration tests: a real single-node KRaft broker, a real registry node
 * (Streams on RocksDB, publisher signing with development keys; its settings are streams' {@link
 * RegistryHarness#nodeSettings}) and the real API server on 127.0.0.1, started ready to serve; one
 * per test class.
 */
public final class LiveRegistry implements AutoCloseable {
  public final IssuerTokens tokens = new IssuerTokens();
  public final KraftCluster kafka;
  public final RegistryNode node;
  public final ApiMetrics metrics;
  public final ApiServer server;

  private LiveRegistry(Path dir, String applicationId, Map<String, String> overrides) {
    kafka = KraftCluster.builder().dataDir(dir.resolve("kafka")).build();
    kafka.start();
    Map<String, String> raw =
        RegistryHarness.nodeSettings(
            kafka.bootstrapServers(), applicationId, dir.resolve("streams"), 2);
    raw.put("public.base.url", "https://status.example");
    raw.put("http.host", "127.0.0.1");
    raw.put("http.port", "0");
    raw.put("issuer.auth.issuer", IssuerTokens.ISS);
    raw.put("issuer.auth.audience", IssuerTokens.AUD);
    raw.putAll(overrides);
    Settings settings = Settings.of(raw);
    StreamsSettings streams = StreamsSettings.from(settings);
    RegistryNode.createTopics(streams, Duration.ofSeconds(30));
    Clock clock = Clock.systemUTC();
    SigningKeys keys = SigningKeys.development(clock);
    node =
        RegistryNode.start(
            streams,
            new RegistryListSigner(keys, streams.compressionLevel(), streams.publicBaseUrl()),
            clock);
    metrics = new ApiMetrics(clock);
    server =
        new ApiServer(
                ApiSettings.Values.read(settings),
                new ApiServer.Dependencies(
                    node.gateway(),
                    node.directory(),
                    keys::publicJwks,
                    tokens.authenticator(),
                    metrics,
                    clock,
                    node::isReady,
                    node::isAlive))
            .start();
  }

  /**
   * Starts the registry under {@code dir} with the test defaults and {@code overrides}, and waits
   * until {@code /health/ready} answers 200.
   */
  public static LiveRegistry start(Path dir, String applicationId, Map<String, String> overrides) {
    LiveRegistry live = new LiveRegistry(dir, applicationId, overrides);
    try {
      live.awaitReady(Duration.ofSeconds(90));
      return live;
    } catch (RuntimeException | Error e) {
      live.close();
      throw e;
    }
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private void awaitReady(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(uri("/health/ready")).timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("waiting for the registry to be ready", e);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("registry not ready within " + timeout);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("waiting for the registry to be ready", e);
      }
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    if (node != null) {
      node.close();
    }
    if (metrics != null) {
      metrics.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }
}
