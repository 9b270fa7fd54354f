package io.statusreg.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Options of one run.
 *
 * @param duration how long the load runs at least (the disruption happens inside it; a soak repeats
 *     the disruption until it is over)
 * @param timeout hard bound on the whole run, set-up and checks included
 * @param sessionTimeout {@code session.timeout.ms} of the instances, empty = the registry default
 * @param extraSettings more {@code STATUSREG_*} variables for every instance ({@code --env K=V})
 * @param keepData keep Kafka and state directories after the run (logs are always kept)
 * @param podDelay how long a restarted instance stays away between its exit and its start (pod
 *     termination, rescheduling, volume attachment on Kubernetes)
 * @param previous git commit or tag of the previous release, for {@code version-upgrade}
 * @param warmUp load run before the baseline on the freshly started cluster, reported as the phase
 *     {@code warm-up} and not judged by the issuer goals (every JVM of the run, brokers included,
 *     starts cold; a rollout meets a cluster that has been running)
 * @param brokerProperties broker properties over the harness's defaults ({@code --broker K=V}),
 *     e.g. {@code broker.session.timeout.ms}: how soon the controller fences a dead broker
 * @param secure the brokers get a SASL_SSL listener (SCRAM-SHA-512, a throw-away PKI of the run)
 *     and every instance and the harness's own clients use only it ({@code --secure})
 */
