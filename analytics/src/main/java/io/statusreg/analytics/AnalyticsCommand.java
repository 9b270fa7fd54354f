package io.statusreg.analytics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statusreg.analytics.query.QueryRunner;
import io.statusreg.analytics.query.TextTable;
import io.statusreg.analytics.schema.Migration;
import io.statusreg.analytics.schema.MigrationException;
import io.statusreg.analytics.schema.Migrator;
import io.statusreg.analytics.sink.AnalyticsSink;
import io.statusreg.analytics.sink.HealthServer;
import io.statusreg.common.DevAddresses;
import io.statusreg.common.KafkaSettings;
import io.statusreg.registry.config.Setting;
import io.statusreg.registry.config.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code statusreg analytics sink|query|migrate}: the analytics subcommands of the command line.
 */
public final class AnalyticsCommand {
  public static final String USAGE =
      """
      usage: statusreg analytics <command> [options]

        sink                   run the ClickHouse sink until stopped (health and metrics on
                               http.port: /health/live, /health/ready, /metrics)
        query <file-or-sql>    run a query and print the result as a table; <file-or-sql> is a
                               file, the name of a bundled query (e.g. busiest_lists), or SQL
        migrate                apply pending schema migrations and list them

      options:
        --jdbc-url URL         ClickHouse JDBC URL (else STATUSREG_ANALYTICS_JDBC_URL, else the dev
                               engine's address in <data-dir>/clickhouse/jdbc-url)
        --user NAME            ClickHouse user (else STATUSREG_ANALYTICS_USER; the password is read
                               from STATUSREG_ANALYTICS_PASSWORD only)
        --data-dir DIR         dev's data directory (default ./data)
        --bootstrap-servers H:P  Kafka for `sink` (else STATUSREG_KAFKA_BOOTSTRAP_SERVERS, else
                               --config, else the broker of `statusreg dev` in
                               <data-dir>/kafka/bootstrap)
        --config FILE          a properties file of settings (environment variables win)
      """;

  private static final Map<String, String> FLAG_SETTINGS =
      Map.of(
          "jdbc-url", AnalyticsSettings.JDBC_URL.name(),
          "user", AnalyticsSettings.USER.name(),
          "bootstrap-servers", KafkaSettings.BOOTSTRAP_SERVERS.name());

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  public AnalyticsCommand(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  /** {@code statusreg analytics ...} with the process environment; returns the exit code. */
  public static int main(String[] args) {
    return new AnalyticsCommand(System.getenv(), System.out, System.err).run(args);
  }

  public int run(String[] args) {
    if (args.length == 0
        || args[0].equals("help")
        || Arrays.asList(args).contains("--help")
        || Arrays.asList(args).contains("-h")) {
      out.print(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    Parsed p;
    try {
      p = parse(args);
    } catch (IllegalArgumentException e) {
      err.println("statusreg analytics: " + e.getMessage());
      err.print(USAGE);
      return 2;
    }
    try {
      return switch (p.command()) {
        case "query" -> query(p);
        case "migrate" -> migrate(p);
        case "sink" -> sink(p);
        default -> {
          err.println("statusreg analytics: unknown command '" + p.command() + "'");
          err.print(USAGE);
          yield 2;
        }
      };
    } catch (Setting.ConfigException | IllegalArgumentException e) {
      err.println("statusreg analytics: " + e.getMessage());
      return 2;
    } catch (MigrationException e) {
      err.println("statusreg analytics: " + e.getMessage());
      return 1;
    } catch (SQLException e) {
      err.println("statusreg analytics: " + e.getMessage());
      return 1;
    }
  }

  /** The command, its positional arguments and its {@code --flag value} options. */
  record Parsed(String command, List<String> positional, Map<String, String> flags) {}

  static Parsed parse(String[] args) {
    List<String> positional = new ArrayList<>();
    Map<String, String> flags = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (a.startsWith("--") && a.length() > 2) {
        String name = a.substring(2);
        String value;
        int eq = name.indexOf('=');
        if (eq >= 0) {
          value = name.substring(eq + 1);
          name = name.substring(0, eq);
        } else {
          value = null;
        }
        if (!FLAG_SETTINGS.containsKey(name)
            && !name.equals("data-dir")
            && !name.equals("config")) {
          throw new IllegalArgumentException("unknown option --" + name);
        }
        if (value == null) {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("--" + name + " needs a value");
          }
          value = args[++i];
        }
        flags.put(name, value);
      } else {
        positional.add(a);
      }
    }
    return new Parsed(args[0], positional, flags);
  }

  Settings settings(Parsed p) {
    Properties file = new Properties();
    String config = p.flags().get("config");
    if (config != null) {
      try (Reader r = Files.newBufferedReader(Path.of(config), StandardCharsets.UTF_8)) {
        file.load(r);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot read --config " + config + ": " + e.getMessage());
      }
    }
    Map<String, String> overrides = new HashMap<>();
    FLAG_SETTINGS.forEach(
        (flag, setting) -> {
          String v = p.flags().get(flag);
          if (v != null) {
            overrides.put(setting, v);
          }
        });
    return Settings.from(file, env, overrides, AnalyticsSettings.all());
  }

  private static Path dataDir(Parsed p) {
    return Optional.ofNullable(p.flags().get("data-dir"))
        .map(Path::of)
        .orElse(DevAddresses.DEFAULT_DATA_DIR);
  }

  /**
   * Settings with Kafka resolved for {@code sink}: flag, environment, {@code --config}, else the
   * broker {@code statusreg dev} wrote to {@code <data-dir>/kafka/bootstrap} (said on stderr), else
   * the default.
   */
  Settings withKafka(Parsed p) {
    Settings s = settings(p);
    String bootstrap = KafkaSettings.BOOTSTRAP_SERVERS.name();
    if (s.raw().containsKey(bootstrap)) {
      return s;
    }
    Path dataDir = dataDir(p);
    Optional<String> dev = DevAddresses.bootstrap(dataDir);
    if (dev.isEmpty()) {
      err.println(
          "kafka: "
              + KafkaSettings.BOOTSTRAP_SERVERS.defaultValue()
              + " (the default: no --bootstrap-servers, STATUSREG_KAFKA_BOOTSTRAP_SERVERS,"
              + " --config entry or "
              + dataDir.resolve(DevAddresses.BOOTSTRAP_FILE)
              + ")");
      return s;
    }
    err.println(
        "kafka: "
            + dev.get()
            + " (from "
            + dataDir.resolve(DevAddresses.BOOTSTRAP_FILE)
            + ", written by `statusreg dev`)");
    return s.with(bootstrap, dev.get());
  }

  /** Settings with the JDBC URL resolved: flag, setting, or the dev engine's URL file. */
  AnalyticsSettings resolved(Parsed p) {
    AnalyticsSettings s = AnalyticsSettings.from(settings(p));
    if (s.jdbcUrl().isPresent()) {
      return s;
    }
    Path file = dataDir(p).resolve(DevAnalytics.JDBC_URL_FILE);
    if (Files.isRegularFile(file)) {
      try {
        String url = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!url.isEmpty()) {
          err.println("clickhouse: " + url + " (from " + file + ", written by `statusreg dev`)");
          return s.withJdbcUrl(url);
        }
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
      }
    }
    throw new IllegalArgumentException(
        "no ClickHouse address: pass --jdbc-url, set STATUSREG_ANALYTICS_JDBC_URL, or start"
            + " `statusreg dev` with analytics (it writes "
            + file
            + ")");
  }

