package io.statusreg.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statusreg.common.TopicCatalogue;
import io.statusreg.kraft.KraftCluster;
import io.statusreg.kraft.SecureListener;
import io.statusreg.registry.Actor;
import io.statusreg.registry.ListId;
import io.statusreg.registry.config.Settings;
import io.statusreg.registry.events.Purpose;
import io.statusreg.registry.fold.Decision;
import io.statusreg.registry.fold.RegistryCommand;
import io.statusreg.registry.issuance.IndexPermutation;
import io.statusreg.streams.gateway.CommandGateway.Outcome;
import io.statusreg.streams.testing.AuditCapture;
import io.statusreg.streams.testing.Await;
import io.statusreg.streams.testing.BrokerStores;
import io.statusreg.streams.testing.RegistryHarness;
import io.statusreg.streams.testing.TestSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry node against a secured real KRaft broker: a SASL_SSL listener with SCRAM-SHA-512 and
 * client certificates required (certificates generated here with the JDK's keytool), SCRAM users
 * created through the Admin API, the StandardAuthorizer with only the ACLs the README lists granted
 * to the registry's principal; and an SSL listener with client certificates required (mutual TLS,
 * no SASL) whose principal is the certificate's CN ({@value #MTLS_PRINCIPAL_MAPPING}). The
 * PLAINTEXT listener is the operator's (super user ANONYMOUS) and sets up users, topics and ACLs.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SecuredKafkaIT {
  private static final String APP = "statusreg-sec";
  private static final Actor ISSUER = Actor.issuer("it");

  /** An application id whose internal topics never exist here: a fresh cluster for it. */
  private static final String FRESH_APP = "statusreg-fresh";

  /** The README's ssl.principal.mapping.rules: CN=statusreg is User:statusreg. */
  static final String MTLS_PRINCIPAL_MAPPING = "RULE:^CN=([^,]+)$/$1/,DEFAULT";

  @TempDir static Path dir;
  private KraftCluster kafka;
  private String storePassword;
  private final TestSigner signer = new TestSigner(6);
  private final List<RegistryNode> nodes = new ArrayList<>();

  @BeforeAll
  void startSecuredBroker() throws Exception {
    Path certs = dir.resolve("certs");
    BrokerStores stores =
        // client: the registry's certificate (CN=statusreg, on the mutual TLS listener
        // User:statusreg); stranger: a certificate the broker trusts for a principal without ACLs
        BrokerStores.generate(
            certs, java.util.Map.of("client", "statusreg", "stranger", "stranger"));
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
                        true)
                    // the principal of the mutual TLS listener is the certificate's CN
                    .withMutualTlsListener(MTLS_PRINCIPAL_MAPPING))
            .brokerProperty(
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
            .brokerProperty("super.users", "User:ANONYMOUS")
            .build();
    kafka.start();
    StreamsSettings plain = StreamsSettings.from(Settings.of(base(kafka.bootstrapServers())));
    RegistryNode.createTopics(plain, Duration.ofSeconds(30));
    try (Admin admin = operator()) {
      admin
          .alterUserScramCredentials(
              List.of(
                  scram("statusreg", "registry-secret"),
                  scram("no-group", "no-group-secret"),
                  scram("no-tokens", "no-tokens-secret"),
                  scram("no-prefix", "no-prefix-secret"),
                  scram("no-txn", "no-txn-secret")))
          .all()
          .get(30, TimeUnit.SECONDS);
      List<AclBinding> acls = new ArrayList<>(registryAcls("User:statusreg"));
      acls.addAll(
          registryAcls("User:no-group").stream()
              .filter(b -> b.pattern().resourceType() != ResourceType.GROUP)
              .toList());
      acls.addAll(
          registryAcls("User:no-tokens").stream()
              .filter(
                  b ->
                      !(b.pattern().name().equals(TopicCatalogue.TOKENS)
                          && b.entry().operation() == AclOperation.WRITE))
              .toList());
      // everything but the internal topics' prefix, for an application whose topics do not exist
      acls.addAll(
          RegistryAcls.of("User:no-prefix", FRESH_APP).stream()
              .filter(
                  b ->
                      b.pattern().patternType() != PatternType.PREFIXED
                          || b.pattern().resourceType() != ResourceType.TOPIC)
              .toList());
      acls.addAll(
          registryAcls("User:no-txn").stream()
              .filter(b -> b.pattern().resourceType() != ResourceType.TRANSACTIONAL_ID)
              .toList());
      admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  void stop() {
    nodes.forEach(RegistryNode::close);
    if (kafka != null) {
      kafka.close();
    }
  }

  /**
   * The ACLs of the README's table "Kafka ACLs" for application id {@value #APP}: exactly what the
   * node is given here, so that the node working proves the table sufficient ({@link
   * ReadmeAclsTest} holds the table and {@link RegistryAcls} equal).
   */
  static List<AclBinding> registryAcls(String principal) {
    return RegistryAcls.of(principal, APP);
  }

  @Test
  void theRegistryWorksOverSaslSslWithOnlyTheListedAcls() throws Exception {
    Map<String, String> raw = securedSettings("statusreg", "registry-secret", "state-ok");
    raw.put("instance.id", "secured-0"); // static membership: the close removes its members
    StreamsSettings s = StreamsSettings.from(Settings.of(raw));
    assertThat(s.kafkaSecurity().toString())
        .doesNotContain("registry-secret")
        .doesNotContain(storePassword);
    RegistryNode node = RegistryNode.start(s, signer, Clock.systemUTC());
    nodes.add(node);
    Await.until("node ready", Duration.ofSeconds(120), node::isReady);
    ListId list = ListId.of("it", "secured");
    Outcome created = submit(node, create(list));
    assertThat(created.decision()).isInstanceOf(Decision.Accepted.class);
    Outcome allocated =
        submit(
            node,
            new RegistryCommand.AllocateIndexes(UUID.randomUUID(), list, 5, ISSUER, Instant.now()));
    assertThat(allocated.allocatedIndexes()).hasSize(5);
    Await.until(
        "token published over SASL_SSL",
        Duration.ofSeconds(60),
        () -> node.directory().latest(list).isPresent());

    // A planned stop leaves the group, and the check of its static members that follows runs
    // over SASL_SSL too (a client without the security settings cannot reach the broker).
    try (AuditCapture nodeLog = new AuditCapture(RegistryNode.class.getName())) {
      nodes.remove(node);
      node.close();
      assertThat(nodeLog.lines()).noneMatch(l -> l.contains("could not"));
    }
    try (Admin admin = operator()) {
      assertThat(
              admin
                  .describeConsumerGroups(List.of(APP))
                  .describedGroups()
                  .get(APP)
                  .get(30, TimeUnit.SECONDS)
                  .members())
          .isEmpty();
    }
  }

  @Test
  void aMissingGroupAclStopsTheStartNamingIt() throws Exception {
    StreamsSettings s = secured("no-group", "no-group-secret", "state-no-group");
    assertThatThrownBy(() -> nodes.add(RegistryNode.start(s, signer, Clock.systemUTC())))
        .isInstanceOf(KafkaAccessCheck.MissingAclException.class)
        .hasMessageContaining("READ on GROUP " + APP)
        .hasMessageNotContaining("TOPIC");
  }

  @Test
  void aMissingTopicAclStopsTheStartNamingIt() throws Exception {
    StreamsSettings s = secured("no-tokens", "no-tokens-secret", "state-no-tokens");
    assertThatThrownBy(() -> nodes.add(RegistryNode.start(s, signer, Clock.systemUTC())))
        .isInstanceOf(KafkaAccessCheck.MissingAclException.class)
        .hasMessageContaining("WRITE on TOPIC " + TopicCatalogue.TOKENS)
        .hasMessageNotContaining("GROUP");
  }

  @Test
  void theRegistryWorksOverMutualTlsWithOnlyTheListedAclsOfTheCertificatesPrincipal()
      throws Exception {
    // SSL with the keystore and the truststore only: no SASL, the principal is the certificate's
    // subject CN=statusreg mapped to User:statusreg, whose ACLs are only the README's
    Map<String, String> raw = mutualTlsSettings("client", "state-mtls");
    raw.put("instance.id", "secured-mtls"); // static membership: the close removes its members
    StreamsSettings s = StreamsSettings.from(Settings.of(raw));
    assertThat(s.kafkaSecurity().clientProperties())
        .containsEntry("security.protocol", "SSL")
        .containsEntry("ssl.key.password", storePassword)
        .doesNotContainKeys("sasl.jaas.config", "sasl.mechanism");
    assertThat(s.kafkaSecurity().toString()).doesNotContain(storePassword);
    RegistryNode node = RegistryNode.start(s, signer, Clock.systemUTC());
    nodes.add(node);
    Await.until("node ready over mutual TLS", Duration.ofSeconds(120), node::isReady);
    ListId list = ListId.of("it", "mutual-tls");
    assertThat(submit(node, create(list)).decision()).isInstanceOf(Decision.Accepted.class);
    Outcome allocated =
        submit(
            node,
            new RegistryCommand.AllocateIndexes(UUID.randomUUID(), list, 3, ISSUER, Instant.now()));
    assertThat(allocated.allocatedIndexes()).hasSize(3);
    Await.until(
        "token published over mutual TLS",
        Duration.ofSeconds(60),
        () -> node.directory().latest(list).isPresent());
    nodes.remove(node);
    node.close();
  }

  @Test
  void overMutualTlsACertificateWhosePrincipalHasNoAclsIsRefusedAtTheStart() throws Exception {
    // the broker trusts the certificate, but User:stranger has no ACL: not the super user
    StreamsSettings s =
        StreamsSettings.from(Settings.of(mutualTlsSettings("stranger", "state-stranger")));
    assertThatThrownBy(() -> nodes.add(RegistryNode.start(s, signer, Clock.systemUTC())))
        .isInstanceOf(KafkaAccessCheck.MissingAclException.class)
        .hasMessageContaining("on TOPIC " + TopicCatalogue.TOKENS)
        .hasMessageContaining("READ on GROUP " + APP)
        .hasMessageContaining("WRITE on TRANSACTIONAL_ID prefix " + APP);
  }

  @Test
  void aMissingInternalTopicPrefixAclStopsTheStartOnAFreshClusterNamingIt() throws Exception {
    // FRESH_APP's changelog topics do not exist: the prefix is checked without them
    Map<String, String> raw = securedSettings("no-prefix", "no-prefix-secret", "state-no-prefix");
    raw.put("application.id", FRESH_APP);
    StreamsSettings s = StreamsSettings.from(Settings.of(raw));
    assertThatThrownBy(() -> nodes.add(RegistryNode.start(s, signer, Clock.systemUTC())))
        .isInstanceOf(KafkaAccessCheck.MissingAclException.class)
        .hasMessageContaining("DESCRIBE on TOPIC prefix " + FRESH_APP + "-")
        .hasMessageContaining("CREATE on TOPIC prefix " + FRESH_APP + "-")
        .hasMessageNotContaining("GROUP")
        .hasMessageNotContaining("TRANSACTIONAL_ID");
  }

  @Test
  void aMissingTransactionalIdAclStopsTheStartNamingIt() throws Exception {
    StreamsSettings s = secured("no-txn", "no-txn-secret", "state-no-txn");
    assertThatThrownBy(() -> nodes.add(RegistryNode.start(s, signer, Clock.systemUTC())))
        .isInstanceOf(KafkaAccessCheck.MissingAclException.class)
        .hasMessageContaining("WRITE on TRANSACTIONAL_ID prefix " + APP)
        .hasMessageNotContaining("TOPIC")
        .hasMessageNotContaining("GROUP");
  }

  @Test
  void aWrongPasswordIsAnAuthenticationErrorWithoutThePassword() throws Exception {
    StreamsSettings s = secured("statusreg", "not-the-password", "state-bad");
    assertThatThrownBy(() -> nodes.add(RegistryNode.start(s, signer, Clock.systemUTC())))
        .hasMessageContaining("refused this node's credentials")
        .hasMessageNotContaining("not-the-password");
  }

  private Outcome submit(RegistryNode node, RegistryCommand command) throws Exception {
    return node.gateway().submit(command).get(60, TimeUnit.SECONDS);
  }

  private static RegistryCommand create(ListId list) {
    return new RegistryCommand.CreateList(
        UUID.randomUUID(),
        list,
        1,
        1024,
        Duration.ofMinutes(5),
        Duration.ofHours(1),
        Purpose.REVOCATION,
        new IndexPermutation.Key(list.hashCode(), 99),
        ISSUER,
        Instant.now());
  }

  /** The node's settings: SASL_SSL, SCRAM, client certificate, secrets from files. */
  private StreamsSettings secured(String user, String password, String stateDir) throws Exception {
    return StreamsSettings.from(Settings.of(securedSettings(user, password, stateDir)));
  }

  private Map<String, String> securedSettings(String user, String password, String stateDir)
      throws Exception {
    Path secrets = Files.createDirectories(dir.resolve("secrets-" + stateDir));
    Path jaas = secrets.resolve("jaas.conf");
    Files.writeString(
        jaas,
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + user
            + "\" password=\""
            + password
            + "\";\n",
        StandardCharsets.UTF_8);
    Path storePw = secrets.resolve("store-password");
    Files.writeString(storePw, storePassword + "\n", StandardCharsets.UTF_8);
    Path certs = dir.resolve("certs");
    Map<String, String> raw = base(kafka.secureBootstrapServers());
    raw.put("state.dir", dir.resolve(stateDir).toString());
    raw.put("kafka.security.protocol", "SASL_SSL");
    raw.put("kafka.sasl.mechanism", "SCRAM-SHA-512");
    raw.put("kafka.sasl.jaas.config.file", jaas.toString());
    raw.put("kafka.ssl.truststore.location", certs.resolve("trust.p12").toString());
    raw.put("kafka.ssl.truststore.password.file", storePw.toString());
    raw.put("kafka.ssl.keystore.location", certs.resolve("client.p12").toString());
    raw.put("kafka.ssl.keystore.password.file", storePw.toString());
    // the pass-through reaches every client
    raw.put("kafka.client.reconnect.backoff.max.ms", "2000");
    return raw;
  }

  /**
   * The node's settings over the mutual TLS listener: SSL with the keystore of {@code who} and the
   * truststore, passwords (of the stores and of the key) from files, nothing else.
   */
  private Map<String, String> mutualTlsSettings(String who, String stateDir) throws Exception {
    Path secrets = Files.createDirectories(dir.resolve("secrets-" + stateDir));
    Path storePw = secrets.resolve("store-password");
    Files.writeString(storePw, storePassword + "\n", StandardCharsets.UTF_8);
    Path certs = dir.resolve("certs");
    Map<String, String> raw = base(kafka.mutualTlsBootstrapServers());
    raw.put("state.dir", dir.resolve(stateDir).toString());
    raw.put("kafka.security.protocol", "SSL");
    raw.put("kafka.ssl.truststore.location", certs.resolve("trust.p12").toString());
    raw.put("kafka.ssl.truststore.password.file", storePw.toString());
    raw.put("kafka.ssl.keystore.location", certs.resolve(who + ".p12").toString());
    raw.put("kafka.ssl.keystore.password.file", storePw.toString());
    raw.put("kafka.ssl.key.password.file", storePw.toString());
    return raw;
  }

  private Map<String, String> base(String bootstrap) {
    Map<String, String> raw =
        RegistryHarness.nodeSettings(bootstrap, APP, dir.resolve("state-plain"), 2);
    raw.put("command.timeout.ms", "20000");
    return raw;
  }

  private Admin operator() {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  private static UserScramCredentialUpsertion scram(String user, String password) {
    return new UserScramCredentialUpsertion(
        user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password);
  }
}
