package io.statusreg.registry.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Raw configuration values keyed by property name, merged from (lowest first) defaults, a
 * properties file and environment variables ({@code STATUSREG_*}), then command-line overrides.
 * Typed reading and validation is done by {@link Setting#read}.
 */
public final class Settings {
  private final Map<String, String> values;

  private Settings(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  public static Settings of(Map<String, String> values) {
    return new Settings(values);
  }

  /**
   * Merges properties (e.g. from {@code --config file}), the environment and overrides, later ones
   * winning. Environment names map back to property names for every known setting.
   */
  public static Settings from(
      Properties file,
      Map<String, String> env,
      Map<String, String> overrides,
      Iterable<Setting<?>> known) {
    Map<String, String> merged = new HashMap<>();
    file.stringPropertyNames().forEach(k -> merged.put(k, file.getProperty(k)));
    for (Setting<?> s : known) {
      String v = env.get(s.envName());
      if (v != null) {
        merged.put(s.name(), v);
      }
    }
    // Kafka client pass-through: STATUSREG_KAFKA_CLIENT_SSL_CIPHER_SUITES ->
    // kafka.client.ssl.cipher.suites (Kafka's property names are lower case, dot separated).
    env.forEach(
        (k, v) -> {
          if (k.startsWith(KAFKA_CLIENT_ENV_PREFIX)
              && k.length() > KAFKA_CLIENT_ENV_PREFIX.length()) {
            String name = k.substring(KAFKA_CLIENT_ENV_PREFIX.length());
            merged.put(KAFKA_CLIENT_PREFIX + name.toLowerCase(Locale.ROOT).replace('_', '.'), v);
          }
        });
    merged.putAll(overrides);
    return new Settings(merged);
  }

  /** Property prefix of the Kafka client pass-through ({@code kafka.client.<property>}). */
  public static final String KAFKA_CLIENT_PREFIX = "kafka.client.";

  /** Environment prefix of the Kafka client pass-through. */
  public static final String KAFKA_CLIENT_ENV_PREFIX = "STATUSREG_KAFKA_CLIENT_";

  public <T> T get(Setting<T> setting) {
    return setting.read(values);
  }

  public Map<String, String> raw() {
    return values;
  }

  public Settings with(String name, String value) {
    Map<String, String> copy = new HashMap<>(values);
    copy.put(name, value);
    return new Settings(copy);
  }

  /** A documentation table of settings (name, env variable, default, doc) for the README. */
  public static String describe(Iterable<Setting<?>> settings) {
    StringBuilder out =
        new StringBuilder("| property | environment | default | meaning |\n|---|---|---|---|\n");
    for (Setting<?> s : settings) {
      out.append(
          String.format(
              Locale.ROOT,
              "| `%s` | `%s` | %s | %s |%n",
              s.name(),
              s.envName(),
              s.defaultValue() == null
                  ? "(required)"
                  : "`" + (s.secret() ? "<hidden>" : s.defaultValue()) + "`",
              s.doc()));
    }
    return out.toString();
  }
}
