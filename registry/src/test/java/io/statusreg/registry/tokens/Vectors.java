package io.statusreg.registry.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The official test vectors, kept in this module's test resources ({@code vectors/}, with their
 * source and licence in {@code vectors/README.md}) and read from the class path, so that no test
 * depends on anything outside the checkout.
 */
final class Vectors {
  private Vectors() {}

  static JsonNode ietf() {
    return read("ietf-status-list-vectors.json");
  }

  static JsonNode w3c() {
    return read("w3c-bitstring-status-list-vectors.json");
  }

  static JsonNode read(String name) {
    String resource = "/vectors/" + name;
    try (InputStream in = Vectors.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("test resource " + resource + " is missing");
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("reading vectors " + name, e);
    }
  }
}
