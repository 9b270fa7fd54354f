package io.statusreg.api.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statusreg.api.testing.FakeDirectory;
import io.statusreg.api.testing.IssuerTokens;
import io.statusreg.api.testing.TestServer;
import io.statusreg.registry.ListId;
import io.statusreg.registry.fold.RegistryCommand;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A list's creation answers once this instance serves the list's first token (bounded by {@code
 * lists.first.publication.wait.ms}): an issuer that hands out a credential with the answer never
 * sends a verifier to a URI that answers 404.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FirstPublicationTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long PUBLISH_AFTER_MILLIS = 400;

  @Test
  void aCreationAnswersOnceTheListIsServed() throws Exception {
    try (TestServer server =
        new TestServer(Clock.systemUTC(), Map.of("lists.first.publication.wait.ms", "10000"))) {
      String acme = server.tokens.bearer("acme", IssuerTokens.ALL_SCOPES);
      CompletableFuture<Long> published = publishTheCreatedListLater(server, "acme");

      long start = System.nanoTime();
      HttpResponse<String> created =
          server.json("POST", "/issuers/acme/lists", acme, "{\"size\":1000}");
      long answered = System.nanoTime();

      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String id = JSON.readTree(created.body()).get("id").asText();
      assertThat(published.get(5, TimeUnit.SECONDS))
          .as("answered after the token arrived, not before")
          .isLessThanOrEqualTo(answered);
      assertThat(Duration.ofNanos(answered - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(server.get("/statuslists/acme/" + id).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void anAllocationThatOpensAListAnswersOnceTheListIsServed() throws Exception {
    try (TestServer server =
        new TestServer(Clock.systemUTC(), Map.of("lists.first.publication.wait.ms", "10000"))) {
      String acme = server.tokens.bearer("acme", IssuerTokens.ALL_SCOPES);
      CompletableFuture<Long> published = publishTheCreatedListLater(server, "acme");

      HttpResponse<String> allocated =
          server.json("POST", "/issuers/acme/allocations", acme, "{\"count\":2}");
      long answered = System.nanoTime();

      assertThat(allocated.statusCode()).as(allocated.body()).isEqualTo(201);
      JsonNode body = JSON.readTree(allocated.body());
      assertThat(body.get("indexes")).hasSize(2);
      assertThat(published.get(5, TimeUnit.SECONDS)).isLessThanOrEqualTo(answered);
      assertThat(server.get("/statuslists/acme/" + body.get("list").asText()).statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void aListNotPublishedWithinTheBoundIsStillAnswered() throws Exception {
    try (TestServer server =
        new TestServer(Clock.systemUTC(), Map.of("lists.first.publication.wait.ms", "500"))) {
      String acme = server.tokens.bearer("acme", IssuerTokens.ALL_SCOPES);
      long start = System.nanoTime();
      HttpResponse<String> created =
          server.json("POST", "/issuers/acme/lists", acme, "{\"size\":1000}");
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(created.statusCode())
          .as("the list exists: created is the answer, the token follows")
          .isEqualTo(201);
      assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(500));
      assertThat(took).isLessThan(Duration.ofSeconds(5));
      String id = JSON.readTree(created.body()).get("id").asText();
      assertThat(server.get("/statuslists/acme/" + id).statusCode()).isEqualTo(404);
      assertThat(server.metrics.registry().find("statusreg.api.first.publication.wait").timer())
          .isNotNull()
          .satisfies(t -> assertThat(t.count()).isEqualTo(1));
    }
  }

  @Test
  void anAllocationOnAListNotServedYetWaitsForIt() throws Exception {
    try (TestServer server =
        new TestServer(Clock.systemUTC(), Map.of("lists.first.publication.wait.ms", "1500"))) {
      String acme = server.tokens.bearer("acme", IssuerTokens.ALL_SCOPES);
      // created, but its token did not come within the bound
      HttpResponse<String> created =
          server.json("POST", "/issuers/acme/lists", acme, "{\"size\":1000}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String id = JSON.readTree(created.body()).get("id").asText();

      CompletableFuture<Long> published = publishTheCreatedListLater(server, "acme");
      HttpResponse<String> allocated =
          server.json("POST", "/issuers/acme/lists/" + id + "/allocations", acme, "{}");
      long answered = System.nanoTime();

      assertThat(allocated.statusCode()).as(allocated.body()).isEqualTo(201);
      assertThat(published.get(5, TimeUnit.SECONDS))
          .as("the index is handed out once its list is served")
          .isLessThanOrEqualTo(answered);
    }
  }

  @Test
  void aListAlreadyServedIsNotWaitedFor() throws Exception {
    FakeDirectory directory = new FakeDirectory();
    FirstPublications first = new FirstPublications(directory);
    ListId list = ListId.of("acme", "served");
    directory.publish(
        FakeDirectory.token(
            list, 1, Instant.now(), Duration.ofHours(1), Duration.ofMinutes(5), false));

    long start = System.nanoTime();
    assertThat(first.await(list, Duration.ofSeconds(10))).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(first.await(ListId.of("acme", "never"), Duration.ZERO)).isFalse();
    assertThat(first.await(ListId.of("acme", "never"), Duration.ofMillis(50))).isFalse();
    assertThat(first.waiting()).as("nothing left waiting").isZero();
  }

  /**
   * Publishes the first list the server creates for {@code issuer}, {@link #PUBLISH_AFTER_MILLIS}
   * after its creation command reached the gateway; completes with the time it published.
   */
  private static CompletableFuture<Long> publishTheCreatedListLater(
      TestServer server, String issuer) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
              for (RegistryCommand c : server.gateway.commands) {
                if (c instanceof RegistryCommand.CreateList create
                    && create.listId().issuer().value().equals(issuer)) {
                  Thread.sleep(PUBLISH_AFTER_MILLIS);
                  long at = System.nanoTime();
                  server.directory.publish(
                      FakeDirectory.token(
                          create.listId(),
                          1,
                          Instant.now(),
                          Duration.ofHours(1),
                          Duration.ofMinutes(5),
                          false));
                  return at;
                }
              }
              Thread.sleep(10);
            }
            throw new IllegalStateException("no list was created");
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        });
  }
}
