package io.statusreg.kraft;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A second client listener of every node, {@code SASL_SSL} with SCRAM-SHA-512 (and, with {@code
 * requireClientCertificate}, mutual TLS on top), for tests of a secured Kafka; optionally a third,
 * {@code SSL} with client certificates required ({@link #withMutualTlsListener}), where the
 * principal comes from the client's certificate. The PLAINTEXT listener stays: it is the
 * inter-broker listener and the one the cluster's own start-up probe uses. The stores are PKCS#12
 * files the test generated.
 *
 * @param keystore the brokers' key and certificate (for {@code 127.0.0.1})
 * @param truststore the CAs whose client certificates are accepted with mutual TLS
 * @param mutualTlsPrincipalMappingRules when present, the {@code ssl.principal.mapping.rules} of an
 *     {@code SSL} listener {@value #MUTUAL_TLS_NAME} with {@code ssl.client.auth=required}: how the
 *     certificate's subject becomes the principal's name (e.g. {@code
 *     RULE:^CN=([^,]+)$/$1/,DEFAULT} turns {@code CN=statusreg} into {@code User:statusreg}; {@code
 *     DEFAULT} alone keeps the whole subject, {@code User:CN=statusreg})
 */
public record SecureListener(
    Path keystore,
    String keystorePassword,
    Path truststore,
    String truststorePassword,
    boolean requireClientCertificate,
    Optional<String> mutualTlsPrincipalMappingRules) {
  /**
   * The SASL_SSL listener's name in {@code listeners} and in {@code listener.name.*} properties.
   */
  public static final String NAME = "SECURE";

  /** The mutual TLS (SSL) listener's name. */
  public static final String MUTUAL_TLS_NAME = "MTLS";

  public SecureListener {
    Objects.requireNonNull(keystore, "keystore");
    Objects.requireNonNull(keystorePassword, "keystorePassword");
    Objects.requireNonNull(truststore, "truststore");
    Objects.requireNonNull(truststorePassword, "truststorePassword");
    Objects.requireNonNull(mutualTlsPrincipalMappingRules, "mutualTlsPrincipalMappingRules");
  }

  /** The SASL_SSL listener only. */
  public SecureListener(
      Path keystore,
      String keystorePassword,
      Path truststore,
      String truststorePassword,
      boolean requireClientCertificate) {
    this(
        keystore,
        keystorePassword,
        truststore,
        truststorePassword,
        requireClientCertificate,
        Optional.empty());
  }

  /**
   * This listener plus an {@code SSL} listener {@value #MUTUAL_TLS_NAME} that requires a client
   * certificate and maps its subject with {@code principalMappingRules}.
   */
  public SecureListener withMutualTlsListener(String principalMappingRules) {
    return new SecureListener(
        keystore,
        keystorePassword,
        truststore,
        truststorePassword,
        requireClientCertificate,
        Optional.of(principalMappingRules));
  }

  /** Whether the nodes get the mutual TLS listener too. */
  public boolean hasMutualTlsListener() {
    return mutualTlsPrincipalMappingRules.isPresent();
  }

  /** The broker properties of the SASL_SSL listener on {@code endpoint} ({@code host:port}). */
  public Map<String, String> brokerProperties(
      String endpoint, String listeners, String protocolMap) {
    if (hasMutualTlsListener()) {
      throw new IllegalStateException("the mutual TLS listener needs an endpoint of its own");
    }
    return brokerProperties(endpoint, null, listeners, protocolMap);
  }

  /**
   * The broker properties of the SASL_SSL listener on {@code endpoint} and, with {@link
   * #hasMutualTlsListener()}, of the mutual TLS listener on {@code mutualTlsEndpoint}.
   */
  public Map<String, String> brokerProperties(
      String endpoint, String mutualTlsEndpoint, String listeners, String protocolMap) {
    String prefix = prefix(NAME);
    Map<String, String> p = new TreeMap<>();
    String allListeners = listeners + "," + NAME + "://" + endpoint;
    String allProtocols = protocolMap + "," + NAME + ":SASL_SSL";
    if (hasMutualTlsListener()) {
      Objects.requireNonNull(mutualTlsEndpoint, "mutualTlsEndpoint");
      allListeners += "," + MUTUAL_TLS_NAME + "://" + mutualTlsEndpoint;
      allProtocols += "," + MUTUAL_TLS_NAME + ":SSL";
      String mtls = prefix(MUTUAL_TLS_NAME);
      stores(p, mtls);
      p.put(mtls + "ssl.client.auth", "required");
      p.put(mtls + "ssl.principal.mapping.rules", mutualTlsPrincipalMappingRules.get());
    }
    p.put("listeners", allListeners);
    p.put("advertised.listeners", allListeners);
    p.put("listener.security.protocol.map", allProtocols);
    p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
    p.put(prefix + "sasl.enabled.mechanisms", "SCRAM-SHA-512");
    p.put(
        prefix + "scram-sha-512.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    stores(p, prefix);
    p.put(prefix + "ssl.client.auth", requireClientCertificate ? "required" : "none");
    return p;
  }

  private void stores(Map<String, String> p, String prefix) {
    p.put(prefix + "ssl.keystore.location", keystore.toAbsolutePath().toString());
    p.put(prefix + "ssl.keystore.type", "PKCS12");
    p.put(prefix + "ssl.keystore.password", keystorePassword);
    p.put(prefix + "ssl.truststore.location", truststore.toAbsolutePath().toString());
    p.put(prefix + "ssl.truststore.type", "PKCS12");
    p.put(prefix + "ssl.truststore.password", truststorePassword);
  }

  private static String prefix(String listener) {
    return "listener.name." + listener.toLowerCase(java.util.Locale.ROOT) + ".";
  }

  @Override
  public String toString() {
    return "SecureListener["
        + keystore
        + ", "
        + truststore
        + ", mTLS="
        + requireClientCertificate
        + mutualTlsPrincipalMappingRules.map(r -> ", SSL listener (rules " + r + ")").orElse("")
        + "]";
  }
}
