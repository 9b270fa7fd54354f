package io.statusreg.app;

import io.statusreg.compaction.CliArgs;
import java.util.Arrays;

/** The {@code ./statusreg} command line: one entry point that dispatches to each subcommand. */
public final class Main {

  static final String USAGE =
      """
      usage: statusreg <command> [options]

        dev        start everything on the embedded default (KRaft broker, RocksDB, server, dev key)
        serve      run a registry instance against an existing Kafka cluster
        topics     apply|verify the Kafka topics against the catalogue and retention rules
        snapshot   write list snapshots to statusreg.snapshots (once, or --every 10m)
        replay     rebuild every list from the log into fresh state (--until T, --emit LIST)
        audit      compare the published tokens with the log; exit 1 on any mismatch
        reset      reset the Streams application (all instances stopped; --confirm)
        analytics  the ClickHouse sink, analyst queries and schema migrations (analytics help)
        settings   print every setting: property, environment variable, default, meaning
        help       print this text
      """;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static final String SETTINGS_USAGE =
      """
      usage: statusreg settings

        prints every setting of serve and dev: property, environment variable, default, meaning
      """;

  static int run(String[] args) {
    if (args.length == 0
        || args[0].equals("help")
        || args[0].equals("--help")
        || args[0].equals("-h")) {
      if (args.length > 1 && args[0].equals("help") && usage(args[1]) != null) {
        System.out.print(usage(args[1]));
        return 0;
      }
      System.out.print(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    String usage = usage(args[0]);
    if (usage != null && !args[0].equals("analytics") && CliArgs.wantsHelp(rest)) {
      // analytics prints the usage of its own subcommands
      System.out.print(usage);
      return 0;
    }
    return switch (args[0]) {
      case "dev" -> DevCommand.run(rest);
      case "settings" -> {
        if (rest.length > 0) {
          System.err.println("statusreg settings: unexpected argument '" + rest[0] + "'");
          System.err.print(SETTINGS_USAGE);
          yield 2;
        }
        System.out.print(
            io.statusreg.registry.config.Settings.describe(RegistryProcess.knownSettings()));
        yield 0;
      }
      case "serve" -> ServeCommand.run(rest);
      case "topics" -> io.statusreg.compaction.TopicsCommand.run(rest);
      case "snapshot" -> io.statusreg.compaction.SnapshotCommand.run(rest);
      case "replay" -> io.statusreg.compaction.ReplayCommand.run(rest);
      case "audit" -> io.statusreg.compaction.AuditCommand.run(rest);
      case "reset" -> io.statusreg.compaction.ResetCommand.run(rest);
      case "analytics" -> io.statusreg.analytics.AnalyticsCommand.main(rest);
      default -> {
        System.err.println("statusreg: unknown command '" + args[0] + "'");
        System.err.print(USAGE);
        yield 2;
      }
    };
  }

  /** The usage text of a command, or {@code null} for an unknown one. */
  static String usage(String command) {
    return switch (command) {
      case "dev" -> DevCommand.USAGE;
      case "serve" -> ServeCommand.USAGE;
      case "topics" -> io.statusreg.compaction.TopicsCommand.USAGE;
      case "snapshot" -> io.statusreg.compaction.SnapshotCommand.USAGE;
      case "replay" -> io.statusreg.compaction.ReplayCommand.USAGE;
      case "audit" -> io.statusreg.compaction.AuditCommand.USAGE;
      case "reset" -> io.statusreg.compaction.ResetCommand.USAGE;
      case "analytics" -> io.statusreg.analytics.AnalyticsCommand.USAGE;
      case "settings" -> SETTINGS_USAGE;
      case "help" -> USAGE;
      default -> null;
    };
  }
}
