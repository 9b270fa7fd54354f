package io.statusreg.api.problems;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The one problem document writer: its 5xx documents never carry a detail, but a 503's. */
class ProblemsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode body(ProblemKind kind, String detail) throws Exception {
    return JSON.readTree(Problems.body(kind, detail));
  }

  @Test
  void aServerErrorsDetailIsDroppedWhoeverWritesItButAnUnavailablesIsKept() throws Exception {
    JsonNode internal = body(ProblemKind.INTERNAL, "NullPointerException at Foo.java:12");
    assertThat(internal.has("detail")).isFalse();
    assertThat(internal.get("status").asInt()).isEqualTo(500);
    assertThat(internal.get("type").asText()).isEqualTo("https://statusreg.io/problems/internal");
    assertThat(body(ProblemKind.HTTP_VERSION_NOT_SUPPORTED, "jetty said").has("detail")).isFalse();

    assertThat(body(ProblemKind.UNAVAILABLE, "retry").get("detail").asText()).isEqualTo("retry");
    assertThat(body(ProblemKind.LIST_NOT_FOUND, "no list").get("detail").asText())
        .isEqualTo("no list");
    assertThat(body(ProblemKind.NOT_FOUND, null).has("detail")).isFalse();
  }
}
