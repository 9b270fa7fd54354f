package io.statusreg.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.api.testing.FakeDirectory;
import io.statusreg.api.testing.TestServer;
import io.statusreg.registry.ListId;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Slow clients are cut off by the header and body read deadlines while others are served, and the
 * connection cap holds new connections back instead of serving without bound.
 */
class SlowClientTest {

  /** Writes one byte of {@code text} every {@code everyMillis} until stopped or the peer closes. */
  static Thread trickle(Socket s, String text, long everyMillis, AtomicBoolean stop) {
    return Thread.ofVirtual()
        .start(
            () -> {
              try {
                OutputStream out = s.getOutputStream();
                byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
                for (int i = 0; !stop.get(); i = (i + 1) % bytes.length) {
                  out.write(bytes[i]);
                  out.flush();
                  Thread.sleep(everyMillis);
                }
              } catch (Exception e) {
                // closed by the server: what the test waits for
              }
            });
  }

  @Test
  void tricklingHeadersAndBodiesAreCutOffWhileOthersAreServed() throws Exception {
    try (TestServer server =
        new TestServer(
            Clock.systemUTC(),
            Map.of(
                "http.header.timeout.ms", "800",
                "http.body.timeout.ms", "800",
                "http.idle.timeout.ms", "60000"))) {
      Instant now = Instant.now();
      server.directory.publish(
          FakeDirectory.token(
              ListId.of("acme", "l"), 1, now, Duration.ofHours(1), Duration.ofMinutes(5), true));
      int port = server.server.port();
      String token = server.tokens.bearer("acme", "lists:admin");
      AtomicBoolean stop = new AtomicBoolean();
      List<Socket> slow = new ArrayList<>();
      try {
        for (int i = 0; i < 20; i++) {
          Socket headers = RawHttp.open(port);
          slow.add(headers);
          // Each byte comes well within the idle timeout, so only a deadline can end it.
          trickle(
              headers, "GET /statuslists/acme/l HTTP/1.1\r\nX-Slow: " + "z".repeat(500), 50, stop);
          Socket body = RawHttp.open(port);
          slow.add(body);
          body.getOutputStream()
              .write(
                  ("POST /issuers/acme/lists HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                          + "\r\nAuthorization: "
                          + token
                          + "\r\nContent-Length: 100000\r\n\r\n")
                      .getBytes(StandardCharsets.ISO_8859_1));
          trickle(body, " ", 50, stop);
        }
        // Others are served meanwhile.
        for (int i = 0; i < 5; i++) {
          HttpResponse<String> r = server.get("/statuslists/acme/l");
          assertThat(r.statusCode()).isEqualTo(200);
        }
        for (Socket s : slow) {
          assertThat(RawHttp.closedWithin(s, 5_000)).as("slow connection closed").isTrue();
        }
        assertThat(server.get("/statuslists/acme/l").statusCode()).isEqualTo(200);
        String metrics = server.get("/metrics").body();
        assertThat(metrics)
            .contains("statusreg_http_connections_cut_total{phase=\"headers\"} 20.0")
            .contains("statusreg_http_connections_cut_total{phase=\"body\"} 20.0");
      } finally {
        stop.set(true);
        for (Socket s : slow) {
          s.close();
        }
      }
    }
  }

  @Test
  void aRequestThatKeepsProgressingWithinTheDeadlineIsNotCut() throws Exception {
    try (TestServer server =
        new TestServer(Clock.systemUTC(), Map.of("http.header.timeout.ms", "1500"))) {
      int port = server.server.port();
      try (Socket s = RawHttp.open(port)) {
        String request = "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n";
        OutputStream out = s.getOutputStream();
        for (char c : request.toCharArray()) {
          out.write(c);
          out.flush();
          Thread.sleep(15); // about 600 ms in all, under the 1.5 s deadline
        }
        RawHttp.Reply r = RawHttp.read(s.getInputStream());
        assertThat(r.status()).isEqualTo(200);
      }
    }
  }

  @Test
  void theConnectionCapHoldsBackConnectionsBeyondIt() throws Exception {
    try (TestServer server =
        new TestServer(Clock.systemUTC(), Map.of("http.max.connections", "3"))) {
      int port = server.server.port();
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          Socket s = RawHttp.open(port);
          s.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
          assertThat(RawHttp.read(s.getInputStream()).status()).isEqualTo(200);
          held.add(s); // kept alive: counts against the cap
        }
        Socket beyond = RawHttp.open(port); // the kernel accepts it; Jetty does not
        held.add(beyond);
        beyond.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
        assertThat(RawHttp.silentFor(beyond, 1_000)).as("held back by the cap").isTrue();
        held.getFirst().close();
        beyond.setSoTimeout(5_000);
        RawHttp.Reply r = RawHttp.read(beyond.getInputStream());
        assertThat(r.status()).isEqualTo(200);
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }
}
