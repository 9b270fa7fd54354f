package io.statusreg.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusreg.api.testing.TestServer;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A stopping server (SIGTERM: {@code RegistryProcess.close} stops it before the node) lets the
 * requests in flight finish and refuses new connections meanwhile, for up to {@code
 * http.drain.timeout.ms}. Without the drain an issuer's change that was being decided was cut off
 * although the registry applied it.
 */
class DrainOnStopTest {

  private static CompletableFuture<HttpResponse<String>> createListInFlight(TestServer server) {
    HttpRequest request =
        server
            .request("/issuers/acme/lists")
            .header("Content-Type", "application/json")
            .header("Authorization", server.tokens.bearer("acme", "lists:admin"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"bits\":1,\"size\":1000}"))
            .build();
    return server.client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  private static void awaitCommand(TestServer server) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.gateway.count() == 0) {
      assertThat(System.nanoTime()).as("the request reached the gateway").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void requestsInFlightAreAnsweredAndNewConnectionsRefusedWhileStopping() throws Exception {
    try (TestServer server =
        new TestServer(
            Clock.systemUTC(),
            Map.of("command.timeout.ms", "5000", "http.drain.timeout.ms", "10000"))) {
      server.gateway.answerDelayMillis = 1_500;
      CompletableFuture<HttpResponse<String>> inFlight = createListInFlight(server);
      awaitCommand(server);
      int port = server.server.port();

      long start = System.nanoTime();
      CompletableFuture<Void> stopped = CompletableFuture.runAsync(server.server::close);
      Thread.sleep(300); // the stop is under way: its connector no longer accepts
      assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
          .as("a new connection while draining")
          .isInstanceOf(IOException.class);

      HttpResponse<String> answer = inFlight.get(10, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
      stopped.get(15, TimeUnit.SECONDS);
      long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(stopMillis).as("the stop waited for the answer").isGreaterThanOrEqualTo(1_000);
    }
  }

  @Test
  void withoutADrainTheRequestInFlightIsCutOff() throws Exception {
    try (TestServer server =
        new TestServer(
            Clock.systemUTC(),
            Map.of("command.timeout.ms", "5000", "http.drain.timeout.ms", "0"))) {
      server.gateway.answerDelayMillis = 1_500;
      CompletableFuture<HttpResponse<String>> inFlight = createListInFlight(server);
      awaitCommand(server);
      server.server.close();
      assertThatThrownBy(() -> inFlight.get(10, TimeUnit.SECONDS))
          .as("the control: a stop without a drain closes the connection under the request")
          .hasCauseInstanceOf(IOException.class);
    }
  }
}
