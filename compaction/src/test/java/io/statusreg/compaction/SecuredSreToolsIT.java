package io.statusreg.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.statusreg.kraft.KraftCluster;
import io.statusreg.kraft.SecureListener;
import io.statusreg.streams.testing.BrokerStores;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An SRE tool ({@code topics verify}, through its Java entry point) against the real KRaft broker's
 * SASL_SSL listener (SCRAM-SHA-512, the broker's certificate generated here, the
 * StandardAuthorizer), configured only through the registry's {@code STATUSREG_KAFKA_*} environment
 * with the secrets in files. Its principal may only describe and read the registry's topics. The
 * topics are created by the operator over PLAINTEXT (super user ANONYMOUS) with {@code topics
 * apply}.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SecuredSreToolsIT {
  @TempDir static Path dir;
  private KraftCluster kafka;
  private String storePassword;

  @BeforeAll
  void startSecuredBroker() throws Exception {
    Path certs = dir.resolve("certs");
    BrokerStores stores = BrokerStores.generate(certs, java.util.Map.of());
    storePassword = stores.password();
    kafka =
        KraftCluster.builder()
            .dataDir(dir.resolve("kafka"))
            .secureListener(
                new SecureListener(
                    certs.resolve("broker.p12"),
                    storePassword,
                    certs.resolve("trust.p12"),
                    storePassword,
                    false))
            .brokerProperty(
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
            .brokerProperty("super.users", "User:ANONYMOUS")
            .build();
    kafka.start();
    Run apply = topics(Map.of(), "apply", "--bootstrap-servers", kafka.bootstrapServers());
    assertThat(apply.code()).as("topics apply as the operator: %s", apply).isZero();
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      "sre",
                      new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                      "sre-secret")))
          .all()
          .get(30, TimeUnit.SECONDS);
      List<AclBinding> acls = new ArrayList<>();
      for (AclOperation op :
          List.of(AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS, AclOperation.READ)) {
        acls.add(
            new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, "statusreg.", PatternType.PREFIXED),
                new AccessControlEntry("User:sre", "*", op, AclPermissionType.ALLOW)));
      }
      admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
    }
    // The SCRAM credential reaches the broker's authenticator through the metadata log a moment
    // after the controller accepted it (a CI run's first login met "invalid credentials"): wait
    // until a login as "sre" is no longer refused, whatever else the tool then says.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (topics(secured("sre-secret"), "verify").err().contains("SaslAuthenticationException")) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the SCRAM user sre could not log in within 60 s");
      }
      Thread.sleep(200);
    }
  }

  @AfterAll
  void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void topicsVerifyRunsOverSaslSslWithTheRegistrysSecuritySettings() throws Exception {
    Run verify = topics(secured("sre-secret"), "verify");
    assertThat(verify.code()).as("%s", verify).isZero();
    assertThat(verify.out()).contains("every topic matches the catalogue");
    assertThat(verify.out() + verify.err()).doesNotContain("sre-secret", storePassword);
  }

  @Test
  void aWrongPasswordFailsTheToolWithoutShowingIt() throws Exception {
    Run verify = topics(secured("not-the-password"), "verify");
    assertThat(verify.code()).as("%s", verify).isEqualTo(1);
    assertThat(verify.err()).containsIgnoringCase("authentication");
    assertThat(verify.out() + verify.err()).doesNotContain("not-the-password", storePassword);
  }

  /** The registry's environment for SASL_SSL: SCRAM, the JAAS line and the password in files. */
  private Map<String, String> secured(String password) throws Exception {
    Path secrets = Files.createDirectories(dir.resolve("secrets-" + password));
    Path jaas =
        Files.writeString(
            secrets.resolve("sasl.jaas.config"),
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"sre\""
                + " password=\""
                + password
                + "\";\n",
            StandardCharsets.UTF_8);
    Path storePw =
        Files.writeString(
            secrets.resolve("ca.password"), storePassword + "\n", StandardCharsets.UTF_8);
    Map<String, String> env = new HashMap<>();
    env.put("STATUSREG_KAFKA_BOOTSTRAP_SERVERS", kafka.secureBootstrapServers());
    env.put("STATUSREG_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
    env.put("STATUSREG_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
    env.put("STATUSREG_KAFKA_SASL_JAAS_CONFIG_FILE", jaas.toString());
    env.put("STATUSREG_KAFKA_SSL_TRUSTSTORE_LOCATION", dir.resolve("certs/trust.p12").toString());
    env.put("STATUSREG_KAFKA_SSL_TRUSTSTORE_PASSWORD_FILE", storePw.toString());
    // a wrong password is fatal at once; no need to wait out the default api timeout
    env.put("STATUSREG_KAFKA_CLIENT_RECONNECT_BACKOFF_MAX_MS", "2000");
    return env;
  }

  record Run(int code, String out, String err) {}

  private static Run topics(Map<String, String> securityEnv, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> env = new HashMap<>(securityEnv);
    env.put("STATUSREG_TOPIC_REPLICATION_FACTOR", "1");
    env.put("STATUSREG_TOPIC_MIN_INSYNC_REPLICAS", "1");
    int code =
        TopicsCommand.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env);
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
