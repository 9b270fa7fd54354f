package io.statusreg.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statusreg.api.testing.IssuerTokens;
import io.statusreg.api.testing.TestServer;
import io.statusreg.streams.testing.AuditCapture;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bearer token lifetimes and issue times are bounded, checked against the injected clock, and
 * whatever a token's {@code sub} holds, the audit line it leads to stays one JSON object.
 */
class TokenLimitsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static String bearer(TestServer server, String subject, Instant iat, Instant exp) {
    return "Bearer "
        + IssuerTokens.token(
            server.tokens.key,
            IssuerTokens.ISS,
            IssuerTokens.AUD,
            "acme",
            IssuerTokens.ALL_SCOPES,
            subject,
            iat,
            exp);
  }

  static int create(TestServer server, String auth) {
    return server
        .json("POST", "/issuers/acme/lists", auth, "{\"bits\":1,\"size\":100}")
        .statusCode();
  }

  @Test
  void tooLongLifetimesAndFutureIssueTimesAreRefused() {
    Instant now = Instant.parse("2026-12-01T12:00:00Z");
    try (TestServer server = new TestServer(Clock.fixed(now, ZoneOffset.UTC))) {
      assertThat(create(server, bearer(server, "ok", now, now.plus(Duration.ofHours(1)))))
          .isEqualTo(201);
      assertThat(create(server, bearer(server, "ok", null, now.plus(Duration.ofHours(23)))))
          .isEqualTo(201);
      // exp 100 years ahead, with and without iat
      Instant century = now.plus(Duration.ofDays(36_500));
      assertThat(create(server, bearer(server, "c", now, century))).isEqualTo(401);
      assertThat(create(server, bearer(server, "c", null, century))).isEqualTo(401);
      // a lifetime over the one-day maximum, though not yet expired
      assertThat(
              create(
                  server,
                  bearer(
                      server, "l", now.minus(Duration.ofDays(2)), now.plus(Duration.ofHours(1)))))
          .isEqualTo(401);
      // iat beyond the 30 s clock skew
      assertThat(
              create(
                  server,
                  bearer(
                      server, "f", now.plus(Duration.ofMinutes(5)), now.plus(Duration.ofHours(1)))))
          .isEqualTo(401);
      assertThat(
              create(
                  server, bearer(server, "f", now.plusSeconds(10), now.plus(Duration.ofHours(1)))))
          .isEqualTo(201);
    }
  }

  @Test
  void tokensAreCheckedAgainstTheInjectedClock() {
    Instant then = Instant.parse("2031-06-01T00:00:00Z");
    try (TestServer server = new TestServer(Clock.fixed(then, ZoneOffset.UTC))) {
      Instant now = Instant.now();
      assertThat(create(server, bearer(server, "s", now, now.plus(Duration.ofHours(1)))))
          .as("valid by the system clock, expired by the server's")
          .isEqualTo(401);
      assertThat(create(server, bearer(server, "s", then, then.plus(Duration.ofHours(1)))))
          .as("valid by the server's clock")
          .isEqualTo(201);
    }
  }

  @Test
  void aSubjectWithLineBreaksCannotForgeAnAuditLine() throws Exception {
    try (TestServer server = new TestServer(Clock.systemUTC());
        AuditCapture audit = new AuditCapture()) {
      Instant now = Instant.now();
      String forged =
          "x\n{\"actor\":\"issuer:admin\",\"issuer\":\"acme\",\"outcome\":\"accepted\"}\r\n";
      String token =
          "Bearer "
              + IssuerTokens.token(
                  server.tokens.key,
                  IssuerTokens.ISS,
                  IssuerTokens.AUD,
                  "other",
                  IssuerTokens.ALL_SCOPES,
                  forged,
                  now,
                  now.plus(Duration.ofHours(1)));
      HttpResponse<String> r =
          server.json("PUT", "/issuers/acme/lists/l/entries/1", token, "{\"status\":1}");
      assertThat(r.statusCode()).isEqualTo(403);
      List<String> lines = audit.lines();
      assertThat(lines).hasSize(1);
      String line = lines.getFirst();
      assertThat(line).doesNotContain("\n").doesNotContain("\r");
      JsonNode parsed = JSON.readTree(line);
      assertThat(parsed.get("actor").asText()).isEqualTo("issuer:" + forged);
      assertThat(parsed.get("outcome").asText()).isEqualTo("forbidden");
      assertThat(parsed.get("route").asText())
          .isEqualTo("/issuers/{issuer}/lists/{list}/entries/{idx}");
    }
  }
}
