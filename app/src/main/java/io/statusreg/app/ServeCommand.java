package io.statusreg.app;

import io.statusreg.registry.config.Setting;
import io.statusreg.registry.config.Settings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code statusreg serve [--config file.properties]}: one registry instance against an existing
 * Kafka cluster. Settings come from the file, then {@code STATUSREG_*} environment variables.
 */
final class ServeCommand {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  static final String USAGE =
      """
      usage: statusreg serve [--config file.properties]

      Settings: every property may also be set as an environment variable STATUSREG_<NAME>
      (upper case, dots as underscores), which wins over the file.
      """;

  private ServeCommand() {}

  static int run(String[] args) {
    Map<String, String> options;
    try {
      options = Options.parse(args, Set.of("config"));
    } catch (Options.UsageException e) {
      System.err.println("statusreg serve: " + e.getMessage());
      System.err.print(USAGE);
      return 2;
    }
    Properties file = new Properties();
    if (options.containsKey("config")) {
      Path path = Path.of(options.get("config"));
      try (Reader in = Files.newBufferedReader(path)) {
        file.load(in);
      } catch (IOException e) {
        System.err.println("statusreg serve: cannot read --config " + path + ": " + e.getMessage());
        return 2;
      }
    }
    Settings settings =
        Settings.from(file, System.getenv(), Map.of(), RegistryProcess.knownSettings());
    warnUnknown(file);
    RegistryProcess.Checked checked;
    try {
      checked = RegistryProcess.check(settings);
    } catch (Setting.ConfigException e) {
      System.err.println("statusreg serve: " + e.getMessage());
      return 2;
    }
    RegistryProcess process = RegistryProcess.start(checked, false);
    awaitShutdown(process::close, process::closedByShutdownHook);
    return 0;
  }

  static void warnUnknown(Properties file) {
    Set<String> known =
        RegistryProcess.knownSettings().stream()
            .map(Setting::name)
            .collect(java.util.stream.Collectors.toSet());
    for (String name : file.stringPropertyNames()) {
      if (!known.contains(name)) {
        log.warn("ignoring unknown setting {} in the configuration file", name);
      }
    }
  }

  /**
   * Blocks until the JVM shuts down (Ctrl-C, SIGTERM), running {@code stop} in the hook; {@code
   * installed} runs once the hook is in place.
   */
  static void awaitShutdown(Runnable stop, Runnable installed) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("shutting down");
                  try {
                    stop.run();
                  } catch (RuntimeException e) {
                    log.error("shutdown failed", e);
                  } finally {
                    stopped.countDown();
                  }
                },
                "statusreg-shutdown"));
    installed.run();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
