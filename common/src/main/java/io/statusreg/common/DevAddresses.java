package io.statusreg.common;

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
 *   <li>{@value #HTTP_URL_FILE}: the HTTP server's base URL ({@code http://localhost:8080});
 *   <li>{@value #SETTINGS_FILE}: the topic settings dev runs with (one broker: replication factor
 *       1, min ISR 1, ...), so that a tool that uses dev's broker also expects dev's topics.
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

  /** The topic settings dev runs with (a properties file), relative to the data directory. */
  public static final String SETTINGS_FILE = "dev-settings.properties";

  /** The settings of {@link #SETTINGS_FILE}: what shapes the topics dev creates. */
  public static final java.util.List<String> TOPIC_SETTINGS =
      java.util.List.of(
          "events.partitions",
          "topic.replication.factor",
          "topic.min.insync.replicas",
          "record.max.bytes");

  private DevAddresses() {}

  /**
   * Writes the topic settings dev runs with (replacing what an earlier start wrote); only the names
   * of {@link #TOPIC_SETTINGS} are written.
   */
  public static Path writeSettings(Path dataDir, java.util.Map<String, String> settings) {
    java.util.Properties p = new java.util.Properties();
    for (String name : TOPIC_SETTINGS) {
      String value = settings.get(name);
      if (value == null || value.isBlank() || value.contains("\n")) {
        throw new IllegalArgumentException("dev's setting " + name + " is missing");
      }
      p.setProperty(name, value.strip());
    }
    Path file = dataDir.resolve(SETTINGS_FILE);
    java.io.StringWriter text = new java.io.StringWriter();
    try {
      p.store(text, "the topic settings of statusreg dev, for the tools that use its broker");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writeText(file, text.toString());
  }

  /**
   * The topic settings dev wrote under {@code dataDir} (only {@link #TOPIC_SETTINGS}), empty when
   * it wrote none.
   */
  public static java.util.Map<String, String> settings(Path dataDir) {
    Path file = dataDir.resolve(SETTINGS_FILE);
    if (!Files.isRegularFile(file)) {
      return java.util.Map.of();
    }
    java.util.Properties p = new java.util.Properties();
    try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file, e);
    }
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    for (String name : TOPIC_SETTINGS) {
      String v = p.getProperty(name);
      if (v != null && !v.isBlank()) {
        out.put(name, v.strip());
      }
    }
    return out;
  }

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
    return writeText(file, value.strip() + "\n");
  }

  private static Path writeText(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + file, e);
    }
  }
}