  private int query(Parsed p) throws SQLException {
    if (p.positional().size() != 1) {
      throw new IllegalArgumentException("query needs one <file-or-sql> argument");
    }
    String sql = sqlOf(p.positional().getFirst());
    AnalyticsSettings s = resolved(p);
    try (Connection c = connect(s)) {
      TextTable table = QueryRunner.run(c, sql);
      out.print(table.render());
      return 0;
    }
  }

  /** A file's text, a bundled query's text ({@code queries/<name>.sql}), or the argument itself. */
  public static String sqlOf(String arg) {
    Path file = Path.of(arg.length() > 4096 ? "." : arg);
    if (arg.length() <= 4096 && Files.isRegularFile(file)) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read " + arg + ": " + e.getMessage());
      }
    }
    if (arg.matches("[a-z0-9_]+(\\.sql)?")) {
      String name = arg.endsWith(".sql") ? arg : arg + ".sql";
      try (InputStream in =
          AnalyticsCommand.class.getClassLoader().getResourceAsStream("queries/" + name)) {
        if (in != null) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read bundled query " + name, e);
      }
      throw new IllegalArgumentException(
          "no file and no bundled query named " + arg + " (see analytics/queries/)");
    }
    return arg;
  }

  private int migrate(Parsed p) throws SQLException {
    AnalyticsSettings s = resolved(p);
    Migrator.createDatabaseIfMissing(s.jdbcUrl().orElseThrow(), properties(s));
    try (Connection c = connect(s)) {
      List<Migration> applied = Migrator.builtIn().migrate(c);
      if (applied.isEmpty()) {
        out.println("schema is up to date");
      }
      for (Migration m : applied) {
        out.println("applied " + m.fileName());
      }
      Migrator.applied(c)
          .values()
          .forEach(a -> out.println("  V" + a.version() + "__" + a.name() + "  " + a.checksum()));
      return 0;
    }
  }

  private int sink(Parsed p) {
    AnalyticsSettings s = AnalyticsSettings.from(withKafka(p));
    if (!s.enabled()) {
      out.println("analytics.enabled is false: nothing to do");
      return 0;
    }
    if (s.jdbcUrl().isEmpty()) {
      throw new IllegalArgumentException(
          "analytics sink needs analytics.jdbc.url (STATUSREG_ANALYTICS_JDBC_URL or --jdbc-url)");
    }
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AnalyticsSink sink = AnalyticsSink.start(s, meters);
    HealthServer health =
        HealthServer.start(s.httpPort(), sink::isLive, sink::isReady, meters::scrape);
    Thread hook =
        new Thread(
            () -> {
              sink.close();
              health.close();
            },
            "analytics-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println("analytics sink running; health on :" + health.port());
    try {
      while (!sink.awaitStopped(Duration.ofSeconds(1))) {
        // keep the main thread until the sink stops (SIGTERM runs the hook)
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Throwable crash = sink.crashCause();
    if (crash != null) {
      err.println("statusreg analytics: the sink stopped: " + crash);
      health.close();
      return 1;
    }
    return 0;
  }

  private static Connection connect(AnalyticsSettings s) throws SQLException {
    return DriverManager.getConnection(s.jdbcUrl().orElseThrow(), properties(s));
  }

  private static Properties properties(AnalyticsSettings s) {
    Properties props = new Properties();
    props.setProperty("user", s.user());
    props.setProperty("password", s.password());
    return props;
  }
}
