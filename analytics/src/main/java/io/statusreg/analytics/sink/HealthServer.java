package io.statusreg.analytics.sink;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The small HTTP endpoint of {@code statusreg analytics sink} for Kubernetes probes and Prometheus:
 * {@code GET /health/live}, {@code GET /health/ready} (200 or 503) and {@code GET /metrics}
 * (Prometheus text format).
 */
public final class HealthServer implements AutoCloseable {
  private final HttpServer server;

  private HealthServer(HttpServer server) {
    this.server = server;
  }

  public static HealthServer start(
      int port, BooleanSupplier live, BooleanSupplier ready, Supplier<String> metrics) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
      server.createContext("/health/live", ex -> probe(ex, live.getAsBoolean()));
      server.createContext("/health/ready", ex -> probe(ex, ready.getAsBoolean()));
      server.createContext(
          "/metrics",
          ex -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
      server.setExecutor(Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().factory()));
      server.start();
      return new HealthServer(server);
    } catch (IOException e) {
      throw new UncheckedIOException("starting the analytics health endpoint on port " + port, e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void probe(HttpExchange ex, boolean ok) throws IOException {
    send(
        ex,
        ok ? 200 : 503,
        "application/json",
        ok ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
  }

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
        ex.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", type);
      ex.getResponseHeaders().set("Cache-Control", "no-store");
      boolean head = ex.getRequestMethod().equals("HEAD");
      ex.sendResponseHeaders(status, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
