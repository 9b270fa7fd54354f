package io.statusreg.app;

import java.util.Arrays;

/** The {@code ./statusreg} command line: one entry point that dispatches to each subcommand. */
public final class Main {

  static final String USAGE =
      """
      usage: statusreg <command> [options]

        dev        start everything on the embedded default (KRaft broker, RocksDB, server, dev key)
        serve      run a registry instance against an existing Kafka cluster
        help       print this text
      """;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    if (args.length == 0
        || args[0].equals("help")
        || args[0].equals("--help")
        || args[0].equals("-h")) {
      System.out.print(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    return switch (args[0]) {
      case "dev" -> DevCommand.run(rest);
      case "serve" -> ServeCommand.run(rest);
      default -> {
        System.err.println("statusreg: unknown command '" + args[0] + "'");
        System.err.print(USAGE);
        yield 2;
      }
    };
  }
}
