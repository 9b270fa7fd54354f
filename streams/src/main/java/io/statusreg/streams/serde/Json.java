package io.statusreg.streams.serde;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statusreg.registry.Actor;
import io.statusreg.registry.RegistryException;
import java.io.IOException;

/** Strict JSON reading helpers shared by the wire codecs of this package. */
final class Json {
  static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  static JsonNode parse(byte[] bytes, String what) {
    if (bytes == null) {
      throw new RegistryException.InvalidInput(what + " is empty");
    }
    JsonNode o;
    try {
      o = MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new RegistryException.InvalidInput(what + " is not valid JSON", e);
    }
    if (o == null || !o.isObject()) {
      throw new RegistryException.InvalidInput(what + " must be a JSON object");
    }
    return o;
  }

  static byte[] write(ObjectNode o) {
    try {
      return MAPPER.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new RegistryException("encoding " + o.path("type").asText("record"), e);
    }
  }

  static JsonNode required(JsonNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null || n.isNull()) {
      throw new RegistryException.InvalidInput("field '" + field + "' is missing");
    }
    return n;
  }

  static String text(JsonNode o, String field) {
    JsonNode n = required(o, field);
    if (!n.isTextual()) {
      throw new RegistryException.InvalidInput("field '" + field + "' must be a string");
    }
    return n.asText();
  }

  static long longValue(JsonNode o, String field) {
    JsonNode n = required(o, field);
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new RegistryException.InvalidInput("field '" + field + "' must be an integer");
    }
    return n.asLong();
  }

  static int intValue(JsonNode o, String field) {
    long v = longValue(o, field);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new RegistryException.InvalidInput("field '" + field + "' is out of range");
    }
    return (int) v;
  }

  static boolean bool(JsonNode o, String field) {
    JsonNode n = required(o, field);
    if (!n.isBoolean()) {
      throw new RegistryException.InvalidInput("field '" + field + "' must be true or false");
    }
    return n.asBoolean();
  }

  static void checkVersion(JsonNode o, int expected, String what) {
    int v = intValue(o, "v");
    if (v != expected) {
      throw new RegistryException.InvalidInput("unsupported " + what + " version " + v);
    }
  }

  static void putActor(ObjectNode o, Actor actor) {
    ObjectNode a = o.putObject("actor");
    a.put("kind", actor.kind().code());
    a.put("sub", actor.subject());
  }

  static Actor actor(JsonNode o) {
    JsonNode a = required(o, "actor");
    return new Actor(Actor.Kind.parse(text(a, "kind")), text(a, "sub"));
  }

  /** Wraps any runtime failure of decoding untrusted bytes as {@link RegistryException}. */
  static <T> T decoding(String what, java.util.function.Supplier<T> decoder) {
    try {
      return decoder.get();
    } catch (RegistryException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new RegistryException.InvalidInput("malformed " + what + ": " + e.getMessage(), e);
    }
  }
}
