package io.statusreg.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.util.Base64;
import io.statusreg.api.testing.IssuerTokens;
import io.statusreg.api.testing.TestServer;
import io.statusreg.api.verifier.PublicKeys;
import io.statusreg.common.wire.PublishedToken;
import io.statusreg.registry.ListId;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.fold.ListState;
import io.statusreg.registry.identifiers.DevelopmentCertificate;
import io.statusreg.registry.keys.KeyRing;
import io.statusreg.registry.keys.SignatureAlgorithm;
import io.statusreg.registry.keys.SigningKey;
import io.statusreg.registry.keys.SigningKeys;
import io.statusreg.registry.keys.VerificationKeys;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.registry.tokens.CwtStatusListToken;
import io.statusreg.registry.tokens.JwtStatusListToken;
import io.statusreg.registry.tokens.StatusListClaims;
import io.statusreg.registry.tokens.TokenVerifier;
import io.statusreg.streams.publication.ListSigner;
import io.statusreg.streams.publication.RegistryListSigner;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fixtures for the independent IETF readers of {@code .ci/ietf-reader} (run by {@code
 * scripts/test.sh}): lists of 1, 2, 4 and 8 bits whose entries are set through the API (decided by
 * the real {@code Decider}), signed by the real {@link RegistryListSigner} with aggregation on and
 * a key that carries an {@code x5c}, and what the real HTTP server then answers: the JWT ({@code
 * Accept: application/statuslist+jwt}), the CWT ({@code Accept: application/statuslist+cwt}) and
 * {@code /.well-known/jwks.json}. One JSON per list in {@code api/target/ietf-reader}, with the
 * statuses set and the claims the tokens must carry; the project's own verifier reads them back
 * first, so a fixture that this test writes is one the registry stands behind.
 */
class IetfReaderFixturesTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String BASE = "http://localhost:8080";
  static final Path DIR = Path.of("target", "ietf-reader");
  static final Duration TTL = Duration.ofMinutes(5);
  static TestServer server;
  static String acme;
  static SigningKeys keys;
  static RegistryListSigner signer;

  @BeforeAll
  static void start() {
    Instant now = Instant.now();
    SigningKey key = SigningKey.generate(SignatureAlgorithm.ES256, "ietf-reader", now);
    byte[] leaf =
        DevelopmentCertificate.selfSigned(
            key,
            "statusreg ietf-reader fixtures",
            now.minusSeconds(60),
            now.plus(Duration.ofDays(1)));
    keys =
        new SigningKeys(Clock.systemUTC(), KeyRing.of(key.withX5c(List.of(Base64.encode(leaf)))));
    server =
        new TestServer(
            Clock.systemUTC(), Map.of("aggregation.enabled", "true"), PublicKeys.of(keys, false));
    acme = server.tokens.bearer("acme", IssuerTokens.ALL_SCOPES);
    signer = new RegistryListSigner(keys, 9, BASE, true);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aOneBitList() throws Exception {
    fixture(1, "revocation", List.of("INVALID", "VALID", "INVALID", "VALID"));
  }

  @Test
  void aTwoBitList() throws Exception {
    fixture(2, "message", List.of("INVALID", "SUSPENDED", "3", "VALID"));
  }

  @Test
  void aFourBitList() throws Exception {
    fixture(4, "message", List.of("INVALID", "SUSPENDED", "3", "12", "15", "VALID"));
  }

  @Test
  void anEightBitList() throws Exception {
    fixture(8, "message", List.of("INVALID", "SUSPENDED", "3", "12", "15", "VALID"));
  }

  @Test
  void theApiRefusesValuesTheDraftReservesOrTheListCannotHold() throws Exception {
    // 0x04-0x0B are reserved and 0x7f has no meaning: an 8-bit list takes 0-3 and 12-15 only, so
    // the fixtures cannot carry a value above 0x0F; a 1-bit list cannot hold SUSPENDED.
    String eight = create(8, "message");
    long idx = allocate(eight, 1).get(0);
    for (String status : List.of("127", "4", "11")) {
      assertThat(put(eight, idx, status).statusCode()).as(status).isEqualTo(400);
    }
    String one = create(1, "revocation");
    assertThat(put(one, allocate(one, 1).get(0), "SUSPENDED").statusCode()).isBetween(400, 499);
  }

  /**
   * Creates a list, allocates one index per status, sets each through {@code PUT .../entries/idx},
   * signs the list as the gateway's decider folded it, publishes it, fetches it over HTTP in both
   * forms, checks it with the project's own verifier and writes the fixture.
   */
  private static void fixture(int bits, String purposeCode, List<String> statuses)
      throws Exception {
    String name = create(bits, purposeCode);
    List<Long> indexes = allocate(name, statuses.size());
    Map<Long, Integer> expected = new LinkedHashMap<>();
    for (int i = 0; i < statuses.size(); i++) {
      String status = statuses.get(i);
      long idx = indexes.get(i);
      if (!status.equals("VALID")) {
        HttpResponse<String> r = put(name, idx, status);
        assertThat(r.statusCode()).as("%s at %d: %s", status, idx, r.body()).isEqualTo(202);
      }
      expected.put(idx, io.statusreg.registry.Status.parse(status).code());
    }
    ListId id = ListId.of("acme", name);
    ListState state = server.gateway.states.get(id);
    StatusList entries = state.entries();
    String uri = BASE + "/statuslists/acme/" + name;
    Instant iat = Instant.ofEpochSecond(Instant.now().minusSeconds(5).getEpochSecond());
    // a day: scripts/test.sh reads the fixtures after the whole ./mvnw verify, and jose checks exp
    Instant exp = iat.plus(Duration.ofDays(1));
    publish(id, uri, entries, Purpose.parse(purposeCode), iat, exp, indexes.size());

    String path = uri.substring(BASE.length());
    HttpResponse<String> jwt = server.get(path, "Accept", JwtStatusListToken.MEDIA_TYPE);
    assertThat(jwt.statusCode()).as(jwt.body()).isEqualTo(200);
    assertThat(jwt.headers().firstValue("Content-Type")).hasValue(JwtStatusListToken.MEDIA_TYPE);
    HttpResponse<byte[]> cwt =
        server.sendBytes(
            server.request(path).header("Accept", CwtStatusListToken.MEDIA_TYPE).GET().build());
    assertThat(cwt.statusCode()).isEqualTo(200);
    assertThat(cwt.headers().firstValue("Content-Type")).hasValue(CwtStatusListToken.MEDIA_TYPE);
    HttpResponse<String> jwks = server.get("/.well-known/jwks.json");
    assertThat(jwks.statusCode()).isEqualTo(200);

    // What the project's own verifier reads from what was served, with the served JWKS.
    TokenVerifier verifier = TokenVerifier.of(VerificationKeys.parse(jwks.body()));
    JwtStatusListToken readJwt = verifier.verifyJwt(jwt.body());
    CwtStatusListToken readCwt = verifier.verifyCwt(cwt.body());
    assertThat(readJwt.kid()).isEqualTo(keys.active().kid());
    assertThat(readJwt.x5c()).isNotEmpty();
    String aggregation = BASE + "/statuslists/acme";
    for (StatusListClaims claims : List.of(readJwt.claims(), readCwt.claims())) {
      assertThat(claims.subject()).isEqualTo(uri);
      assertThat(claims.issuedAt()).isEqualTo(iat);
      assertThat(claims.expiresAt()).isEqualTo(exp);
      assertThat(claims.ttl()).isEqualTo(TTL);
      assertThat(claims.bits()).isEqualTo(bits);
      assertThat(claims.aggregationUri()).isEqualTo(aggregation);
      expected.forEach(
          (idx, status) ->
              assertThat(claims.list().get(idx))
                  .as("%d bits, entry %d", bits, idx)
                  .isEqualTo(status));
    }
    assertThat(readJwt.lst())
        .isEqualTo(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(readCwt.lst()));

    Files.createDirectories(DIR);
    ObjectNode fixture = JSON.createObjectNode();
    fixture.put("uri", uri);
    fixture.put("bits", bits);
    ObjectNode exp_ = fixture.putObject("expected");
    expected.forEach((idx, status) -> exp_.put(Long.toString(idx), status));
    ObjectNode claims = fixture.putObject("claims");
    claims.put("sub", uri);
    claims.put("iat", iat.getEpochSecond());
    claims.put("exp", exp.getEpochSecond());
    claims.put("ttl", TTL.toSeconds());
    claims.put("aggregation_uri", aggregation);
    fixture.put("kid", keys.active().kid());
    fixture.put("jwt", jwt.body());
    fixture.put("cwt", java.util.Base64.getEncoder().encodeToString(cwt.body()));
    fixture.set("jwks", JSON.readTree(jwks.body()));
    Path file = DIR.resolve("list-" + bits + "-bits.json");
    Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(fixture));

    JsonNode written = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    assertThat(written.get("expected").size()).isEqualTo(statuses.size());
    assertThat(written.get("jwt").asText()).isEqualTo(jwt.body());
  }

  private static String create(int bits, String purpose) throws Exception {
    HttpResponse<String> created =
        server.json(
            "POST",
            "/issuers/acme/lists",
            acme,
            "{\"bits\":" + bits + ",\"size\":1000,\"purpose\":\"" + purpose + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return JSON.readTree(created.body()).get("id").asText();
  }

  private static List<Long> allocate(String list, int count) throws Exception {
    HttpResponse<String> r =
        server.json(
            "POST",
            "/issuers/acme/lists/" + list + "/allocations",
            acme,
            "{\"count\":" + count + "}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    List<Long> out = new java.util.ArrayList<>();
    JSON.readTree(r.body()).get("indexes").forEach(i -> out.add(i.asLong()));
    assertThat(out).hasSize(count);
    return out;
  }

  private static HttpResponse<String> put(String list, long idx, String status) {
    return server.json(
        "PUT",
        "/issuers/acme/lists/" + list + "/entries/" + idx,
        acme,
        "{\"status\":\"" + status + "\"}");
  }

  private static void publish(
      ListId list,
      String uri,
      StatusList entries,
      Purpose purpose,
      Instant iat,
      Instant exp,
      long allocated) {
    ListSigner.SignedList signed = signer.sign(list, uri, entries, purpose, TTL, iat, exp);
    server.directory.publish(
        new PublishedToken(
            list,
            uri,
            1,
            entries.bits(),
            entries.size(),
            allocated,
            entries.histogram(),
            iat,
            exp,
            TTL,
            signed.kid(),
            "\"ietf-" + list.name() + "\"",
            signed.jwt(),
            signed.cwt(),
            signed.w3c(),
            iat,
            3));
  }
}
