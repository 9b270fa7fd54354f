package io.statusreg.compaction;

import io.statusreg.common.DevAddresses;
import io.statusreg.compaction.CliArgs.UsageException;
import io.statusreg.registry.config.Setting;
import io.statusreg.registry.config.Settings;
import io.statusreg.streams.StreamsSettings;
import java.io.IOException;
import java.io.PrintStream;
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
 * --data-dir DIR              where dev's address files are (default ./data)
 * </pre>
 *
 * So {@code statusreg topics verify} run with the registry's own environment or properties file
 * expects exactly the topics that the registry creates and uses.
 *
 * <p>When none of those gives the bootstrap servers, the address {@code statusreg dev} wrote to
 * {@code <data-dir>/kafka/bootstrap} is used ({@code --data-dir}, default {@code ./data}; see
 * {@link DevAddresses}), and the tool says so; without that file, the registry's default. With
 * dev's broker come dev's topic settings ({@code <data-dir>/dev-settings.properties}: one broker,
 * so replication factor 1 and min ISR 1), below {@code --config}, the environment and the flags, so
 * that {@code topics verify} is clean on a fresh dev.
 */
public final class ToolSettings {
  /** Options every command accepts. */
  public static final java.util.Set<String> COMMON =
      java.util.Set.of("bootstrap-servers", "config", "data-dir");

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

  /** The option names of every command: {@link #COMMON} and {@code more}. */
  public static java.util.Set<String> withCommon(String... more) {
    java.util.Set<String> all = new java.util.HashSet<>(COMMON);
    all.addAll(java.util.List.of(more));
    return all;
  }

  /** {@code --data-dir}, default {@code ./data}: where {@code statusreg dev} keeps its data. */
  public static Path dataDir(CliArgs args) {
    return args.get("data-dir").map(Path::of).orElse(DevAddresses.DEFAULT_DATA_DIR);
  }

  /**
   * Reads and validates the settings; a bad value is a usage mistake naming the setting. Says on
   * {@code notices} which Kafka address is used when it was not given (dev's file or the default).
   */
  public static StreamsSettings read(CliArgs args, Map<String, String> env, PrintStream notices) {
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
    Settings merged = Settings.from(file, env, overrides, StreamsSettings.all());
    String bootstrap = StreamsSettings.BOOTSTRAP_SERVERS.name();
    if (!merged.raw().containsKey(bootstrap)) {
      Path dataDir = dataDir(args);
      Path devFile = dataDir.resolve(DevAddresses.BOOTSTRAP_FILE);
      java.util.Optional<String> dev = DevAddresses.bootstrap(dataDir);
      if (dev.isPresent()) {
        // dev's broker, so dev's topics: its settings lie under --config, env and flags
        Map<String, String> devSettings = DevAddresses.settings(dataDir);
        Properties layered = new Properties();
        layered.putAll(devSettings);
        layered.putAll(file);
        merged =
            Settings.from(layered, env, overrides, StreamsSettings.all())
                .with(bootstrap, dev.get());
        notices.println(
            "kafka: " + dev.get() + " (from " + devFile + ", written by `statusreg dev`)");
        if (!devSettings.isEmpty()) {
          notices.println(
              "topics: dev's settings "
                  + devSettings
                  + " (from "
                  + dataDir.resolve(DevAddresses.SETTINGS_FILE)
                  + "; --config, STATUSREG_* and flags win)");
        }
      } else {
        notices.println(
            "kafka: "
                + StreamsSettings.BOOTSTRAP_SERVERS.defaultValue()
                + " (the default: no --bootstrap-servers, STATUSREG_KAFKA_BOOTSTRAP_SERVERS,"
                + " --config entry or "
                + devFile
                + ")");
      }
    }
    try {
      return StreamsSettings.from(merged);
    } catch (Setting.ConfigException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
