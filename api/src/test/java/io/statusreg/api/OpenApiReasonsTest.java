package io.statusreg.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statusreg.registry.Reason;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The OpenAPI document lists every reason the API accepts: the codes and the RFC 5280 names. */
class OpenApiReasonsTest {
  @Test
  void theReasonEnumHoldsEveryCodeAndEveryRfc5280AliasAndNothingElse() throws Exception {
    JsonNode doc;
    try (InputStream in = ApiServer.class.getResourceAsStream("/io/statusreg/api/openapi.json")) {
      assertThat(in).as("the bundled OpenAPI document").isNotNull();
      doc = new ObjectMapper().readTree(in);
    }
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
}
