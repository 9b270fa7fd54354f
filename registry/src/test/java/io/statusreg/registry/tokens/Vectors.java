package io.statusreg.registry.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The official test vectors in {@code shared/vectors}, found by walking up from the working
 * directory (so it works in the main checkout and in a worktree whose parent links shared/).
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
    try {
      return new ObjectMapper().readTree(dir().resolve(name).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("reading vectors " + name, e);
    }
  }

  static Path dir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared").resolve("vectors");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "no shared/vectors folder above " + Path.of("").toAbsolutePath());
  }
}
