package io.statusreg.registry.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One setting: one name, one default, one doc line and one validator. The name is a property name
 * ({@code kafka.bootstrap.servers}); its environment variable is {@code STATUSREG_} plus the name
 * upper-cased with dots and dashes as underscores ({@code STATUSREG_KAFKA_BOOTSTRAP_SERVERS}).
 *
 * @param defaultValue the raw default, or {@code null} when the setting is required
 */
public record Setting<T>(
    String name,
    String defaultValue,
    String doc,
    Function<String, T> parser,
    Predicate<T> validator,
    String constraint,
    boolean secret) {

  public String envName() {
    return "STATUSREG_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** Reads the setting from raw values keyed by property name; fails naming setting and value. */
  public T read(Map<String, String> raw) {
    String value = raw.getOrDefault(name, defaultValue);
    if (value == null) {
      throw new ConfigException(name + " (" + envName() + ") is required: " + doc);
    }
    T parsed;
    try {
      parsed = parser.apply(value.trim());
    } catch (RuntimeException e) {
      throw new ConfigException(
          "bad value "
              + shown(value)
              + " for "
              + name
              + " ("
              + envName()
              + "): expected "
              + constraint);
    }
    if (!validator.test(parsed)) {
      throw new ConfigException(
          "bad value "
              + shown(value)
              + " for "
              + name
              + " ("
              + envName()
              + "): expected "
              + constraint);
    }
    return parsed;
  }

  private String shown(String value) {
    return secret ? "'<hidden>'" : "'" + value + "'";
  }

  public static Setting<String> string(String name, String def, String doc) {
    return new Setting<>(name, def, doc, s -> s, s -> true, "a string", false);
  }

  public static Setting<String> secret(String name, String def, String doc) {
    return new Setting<>(name, def, doc, s -> s, s -> true, "a string", true);
  }

  public static Setting<Integer> integer(String name, int def, int min, int max, String doc) {
    return new Setting<>(
        name,
        Integer.toString(def),
        doc,
        Integer::valueOf,
        v -> v >= min && v <= max,
        "an integer in [" + min + ", " + max + "]",
        false);
  }

  public static Setting<Long> longValue(String name, long def, long min, long max, String doc) {
    return new Setting<>(
        name,
        Long.toString(def),
        doc,
        Long::valueOf,
        v -> v >= min && v <= max,
        "an integer in [" + min + ", " + max + "]",
        false);
  }

  public static Setting<Boolean> bool(String name, boolean def, String doc) {
    return new Setting<>(
        name,
        Boolean.toString(def),
        doc,
        s ->
            switch (s.toLowerCase(Locale.ROOT)) {
              case "true" -> true;
              case "false" -> false;
              default -> throw new IllegalArgumentException(s);
            },
        v -> true,
        "true or false",
        false);
  }

  /** Milliseconds as a {@link Duration}. */
  public static Setting<Duration> millis(String name, long def, long min, long max, String doc) {
    return millis(name, def, min, max, doc, "");
  }

  /**
   * As {@link #millis(String, long, long, long, String)}, with {@code why} (when not empty) after
   * the range in the message of a refused value: the reason for the bound, naming what it follows
   * from.
   */
  public static Setting<Duration> millis(
      String name, long def, long min, long max, String doc, String why) {
    return new Setting<>(
        name,
        Long.toString(def),
        doc,
        s -> Duration.ofMillis(Long.parseLong(s)),
        d -> d.toMillis() >= min && d.toMillis() <= max,
        "milliseconds in [" + min + ", " + max + "]" + (why.isEmpty() ? "" : ": " + why),
        false);
  }

  /** Thrown at start-up for a missing or bad setting; the message names it and its value. */
  public static final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
      super(message);
    }
  }
}
