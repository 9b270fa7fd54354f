package io.statusreg.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statusreg.api.problems.ProblemKind;
import io.statusreg.registry.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAPI document's closed sets agree with the code: the reasons and the problem types. */
class OpenApiDocumentTest {
  static JsonNode doc;

  @BeforeAll
  static void read() throws IOException {
    try (InputStream in = ApiServer.class.getResourceAsStream("/io/statusreg/api/openapi.json")) {
      assertThat(in).as("the bundled OpenAPI document").isNotNull();
      doc = new ObjectMapper().readTree(in);
    }
  }

  @Test
  void theReasonEnumHoldsEveryCodeAndEveryRfc5280AliasAndNothingElse() {
    List<JsonNode> reasons = new ArrayList<>();
    doc.findParents("reason").stream()
        .map(p -> p.get("reason"))
        .filter(r -> r.has("enum"))
        .forEach(reasons::add);
    assertThat(reasons).as("a reason schema with an enum").isNotEmpty();

    List<String> expected = new ArrayList<>();
    for (Reason r : Reason.values()) {
      expected.add(r.code());
    }
    expected.addAll(
        Reason.rfc5280Aliases().keySet().stream()
            .filter(alias -> !expected.contains(alias))
            .toList());
    for (JsonNode reason : reasons) {
      List<String> listed = new ArrayList<>();
      reason.get("enum").forEach(v -> listed.add(v.asText()));
      assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
      for (String name : listed) {
        assertThat(Reason.parse(name)).as("the API accepts %s", name).isNotNull();
      }
      assertThat(reason.get("description").asText()).contains("RFC 5280", "keyCompromise");
    }
  }

  @Test
  void theProblemTypeEnumIsEveryProblemKindAndNothingElse() {
    JsonNode type = doc.at("/components/schemas/Problem/properties/type/enum");
    assertThat(type.isArray()).as("Problem.type has an enum").isTrue();
    List<String> listed = new ArrayList<>();
    type.forEach(v -> listed.add(v.asText()));
    assertThat(listed)
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(ProblemKind.values()).map(k -> k.type().toString()).toList());
  }
}
