package io.statusreg.streams;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * One line of the audit trail ({@code statusreg.audit}): a single JSON object, fields in the order
 * given, every string escaped by the JSON writer, so that no field value (a bearer token's {@code
 * sub}, a path segment) can end the line or forge another one. Strings are cut at {@link
 * #MAX_STRING} characters.
 *
 * <pre>
 * {"actor":"issuer:client-7","list":"acme/employees","idx":42,"old":"VALID","new":"INVALID",...}
 * </pre>
 */
public final class AuditLine {
  /** Longest string value written; longer ones end in {@code ...}. */
  public static final int MAX_STRING = 200;

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII)
          .build();

  private final StringWriter out = new StringWriter(192);
  private final JsonGenerator json;

  private AuditLine() {
    try {
      json = JSON.createGenerator(out);
      json.writeStartObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static AuditLine start() {
    return new AuditLine();
  }

  /** A string field; {@code null} is written as JSON null. */
  public AuditLine field(String name, String value) {
    try {
      if (value == null) {
        json.writeNullField(name);
      } else {
        json.writeStringField(
            name, value.length() > MAX_STRING ? value.substring(0, MAX_STRING) + "..." : value);
      }
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public AuditLine field(String name, long value) {
    try {
      json.writeNumberField(name, value);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The finished line: one JSON object, no line break. */
  public String line() {
    try {
      json.writeEndObject();
      json.close();
      return out.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