public record ChaosOptions(
    Scenario scenario,
    Duration duration,
    boolean soak,
    Path reportDir,
    Duration timeout,
    double writeRate,
    double fetchRate,
    int listsPerIssuer,
    int entriesPerList,
    Duration publishInterval,
    String sessionTimeout,
    Map<String, String> extraSettings,
    boolean keepData,
    Duration podDelay,
    String previous,
    Duration warmUp,
    Map<String, String> brokerProperties,
    boolean secure) {

  /** Default {@code --pod-delay}: a rolled pod's typical absence on Kubernetes. */
  public static final Duration DEFAULT_POD_DELAY = Duration.ofSeconds(30);

  /** Default {@code --warm-up}. */
  public static final Duration DEFAULT_WARM_UP = Duration.ofSeconds(30);

  /** Default {@code --previous}: the last release that landed. */
  public static final String DEFAULT_PREVIOUS = "1485e17";

  public static final String USAGE =
      """
      usage: statusreg chaos <scenario> [options]

      scenarios (number or name):
        1 rolling-restart          SIGTERM each instance in turn, away --pod-delay, restart it
        2 scale-out                3 -> 4, then 4 -> 6 instances under load
        3 scale-in                 4 -> 3: SIGTERM to the highest ordinal, which never returns
        4 kill-instance            kill -9 one instance, restart it 5 s later
        5 node-loss                kill -9 one instance that never returns
        6 kill-broker              kill -9 the Kafka node leading statusreg.events-0, restart it
        7 version-upgrade          rolling update from --previous's code to this one
        8 rolling-restart-dynamic  rolling restart without instance ids (the control)

      options:
        --duration 60s          load duration (s, m or h suffix); default 60s, 30m with --soak
        --soak                  repeat the disruption until the duration is over
                                (scenarios 1, 4, 6, 8: the others end elsewhere)
        --report-dir DIR        default chaos/results/<timestamp>
        --timeout 15m           hard bound on the whole run; default duration + 15m
                                + 4 x pod delay
        --write-rate 10         status changes per second
        --fetch-rate 30         verifier fetches per second
        --lists 2               lists per issuer (2 issuers)
        --entries 128           indexes allocated per list at the start
        --publish-interval 500ms
        --session-timeout MS    session.timeout.ms of the instances (default: the registry's)
        --env KEY=VALUE         extra STATUSREG_* setting for every instance (repeatable)
        --broker KEY=VALUE      broker property of every Kafka node (repeatable), e.g.
                                broker.session.timeout.ms=3000; written in the report
        --pod-delay 30s         time a restarted instance stays away (rolling-restart,
                                version-upgrade); default 30s, as a rolled pod on Kubernetes
        --previous REV          git commit or tag of the previous release (version-upgrade);
                                default 1485e17 (the last release that landed),
                                built in a temporary worktree
        --warm-up 30s           load before the baseline on the fresh cluster, reported
                                as the phase "warm-up", not judged by the issuer goals
                                (0s: none)
        --keep-data             keep Kafka and RocksDB data (logs are always kept)
        --secure                Kafka over SASL_SSL with SCRAM-SHA-512: a CA and broker
                                certificate generated for the run, a SCRAM user with a
                                random password, the instances configured by
                                STATUSREG_KAFKA_* settings naming files (mode 600)

      The last line on stdout is
        chaos: <scenario> PASS|FAIL fetch_failed=<n> lost=<n> doubled=<n> ack_p99_ms=<n> \
      max_publication_pause_ms=<n>
      """;

  public static ChaosOptions parse(List<String> args, Path home) {
    Scenario scenario = null;
    Duration duration = null;
    boolean soak = false;
    Path reportDir = null;
    Duration timeout = null;
    double writeRate = 10;
    double fetchRate = 30;
    int lists = 2;
    int entries = 128;
    Duration publish = Duration.ofMillis(500);
    String session = "";
    Map<String, String> extra = new LinkedHashMap<>();
    boolean keep = false;
    Duration podDelay = DEFAULT_POD_DELAY;
    String previous = DEFAULT_PREVIOUS;
    Duration warmUp = DEFAULT_WARM_UP;
    Map<String, String> broker = new LinkedHashMap<>();
    boolean secure = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--duration" -> duration = duration(value(args, ++i, a));
        case "--soak" -> soak = true;
        case "--report-dir" -> reportDir = Path.of(value(args, ++i, a));
        case "--timeout" -> timeout = duration(value(args, ++i, a));
        case "--write-rate" -> writeRate = positive(value(args, ++i, a), a);
        case "--fetch-rate" -> fetchRate = positive(value(args, ++i, a), a);
        case "--lists" -> lists = (int) positive(value(args, ++i, a), a);
        case "--entries" -> entries = (int) positive(value(args, ++i, a), a);
        case "--publish-interval" -> publish = duration(value(args, ++i, a));
        case "--session-timeout" ->
            session = Long.toString((long) positive(value(args, ++i, a), a));
        case "--env" -> {
          String kv = value(args, ++i, a);
          int eq = kv.indexOf('=');
          if (eq <= 0 || !kv.startsWith("STATUSREG_")) {
            throw new IllegalArgumentException("--env wants STATUSREG_NAME=value, got " + kv);
          }
          extra.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        case "--broker" -> {
          String kv = value(args, ++i, a);
          int eq = kv.indexOf('=');
          if (eq <= 0 || !kv.substring(0, eq).matches("[a-z0-9.]+")) {
            throw new IllegalArgumentException("--broker wants a.kafka.property=value, got " + kv);
          }
          broker.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        case "--keep-data" -> keep = true;
        case "--secure" -> secure = true;
        case "--pod-delay" -> podDelay = duration(value(args, ++i, a));
        case "--warm-up" -> warmUp = duration(value(args, ++i, a));
        case "--previous" -> {
          previous = value(args, ++i, a);
          if (!io.statusreg.chaos.cluster.PreviousRelease.REVISION.matcher(previous).matches()) {
            throw new IllegalArgumentException(
                "--previous wants a git commit or tag ([A-Za-z0-9._/-], 1-100 characters)");
          }
        }
        default -> {
          if (a.startsWith("--")) {
            throw new IllegalArgumentException("unknown option " + a);
          }
          if (scenario != null) {
            throw new IllegalArgumentException(
                "one scenario per run, got " + scenario.id() + " and " + a);
          }
          scenario = Scenario.parse(a);
        }
      }
    }
    if (scenario == null) {
      throw new IllegalArgumentException("name a scenario");
    }
    if (soak && !scenario.repeatable()) {
      throw new IllegalArgumentException(
          "--soak repeats a disruption that ends where it started (rolling-restart,"
              + " rolling-restart-dynamic, kill-instance, kill-broker); "
              + scenario.id()
              + " does not");
    }
    if (secure) {
      List<String> clash =
          extra.keySet().stream().filter(ChaosOptions::decidedBySecure).sorted().toList();
      if (!clash.isEmpty()) {
        throw new IllegalArgumentException(
            "--secure sets the instances' Kafka connection and security itself; drop --env "
                + String.join(", ", clash));
      }
    }
    if (duration == null) {
      duration = soak ? Duration.ofMinutes(30) : Duration.ofSeconds(60);
    }
    if (timeout == null) {
      // Set-up, checks and three restarts each away for the pod delay, on a loaded machine.
      timeout = duration.plus(warmUp).plusMinutes(15).plus(podDelay.multipliedBy(4));
    }
    if (reportDir == null) {
      String stamp =
          LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
      reportDir = home.resolve("chaos").resolve("results").resolve(stamp + "-" + scenario.id());
    }
    return new ChaosOptions(
        scenario,
        duration,
        soak,
        reportDir.toAbsolutePath(),
        timeout,
        writeRate,
        fetchRate,
        lists,
        entries,
        publish,
        session,
        extra,
        keep,
        podDelay,
        previous,
        warmUp,
        Map.copyOf(broker),
        secure);
  }

  /** The {@code STATUSREG_KAFKA_*} settings that {@code --secure} decides. */
  static boolean decidedBySecure(String variable) {
    return variable.equals("STATUSREG_KAFKA_BOOTSTRAP_SERVERS")
        || variable.startsWith("STATUSREG_KAFKA_SECURITY_")
        || variable.startsWith("STATUSREG_KAFKA_SSL_")
        || variable.startsWith("STATUSREG_KAFKA_SASL_");
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args.get(i);
  }

  private static double positive(String raw, String option) {
    try {
      double v = Double.parseDouble(raw);
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(option + " wants a positive number, got " + raw);
  }

  /** {@code 90}, {@code 90s}, {@code 500ms}, {@code 2m}, {@code 1h}. */
  static Duration duration(String raw) {
    String s = raw.trim().toLowerCase(Locale.ROOT);
    try {
      if (s.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      }
      if (s.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
      }
      if (s.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
      }
      if (s.endsWith("h")) {
        return Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
      }
      return Duration.ofSeconds(Long.parseLong(s));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a duration: " + raw + " (use 90s, 2m, 500ms)");
    }
  }
}
