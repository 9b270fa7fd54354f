package io.statusreg.app;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.statusreg.analytics.DevAnalytics;
import io.statusreg.api.ApiSettings;
import io.statusreg.common.DevAddresses;
import io.statusreg.kraft.KraftCluster;
import io.statusreg.registry.config.Setting;
import io.statusreg.registry.config.Settings;
import io.statusreg.registry.keys.KeySettings;
import io.statusreg.streams.StreamsSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code statusreg dev [--port 8080] [--data-dir ./data]}: everything in one JVM on the embedded
 * default. Starts a real single-node KRaft broker (data under {@code <data-dir>/kafka}), creates
 * the topics, runs the registry node (state under {@code <data-dir>/streams}) and the HTTP server.
 * Generates once, and keeps under the data dir, a development signing key and an issuer-auth key
 * pair, and writes a long-lived bearer token for the demo issuer to {@code <data-dir>/dev-token}.
 * Writes its broker and HTTP addresses to {@code <data-dir>/kafka/bootstrap} and {@code
 * <data-dir>/http-url} at every start, for the tools. Starting again keeps every list and status.
 */
final class DevCommand {
  private static final Logger log = LoggerFactory.getLogger(DevCommand.class);

  static final String USAGE =
      """
      usage: statusreg dev [--port 8080] [--data-dir ./data] [--analytics true|false]

        --port N          HTTP port (0 = a free one); the base URL goes to <data-dir>/http-url
        --data-dir DIR    data, keys, bearer token and address files (default ./data); a second
                          dev on the same machine needs its own, and another --port
        --analytics B     run the local ClickHouse engine and the sink (default true); the
                          engine's port is STATUSREG_ANALYTICS_LOCAL_PORT (8123), or a free one
                          when that is taken, written to <data-dir>/clickhouse/jdbc-url
      The Kafka broker takes free ports and writes its address to <data-dir>/kafka/bootstrap.
      """;
  static final String DEMO_ISSUER = "demo";
  static final String AUTH_ISSUER = "statusreg-dev";
  static final String AUDIENCE = "statusreg";

  private DevCommand() {}

