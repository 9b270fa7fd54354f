package io.statusreg.compaction;

import io.statusreg.compaction.CliArgs.UsageException;
import io.statusreg.registry.config.Setting;
import io.statusreg.registry.config.Settings;
import io.statusreg.streams.StreamsSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The settings the SRE tools share with the registry process: the same names, defaults and
 * validators ({@link StreamsSettings}), read from (lowest first) {@code --config FILE}, the
 * environment ({@code STATUSREG_*}) and the command-line flags that stand for them:
 *
 * <pre>
 * --bootstrap-servers H:P     kafka.bootstrap.servers    STATUSREG_KAFKA_BOOTSTRAP_SERVERS
 * --events-partitions N       events.partitions          STATUSREG_EVENTS_PARTITIONS
 * --replication-factor N      topic.replication.factor   STATUSREG_TOPIC_REPLICATION_FACTOR
 * --min-insync-replicas N     topic.min.insync.replicas  STATUSREG_TOPIC_MIN_INSYNC_REPLICAS
 * </pre>
 *
 * So {@code statusreg topics verify} run with the registry's own environment or properties file
 * expects exactly the topics that the registry creates and uses.
 */
public final class ToolSettings {
  /** Options every command accepts. */
  public static final java.util.Set<String> COMMON =
      java.util.Set.of("bootstrap-servers", "config");

  /** Options of the topic shape (topics apply|verify). */
  public static final java.util.Set<String> TOPIC_SHAPE =
      java.util.Set.of("events-partitions", "replication-factor", "min-insync-replicas");

  private static final Map<String, Setting<?>> FLAGS =
      Map.of(
          "bootstrap-servers", StreamsSettings.BOOTSTRAP_SERVERS,
          "events-partitions", StreamsSettings.EVENTS_PARTITIONS,
          "replication-factor", StreamsSettings.REPLICATION_FACTOR,
          "min-insync-replicas", StreamsSettings.MIN_INSYNC_REPLICAS);

  private ToolSettings() {}

  /** Reads and validates the settings; a bad value is a usage mistake naming the setting. */
  public static StreamsSettings read(CliArgs args, Map<String, String> env) {
    Properties file = new Properties();
    if (args.get("config").isPresent()) {
      Path path = Path.of(args.get("config").get());
      try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
        file.load(in);
      } catch (IOException e) {
        throw new UsageException("--config: cannot read " + path + ": " + e.getMessage());
      }
    }
    Map<String, String> overrides = new HashMap<>();
    FLAGS.forEach(
        (flag, setting) -> args.get(flag).ifPresent(v -> overrides.put(setting.name(), v)));
    try {
      return StreamsSettings.from(Settings.from(file, env, overrides, StreamsSettings.all()));
    } catch (Setting.ConfigException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
