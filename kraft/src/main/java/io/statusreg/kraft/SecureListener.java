package io.statusreg.kraft;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A second client listener of every node, {@code SASL_SSL} with SCRAM-SHA-512 (and, with {@code
 * requireClientCertificate}, mutual TLS on top), for tests of a secured Kafka. The PLAINTEXT
 * listener stays: it is the inter-broker listener and the one the cluster's own start-up probe
 * uses. The stores are PKCS#12 files the test generated.
 *
 * @param keystore the brokers' key and certificate (for {@code 127.0.0.1})
 * @param truststore the CAs whose client certificates are accepted with mutual TLS
 */
public record SecureListener(
    Path keystore,
    String keystorePassword,
    Path truststore,
    String truststorePassword,
    boolean requireClientCertificate) {
  /** The listener's name in {@code listeners} and in {@code listener.name.*} properties. */
  public static final String NAME = "SECURE";

  public SecureListener {
    Objects.requireNonNull(keystore, "keystore");
    Objects.requireNonNull(keystorePassword, "keystorePassword");
    Objects.requireNonNull(truststore, "truststore");
    Objects.requireNonNull(truststorePassword, "truststorePassword");
  }

  /** The broker properties of the listener on {@code endpoint} ({@code host:port}). */
  public Map<String, String> brokerProperties(
      String endpoint, String listeners, String protocolMap) {
    String prefix = "listener.name." + NAME.toLowerCase(java.util.Locale.ROOT) + ".";
    Map<String, String> p = new TreeMap<>();
    p.put("listeners", listeners + "," + NAME + "://" + endpoint);
    p.put("advertised.listeners", p.get("listeners"));
    p.put("listener.security.protocol.map", protocolMap + "," + NAME + ":SASL_SSL");
    p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
    p.put(prefix + "sasl.enabled.mechanisms", "SCRAM-SHA-512");
    p.put(
        prefix + "scram-sha-512.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    p.put(prefix + "ssl.keystore.location", keystore.toAbsolutePath().toString());
    p.put(prefix + "ssl.keystore.type", "PKCS12");
    p.put(prefix + "ssl.keystore.password", keystorePassword);
    p.put(prefix + "ssl.truststore.location", truststore.toAbsolutePath().toString());
    p.put(prefix + "ssl.truststore.type", "PKCS12");
    p.put(prefix + "ssl.truststore.password", truststorePassword);
    p.put(prefix + "ssl.client.auth", requireClientCertificate ? "required" : "none");
    return p;
  }

  @Override
  public String toString() {
    return "SecureListener["
        + keystore
        + ", "
        + truststore
        + ", mTLS="
        + requireClientCertificate
        + "]";
  }
}
