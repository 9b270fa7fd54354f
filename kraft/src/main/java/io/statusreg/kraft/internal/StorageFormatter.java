package io.statusreg.kraft.internal;

import io.statusreg.kraft.KafkaClusterException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kafka.tools.StorageTool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Formats a node's KRaft storage ({@code kafka-storage.sh format}) when it is not yet formatted.
 */
public final class StorageFormatter {
  private static final Logger log = LoggerFactory.getLogger(StorageFormatter.class);

  private StorageFormatter() {}

  /** True when {@code logDir} already holds a {@code meta.properties}. */
  public static boolean isFormatted(Path logDir) {
    return Files.exists(logDir.resolve("meta.properties"));
  }

  /** The arguments of {@code kafka-storage.sh} to format one node. */
  public static List<String> formatArguments(
      String clusterId, Path configFile, boolean standalone) {
    List<String> args =
        new ArrayList<>(List.of("format", "-t", clusterId, "-c", configFile.toString()));
    if (standalone) {
      args.add("--standalone");
    }
    return args;
  }

  /**
   * Formats the storage of the node configured in {@code configFile} unless {@code logDir} is
   * already formatted. {@code standalone} makes the node the single voter of a dynamic quorum.
   *
   * @return true when it formatted
   */
  public static boolean formatIfNeeded(
      Path logDir, Path configFile, String clusterId, boolean standalone) {
    if (isFormatted(logDir)) {
      return false;
    }
    List<String> args = formatArguments(clusterId, configFile, standalone);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc;
    try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      rc = StorageTool.execute(args.toArray(String[]::new), print);
    } catch (Exception e) {
      throw new KafkaClusterException(
          "formatting KRaft storage in "
              + logDir
              + " (kafka-storage "
              + String.join(" ", args)
              + ")"
              + outputSuffix(out),
          e);
    }
    if (rc != 0 || !isFormatted(logDir)) {
      throw new KafkaClusterException(
          "formatting KRaft storage in "
              + logDir
              + " failed with exit code "
              + rc
              + outputSuffix(out));
    }
    log.debug("Formatted {}: {}", logDir, out.toString(StandardCharsets.UTF_8).strip());
    return true;
  }

  private static String outputSuffix(ByteArrayOutputStream out) {
    String text = out.toString(StandardCharsets.UTF_8).strip();
    return text.isEmpty() ? "" : ": " + text;
  }
}
