package io.statusreg.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write load of bench writes, run by the real wrk against a loopback server that keeps entry
 * statuses as the registry does: every request is a PUT of one of the given indexes with the bearer
 * token, statuses alternate per pass so that each request changes its entry, and the script's
 * {@code changed} count is exactly the answers that named an event.
 */
class WrkPutScriptTest {
  @TempDir Path dir;

  @Test
  void everyPutFlipsItsEntryAndOnlyChangesAreCounted() throws Exception {
    assumeTrue(Commands.onPath("wrk"), "wrk is installed by scripts/test.sh (scripts/prereqs.sh)");
    long[] indexes = {3, 5, 8, 13, 21, 34, 55, 89};
    Map<Long, String> status = new ConcurrentHashMap<>();
    AtomicLong changes = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext(
        "/issuers/demo/lists/L/entries/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          long idx = Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          boolean ok =
              exchange.getRequestMethod().equals("PUT")
                  && "Bearer tok".equals(exchange.getRequestHeaders().getFirst("Authorization"))
                  && java.util.Arrays.stream(indexes).anyMatch(i -> i == idx);
          if (!ok) {
            refused.incrementAndGet();
            answer(exchange, 403, "{}");
            return;
          }
          String want = body.contains("SUSPENDED") ? "SUSPENDED" : "VALID";
          String before = status.put(idx, want);
          boolean changed = !want.equals(before == null ? "VALID" : before);
          if (changed) {
            changes.incrementAndGet();
          }
          answer(exchange, 202, changed ? "{\"event_ids\":[\"e\"]}" : "{\"event_ids\":[]}");
        });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      Wrk.Result r =
          Wrk.runPuts(
              dir,
              "t",
              base,
              "/issuers/demo/lists/L/entries/",
              indexes,
              "Bearer tok",
              4,
              Duration.ofSeconds(2));
      assertThat(r.requests()).isGreaterThan(indexes.length * 4L);
      assertThat(refused.get()).isZero();
      assertThat(java.nio.file.Files.readString(dir.resolve("wrk-put.lua")))
          .as("the bearer token is never written to disk")
          .doesNotContain("Bearer tok");
      assertThat(r.non2xx()).isZero();
      // wrk counts a request when its answer is in; answers still in flight at the end are not
      assertThat(r.changed()).isBetween(changes.get() - 4, changes.get());
      assertThat(r.changed())
          .as("almost every request flips its entry")
          .isGreaterThan(r.requests() * 9 / 10);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void theFetchScriptSendsItsAcceptHeaderAndReportsItsLine() throws Exception {
    assumeTrue(Commands.onPath("wrk"), "wrk is installed by scripts/test.sh (scripts/prereqs.sh)");
    AtomicLong wrongAccept = new AtomicLong();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext(
        "/statuslists/demo/L",
        exchange -> {
          if (!"application/statuslist+jwt"
              .equals(exchange.getRequestHeaders().getFirst("Accept"))) {
            wrongAccept.incrementAndGet();
          }
          answer(exchange, 200, "token");
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/statuslists/demo/L";
      Wrk.Result r =
          Wrk.run(dir, "get", url, "application/statuslist+jwt", 1, 2, Duration.ofSeconds(1));
      assertThat(r.requests()).isPositive();
      assertThat(wrongAccept.get()).isZero();
      assertThat(r.non2xx()).isZero();
      assertThat(r.changed()).as("a fetch script counts no changes").isEqualTo(-1);
      assertThat(r.p99Us()).isGreaterThanOrEqualTo(r.p50Us()).isPositive();
    } finally {
      server.stop(0);
    }
  }

  private static void answer(com.sun.net.httpserver.HttpExchange exchange, int code, String body)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(code, b.length);
    exchange.getResponseBody().write(b);
    exchange.close();
  }
}
