package io.statusreg.api.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.statusreg.api.problems.ApiProblem;
import io.statusreg.api.problems.ProblemKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * A request body read under a size cap and parsed strictly as one JSON object: bounded nesting,
 * number and string lengths, no duplicate keys, no trailing content, no unknown fields. Typed
 * getters refuse wrong types with a 400 problem instead of coercing.
 */
public final class JsonBody {
  private static final ObjectMapper JSON =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(16)
                          .maxNumberLength(32)
                          .maxStringLength(4_096)
                          .build())
                  .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(JsonParser.Feature.ALLOW_COMMENTS);

  private final ObjectNode node;
  private final String where;

  private JsonBody(ObjectNode node, String where) {
    this.node = node;
    this.where = where;
  }

  /** Reads and parses the request body; an empty body is an empty object. */
  public static JsonBody read(Context ctx, long maxBytes) {
    String type = ctx.header("Content-Type");
    if (type != null && !isJson(type)) {
      throw new ApiProblem(
          ProblemKind.UNSUPPORTED_MEDIA_TYPE, "send application/json, encoded as UTF-8");
    }
    byte[] bytes = readCapped(ctx, maxBytes);
    return parse(bytes);
  }

  /**
   * Whether a Content-Type names JSON in UTF-8: {@code application/json} or {@code +json}, with no
   * charset parameter or {@code charset=utf-8} (RFC 8259 allows no other encoding).
   */
  static boolean isJson(String contentType) {
    String[] parts = contentType.split(";");
    String base = parts[0].trim().toLowerCase(Locale.ROOT);
    if (!base.equals("application/json") && !base.endsWith("+json")) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String param = parts[i].trim().toLowerCase(Locale.ROOT);
      if (param.startsWith("charset=")) {
        String charset = param.substring("charset=".length()).replace("\"", "");
        if (!charset.equals("utf-8") && !charset.equals("utf8")) {
          return false;
        }
      }
    }
    return true;
  }

  /** Reads the body, refusing with 413 as soon as it exceeds {@code maxBytes}. */
  public static byte[] readCapped(Context ctx, long maxBytes) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBytes) {
      throw tooLarge(maxBytes);
    }
    try (InputStream in = ctx.req().getInputStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(8192, maxBytes));
      byte[] buffer = new byte[8192];
      long total = 0;
      int n;
      while ((n = in.read(buffer)) > 0) {
        total += n;
        if (total > maxBytes) {
          throw tooLarge(maxBytes);
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new ApiProblem(ProblemKind.MALFORMED_REQUEST, "the request body could not be read");
    }
  }

  private static ApiProblem tooLarge(long maxBytes) {
    return new ApiProblem(
        ProblemKind.BODY_TOO_LARGE, "request bodies are limited to " + maxBytes + " bytes");
  }

  /**
   * Parses bytes as one JSON object in UTF-8. Jackson would detect UTF-16 and UTF-32 from the first
   * bytes and read them: the bytes are decoded strictly as UTF-8 first (malformed sequences, a byte
   * order mark and NUL bytes refused), and the parser reads the decoded text.
   */
  public static JsonBody parse(byte[] bytes) {
    if (isBlank(bytes)) {
      return new JsonBody(JSON.createObjectNode(), "body");
    }
    String text = utf8(bytes);
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (IOException | RuntimeException e) {
      throw new ApiProblem(
          ProblemKind.MALFORMED_REQUEST, "the body is not well-formed JSON within the limits");
    }
    if (!(root instanceof ObjectNode object)) {
      throw new ApiProblem(ProblemKind.MALFORMED_REQUEST, "the body must be a JSON object");
    }
    return new JsonBody(object, "body");
  }

  private static String utf8(byte[] bytes) {
    for (byte b : bytes) {
      if (b == 0) {
        throw notUtf8();
      }
    }
    if (bytes.length >= 3
        && (bytes[0] & 0xff) == 0xef
        && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf) {
      throw notUtf8(); // a byte order mark: RFC 8259 section 8.1
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw notUtf8();
    }
  }

  private static ApiProblem notUtf8() {
    return new ApiProblem(
        ProblemKind.MALFORMED_REQUEST, "the body must be JSON encoded as UTF-8, with no BOM");
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  /** Refuses any field not in {@code known}. */
  public JsonBody onlyFields(Set<String> known) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw malformed("unknown field " + quote(name) + " in " + where + "; known: " + known);
      }
    }
    return this;
  }

  public boolean has(String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  public long longValue(String field, long def) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw malformed(where + "." + field + " must be an integer");
    }
    return v.longValue();
  }

  public int intValue(String field, int def) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw malformed(where + "." + field + " must be an integer in the 32-bit range");
    }
    return v.intValue();
  }

  public long requiredLong(String field) {
    if (!has(field)) {
      throw malformed(where + "." + field + " is required");
    }
    return longValue(field, 0);
  }

  /** A string field, or {@code def} when absent or null. */
  public String string(String field, String def) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.isTextual()) {
      throw malformed(where + "." + field + " must be a string");
    }
    return v.textValue();
  }

  /** A field that may be a string or an integer, as its text form; {@code null} when absent. */
  public String stringOrInteger(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    if (v.isIntegralNumber() && v.canConvertToInt()) {
      return Integer.toString(v.intValue());
    }
    throw malformed(where + "." + field + " must be a string or an integer");
  }

  /** An array of objects; empty when absent. */
  public java.util.List<JsonBody> objects(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return java.util.List.of();
    }
    if (!v.isArray()) {
      throw malformed(where + "." + field + " must be an array");
    }
    java.util.List<JsonBody> out = new java.util.ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      if (!(v.get(i) instanceof ObjectNode o)) {
        throw malformed(where + "." + field + "[" + i + "] must be an object");
      }
      out.add(new JsonBody(o, field + "[" + i + "]"));
    }
    return out;
  }

  /** An array of strings; empty when absent. */
  public java.util.List<String> strings(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return java.util.List.of();
    }
    if (!v.isArray()) {
      throw malformed(where + "." + field + " must be an array");
    }
    java.util.List<String> out = new java.util.ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual()) {
        throw malformed(where + "." + field + "[" + i + "] must be a string");
      }
      out.add(v.get(i).asText());
    }
    return out;
  }

  public int arraySize(String field) {
    JsonNode v = node.get(field);
    return v == null || !v.isArray() ? 0 : v.size();
  }

  private static ApiProblem malformed(String detail) {
    return new ApiProblem(ProblemKind.MALFORMED_REQUEST, detail);
  }

  private static String quote(String raw) {
    StringBuilder out = new StringBuilder("'");
    int limit = Math.min(raw.length(), 40);
    for (int i = 0; i < limit; i++) {
      char c = raw.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out.append(raw.length() > limit ? "...'" : "'").toString();
  }
}