  static int run(String[] args) {
    Map<String, String> options;
    try {
      options = Options.parse(args, Set.of("port", "data-dir", "analytics"));
      if (options.containsKey("port")) {
        int port = Integer.parseInt(options.get("port"));
        if (port < 0 || port > 65535) {
          throw new NumberFormatException();
        }
      }
    } catch (Options.UsageException | NumberFormatException e) {
      System.err.println(
          "statusreg dev: "
              + (e instanceof NumberFormatException ? "--port must be 0-65535" : e.getMessage()));
      System.err.print(USAGE);
      return 2;
    }
    Path dataDir = Path.of(options.getOrDefault("data-dir", "data")).toAbsolutePath().normalize();
    Path signingKeys = dataDir.resolve("signing-keys.jwks.json");
    Path authPrivate = dataDir.resolve("issuer-auth-private.jwks.json");
    Path authPublic = dataDir.resolve("issuer-auth.jwks.json");
    String token;
    Optional<Path> trustAnchor;
    try {
      Files.createDirectories(dataDir);
      // (makes the signing key too, the first time)
      trustAnchor = DevChain.ensure(dataDir, signingKeys, Instant.now());
      ECKey authKey = ensurePrivateJwks(authPrivate, "dev-issuer-auth");
      Files.writeString(authPublic, new JWKSet(authKey.toPublicJWK()).toString(true));
      token = devToken(authKey);
      writePrivate(dataDir.resolve("dev-token"), token + "\n");
    } catch (IOException e) {
      System.err.println("statusreg dev: cannot prepare " + dataDir + ": " + e.getMessage());
      return 1;
    }

    // Dev defaults; STATUSREG_* environment variables win over them, --port over both.
    Properties defaults = new Properties();
    defaults.setProperty("state.dir", dataDir.resolve("streams").toString());
    defaults.setProperty("topic.replication.factor", "1");
    defaults.setProperty("topic.min.insync.replicas", "1");
    defaults.setProperty("num.standby.replicas", "0");
    defaults.setProperty("instance.id", "dev-1");
    defaults.setProperty("signing.keys.file", signingKeys.toString());
    // The development CA is the anchor the signing key's chain must lead to (checked at start-up).
    trustAnchor.ifPresent(
        a -> {
          defaults.setProperty(KeySettings.TRUST_ANCHORS_FILE.name(), a.toString());
          defaults.setProperty(KeySettings.X5C_REQUIRED.name(), "true");
        });
    defaults.setProperty("issuer.auth.jwks.file", authPublic.toString());
    defaults.setProperty("issuer.auth.issuer", AUTH_ISSUER);
    // The dev token (re-minted at every start) lives 30 days; serve's default is one day.
    defaults.setProperty(
        "issuer.auth.max.token.lifetime.seconds",
        Long.toString(DEV_TOKEN_LIFETIME.plusDays(1).toSeconds()));
    defaults.setProperty("issuer.auth.audience", AUDIENCE);
    defaults.setProperty("http.host", "127.0.0.1");
    // Tokens name the issuer's aggregation endpoint (served either way) and its issuer metadata
    // says so: dev shows every claim a verifier may meet.
    defaults.setProperty(
        io.statusreg.registry.tokens.TokenSettings.AGGREGATION_ENABLED.name(), "true");
    Map<String, String> overrides = new HashMap<>();
    if (options.containsKey("port")) {
      overrides.put(ApiSettings.HTTP_PORT.name(), options.get("port"));
    }
    if (options.containsKey("analytics")) {
      overrides.put("analytics.enabled", options.get("analytics"));
    }
    // Validate before starting the broker (bootstrap servers are filled in once it runs).
    Settings settings;
    try {
      settings =
          withPublicPort(
              Settings.from(defaults, System.getenv(), overrides, RegistryProcess.knownSettings()),
              System.getenv());
      RegistryProcess.check(settings);
    } catch (Setting.ConfigException e) {
      System.err.println("statusreg dev: " + e.getMessage());
      return 2;
    }

    KraftCluster cluster = KraftCluster.builder().dataDir(dataDir.resolve("kafka")).build();
    RegistryProcess process;
    try {
      cluster.start();
      settings = settings.with("kafka.bootstrap.servers", cluster.bootstrapServers());
      process = RegistryProcess.start(RegistryProcess.check(settings), true);
    } catch (RuntimeException e) {
      log.error("statusreg dev failed to start", e);
      cluster.close();
      return 1;
    }
    String base = "http://localhost:" + process.port();
    writeAddresses(dataDir, cluster.bootstrapServers(), base);
    writeTopicSettings(dataDir, settings);
    // Analytics (chDB engine + sink) never stops dev from running: it says why it is off.
    Optional<DevAnalytics> analytics =
        DevAnalytics.start(dataDir, settings, process.meterRegistry(), System.out);
    System.out.printf(
        """

        statusreg dev is running (data in %s; Ctrl-C stops it, starting again keeps everything)
          Kafka (KRaft)   %s (also in %s, for the SRE and analytics tools)
          status lists    %s/statuslists/%s
          JWKS            %s/.well-known/jwks.json (keys with x5c; trust anchor %s)
          OpenAPI         %s/openapi.json
          health          %s/health/ready
          metrics         %s/metrics
          bearer token    %s (issuer %s, scopes status:write status:read lists:admin)

        try it:
          TOKEN=$(cat %s)
          curl -s -X POST %s/issuers/%s/allocations -H "Authorization: Bearer $TOKEN" \\
               -H 'Content-Type: application/json' -d '{"count":1}'
          curl -s -X PUT %s/issuers/%s/lists/<list>/entries/<idx> -H "Authorization: Bearer $TOKEN" \\
               -H 'Content-Type: application/json' -d '{"status":"INVALID","reason":"key_compromise"}'
          curl -s %s/statuslists/%s/<list> -H 'Accept: application/statuslist+jwt'
        """,
        dataDir,
        cluster.bootstrapServers(),
        dataDir.resolve(DevAddresses.BOOTSTRAP_FILE),
        base,
        DEMO_ISSUER,
        base,
        trustAnchor.map(Path::toString).orElse("none: the key's own chain"),
        base,
        base,
        base,
        dataDir.resolve("dev-token"),
        DEMO_ISSUER,
        dataDir.resolve("dev-token"),
        base,
        DEMO_ISSUER,
        base,
        DEMO_ISSUER,
        base,
        DEMO_ISSUER);
    System.out.flush();
    ServeCommand.awaitShutdown(
        () -> {
          try {
            analytics.ifPresent(DevAnalytics::close);
            process.close();
          } finally {
            cluster.close();
          }
        },
        process::closedByShutdownHook);
    return 0;
  }

