package io.statusreg.compaction;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parsed command-line options of one subcommand: {@code --name value}, {@code --name=value} and
 * boolean {@code --flag}s, plus positional words. Unknown options are refused with a clear message.
 */
public final class CliArgs {
  private final Map<String, String> options = new HashMap<>();
  private final List<String> positional = new ArrayList<>();

  private CliArgs() {}

  /**
   * Parses {@code args}; {@code valued} names options that take a value, {@code flags} the boolean
   * ones (names without the leading dashes).
   */
  public static CliArgs parse(String[] args, Set<String> valued, Set<String> flags) {
    CliArgs out = new CliArgs();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        out.positional.add(a);
        continue;
      }
      String name = a.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (flags.contains(name)) {
        if (value != null) {
          throw new UsageException("--" + name + " takes no value");
        }
        out.options.put(name, "true");
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.length) {
            throw new UsageException("--" + name + " needs a value");
          }
          value = args[++i];
        }
        out.options.put(name, value);
      } else {
        throw new UsageException("unknown option --" + name);
      }
    }
    return out;
  }

  /**
   * Whether {@code args} ask for the usage: a {@code --help} or {@code -h} word anywhere before a
   * lone {@code --}.
   */
  public static boolean wantsHelp(String[] args) {
    for (String a : args) {
      if (a.equals("--")) {
        return false;
      }
      if (a.equals("--help") || a.equals("-h")) {
        return true;
      }
    }
    return false;
  }

  public Optional<String> get(String name) {
    return Optional.ofNullable(options.get(name));
  }

  public boolean has(String name) {
    return options.containsKey(name);
  }

  public List<String> positional() {
    return List.copyOf(positional);
  }

  public Optional<Duration> duration(String name) {
    return get(name).map(v -> parseDuration(name, v));
  }

  public Optional<Instant> instant(String name) {
    return get(name).map(v -> parseInstant(name, v));
  }

  public Optional<Integer> integer(String name) {
    return get(name)
        .map(
            v -> {
              try {
                return Integer.parseInt(v);
              } catch (NumberFormatException e) {
                throw new UsageException("--" + name + " must be an integer, got '" + v + "'");
              }
            });
  }

  /** {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 7d}, or ISO-8601 {@code PT10M}. */
  public static Duration parseDuration(String name, String v) {
    try {
      if (v.startsWith("P") || v.startsWith("p")) {
        return Duration.parse(v);
      }
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      return switch (v.charAt(v.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> throw new NumberFormatException(v);
      };
    } catch (RuntimeException e) {
      throw new UsageException(
          "--" + name + " must be a duration such as 500ms, 30s, 10m, 2h, 7d, got '" + v + "'");
    }
  }

  /** An ISO-8601 instant ({@code 2026-01-31T12:00:00Z}) or unix seconds. */
  public static Instant parseInstant(String name, String v) {
    try {
      if (v.chars().allMatch(Character::isDigit)) {
        return Instant.ofEpochSecond(Long.parseLong(v));
      }
      return Instant.parse(v);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new UsageException(
          "--" + name + " must be an ISO-8601 instant or unix seconds, got '" + v + "'");
    }
  }

  /** A mistake on the command line: printed with the command's usage, exit code 2. */
  public static final class UsageException extends RuntimeException {
    public UsageException(String message) {
      super(message);
    }
  }
}
