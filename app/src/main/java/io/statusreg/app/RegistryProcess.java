package io.statusreg.app;

import io.statusreg.api.ApiServer;
import io.statusreg.api.ApiSettings;
import io.statusreg.api.auth.IssuerAuthenticator;
import io.statusreg.api.metrics.ApiMetrics;
import io.statusreg.registry.config.Setting;
import io.statusreg.registry.config.Settings;
import io.statusreg.registry.keys.SigningKeySource;
import io.statusreg.registry.keys.SigningKeys;
import io.statusreg.streams.RegistryNode;
import io.statusreg.streams.StreamsSettings;
import io.statusreg.streams.publication.RegistryListSigner;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One registry instance: the Streams node (command owner, publisher, token directory) and the HTTP
 * server in front of it. Shared by {@code dev} and {@code serve}. Every setting is read and
 * validated before anything starts, so a bad value fails fast with its name.
 */
final class RegistryProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RegistryProcess.class);

  private final RegistryNode node;
  private final ApiServer server;
  private final ApiMetrics metrics;

  private RegistryProcess(RegistryNode node, ApiServer server, ApiMetrics metrics) {
    this.node = node;
    this.server = server;
    this.metrics = metrics;
  }

  /** The process's metrics registry (served at /metrics), for components started beside it. */
  io.micrometer.core.instrument.MeterRegistry meterRegistry() {
    return metrics.registry();
  }

  /** Every setting {@code dev} and {@code serve} read. */
  static List<Setting<?>> knownSettings() {
    List<Setting<?>> all = new ArrayList<>(ApiSettings.ALL);
    all.addAll(StreamsSettings.all());
    all.addAll(io.statusreg.registry.keys.KeySettings.all());
    all.addAll(io.statusreg.registry.tokens.TokenSettings.all());
    all.addAll(io.statusreg.analytics.AnalyticsSettings.all());
    all.add(LogFormat.LOG_FORMAT);
    // one entry per name: analytics repeats kafka.bootstrap.servers and http.port
    java.util.Map<String, Setting<?>> byName = new java.util.LinkedHashMap<>();
    all.forEach(setting -> byName.putIfAbsent(setting.name(), setting));
    return List.copyOf(byName.values());
  }

  /** Validates every setting without starting anything. */
  record Checked(
      ApiSettings.Values api,
      StreamsSettings streams,
      IssuerAuthenticator authenticator,
      SigningKeySource keys) {}

  static Checked check(Settings settings) {
    LogFormat.apply(settings);
    StreamsSettings streams = StreamsSettings.from(settings);
    ApiSettings.Values api = ApiSettings.Values.read(settings);
    if (streams.beacon() && streams.beaconPort().orElseThrow() == api.port()) {
      // Until 2026-12-04 application.server named the HTTP port; now its port is the membership
      // beacon's, which cannot share the HTTP server's socket.
      throw new Setting.ConfigException(
          StreamsSettings.APPLICATION_SERVER.name()
              + " ("
              + streams.applicationServer().orElseThrow()
              + ") must name the port of this instance's membership beacon, not "
              + ApiSettings.HTTP_PORT.name()
              + " ("
              + api.port()
              + "): use another free port, e.g. 8079 in the Kubernetes manifests");
    }
    return new Checked(
        api,
        streams,
        IssuerAuthenticator.fromSettings(settings),
        SigningKeySource.from(settings, streams.signingKeysFile()));
  }

  static RegistryProcess start(Checked checked, boolean createTopics) {
    Clock clock = Clock.systemUTC();
    StreamsSettings streams = checked.streams();
    // Reads the keys from the configured source and checks their x5c chains (HAIP): a bad chain
    // stops start-up here, naming the key and the rule.
    SigningKeys keys =
        checked
            .keys()
            .load(clock)
            .map(ring -> new SigningKeys(clock, ring))
            .orElseGet(
                () -> {
                  log.warn(
                      "no signing keys configured (signing.keys.file, signing.keystore.file,"
                          + " signing.pkcs11.config): signing with a throw-away development key");
                  return SigningKeys.development(clock);
                });
    log.info("signing keys from {}: {}", checked.keys(), keys);
    if (createTopics) {
      List<String> created = RegistryNode.createTopics(streams, java.time.Duration.ofSeconds(60));
      if (!created.isEmpty()) {
        log.info("created topics {}", created);
      }
    }
    RegistryNode node =
        RegistryNode.start(
            streams,
            new RegistryListSigner(
                keys,
                streams.compressionLevel(),
                streams.publicBaseUrl(),
                checked.api().aggregation()),
            clock);
    ApiMetrics metrics = new ApiMetrics(clock).withJvm();
    try {
      metrics.bindStreams(
          () -> node.state().name(),
          node::rebalances,
          Arrays.stream(KafkaStreams.State.values()).map(Enum::name).toArray(String[]::new));
      metrics.bindStreamsHealth(node::streamThreadFailures, () -> consumerLag(node));
      metrics.bindPeerRemovals(node::peerRemovals);
      metrics.bindPublisher(node.publisherMetrics(), node.segmentCache());
      ApiServer server =
          new ApiServer(
                  checked.api(),
                  new ApiServer.Dependencies(
                      node.gateway(),
                      node.directory(),
                      io.statusreg.api.verifier.PublicKeys.of(
                          keys, checked.keys().separateListSigner()),
                      checked.authenticator(),
                      metrics,
                      clock,
                      node::isReady,
                      node::isAlive))
              .start();
      return new RegistryProcess(node, server, metrics);
    } catch (RuntimeException e) {
      node.close();
      metrics.close();
      throw e;
    }
  }

  /**
   * The largest {@code records-lag-max} of the stream threads' main consumers (not the restore or
   * global consumers); 0 before any fetch.
   */
  static double consumerLag(RegistryNode node) {
    double max = 0;
    for (var e : node.streams().metrics().entrySet()) {
      var name = e.getKey();
      if (name.name().equals("records-lag-max")
          && name.group().equals("consumer-fetch-manager-metrics")
          && !name.tags().containsKey("topic")
          && isMainConsumer(name.tags().getOrDefault("client-id", ""))
          && e.getValue().metricValue() instanceof Double d
          && !d.isNaN()) {
        max = Math.max(max, d);
      }
    }
    return max;
  }

  private static boolean isMainConsumer(String clientId) {
    return clientId.endsWith("-consumer")
        && !clientId.endsWith("-restore-consumer")
        && !clientId.endsWith("-global-consumer");
  }

  int port() {
    return server.port();
  }

  /**
   * Called once the caller's JVM shutdown hook, which runs {@link #close()}, is installed: from
   * then on that hook alone closes the node, after the HTTP server drained its requests in flight
   * (the node's own hook, which closes the command gateway at once, is removed; until here it
   * covers a SIGTERM during start-up).
   */
  void closedByShutdownHook() {
    node.ownerClosesOnShutdown();
  }

  /** Stops the server first (no new connections, requests in flight finish), then the node. */
  @Override
  public void close() {
    try {
      server.close();
    } catch (RuntimeException e) {
      log.warn("stopping the HTTP server", e);
    }
    try {
      node.close();
    } finally {
      metrics.close();
    }
  }
}