  /**
   * Fixes the HTTP port before anything starts: {@code 0} (a free one) becomes a concrete free port
   * here, so that the URIs the lists are published under ({@code public.base.url}, unless {@code
   * STATUSREG_PUBLIC_BASE_URL} sets it) name the port the server really listens on.
   */
  static Settings withPublicPort(Settings settings, Map<String, String> env) {
    int port = settings.get(ApiSettings.HTTP_PORT);
    if (port == 0) {
      port = freePort();
      settings = settings.with(ApiSettings.HTTP_PORT.name(), Integer.toString(port));
    }
    if (!env.containsKey(StreamsSettings.PUBLIC_BASE_URL.envName())) {
      settings = settings.with(StreamsSettings.PUBLIC_BASE_URL.name(), "http://localhost:" + port);
    }
    return settings;
  }

  private static int freePort() {
    try (java.net.ServerSocket probe =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("finding a free HTTP port", e);
    }
  }

  /**
   * Leaves this start's addresses where the SRE and analytics tools look when they are given none:
   * {@code <data-dir>/kafka/bootstrap} and {@code <data-dir>/http-url} ({@link DevAddresses}).
   */
  static void writeAddresses(Path dataDir, String bootstrapServers, String httpBaseUrl) {
    DevAddresses.writeBootstrap(dataDir, bootstrapServers);
    DevAddresses.writeHttpUrl(dataDir, httpBaseUrl);
  }

  /**
   * Leaves the topic settings dev runs with in {@code <data-dir>/dev-settings.properties}, so that
   * {@code topics verify} against dev's broker expects dev's one-broker topics ({@link
   * DevAddresses#SETTINGS_FILE}).
   */
  static void writeTopicSettings(Path dataDir, Settings settings) {
    Map<String, String> shape = new HashMap<>();
    for (Setting<?> s :
        java.util.List.of(
            StreamsSettings.EVENTS_PARTITIONS,
            StreamsSettings.REPLICATION_FACTOR,
            StreamsSettings.MIN_INSYNC_REPLICAS,
            StreamsSettings.RECORD_MAX_BYTES)) {
      shape.put(s.name(), String.valueOf(settings.get(s)));
    }
    DevAddresses.writeSettings(dataDir, shape);
  }

  /** Reads the one EC key of a private JWKS file, or generates and writes it (mode 600). */
  static ECKey ensurePrivateJwks(Path file, String kidPrefix) throws IOException {
    if (Files.exists(file)) {
      try {
        return (ECKey) JWKSet.load(file.toFile()).getKeys().getFirst();
      } catch (java.text.ParseException | ClassCastException e) {
        throw new IOException(file + " is not a JWKS with an EC key: " + e.getMessage());
      }
    }
    ECKey key;
    try {
      key =
          new ECKeyGenerator(Curve.P_256)
              .keyID(kidPrefix + "-" + UUID.randomUUID().toString().substring(0, 8))
              .algorithm(JWSAlgorithm.ES256)
              .keyUse(KeyUse.SIGNATURE)
              .generate();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IOException("generating a key", e);
    }
    writePrivate(file, new JWKSet(key).toString(false));
    log.info("generated {}", file);
    return key;
  }

  static final Duration DEV_TOKEN_LIFETIME = Duration.ofDays(30);

  static String devToken(ECKey key) throws IOException {
    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(AUTH_ISSUER)
            .audience(AUDIENCE)
            .subject("dev")
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(DEV_TOKEN_LIFETIME)))
            .claim("issuer_id", DEMO_ISSUER)
            .claim("scope", "status:write status:read lists:admin")
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims);
    try {
      jwt.sign(new ECDSASigner(key));
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IOException("signing the dev token", e);
    }
    return jwt.serialize();
  }

  static void writePrivate(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
