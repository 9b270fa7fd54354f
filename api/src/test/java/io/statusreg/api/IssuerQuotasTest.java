package io.statusreg.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statusreg.api.testing.IssuerTokens;
import io.statusreg.api.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Per-issuer quotas: lists, entries of all lists, entries of one list; each names its limit. */
class IssuerQuotasTest {
  static final ObjectMapper JSON = new ObjectMapper();
  TestServer server;
  String acme;
  String other;

  @BeforeEach
  void start() {
    server =
        new TestServer(
            Clock.systemUTC(),
            Map.of(
                "quota.issuer.max.lists", "3",
                "quota.issuer.max.entries", "6000",
                "quota.issuer.max.list.entries", "4000"));
    acme = server.tokens.bearer("acme", IssuerTokens.ALL_SCOPES);
    other = server.tokens.bearer("other", IssuerTokens.ALL_SCOPES);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> create(String bearer, String issuer, long size) {
    return server.json("POST", "/issuers/" + issuer + "/lists", bearer, "{\"size\":" + size + "}");
  }

  private static void assertQuota(HttpResponse<String> r, String setting) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
    JsonNode p = JSON.readTree(r.body());
    assertThat(p.get("type").asText()).isEqualTo("https://statusreg.io/problems/quota-exceeded");
    assertThat(p.get("detail").asText()).contains(setting);
  }

  @Test
  void theLargestListIsBoundedExactly() throws Exception {
    assertQuota(create(acme, "acme", 4001), "quota.issuer.max.list.entries");
    assertThat(create(acme, "acme", 4000).statusCode()).isEqualTo(201);
  }

  @Test
  void theNumberOfListsIsBoundedAndOtherIssuersAreNotCounted() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(create(acme, "acme", 10).statusCode()).isEqualTo(201);
    }
    int commands = server.gateway.count();

    assertQuota(create(acme, "acme", 10), "quota.issuer.max.lists");
    assertThat(server.gateway.count()).as("nothing sent to the registry").isEqualTo(commands);
    assertThat(create(other, "other", 10).statusCode()).isEqualTo(201);
  }

  @Test
  void theEntriesOfAllListsAreBoundedAndAnIssuerLevelAllocationSaysWhichLimit() throws Exception {
    assertThat(create(acme, "acme", 4000).statusCode()).isEqualTo(201);
    assertQuota(create(acme, "acme", 2001), "quota.issuer.max.entries");
    assertThat(create(acme, "acme", 2000).statusCode()).isEqualTo(201);

    // No list has room for 5 more and a new one (1000 entries by default) would pass 6000.
    HttpResponse<String> allocation =
        server.json("POST", "/issuers/acme/allocations", acme, "{\"count\":5}");
    assertQuota(allocation, "quota.issuer.max.entries");
  }

  @Test
  void identifierListsCountTowardsTheSameQuotas() throws Exception {
    assertThat(create(acme, "acme", 10).statusCode()).isEqualTo(201);
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r =
          server.json("POST", "/issuers/acme/identifier-lists", acme, "{\"size\":10}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
    int commands = server.gateway.count();

    assertQuota(
        server.json("POST", "/issuers/acme/identifier-lists", acme, "{\"size\":10}"),
        "quota.issuer.max.lists");
    assertQuota(create(acme, "acme", 10), "quota.issuer.max.lists");
    assertQuota(
        server.json("POST", "/issuers/other/identifier-lists", other, "{\"size\":4001}"),
        "quota.issuer.max.list.entries");
    assertThat(server.gateway.count()).as("nothing sent to the registry").isEqualTo(commands);
  }
}
