package io.statusreg.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import io.statusreg.api.testing.IssuerTokens;
import io.statusreg.api.testing.TestServer;
import io.statusreg.common.wire.PublishedToken;
import io.statusreg.registry.ListId;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.keys.SigningKeys;
import io.statusreg.registry.lists.StatusList;
import io.statusreg.streams.publication.ListSigner;
import io.statusreg.streams.publication.RegistryListSigner;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The assertions of w3c/vc-bitstring-status-list-test-suite (tests/10-data_model.js and the
 * validate algorithm of tests/20-algorithms.js) that a status list server can be held to without a
 * VC-API issuer, written here in Java against what this server answers: the {@code
 * BitstringStatusListEntry} of an allocation answer, and the {@code BitstringStatusListCredential}
 * its {@code statusListCredential} dereferences to (signed by the real signer, served by the real
 * HTTP server). README, "W3C test suite", lists the assertions that cannot run and why.
 */
class W3cSuiteAssertionsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String BASE = "http://localhost:8080";
  static TestServer server;
  static String acme;
  static SigningKeys keys;
  static RegistryListSigner signer;

  @BeforeAll
  static void start() {
    server = new TestServer(Clock.systemUTC());
    acme = server.tokens.bearer("acme", IssuerTokens.ALL_SCOPES);
    keys = SigningKeys.development(Clock.systemUTC());
    signer = new RegistryListSigner(keys, 9, BASE);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aOneBitRevocationList() throws Exception {
    check(1, Purpose.REVOCATION, 1, true);
  }

  @Test
  void aTwoBitListIsAMessageListWithStatusSizeAndMessages() throws Exception {
    check(2, Purpose.REVOCATION, 2, false);
  }

  @Test
  void anEightBitMessageList() throws Exception {
    check(8, Purpose.MESSAGE, 3, false);
  }

  @Test
  void aSuspensionList() throws Exception {
    check(2, Purpose.SUSPENSION, 2, true);
  }

  /**
   * Creates a list, allocates two indexes, sets {@code value} at the first, publishes the list as
   * the real signer signs it, then runs the suite's assertions on entry and credential.
   */
  private static void check(int bits, Purpose purpose, int value, boolean booleanPurpose)
      throws Exception {
    HttpResponse<String> created =
        server.json(
            "POST",
            "/issuers/acme/lists",
            acme,
            "{\"bits\":" + bits + ",\"size\":1000,\"purpose\":\"" + purpose.code() + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String name = JSON.readTree(created.body()).get("id").asText();
    JsonNode allocation =
        JSON.readTree(
            server
                .json("POST", "/issuers/acme/lists/" + name + "/allocations", acme, "{\"count\":2}")
                .body());
    JsonNode set = allocation.get("credential_status").get(0);
    JsonNode untouched = allocation.get("credential_status").get(1);
    long idx = allocation.get("indexes").get(0).asLong();
    String uri = allocation.get("uri").asText();
    publish(ListId.of("acme", name), uri, StatusList.empty(bits, 1000).with(idx, value), purpose);

    for (JsonNode entry : new JsonNode[] {set, untouched}) {
      int expectedValue = entry == set ? (booleanPurpose ? 1 : value) : 0;
      writeFixture(entry, dereference(entry.get("statusListCredential").asText()), expectedValue);
      // Data Model: BitstringStatusList Entry
      assertThat(entry.get("id").isTextual()).as("id is a string").isTrue();
      assertThat(URI.create(entry.get("id").asText()).isAbsolute()).isTrue();
      assertThat(entry.get("id").asText()).as("id is not the list's URL").isNotEqualTo(uri);
      assertThat(entry.get("type").asText()).isEqualTo("BitstringStatusListEntry");
      assertThat(entry.get("statusPurpose").isTextual()).isTrue();
      String index = entry.get("statusListIndex").asText();
      assertThat(entry.get("statusListIndex").isTextual()).isTrue();
      assertThat(String.valueOf(Long.parseLong(index))).as("base 10, no padding").isEqualTo(index);
      assertThat(Long.parseLong(index)).isGreaterThanOrEqualTo(0);
      assertThat(entry.get("statusListCredential").isTextual()).isTrue();
      assertThat(URI.create(entry.get("statusListCredential").asText()).isAbsolute()).isTrue();
      if (entry.has("statusSize")) {
        assertThat(entry.get("statusSize").isInt()).isTrue();
        assertThat(entry.get("statusSize").asInt()).isGreaterThan(0);
        if (entry.get("statusSize").asInt() > 1) {
          assertThat(entry.has("statusMessage")).as("statusMessage when statusSize > 1").isTrue();
        }
      }
      if (entry.has("statusMessage")) {
        // The Recommendation: one message per possible value, 2^statusSize. (The suite compares
        // the length with statusSize itself; see README.)
        assertThat(entry.get("statusMessage").isArray()).isTrue();
        assertThat(entry.get("statusMessage")).hasSize(1 << entry.path("statusSize").asInt(1));
        for (JsonNode m : entry.get("statusMessage")) {
          assertThat(m.get("status").asText()).matches("0x[0-9a-f]+");
          assertThat(m.get("message").isTextual()).isTrue();
        }
      }
      assertThat(entry.has("statusReference")).isFalse();

      // Dereferencing statusListCredential: the BitstringStatusListCredential
      JsonNode slc = dereference(entry.get("statusListCredential").asText());
      assertThat(slc.get("@context").get(0).asText())
          .isEqualTo("https://www.w3.org/ns/credentials/v2");
      assertThat(slc.get("id").asText())
          .as("the credential's id is statusListCredential")
          .isEqualTo(entry.get("statusListCredential").asText());
      assertThat(slc.get("type").isArray()).isTrue();
      assertThat(slc.get("type").toString())
          .contains("\"VerifiableCredential\"")
          .contains("\"BitstringStatusListCredential\"");
      assertThat(URI.create(slc.get("issuer").asText()).isAbsolute()).isTrue();
      Instant validFrom = OffsetDateTime.parse(slc.get("validFrom").asText()).toInstant();
      Instant validUntil = OffsetDateTime.parse(slc.get("validUntil").asText()).toInstant();
      assertThat(validFrom).isBefore(validUntil);
      JsonNode subject = slc.get("credentialSubject");
      assertThat(subject.get("type").asText()).isEqualTo("BitstringStatusList");
      assertThat(subject.get("statusPurpose").isTextual()).isTrue();
      String encodedList = subject.get("encodedList").asText();
      assertThat(encodedList).startsWith("u").doesNotContain("=").doesNotContain("+", "/");
      byte[] bitstring =
          new GZIPInputStream(
                  new ByteArrayInputStream(Base64.getUrlDecoder().decode(encodedList.substring(1))))
              .readAllBytes();
      assertThat(bitstring.length).as("at least 16 KiB uncompressed").isGreaterThanOrEqualTo(16384);

      // Validate algorithm: purposes must match; the value is statusSize bits at index * size,
      // most significant bit first.
      assertThat(subject.get("statusPurpose").asText())
          .isEqualTo(entry.get("statusPurpose").asText());
      int size = entry.path("statusSize").asInt(1);
      int read = read(bitstring, Long.parseLong(index), size);
      int expected = entry == set ? (booleanPurpose ? 1 : value) : 0;
      assertThat(read).as("%s %d bits, entry %s", purpose, bits, index).isEqualTo(expected);
      if (!booleanPurpose) {
        assertThat(subject.get("statusSize").asInt()).isEqualTo(size);
        assertThat(subject.get("statusMessages")).hasSize(1 << size);
        String status = "0x" + Integer.toHexString(read);
        assertThat(entry.get("statusMessage").toString()).contains("\"" + status + "\"");
      }
    }
  }

  /**
   * Leaves the entry, the credential it dereferences to and the value a reader must find for {@code
   * .ci/w3c-reader} (Digital Bazaar's vc-bitstring-status-list, run by {@code scripts/test.sh}).
   */
  private static void writeFixture(JsonNode entry, JsonNode slc, int expected) throws Exception {
    java.nio.file.Path dir = java.nio.file.Path.of("target", "w3c-reader");
    java.nio.file.Files.createDirectories(dir);
    com.fasterxml.jackson.databind.node.ObjectNode fixture = JSON.createObjectNode();
    fixture.set("credentialStatus", entry);
    fixture.set("statusListCredential", slc);
    fixture.put("expected", expected);
    String name = entry.get("id").asText().replaceAll("[^A-Za-z0-9]", "_");
    java.nio.file.Files.writeString(
        dir.resolve(name.substring(Math.max(0, name.length() - 80)) + ".json"),
        JSON.writeValueAsString(fixture));
  }

  private static void publish(ListId list, String uri, StatusList entries, Purpose purpose) {
    Instant iat = Instant.now().minusSeconds(5);
    ListSigner.SignedList signed =
        signer.sign(
            list, uri, entries, purpose, Duration.ofMinutes(5), iat, iat.plus(Duration.ofHours(1)));
    server.directory.publish(
        new PublishedToken(
            list,
            uri,
            1,
            entries.bits(),
            entries.size(),
            2,
            new long[] {entries.size() - 1, 1},
            iat,
            iat.plus(Duration.ofHours(1)),
            Duration.ofMinutes(5),
            signed.kid(),
            "\"w3c-" + list.name() + "\"",
            signed.jwt(),
            signed.cwt(),
            signed.w3c(),
            iat,
            3));
  }

  private static JsonNode dereference(String url) throws Exception {
    assertThat(url).startsWith(BASE);
    HttpResponse<String> r =
        server.get(url.substring(BASE.length()), "Accept", "application/vc+jwt");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/vc+jwt");
    JWSObject jws = JWSObject.parse(r.body());
    assertThat(jws.getHeader().getType().getType()).isEqualTo("vc+jwt");
    assertThat(jws.getHeader().getCustomParam("iss")).isEqualTo(BASE + "/issuers/acme");
    assertThat(jws.verify(new ECDSAVerifier((ECPublicKey) keys.active().publicKey()))).isTrue();
    return JSON.readTree(jws.getPayload().toString().getBytes(StandardCharsets.UTF_8));
  }

  private static int read(byte[] bitstring, long index, int size) {
    int value = 0;
    for (int b = 0; b < size; b++) {
      long bit = index * size + b;
      int v = (bitstring[(int) (bit >>> 3)] >>> (7 - (int) (bit & 7))) & 1;
      value = (value << 1) | v;
    }
    return value;
  }
}
