package io.statusreg.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

/** Writes JSON responses (the API builds its documents as trees, not through reflection). */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static byte[] bytes(Object tree) {
    try {
      return MAPPER.writeValueAsBytes(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("writing a JSON response", e);
    }
  }

  public static void write(Context ctx, int status, Object tree) {
    ctx.status(status);
    ctx.res().setContentType("application/json");
    ctx.res().setCharacterEncoding(null);
    ctx.result(bytes(tree));
  }
}
