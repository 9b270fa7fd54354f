package io.statusreg.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Where {@code statusreg dev} leaves its addresses under its data directory, so that the tools run
 * on the same machine ({@code topics}, {@code snapshot}, {@code replay}, {@code audit}, {@code
 * reset}, {@code analytics}) find it when no flag, environment variable or properties file names
 * one:
 *
 * <ul>
 *   <li>{@value #BOOTSTRAP_FILE}: the embedded broker's bootstrap servers ({@code host:port});
 *   <li>{@value #HTTP_URL_FILE}: the HTTP server's base URL ({@code http://localhost:8080}).
 * </ul>
 *
 * Each file holds one line and is rewritten at every start of dev (its ports may change). A file
 * left by a dev that has stopped names an address nobody answers at: the tools print which address
 * they use and where it came from.
 */
public final class DevAddresses {
  /** The data directory dev uses by default, relative to the working directory. */
  public static final Path DEFAULT_DATA_DIR = Path.of("data");

  /** The broker's bootstrap servers, relative to the data directory. */
  public static final String BOOTSTRAP_FILE = "kafka/bootstrap";

  /** The HTTP server's base URL, relative to the data directory. */
  public static final String HTTP_URL_FILE = "http-url";

  private DevAddresses() {}

  /** Writes the bootstrap servers of dev's broker (replacing what an earlier start wrote). */
  public static Path writeBootstrap(Path dataDir, String bootstrapServers) {
    return write(dataDir.resolve(BOOTSTRAP_FILE), bootstrapServers);
  }

  /** Writes the base URL of dev's HTTP server (replacing what an earlier start wrote). */
  public static Path writeHttpUrl(Path dataDir, String baseUrl) {
    return write(dataDir.resolve(HTTP_URL_FILE), baseUrl);
  }

  /** The bootstrap servers dev wrote under {@code dataDir}, if any. */
  public static Optional<String> bootstrap(Path dataDir) {
    return read(dataDir.resolve(BOOTSTRAP_FILE));
  }

  /** The HTTP base URL dev wrote under {@code dataDir}, if any. */
  public static Optional<String> httpUrl(Path dataDir) {
    return read(dataDir.resolve(HTTP_URL_FILE));
  }

  /** The first line of {@code file}, stripped; empty when the file is missing or blank. */
  static Optional<String> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      int eol = text.indexOf('\n');
      String line = (eol < 0 ? text : text.substring(0, eol)).strip();
      return line.isEmpty() ? Optional.empty() : Optional.of(line);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file, e);
    }
  }

  private static Path write(Path file, String value) {
    if (value == null || value.isBlank() || value.contains("\n")) {
      throw new IllegalArgumentException("an address is one non-empty line, got " + value);
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, value.strip() + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + file, e);
    }
  }
}
