package io.statusreg.common;

import io.statusreg.registry.config.Setting;
import io.statusreg.registry.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How every Kafka client of the process (Streams, the command gateway, the analytics sink, the SRE
 * tools) secures its connection: TLS, SASL/SCRAM or mutual TLS, and any other client property
 * passed through. The one place that builds the security properties: {@link #clientProperties()} is
 * added to every client's configuration.
 *
 * <p>Secrets (store and key passwords, the JAAS line) come from a file (a mounted Kubernetes
 * Secret) or the environment; they are never logged, never shown in the settings table ({@code
 * <hidden>}) and never in this record's {@link #toString()}.
 *
 * <p>Pass-through: a property {@code kafka.client.<name>} (environment {@code
 * STATUSREG_KAFKA_CLIENT_<NAME>}, dots as underscores) sets the Kafka client property {@code
 * <name>} on every client, e.g. {@code kafka.client.ssl.endpoint.identification.algorithm=}. It may
 * not set what a setting of its own or the registry itself decides ({@code bootstrap.servers},
 * {@code security.protocol}, {@code ssl.*store*}, {@code sasl.mechanism}, {@code sasl.jaas.config},
 * serializers, transactional and group ids).
 */
public record KafkaSecurity(
    String protocol,
    Optional<Store> truststore,
    Optional<Store> keystore,
    Optional<String> keyPassword,
    String saslMechanism,
    Optional<String> jaasConfig,
    Map<String, String> passThrough) {

  /** A key or trust store: its file, its type and its password (absent for PEM files). */
  public record Store(Path location, String type, Optional<String> password) {
    @Override
    public String toString() {
      return "Store["
          + location
          + ", "
          + type
          + (password.isPresent() ? ", password=<hidden>" : "")
          + "]";
    }
  }

  public static final String PASS_THROUGH_PREFIX = Settings.KAFKA_CLIENT_PREFIX;

  private static final Set<String> PROTOCOLS =
      Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
  private static final Set<String> STORE_TYPES = Set.of("PKCS12", "JKS", "PEM");
  private static final Set<String> MECHANISMS = Set.of("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN");
  private static final Pattern CLIENT_PROPERTY = Pattern.compile("[a-z][a-z0-9]*([.-][a-z0-9]+)*");
  private static final int MAX_SECRET_FILE_BYTES = 64 * 1024;

  public static final Setting<String> PROTOCOL =
      choice(
          "kafka.security.protocol",
          "PLAINTEXT",
          PROTOCOLS,
          "security.protocol of every Kafka client: PLAINTEXT, SSL (TLS, mutual TLS with a"
              + " keystore), SASL_PLAINTEXT or SASL_SSL");
  public static final Setting<String> TRUSTSTORE_LOCATION =
      Setting.string(
          "kafka.ssl.truststore.location",
          "",
          "truststore with the CA of the brokers' certificates; empty = the JVM's default CAs");
  public static final Setting<String> TRUSTSTORE_TYPE =
      choice("kafka.ssl.truststore.type", "PKCS12", STORE_TYPES, "PKCS12, JKS or PEM");
  public static final Setting<String> TRUSTSTORE_PASSWORD =
      Setting.secret("kafka.ssl.truststore.password", "", "truststore password (never logged)");
  public static final Setting<String> TRUSTSTORE_PASSWORD_FILE =
      Setting.string(
          "kafka.ssl.truststore.password.file",
          "",
          "file holding the truststore password (wins over kafka.ssl.truststore.password)");
  public static final Setting<String> KEYSTORE_LOCATION =
      Setting.string(
          "kafka.ssl.keystore.location",
          "",
          "keystore with this client's key and certificate, for mutual TLS; empty = none");
  public static final Setting<String> KEYSTORE_TYPE =
      choice("kafka.ssl.keystore.type", "PKCS12", STORE_TYPES, "PKCS12, JKS or PEM");
  public static final Setting<String> KEYSTORE_PASSWORD =
      Setting.secret("kafka.ssl.keystore.password", "", "keystore password (never logged)");
  public static final Setting<String> KEYSTORE_PASSWORD_FILE =
      Setting.string(
          "kafka.ssl.keystore.password.file",
          "",
          "file holding the keystore password (wins over kafka.ssl.keystore.password)");
  public static final Setting<String> KEY_PASSWORD =
      Setting.secret(
          "kafka.ssl.key.password",
          "",
          "password of the key in the keystore, when it differs from the keystore's (never"
              + " logged)");
  public static final Setting<String> KEY_PASSWORD_FILE =
      Setting.string(
          "kafka.ssl.key.password.file",
          "",
          "file holding the password of the key in the keystore (wins over"
              + " kafka.ssl.key.password)");
  public static final Setting<String> SASL_MECHANISM =
      choice(
          "kafka.sasl.mechanism",
          "SCRAM-SHA-512",
          MECHANISMS,
          "SASL mechanism with SASL_*: SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN");
  public static final Setting<String> JAAS_CONFIG =
      Setting.secret(
          "kafka.sasl.jaas.config",
          "",
          "sasl.jaas.config line with SASL_* (never logged); prefer kafka.sasl.jaas.config.file");
  public static final Setting<String> JAAS_CONFIG_FILE =
      Setting.string(
          "kafka.sasl.jaas.config.file",
          "",
          "file holding the sasl.jaas.config line, e.g. a mounted Secret (wins over"
              + " kafka.sasl.jaas.config)");

  /** Client properties decided by a setting above or by the registry, not by a pass-through. */
  private static final Set<String> RESERVED =
      Set.of(
          "bootstrap.servers",
          "security.protocol",
          "ssl.truststore.location",
          "ssl.truststore.type",
          "ssl.truststore.password",
          "ssl.truststore.certificates",
          "ssl.keystore.location",
          "ssl.keystore.type",
          "ssl.keystore.password",
          "ssl.keystore.key",
          "ssl.keystore.certificate.chain",
          "ssl.key.password",
          "sasl.mechanism",
          "sasl.jaas.config",
          "key.serializer",
          "value.serializer",
          "key.deserializer",
          "value.deserializer",
          "transactional.id",
          "group.id",
          "group.instance.id",
          "application.id",
          "processing.guarantee",
          "isolation.level",
          "enable.auto.commit");

  public KafkaSecurity {
    passThrough = Map.copyOf(passThrough);
  }

  /** Plaintext, no authentication: the embedded broker of {@code dev} and of tests. */
  public static KafkaSecurity plaintext() {
    return new KafkaSecurity(
        "PLAINTEXT",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        "SCRAM-SHA-512",
        Optional.empty(),
        Map.of());
  }

  /** Every security setting, in documentation order. */
  public static List<Setting<?>> all() {
    return List.of(
        PROTOCOL,
        TRUSTSTORE_LOCATION,
        TRUSTSTORE_TYPE,
        TRUSTSTORE_PASSWORD,
        TRUSTSTORE_PASSWORD_FILE,
        KEYSTORE_LOCATION,
        KEYSTORE_TYPE,
        KEYSTORE_PASSWORD,
        KEYSTORE_PASSWORD_FILE,
        KEY_PASSWORD,
        KEY_PASSWORD_FILE,
        SASL_MECHANISM,
        JAAS_CONFIG,
        JAAS_CONFIG_FILE);
  }

  /**
   * Reads and validates the security settings and the pass-through properties; reads the secret
   * files. Fails naming the setting, never showing a secret.
   */
  public static KafkaSecurity from(Settings s) {
    String protocol = s.get(PROTOCOL);
    boolean tls = protocol.endsWith("SSL");
    boolean sasl = protocol.startsWith("SASL_");
    Optional<Store> truststore =
        store(
            s, TRUSTSTORE_LOCATION, TRUSTSTORE_TYPE, TRUSTSTORE_PASSWORD, TRUSTSTORE_PASSWORD_FILE);
    Optional<Store> keystore =
        store(s, KEYSTORE_LOCATION, KEYSTORE_TYPE, KEYSTORE_PASSWORD, KEYSTORE_PASSWORD_FILE);
    if (!tls && (truststore.isPresent() || keystore.isPresent())) {
      throw new Setting.ConfigException(
          "kafka.ssl.* stores are set but "
              + PROTOCOL.name()
              + " is "
              + protocol
              + ": use SSL or SASL_SSL");
    }
    Optional<String> jaas = secret(s, JAAS_CONFIG, JAAS_CONFIG_FILE);
    if (sasl && jaas.isEmpty()) {
      throw new Setting.ConfigException(
          PROTOCOL.name()
              + " "
              + protocol
              + " needs "
              + JAAS_CONFIG_FILE.name()
              + " ("
              + JAAS_CONFIG_FILE.envName()
              + ") or "
              + JAAS_CONFIG.name());
    }
    if (!sasl && jaas.isPresent()) {
      throw new Setting.ConfigException(
          "a SASL JAAS config is set but " + PROTOCOL.name() + " is " + protocol);
    }
    Optional<String> keyPassword = secret(s, KEY_PASSWORD, KEY_PASSWORD_FILE);
    if (keyPassword.isPresent() && keystore.isEmpty()) {
      throw new Setting.ConfigException(
          "a key password ("
              + KEY_PASSWORD_FILE.name()
              + " or "
              + KEY_PASSWORD.name()
              + ") is set but "
              + KEYSTORE_LOCATION.name()
              + " is empty");
    }
    return new KafkaSecurity(
        protocol,
        truststore,
        keystore,
        keyPassword,
        s.get(SASL_MECHANISM),
        jaas,
        passThrough(s.raw()));
  }

  /**
   * The security and pass-through properties to add to a Kafka client's configuration (producer,
   * consumer, admin or Streams: they are the same for all).
   */
  public Map<String, Object> clientProperties() {
    Map<String, Object> p = new LinkedHashMap<>(passThrough);
    p.put("security.protocol", protocol);
    truststore.ifPresent(
        t -> {
          p.put("ssl.truststore.location", t.location().toAbsolutePath().toString());
          p.put("ssl.truststore.type", t.type());
          t.password().ifPresent(pw -> p.put("ssl.truststore.password", pw));
        });
    keystore.ifPresent(
        k -> {
          p.put("ssl.keystore.location", k.location().toAbsolutePath().toString());
          p.put("ssl.keystore.type", k.type());
          k.password().ifPresent(pw -> p.put("ssl.keystore.password", pw));
        });
    keyPassword.ifPresent(pw -> p.put("ssl.key.password", pw));
    if (protocol.startsWith("SASL_")) {
      p.put("sasl.mechanism", saslMechanism);
      jaasConfig.ifPresent(j -> p.put("sasl.jaas.config", j));
    }
    return p;
  }

  /** Whether clients authenticate (SASL, or TLS with a client certificate). */
  public boolean authenticated() {
    return protocol.startsWith("SASL_") || keystore.isPresent();
  }

  /** {@link #clientProperties()} added to {@code config}, which is returned. */
  public <M extends Map<? super String, Object>> M addTo(M config) {
    config.putAll(clientProperties());
    return config;
  }

  /** What the process logs about its Kafka security: never a secret. */
  @Override
  public String toString() {
    return "KafkaSecurity[protocol="
        + protocol
        + ", truststore="
        + truststore.map(Store::toString).orElse("(JVM default)")
        + ", keystore="
        + keystore.map(Store::toString).orElse("(none)")
        + (protocol.startsWith("SASL_") ? ", sasl=" + saslMechanism + " (jaas <hidden>)" : "")
        + ", pass-through="
        + new TreeMap<>(passThrough).keySet()
        + "]";
  }

  private static Map<String, String> passThrough(Map<String, String> raw) {
    Map<String, String> out = new TreeMap<>();
    raw.forEach(
        (k, v) -> {
          if (!k.startsWith(PASS_THROUGH_PREFIX)) {
            return;
          }
          String name = k.substring(PASS_THROUGH_PREFIX.length());
          if (name.length() > 200 || !CLIENT_PROPERTY.matcher(name).matches()) {
            throw new Setting.ConfigException(
                "bad pass-through property name '"
                    + k
                    + "': expected kafka.client.<a Kafka client property>");
          }
          if (RESERVED.contains(name)
              || name.startsWith("ssl.keystore.")
              || name.startsWith("ssl.truststore.")) {
            throw new Setting.ConfigException(
                k
                    + ": "
                    + name
                    + " is set by its own kafka.* setting or by the registry, not by a"
                    + " pass-through");
          }
          if (v.length() > 4096) {
            throw new Setting.ConfigException(k + ": value longer than 4096 characters");
          }
          out.put(name, v.trim());
        });
    return out;
  }

  private static Optional<Store> store(
      Settings s,
      Setting<String> location,
      Setting<String> type,
      Setting<String> password,
      Setting<String> passwordFile) {
    Optional<String> file = nonEmpty(s.get(location));
    Optional<String> pw = secret(s, password, passwordFile);
    if (file.isEmpty()) {
      if (pw.isPresent()) {
        throw new Setting.ConfigException(
            "a password for " + location.name() + " is set but " + location.name() + " is empty");
      }
      return Optional.empty();
    }
    Path path = Path.of(file.get());
    if (!Files.isReadable(path)) {
      throw new Setting.ConfigException(
          location.name() + " (" + location.envName() + "): cannot read " + path);
    }
    String storeType = s.get(type);
    if (pw.isEmpty() && !storeType.equals("PEM")) {
      throw new Setting.ConfigException(
          location.name()
              + " is a "
              + storeType
              + " store: set "
              + passwordFile.name()
              + " ("
              + passwordFile.envName()
              + ") or "
              + password.name());
    }
    return Optional.of(new Store(path, storeType, pw));
  }

  /** A secret from its file setting when set, else from its value setting; empty when neither. */
  private static Optional<String> secret(
      Settings s, Setting<String> value, Setting<String> fileSetting) {
    Optional<String> file = nonEmpty(s.get(fileSetting));
    if (file.isPresent()) {
      Path path = Path.of(file.get());
      try {
        if (Files.size(path) > MAX_SECRET_FILE_BYTES) {
          throw new Setting.ConfigException(
              fileSetting.name()
                  + ": "
                  + path
                  + " is larger than "
                  + MAX_SECRET_FILE_BYTES
                  + " bytes");
        }
        String text = Files.readString(path, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
          throw new Setting.ConfigException(fileSetting.name() + ": " + path + " is empty");
        }
        return Optional.of(text);
      } catch (IOException e) {
        throw new Setting.ConfigException(
            fileSetting.name() + " (" + fileSetting.envName() + "): cannot read " + path);
      }
    }
    return nonEmpty(s.get(value));
  }

  private static Setting<String> choice(String name, String def, Set<String> allowed, String doc) {
    return new Setting<>(
        name,
        def,
        doc,
        v -> v.toUpperCase(Locale.ROOT),
        allowed::contains,
        "one of " + new java.util.TreeSet<>(allowed),
        false);
  }

  private static Optional<String> nonEmpty(String s) {
    return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.strip());
  }
}
