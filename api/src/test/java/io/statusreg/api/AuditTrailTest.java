package io.statusreg.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.statusreg.api.testing.IssuerTokens;
import io.statusreg.api.testing.TestServer;
import io.statusreg.streams.testing.AuditCapture;
import java.net.http.HttpResponse;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API writes audit lines only for what never reaches a list's owner: write attempts refused by
 * authorisation. Decided changes are audited once, by the owner (not by the API).
 */
class AuditTrailTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String ENTRY_ROUTE = "/issuers/{issuer}/lists/{list}/entries/{idx}";
  static TestServer server;
  static String acme;
  static String acmeReadOnly;
  static String other;
  AuditCapture audit;
  String entry;

  @BeforeAll
  static void start() {
    server = new TestServer(Clock.systemUTC());
    acme = server.tokens.bearer("acme", IssuerTokens.ALL_SCOPES);
    acmeReadOnly = server.tokens.bearer("acme", "status:read");
    other = server.tokens.bearer("other", IssuerTokens.ALL_SCOPES);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void listWithOneIndex() throws Exception {
    HttpResponse<String> created =
        server.json("POST", "/issuers/acme/lists", acme, "{\"bits\":2,\"size\":1000}");
    String list = JSON.readTree(created.body()).get("id").asText();
    HttpResponse<String> allocated =
        server.json("POST", "/issuers/acme/lists/" + list + "/allocations", acme, "{}");
    long idx = JSON.readTree(allocated.body()).get("indexes").get(0).asLong();
    entry = "/issuers/acme/lists/" + list + "/entries/" + idx;
    audit = new AuditCapture();
  }

  @AfterEach
  void detach() {
    audit.close();
  }

  @Test
  void acceptedRejectedAndUnchangedChangesLeaveNoApiAuditLine() {
    assertThat(server.json("PUT", entry, acme, "{\"status\":\"SUSPENDED\"}").statusCode())
        .isEqualTo(202);
    assertThat(server.json("PUT", entry, acme, "{\"status\":\"SUSPENDED\"}").statusCode())
        .isEqualTo(202);
    assertThat(server.json("PUT", entry, acme, "{\"status\":\"INVALID\"}").statusCode())
        .isEqualTo(202);
    assertThat(server.json("PUT", entry, acme, "{\"status\":\"VALID\"}").statusCode())
        .isEqualTo(409);
    assertThat(audit.lines()).isEmpty();
  }

  @Test
  void aWriteByAnotherIssuersTokenIsAuditedAsForbiddenWithoutTokenContents() {
    assertThat(server.json("PUT", entry, other, "{\"status\":\"INVALID\"}").statusCode())
        .isEqualTo(403);
    assertThat(audit.lines())
        .containsExactly(
            "{\"actor\":\"issuer:client-other\",\"issuer\":\"acme\",\"method\":\"PUT\","
                + "\"route\":\""
                + ENTRY_ROUTE
                + "\",\"outcome\":\"forbidden\"}");
    assertThat(audit.lines().getFirst()).doesNotContain(other.substring(7, 40));
  }

  @Test
  void aWriteWithoutTheScopeIsForbiddenAndAudited() {
    String bulk = entry.substring(0, entry.lastIndexOf('/'));
    assertThat(
            server
                .json("POST", bulk, acmeReadOnly, "{\"changes\":[{\"idx\":1,\"status\":1}]}")
                .statusCode())
        .isEqualTo(403);
    assertThat(audit.lines())
        .containsExactly(
            "{\"actor\":\"issuer:client-acme\",\"issuer\":\"acme\",\"method\":\"POST\","
                + "\"route\":\"/issuers/{issuer}/lists/{list}/entries\",\"outcome\":\"forbidden\"}");
  }

  @Test
  void writesWithoutAValidTokenAreAuditedAsUnauthorised() {
    assertThat(server.json("PUT", entry, null, "{\"status\":\"INVALID\"}").statusCode())
        .isEqualTo(401);
    String forged = "Bearer eyJhbGciOiJub25lIn0." + acme.split("\\.")[1] + ".";
    assertThat(server.json("PUT", entry, forged, "{\"status\":\"INVALID\"}").statusCode())
        .isEqualTo(401);
    assertThat(server.json("POST", "/issuers/acme/lists", "Bearer x.y.z", "{}").statusCode())
        .isEqualTo(401);
    String line =
        "{\"actor\":null,\"issuer\":\"acme\",\"method\":\"PUT\",\"route\":\""
            + ENTRY_ROUTE
            + "\",\"outcome\":\"unauthorised\"}";
    assertThat(audit.lines())
        .containsExactly(
            line,
            line,
            "{\"actor\":null,\"issuer\":\"acme\",\"method\":\"POST\","
                + "\"route\":\"/issuers/{issuer}/lists\",\"outcome\":\"unauthorised\"}");
    assertThat(String.join("\n", audit.lines())).doesNotContain(acme.split("\\.")[1]);
  }

  @Test
  void refusedReadsAreNotWriteAttemptsAndLeaveNoLine() {
    assertThat(server.get(entry, "Authorization", other).statusCode()).isEqualTo(403);
    assertThat(server.get(entry).statusCode()).isEqualTo(401);
    assertThat(audit.lines()).isEmpty();
  }

  @Test
  void controlCharactersInThePathIssuerCannotForgeAuditLines() {
    String path = "/issuers/ac%0Ame%20x/lists/l/entries/1";
    assertThat(server.json("PUT", path, other, "{\"status\":\"INVALID\"}").statusCode())
        .isEqualTo(403);
    assertThat(audit.lines())
        .singleElement()
        .asString()
        .doesNotContain("\n")
        .contains("\"issuer\":\"ac\\nme x\"");
  }
}
