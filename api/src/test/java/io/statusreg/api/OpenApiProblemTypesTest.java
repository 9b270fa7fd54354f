package io.statusreg.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statusreg.api.problems.ProblemKind;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The OpenAPI document's Problem schema names exactly the problem types the API can send. */
class OpenApiProblemTypesTest {
  @Test
  void theProblemTypeEnumIsEveryProblemKindAndNothingElse() throws Exception {
    JsonNode doc;
    try (InputStream in = ApiServer.class.getResourceAsStream("/io/statusreg/api/openapi.json")) {
      assertThat(in).as("the bundled OpenAPI document").isNotNull();
      doc = new ObjectMapper().readTree(in);
    }
    JsonNode type = doc.at("/components/schemas/Problem/properties/type/enum");
    assertThat(type.isArray()).as("Problem.type has an enum").isTrue();
    List<String> listed = new ArrayList<>();
    type.forEach(v -> listed.add(v.asText()));
    assertThat(listed)
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(ProblemKind.values()).map(k -> k.type().toString()).toList());
  }
}
