package io.statusreg.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statusreg.api.http.IdempotencyKey;
import io.statusreg.api.testing.FakeDirectory;
import io.statusreg.api.testing.IssuerTokens;
import io.statusreg.api.testing.TestServer;
import io.statusreg.common.wire.PublishedToken;
import io.statusreg.registry.IssuerId;
import io.statusreg.registry.ListId;
import io.statusreg.registry.Status;
import io.statusreg.registry.fold.CommandFingerprint;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.identifiers.ListKind;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IssuerRoutesTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static TestServer server;
  static String acme;
  static String acmeReadOnly;
  static String other;
  String list;
  long idx;

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
  void createListAndAllocate() throws Exception {
    HttpResponse<String> created =
        server.json("POST", "/issuers/acme/lists", acme, "{\"bits\":2,\"size\":1000}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    list = JSON.readTree(created.body()).get("id").asText();
    HttpResponse<String> allocated =
        server.json("POST", "/issuers/acme/lists/" + list + "/allocations", acme, "{}");
    assertThat(allocated.statusCode()).as(allocated.body()).isEqualTo(201);
    idx = JSON.readTree(allocated.body()).get("indexes").get(0).asLong();
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  static void assertProblem(HttpResponse<String> r, int status, String slug) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode p = json(r);
    assertThat(p.get("type").asText()).isEqualTo("https://statusreg.io/problems/" + slug);
    assertThat(p.get("status").asInt()).isEqualTo(status);
    assertThat(p.get("title").asText()).isNotBlank();
  }

  @Test
  void createListAnswers201WithLocationAndARandomUrlSafeName() throws Exception {
    HttpResponse<String> r = server.json("POST", "/issuers/acme/lists", acme, "");
    assertThat(r.statusCode()).isEqualTo(201);
    JsonNode body = json(r);
    assertThat(body.get("id").asText()).matches("[A-Za-z0-9_-]{22}").isNotEqualTo(list);
    assertThat(body.get("uri").asText())
        .isEqualTo("http://localhost:8080/statuslists/acme/" + body.get("id").asText());
    assertThat(body.get("bits").asInt()).isEqualTo(1);
    assertThat(body.get("size").asLong()).isEqualTo(1000);
    assertThat(r.headers().firstValue("Location")).hasValue(body.get("uri").asText());
    RegistryCommand.CreateList command =
        (RegistryCommand.CreateList) server.gateway.commands.getLast();
    assertThat(command.actor().subject()).isEqualTo("client-acme");
  }

  @Test
  void allocationReturnsIndexesAndReferencedTokenClaims() throws Exception {
    HttpResponse<String> r =
        server.json("POST", "/issuers/acme/lists/" + list + "/allocations", acme, "{\"count\":3}");
    assertThat(r.statusCode()).isEqualTo(201);
    JsonNode body = json(r);
    assertThat(body.get("indexes")).hasSize(3);
    JsonNode claim = body.get("claims").get(0).get("status").get("status_list");
    assertThat(claim.get("idx").asLong()).isEqualTo(body.get("indexes").get(0).asLong());
    assertThat(claim.get("uri").asText()).isEqualTo(body.get("uri").asText());
  }

  @Test
  void issuerLevelAllocationMovesToANewListWhenTheCurrentOneIsFull() throws Exception {
    // Lists default to 1000 entries here; ask for 600 twice: the second does not fit the first.
    HttpResponse<String> first =
        server.json("POST", "/issuers/acme/allocations", acme, "{\"count\":600}");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    HttpResponse<String> second =
        server.json("POST", "/issuers/acme/allocations", acme, "{\"count\":600}");
    assertThat(second.statusCode()).as(second.body()).isEqualTo(201);
    assertThat(json(second).get("uri").asText()).isNotEqualTo(json(first).get("uri").asText());
    HttpResponse<String> third =
        server.json("POST", "/issuers/acme/allocations", acme, "{\"count\":300}");
    assertThat(json(third).get("indexes")).hasSize(300);
  }

  @Test
  void allocationCountIsCapped() throws Exception {
    assertProblem(
        server.json("POST", "/issuers/acme/allocations", acme, "{\"count\":100000}"),
        422,
        "unprocessable");
    assertProblem(
        server.json("POST", "/issuers/acme/allocations", acme, "{\"count\":0}"),
        422,
        "unprocessable");
  }

  @Test
  void revokeSuspendReinstateAndRevokedStaysRevoked() throws Exception {
    String path = "/issuers/acme/lists/" + list + "/entries/" + idx;
    HttpResponse<String> suspend =
        server.json("PUT", path, acme, "{\"status\":\"SUSPENDED\",\"reason\":\"investigation\"}");
    assertThat(suspend.statusCode()).as(suspend.body()).isEqualTo(202);
    assertThat(json(suspend).get("event_ids")).hasSize(1);
    assertThat(json(suspend).get("expected_publication").asText()).isNotBlank();
    assertThat(server.json("PUT", path, acme, "{\"status\":\"VALID\"}").statusCode())
        .isEqualTo(202);
    assertThat(server.json("PUT", path, acme, "{\"status\":1}").statusCode()).isEqualTo(202);
    assertProblem(server.json("PUT", path, acme, "{\"status\":\"VALID\"}"), 409, "status-conflict");

    HttpResponse<String> read = server.get(path, "Authorization", acmeReadOnly);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(json(read).get("status").asText()).isEqualTo("INVALID");
    assertThat(json(read).get("published").asBoolean()).isFalse();
  }

  private HttpResponse<String> withKey(String method, String path, UUID key, String body) {
    return withKey(acme, method, path, key, body);
  }

  private HttpResponse<String> withKey(
      String bearer, String method, String path, UUID key, String body) {
    return server.send(
        server
            .request(path)
            .header("Authorization", bearer)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", key.toString())
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  @Test
  void anIdempotencyKeyIsScopedToIssuerListAndKindOfRequest() throws Exception {
    UUID key = UUID.randomUUID();
    String entry = "/issuers/acme/lists/" + list + "/entries/" + idx;
    HttpResponse<String> r = withKey("PUT", entry, key, "{\"status\":\"SUSPENDED\"}");
    assertThat(r.statusCode()).isEqualTo(202);
    UUID first = server.gateway.commands.getLast().commandId();
    assertThat(first)
        .isEqualTo(
            IdempotencyKey.commandId(
                    key.toString(), new IssuerId("acme"), list, IdempotencyKey.Route.CHANGE_ENTRY)
                .id())
        .isNotEqualTo(key);

    String asked = CommandFingerprint.of(server.gateway.commands.getLast());

    // The same key and request: the same command (the owner answers it with the first reply,
    // which IdempotencyIT shows on the real owner; FakeGateway only imitates it).
    HttpResponse<String> retry = withKey("PUT", entry, key, "{\"status\":\"SUSPENDED\"}");
    assertThat(retry.statusCode()).isEqualTo(202);
    assertThat(json(retry).get("event_ids")).isEqualTo(json(r).get("event_ids"));
    assertThat(server.gateway.commands.getLast().commandId()).isEqualTo(first);
    assertThat(CommandFingerprint.of(server.gateway.commands.getLast())).isEqualTo(asked);
    // The same key for another request on the same route: the same command id with another
    // fingerprint, so that the owner refuses it; its refusal is the 422 problem.
    assertProblem(
        withKey("PUT", entry, key, "{\"status\":\"INVALID\"}"), 422, "idempotency-key-reused");
    assertThat(server.gateway.commands.getLast().commandId()).isEqualTo(first);
    assertThat(CommandFingerprint.of(server.gateway.commands.getLast())).isNotEqualTo(asked);
    // Nor does the API apply it some other way (e.g. under a fresh id).
    assertThat(server.gateway.states.get(ListId.of("acme", list)).statusAt(idx))
        .isEqualTo(Status.SUSPENDED);
    // The same key on another route, list or issuer names another command.
    withKey("POST", "/issuers/acme/lists/" + list + "/allocations", key, "{}");
    assertThat(server.gateway.commands.getLast().commandId()).isNotEqualTo(first);
    assertThat(
            IdempotencyKey.commandId(
                    key.toString(), new IssuerId("other"), list, IdempotencyKey.Route.CHANGE_ENTRY)
                .id())
        .isNotEqualTo(first);

    HttpResponse<String> bad =
        server.send(
            server
                .request(entry)
                .header("Authorization", acme)
                .header("Idempotency-Key", "not-a-uuid")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"status\":\"SUSPENDED\"}"))
                .build());
    assertThat(bad.statusCode()).isEqualTo(400);
  }

  @Test
  void aRetriedCreationWithItsKeyNamesTheSameListInTheSameCommand() throws Exception {
    UUID key = UUID.randomUUID();
    HttpResponse<String> first = withKey("POST", "/issuers/acme/lists", key, "{\"size\":500}");
    RegistryCommand sent = server.gateway.commands.getLast();
    HttpResponse<String> retry = withKey("POST", "/issuers/acme/lists", key, "{\"size\":500}");
    RegistryCommand resent = server.gateway.commands.getLast();

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
    assertThat(json(retry).get("id")).isEqualTo(json(first).get("id"));
    assertThat(resent).isNotSameAs(sent).isInstanceOf(RegistryCommand.CreateList.class);
    assertThat(resent.listId()).isEqualTo(sent.listId());
    assertThat(resent.commandId()).isEqualTo(sent.commandId());
    assertThat(CommandFingerprint.of(resent)).isEqualTo(CommandFingerprint.of(sent));
    // Another body with the key: the same command id and list, another fingerprint.
    assertProblem(
        withKey("POST", "/issuers/acme/lists", key, "{\"size\":600}"),
        422,
        "idempotency-key-reused");
    RegistryCommand other = server.gateway.commands.getLast();
    assertThat(other.commandId()).isEqualTo(sent.commandId());
    assertThat(other.listId()).isEqualTo(sent.listId());
    assertThat(CommandFingerprint.of(other)).isNotEqualTo(CommandFingerprint.of(sent));
  }

  @Test
  void aRetriedIdentifierListCreationWithItsKeyNamesTheSameListInTheSameCommand() throws Exception {
    UUID key = UUID.randomUUID();
    HttpResponse<String> first =
        withKey("POST", "/issuers/acme/identifier-lists", key, "{\"size\":500}");
    RegistryCommand.CreateList sent =
        (RegistryCommand.CreateList) server.gateway.commands.getLast();
    HttpResponse<String> retry =
        withKey("POST", "/issuers/acme/identifier-lists", key, "{\"size\":500}");
    RegistryCommand.CreateList resent =
        (RegistryCommand.CreateList) server.gateway.commands.getLast();

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
    assertThat(json(retry).get("id")).isEqualTo(json(first).get("id"));
    assertThat(resent).isNotSameAs(sent);
    assertThat(resent.kind()).isEqualTo(ListKind.IDENTIFIER_LIST);
    assertThat(resent.listId()).isEqualTo(sent.listId());
    assertThat(resent.listId().name()).isEqualTo(json(first).get("id").asText());
    assertThat(resent.commandId()).isEqualTo(sent.commandId());
    assertThat(CommandFingerprint.of(resent))
        .as("the owner answers the retry with the first reply only for the same request")
        .isEqualTo(CommandFingerprint.of(sent));
  }

  @Test
  void anIdentifierListNeverHandsOutStatusListIndexes() throws Exception {
    String initech = server.tokens.bearer("initech", IssuerTokens.ALL_SCOPES);
    HttpResponse<String> created =
        server.json("POST", "/issuers/initech/identifier-lists", initech, "{\"size\":1000}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    ListId identifiers = ListId.of("initech", json(created).get("id").asText());
    PublishedToken t =
        FakeDirectory.token(
            identifiers, 1, Instant.now(), Duration.ofHours(1), Duration.ofMinutes(5), false);
    // Published with room, as the only list of the issuer.
    server.directory.publish(
        new PublishedToken(
            t.listId(),
            t.uri(),
            t.version(),
            PublishedToken.IDENTIFIER_LIST_BITS,
            t.size(),
            0,
            t.counts(),
            t.issuedAt(),
            t.expiresAt(),
            t.ttl(),
            t.kid(),
            t.etag(),
            new byte[0],
            t.cwt(),
            new byte[0],
            t.oldestChangeAt(),
            t.foldedEvents()));

    HttpResponse<String> anyList =
        server.json("POST", "/issuers/initech/allocations", initech, "{\"count\":1}");
    assertThat(anyList.statusCode()).as(anyList.body()).isEqualTo(201);
    assertThat(json(anyList).get("list").asText()).isNotEqualTo(identifiers.name());
    assertThat(server.gateway.commands)
        .filteredOn(c -> c instanceof RegistryCommand.AllocateIndexes)
        .extracting(RegistryCommand::listId)
        .doesNotContain(identifiers);

    assertProblem(
        server.json(
            "POST", "/issuers/initech/lists/" + identifiers.name() + "/allocations", initech, "{}"),
        422,
        "unprocessable");
  }

  @Test
  void aRouteOfTheOtherKindOfListIsRefusedBeforeASlotIsTaken() throws Exception {
    String hooli = server.tokens.bearer("hooli", IssuerTokens.ALL_SCOPES);
    HttpResponse<String> created =
        server.json("POST", "/issuers/hooli/identifier-lists", hooli, "{\"size\":1000}");
    ListId identifiers = ListId.of("hooli", json(created).get("id").asText());
    HttpResponse<String> statusList =
        server.json("POST", "/issuers/hooli/lists", hooli, "{\"size\":1000}");
    ListId indexes = ListId.of("hooli", json(statusList).get("id").asText());

    HttpResponse<String> asIndexes =
        server.json(
            "POST", "/issuers/hooli/lists/" + identifiers.name() + "/allocations", hooli, "{}");
    assertProblem(asIndexes, 422, "unprocessable");
    assertThat(json(asIndexes).get("detail").asText())
        .contains("is an identifier list: issue identifiers from it instead");
    HttpResponse<String> asIdentifiers =
        server.json(
            "POST",
            "/issuers/hooli/identifier-lists/" + indexes.name() + "/identifiers",
            hooli,
            "{\"count\":2}");
    assertProblem(asIdentifiers, 422, "unprocessable");
    assertThat(json(asIdentifiers).get("detail").asText()).contains("is a status list");

    // The owner took no slot of either list.
    assertThat(server.gateway.states.get(identifiers).meta().cursor()).isZero();
    assertThat(server.gateway.states.get(indexes).meta().cursor()).isZero();
    assertThat(server.gateway.commands)
        .filteredOn(c -> c instanceof RegistryCommand.AllocateIndexes)
        .filteredOn(c -> c.listId().equals(identifiers) || c.listId().equals(indexes))
        .extracting(c -> ((RegistryCommand.AllocateIndexes) c).kind())
        .containsExactly(ListKind.STATUS_LIST, ListKind.IDENTIFIER_LIST);
  }

  @Test
  void issuerLevelIdentifiersComeFromTheCurrentIdentifierListAndANewOneWhenItIsFull()
      throws Exception {
    String umbrella = server.tokens.bearer("umbrella", IssuerTokens.ALL_SCOPES);
    // A status list with room is never used for identifiers.
    server.json("POST", "/issuers/umbrella/lists", umbrella, "{\"size\":1000}");

    HttpResponse<String> first =
        server.json("POST", "/issuers/umbrella/identifiers", umbrella, "{\"count\":600}");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    JsonNode body = json(first);
    ListId list = ListId.of("umbrella", body.get("list").asText());
    assertThat(server.gateway.states.get(list).meta().isIdentifierList()).isTrue();
    assertThat(body.get("encoding").asText()).isEqualTo("base64url");
    assertThat(body.get("identifiers")).hasSize(600);
    JsonNode entry = body.get("identifiers").get(0);
    assertThat(entry.get("status").get("identifier_list").get("id")).isEqualTo(entry.get("id"));
    assertThat(entry.get("status").get("identifier_list").get("uri").asText())
        .isEqualTo(body.get("uri").asText())
        .endsWith("/statuslists/umbrella/" + list.name());
    assertThat(entry.get("status").get("identifier_list").has("certificate")).isFalse();

    // 400 left of 1000: the next 300 come from the same list, the 300 after from a new one.
    HttpResponse<String> second =
        server.json("POST", "/issuers/umbrella/identifiers", umbrella, "{\"count\":300}");
    assertThat(json(second).get("list").asText()).isEqualTo(list.name());
    UUID key = UUID.randomUUID();
    HttpResponse<String> third =
        withKey(umbrella, "POST", "/issuers/umbrella/identifiers", key, "{\"count\":300}");
    assertThat(third.statusCode()).as(third.body()).isEqualTo(201);
    ListId next = ListId.of("umbrella", json(third).get("list").asText());
    assertThat(next).isNotEqualTo(list);
    assertThat(server.gateway.states.get(next).meta().isIdentifierList()).isTrue();
    assertThat(server.gateway.states.get(next).meta().size()).isEqualTo(1000);

    // A retry with the key names the same new list and gets the same identifiers.
    long lists =
        server.gateway.states.keySet().stream()
            .filter(l -> l.issuer().value().equals("umbrella"))
            .count();
    HttpResponse<String> retry =
        withKey(umbrella, "POST", "/issuers/umbrella/identifiers", key, "{\"count\":300}");
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
    assertThat(json(retry).get("list")).isEqualTo(json(third).get("list"));
    assertThat(json(retry).get("identifiers")).isEqualTo(json(third).get("identifiers"));
    assertThat(
            server.gateway.states.keySet().stream()
                .filter(l -> l.issuer().value().equals("umbrella"))
                .count())
        .isEqualTo(lists);
    assertThat(server.gateway.states.get(next).meta().cursor()).isEqualTo(300);
  }

  @Test
  void aRetriedIssuerLevelAllocationThatCreatedAListCreatesNoSecondOne() throws Exception {
    // Lists default to 1000 entries; 900 fits no list of acme's with 1000 - used entries left.
    UUID key = UUID.randomUUID();
    server.json("POST", "/issuers/acme/allocations", acme, "{\"count\":999}");
    long lists =
        server.gateway.states.keySet().stream()
            .filter(l -> l.issuer().value().equals("acme"))
            .count();
    int before = server.gateway.commands.size();
    HttpResponse<String> first =
        withKey("POST", "/issuers/acme/allocations", key, "{\"count\":900}");
    RegistryCommand firstAllocation = server.gateway.commands.getLast();
    HttpResponse<String> retry =
        withKey("POST", "/issuers/acme/allocations", key, "{\"count\":900}");
    RegistryCommand retriedAllocation = server.gateway.commands.getLast();

    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
    assertThat(json(retry).get("uri")).isEqualTo(json(first).get("uri"));
    assertThat(json(retry).get("indexes")).isEqualTo(json(first).get("indexes"));
    assertThat(
            server.gateway.states.keySet().stream()
                .filter(l -> l.issuer().value().equals("acme"))
                .count())
        .as("one list created, by the first attempt")
        .isEqualTo(lists + 1);
    // What the API sends: the creations of both attempts name one list, and the retry's
    // allocation is the first one's command (the owner's reply to it is the first reply).
    assertThat(server.gateway.commands.subList(before, server.gateway.commands.size()))
        .filteredOn(c -> c instanceof RegistryCommand.CreateList)
        .extracting(RegistryCommand::listId)
        .containsOnly(ListId.of("acme", json(first).get("list").asText()));
    assertThat(retriedAllocation).isInstanceOf(RegistryCommand.AllocateIndexes.class);
    assertThat(retriedAllocation.commandId()).isEqualTo(firstAllocation.commandId());
    assertThat(retriedAllocation.listId()).isEqualTo(firstAllocation.listId());
  }

  @Test
  void readingAnIndexOutsideTheListIs422NotUnavailable() throws Exception {
    assertProblem(
        server.get("/issuers/acme/lists/" + list + "/entries/1000", "Authorization", acme),
        422,
        "unprocessable");
  }

  @Test
  void retiringAListStopsAllocationsButNotChanges() throws Exception {
    String retire = "/issuers/acme/lists/" + list + "/retire";
    assertProblem(
        server.json("POST", retire, server.tokens.bearer("acme", "status:write"), ""),
        403,
        "forbidden");
    assertProblem(server.json("POST", retire, other, ""), 403, "forbidden");
    assertProblem(
        server.json("POST", "/issuers/acme/lists/nolist/retire", acme, ""), 404, "list-not-found");
    assertProblem(server.json("POST", retire, acme, "{\"now\":true}"), 400, "malformed-request");

    HttpResponse<String> r = server.json("POST", retire, acme, "");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).get("retired").asBoolean()).isTrue();
    assertThat(server.json("POST", retire, acme, "{}").statusCode()).isEqualTo(200);

    assertProblem(
        server.json("POST", "/issuers/acme/lists/" + list + "/allocations", acme, "{}"),
        409,
        "list-retired");
    assertThat(
            server
                .json(
                    "PUT",
                    "/issuers/acme/lists/" + list + "/entries/" + idx,
                    acme,
                    "{\"status\":\"INVALID\"}")
                .statusCode())
        .isEqualTo(202);
  }

  @Test
  void allocatedIndexesAreCounted() throws Exception {
    double before = allocatedTotal();
    server.json("POST", "/issuers/acme/lists/" + list + "/allocations", acme, "{\"count\":7}");
    assertThat(allocatedTotal() - before).isEqualTo(7.0);
  }

  private static double allocatedTotal() {
    var counter = server.metrics.registry().find("statusreg.api.indexes.allocated").counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void errorKindsMapToTheirStatuses() throws Exception {
    String base = "/issuers/acme/lists/" + list + "/entries/";
    assertProblem(
        server.json(
            "PUT", "/issuers/acme/lists/nolist/entries/1", acme, "{\"status\":\"INVALID\"}"),
        404,
        "list-not-found");
    assertProblem(
        server.json("PUT", base + "5000", acme, "{\"status\":\"INVALID\"}"), 422, "unprocessable");
    long unallocated = (idx + 1) % 1000;
    assertProblem(
        server.json("PUT", base + unallocated, acme, "{\"status\":\"INVALID\"}"),
        422,
        "unprocessable");
    // bits=2 holds 0-3; 12 needs 4 bits.
    assertProblem(server.json("PUT", base + idx, acme, "{\"status\":12}"), 422, "unprocessable");
    assertProblem(
        server.json("PUT", base + idx, acme, "{\"status\":\"GONE\"}"), 400, "malformed-request");
    assertProblem(server.json("PUT", base + idx, acme, "{\"status\":5}"), 400, "malformed-request");
    // Long digit runs are refused by the registry's Status.parse itself, as text or as a number.
    for (String status :
        new String[] {"\"9999999999999999\"", "9999999999999999", "\"00000000000000001\""}) {
      assertProblem(
          server.json("PUT", base + idx, acme, "{\"status\":" + status + "}"),
          400,
          "malformed-request");
    }
    assertProblem(
        server.json("PUT", base + "abc", acme, "{\"status\":\"INVALID\"}"),
        400,
        "malformed-request");
    assertProblem(
        server.json("PUT", base + idx, acme, "{\"status\":\"INVALID\",\"reason\":\"because\"}"),
        400,
        "malformed-request");
    assertProblem(
        server.get("/issuers/acme/lists/nolist/entries/1", "Authorization", acme),
        404,
        "list-not-found");
  }

  @Test
  void bulkChangesAreAllOrNothing() throws Exception {
    HttpResponse<String> more =
        server.json("POST", "/issuers/acme/lists/" + list + "/allocations", acme, "{\"count\":2}");
    long a = json(more).get("indexes").get(0).asLong();
    long b = json(more).get("indexes").get(1).asLong();
    String path = "/issuers/acme/lists/" + list + "/entries";
    HttpResponse<String> ok =
        server.json(
            "POST",
            path,
            acme,
            "{\"changes\":[{\"idx\":"
                + a
                + ",\"status\":\"INVALID\",\"reason\":\"key_compromise\"},"
                + "{\"idx\":"
                + b
                + ",\"status\":\"SUSPENDED\"}]}");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(202);
    assertThat(json(ok).get("event_ids")).hasSize(2);
    // One refused change (a is revoked) refuses the whole request: b stays SUSPENDED.
    HttpResponse<String> refused =
        server.json(
            "POST",
            path,
            acme,
            "{\"changes\":[{\"idx\":"
                + b
                + ",\"status\":\"VALID\"},{\"idx\":"
                + a
                + ",\"status\":\"VALID\"}]}");
    assertProblem(refused, 409, "status-conflict");
    ListId id = ListId.of("acme", list);
    assertThat(server.gateway.states.get(id).statusAt(b)).isEqualTo(Status.SUSPENDED);
    StringBuilder tooMany = new StringBuilder("{\"changes\":[");
    for (int i = 0; i < 1001; i++) {
      tooMany.append(i == 0 ? "" : ",").append("{\"idx\":").append(a).append(",\"status\":1}");
    }
    assertProblem(
        server.json("POST", path, acme, tooMany.append("]}").toString()), 422, "unprocessable");
    assertProblem(server.json("POST", path, acme, "{\"changes\":[]}"), 422, "unprocessable");
    assertProblem(server.json("POST", path, acme, "{}"), 400, "malformed-request");
  }

  @Test
  void missingOrInvalidTokensAre401WithWwwAuthenticate() throws Exception {
    String path = "/issuers/acme/lists/" + list + "/entries/" + idx;
    String body = "{\"status\":\"INVALID\"}";
    int before = server.gateway.count();
    HttpResponse<String> none = server.json("PUT", path, null, body);
    assertProblem(none, 401, "unauthorized");
    assertThat(none.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");

    Instant inAnHour = Instant.now().plus(Duration.ofHours(1));
    String[] bad = {
      "Bearer not.a.jwt",
      "Basic dXNlcjpwYXNz",
      "Bearer "
          + IssuerTokens.token(
              server.tokens.key,
              IssuerTokens.ISS,
              IssuerTokens.AUD,
              "acme",
              IssuerTokens.ALL_SCOPES,
              Instant.now().minus(Duration.ofHours(1))),
      "Bearer "
          + IssuerTokens.token(
              server.tokens.key,
              IssuerTokens.ISS,
              "someone-else",
              "acme",
              IssuerTokens.ALL_SCOPES,
              inAnHour),
      "Bearer "
          + IssuerTokens.token(
              server.tokens.key,
              "https://evil.example",
              IssuerTokens.AUD,
              "acme",
              IssuerTokens.ALL_SCOPES,
              inAnHour),
      "Bearer "
          + IssuerTokens.token(
              server.tokens.otherKey,
              IssuerTokens.ISS,
              IssuerTokens.AUD,
              "acme",
              IssuerTokens.ALL_SCOPES,
              inAnHour),
      "Bearer "
          + IssuerTokens.token(
              server.tokens.key,
              IssuerTokens.ISS,
              IssuerTokens.AUD,
              null,
              IssuerTokens.ALL_SCOPES,
              inAnHour),
      // alg none: header {"alg":"none"} with the claims of a good token.
      "Bearer eyJhbGciOiJub25lIn0." + acme.split("\\.")[1] + ".",
    };
    for (String auth : bad) {
      HttpResponse<String> r = server.json("PUT", path, auth, body);
      assertProblem(r, 401, "unauthorized");
      assertThat(r.headers().firstValue("WWW-Authenticate").orElse(""))
          .contains("error=\"invalid_token\"");
      assertThat(json(r).get("detail").asText()).isEqualTo("the bearer token is not valid");
    }
    assertThat(server.gateway.count()).isEqualTo(before);
  }

  @Test
  void issuerACanNeverReadOrChangeIssuerBsLists() throws Exception {
    int before = server.gateway.count();
    String theirs = "/issuers/acme/lists/" + list;
    assertProblem(
        server.json("PUT", theirs + "/entries/" + idx, other, "{\"status\":\"INVALID\"}"),
        403,
        "forbidden");
    assertProblem(server.get(theirs + "/entries/" + idx, "Authorization", other), 403, "forbidden");
    assertProblem(
        server.json("POST", theirs + "/entries", other, "{\"changes\":[{\"idx\":1,\"status\":1}]}"),
        403,
        "forbidden");
    assertProblem(server.json("POST", theirs + "/allocations", other, "{}"), 403, "forbidden");
    assertProblem(server.json("POST", "/issuers/acme/lists", other, "{}"), 403, "forbidden");
    assertProblem(server.json("POST", "/issuers/acme/allocations", other, "{}"), 403, "forbidden");
    assertThat(server.gateway.count()).isEqualTo(before);
    assertThat(server.gateway.states.get(ListId.of("acme", list)).statusAt(idx))
        .isEqualTo(Status.VALID);
  }

  @Test
  void missingScopeIs403() throws Exception {
    int before = server.gateway.count();
    HttpResponse<String> r =
        server.json(
            "PUT",
            "/issuers/acme/lists/" + list + "/entries/" + idx,
            acmeReadOnly,
            "{\"status\":\"INVALID\"}");
    assertProblem(r, 403, "forbidden");
    assertThat(r.headers().firstValue("WWW-Authenticate").orElse(""))
        .contains("insufficient_scope");
    assertProblem(server.json("POST", "/issuers/acme/lists", acmeReadOnly, "{}"), 403, "forbidden");
    String writeOnly = server.tokens.bearer("acme", "status:write");
    assertProblem(
        server.get("/issuers/acme/lists/" + list + "/entries/" + idx, "Authorization", writeOnly),
        403,
        "forbidden");
    assertThat(server.gateway.count()).isEqualTo(before);
  }

  @Test
  void unreachableRegistryIs503WithoutInternals() throws Exception {
    server.gateway.unavailable = true;
    try {
      HttpResponse<String> r = revokeTheEntry();
      assertProblem(r, 503, "unavailable");
      assertThat(r.body()).doesNotContain("kafka down").doesNotContain("Exception");
    } finally {
      server.gateway.unavailable = false;
    }
    server.gateway.hang = true;
    try {
      assertProblem(revokeTheEntry(), 503, "unavailable");
    } finally {
      server.gateway.hang = false;
    }
  }

  @Test
  void anOwnerFaultIs500WithNothingInternalAndIsNotCalledRetryable() throws Exception {
    server.gateway.ownerFault = true;
    try {
      HttpResponse<String> r = revokeTheEntry();
      assertProblem(r, 500, "internal");
      assertThat(r.headers().firstValue("Retry-After")).isEmpty();
      assertThat(json(r).has("detail")).isFalse();
      assertThat(r.body()).doesNotContain("Exception").doesNotContain("owner");
    } finally {
      server.gateway.ownerFault = false;
    }
  }

  private HttpResponse<String> revokeTheEntry() throws Exception {
    return server.json(
        "PUT", "/issuers/acme/lists/" + list + "/entries/" + idx, acme, "{\"status\":\"INVALID\"}");
  }

  @Test
  void unknownRoutesAndMethodsAreProblems() throws Exception {
    assertProblem(server.get("/nothing/here"), 404, "not-found");
    HttpResponse<String> r = server.send(server.request("/health/live").DELETE().build());
    assertThat(r.statusCode()).isIn(404, 405);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void healthMetricsAndOpenApi() throws Exception {
    assertThat(server.get("/health/live").statusCode()).isEqualTo(200);
    assertThat(server.get("/health/ready").statusCode()).isEqualTo(200);
    server.directory.caughtUp = false;
    try {
      assertProblem(server.get("/health/ready"), 503, "unavailable");
    } finally {
      server.directory.caughtUp = true;
    }
    HttpResponse<String> metrics = server.get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("statusreg_http_requests_seconds_count{")
        .contains("route=\"/issuers/{issuer}/lists\"")
        .contains("statusreg_api_status_changes_total")
        .contains("jvm_memory_used_bytes")
        .doesNotContain("route=\"/issuers/acme");
    HttpResponse<String> openapi = server.get("/openapi.json");
    assertThat(openapi.statusCode()).isEqualTo(200);
    JsonNode doc = json(openapi);
    assertThat(doc.get("openapi").asText()).startsWith("3.1");
    for (io.statusreg.api.http.Route route : ApiServer.ROUTES) {
      assertThat(doc.get("paths").get(route.path()))
          .as("OpenAPI path %s", route.path())
          .isNotNull();
      assertThat(doc.get("paths").get(route.path()).get(route.method().toLowerCase()))
          .as("OpenAPI %s %s", route.method(), route.path())
          .isNotNull();
    }
  }
}
