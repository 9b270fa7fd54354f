package io.statusreg.chaos.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.compaction.KafkaAccess;
import io.statusreg.kraft.SecureListener;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --secure}'s settings assembly: a CA and a broker certificate for 127.0.0.1 made with
 * keytool, secrets only in files of mode 600, and instance and harness settings that name those
 * files and never hold a secret, nor does any keytool command line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredKafkaTest {
  @TempDir static Path dir;
  private SecuredKafka secured;
  private String storePassword;
  private String userPassword;

  @BeforeAll
  void generate() throws Exception {
    secured = SecuredKafka.generate(dir.resolve("kafka-security"));
    storePassword = Files.readString(secured.truststorePasswordFile()).strip();
    userPassword = Files.readString(secured.userPasswordFile()).strip();
  }

  @Test
  void theBrokerCertificateFor127001IsSignedByTheRunsCa() throws Exception {
    KeyStore trust = load(secured.truststore());
    X509Certificate ca = (X509Certificate) trust.getCertificate("ca");
    assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=statusreg chaos CA");
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);

    SecureListener listener = secured.listener();
    KeyStore broker = load(listener.keystore());
    Certificate[] chain = broker.getCertificateChain("broker");
    assertThat(chain).hasSize(2);
    X509Certificate leaf = (X509Certificate) chain[0];
    assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=127.0.0.1");
    assertThat(leaf.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
    leaf.verify(ca.getPublicKey());
    assertThat(leaf.getSubjectAlternativeNames())
        .contains(List.of(7, "127.0.0.1"), List.of(2, "localhost"));
    assertThat(listener.requireClientCertificate()).isFalse();
    assertThat(listener.truststore()).isEqualTo(secured.truststore());
    assertThat(listener.toString()).doesNotContain(storePassword);
  }

  @Test
  void secretsAreInFilesOfMode600AndTheJaasFileNamesTheUser() throws Exception {
    assertThat(storePassword).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(userPassword);
    for (Path f :
        List.of(
            secured.truststorePasswordFile(),
            secured.userPasswordFile(),
            secured.jaasFile(),
            secured.listener().keystore())) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
          .as(f.toString())
          .isEqualTo("rw-------");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secured.dir())))
        .isEqualTo("rwx------");
    assertThat(Files.readString(secured.jaasFile()).strip())
        .isEqualTo(
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"statusreg\" password=\""
                + userPassword
                + "\";");
  }

  @Test
  void theInstanceSettingsNameFilesAndHoldNoSecret() {
    Map<String, String> settings = secured.clientSettings("127.0.0.1:19093,127.0.0.1:19094");
    assertThat(settings)
        .containsOnlyKeys(
            "STATUSREG_KAFKA_BOOTSTRAP_SERVERS",
            "STATUSREG_KAFKA_SECURITY_PROTOCOL",
            "STATUSREG_KAFKA_SSL_TRUSTSTORE_LOCATION",
            "STATUSREG_KAFKA_SSL_TRUSTSTORE_TYPE",
            "STATUSREG_KAFKA_SSL_TRUSTSTORE_PASSWORD_FILE",
            "STATUSREG_KAFKA_SASL_MECHANISM",
            "STATUSREG_KAFKA_SASL_JAAS_CONFIG_FILE")
        .containsEntry("STATUSREG_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19093,127.0.0.1:19094")
        .containsEntry("STATUSREG_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
        .containsEntry("STATUSREG_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
        .containsEntry("STATUSREG_KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12");
    assertThat(String.join("\n", settings.values()))
        .doesNotContain(storePassword)
        .doesNotContain(userPassword);

    // the harness's own clients read the same files, and never show what they read
    KafkaAccess access = HarnessKafka.access(settings);
    assertThat(access.extra())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("ssl.truststore.password", storePassword)
        .containsEntry("ssl.truststore.location", secured.truststore().toString());
    assertThat(String.valueOf(access.extra().get("sasl.jaas.config"))).contains(userPassword);
    assertThat(access.toString()).doesNotContain(userPassword).doesNotContain(storePassword);
    assertThat(HarnessKafka.settings(settings).toString())
        .doesNotContain(userPassword)
        .doesNotContain(storePassword);
  }

  @Test
  void noKeytoolCommandLineNorTheReportNoteHoldsASecret() {
    assertThat(secured.keytoolCommands()).hasSizeGreaterThanOrEqualTo(8);
    for (List<String> cmd : secured.keytoolCommands()) {
      assertThat(String.join(" ", cmd))
          .doesNotContain(storePassword)
          .doesNotContain(userPassword)
          .doesNotContain("-storepass ");
    }
    assertThat(secured.note())
        .startsWith("kafka: SASL_SSL (SCRAM-SHA-512)")
        .doesNotContain(storePassword)
        .doesNotContain(userPassword);
    assertThat(secured.toString()).doesNotContain(storePassword).doesNotContain(userPassword);
  }

  @Test
  void connectionsAreCountedByTheBrokerPortTheyGoTo() throws Exception {
    assertThat(KafkaConnections.remotePort("0100007F:1F90")).isEqualTo(8080);
    assertThat(KafkaConnections.remotePort("0000000000000000FFFF00000100007F:1F91"))
        .isEqualTo(8081);
    assertThat(KafkaConnections.ports("127.0.0.1:19093, 127.0.0.1:19094"))
        .containsExactlyInAnyOrder(19093, 19094);
    try (java.net.ServerSocket server =
            new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        java.net.Socket client =
            new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.getLocalPort());
        java.net.Socket accepted = server.accept()) {
      long self = ProcessHandle.current().pid();
      int port = server.getLocalPort();
      // this JVM holds both ends: one connection goes to the port (the accepted end's peer is not)
      assertThat(KafkaConnections.of(self, java.util.Set.of(port), java.util.Set.of()))
          .isEqualTo(new KafkaConnections.Count(1, 0));
      assertThat(KafkaConnections.of(self, java.util.Set.of(), java.util.Set.of(port)))
          .isEqualTo(new KafkaConnections.Count(0, 1));
      assertThat(accepted.isConnected()).isTrue();
    }
  }

  private KeyStore load(Path file) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      ks.load(in, storePassword.toCharArray());
    }
    return ks;
  }
}
