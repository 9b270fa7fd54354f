package io.statusreg.app;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options of a subcommand; unknown or valueless options are errors. */
final class Options {
  private Options() {}

  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }

  static Map<String, String> parse(String[] args, Set<String> known) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String name;
      String value;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(2, eq);
        value = a.substring(eq + 1);
      } else if (a.startsWith("--")) {
        name = a.substring(2);
        requireKnown(name, known);
        if (i + 1 >= args.length) {
          throw new UsageException("option --" + name + " needs a value");
        }
        value = args[++i];
      } else {
        throw new UsageException("unexpected argument '" + a + "'");
      }
      requireKnown(name, known);
      out.put(name, value);
    }
    return out;
  }

  private static void requireKnown(String name, Set<String> known) {
    if (!known.contains(name)) {
      throw new UsageException(
          "unknown option --" + name + "; known: --" + String.join(", --", known));
    }
  }
}
