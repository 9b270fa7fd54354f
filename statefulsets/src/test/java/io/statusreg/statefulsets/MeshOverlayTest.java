package io.statusreg.statefulsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service-mesh overlay ({@code overlays/mesh}): who may reach Kafka, ClickHouse and the
 * registry, strict mutual TLS, the certificates and the verifiers' route. Its custom resources are
 * checked against their published schemas by {@code .ci/k8s-schemas} (scripts/test.sh); the wrong
 * variants written here to {@code target/k8s-schemas/invalid/} show that check failing.
 */
class MeshOverlayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NS = "statusreg";

  private static Manifests mesh;

  @BeforeAll
  static void renderAndWriteTheWrongVariants() throws IOException {
    mesh = Layout.manifests(Layout.MESH);
    Path invalid = Layout.SCHEMA_CHECK.resolve("invalid");
    Files.createDirectories(invalid);
    try (var old = Files.newDirectoryStream(invalid, "*.json")) {
      for (Path f : old) {
        Files.delete(f);
      }
    }
    wrong(
        invalid,
        "mode-strictt",
        "PeerAuthentication",
        "default",
        "/spec/mtls/mode",
        d -> ((ObjectNode) d.at("/spec/mtls")).put("mode", "STRICTT"));
    wrong(
        invalid,
        "misspelt-mtls",
        "PeerAuthentication",
        "default",
        "/spec/mtsl",
        d -> ((ObjectNode) d.get("spec")).set("mtsl", ((ObjectNode) d.get("spec")).remove("mtls")));
    wrong(
        invalid,
        "misspelt-principals",
        "AuthorizationPolicy",
        "kafka",
        "/spec/rules/0/from/0/source/principal",
        d -> {
          ObjectNode source = (ObjectNode) d.at("/spec/rules/0/from/0/source");
          source.set("principal", source.remove("principals"));
        });
    wrong(
        invalid,
        "action-allow-all",
        "AuthorizationPolicy",
        "statusreg",
        "/spec/action",
        d -> ((ObjectNode) d.get("spec")).put("action", "ALLOW_ALL"));
    wrong(
        invalid,
        "misspelt-dnsnames",
        "Certificate",
        "statusreg-public",
        "/spec/dnsName",
        d ->
            ((ObjectNode) d.get("spec"))
                .set("dnsName", ((ObjectNode) d.get("spec")).remove("dnsNames")));
    wrong(
        invalid,
        "quoted-port",
        "HTTPRoute",
        "statusreg-verifiers",
        "/spec/rules/0/backendRefs/0/port",
        d -> ((ObjectNode) d.at("/spec/rules/0/backendRefs/0")).put("port", "80"));
    wrong(
        invalid,
        "tls-mode",
        "Gateway",
        "statusreg-public",
        "/spec/listeners/0/tls/mode",
        d -> ((ObjectNode) d.at("/spec/listeners/0/tls")).put("mode", "Terminat"));
  }

  private static void wrong(
      Path dir, String name, String kind, String resource, String expect, Consumer<ObjectNode> edit)
      throws IOException {
    ObjectNode doc = (ObjectNode) custom(mesh, kind, resource).doc().deepCopy();
    edit.accept(doc);
    ObjectNode variant = JSON.createObjectNode().put("expect", expect);
    variant.set("document", doc);
    Files.writeString(dir.resolve(name + ".json"), JSON.writeValueAsString(variant));
  }

  private static CustomResource custom(Manifests m, String kind, String name) {
    return m.custom(kind)
        .filter(r -> r.metadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  private static String serviceAccountOf(String workload) {
    return mesh.podTemplates()
        .filter(t -> t.name().endsWith("/" + workload))
        .map(t -> t.value().getSpec().getServiceAccountName())
        .findFirst()
        .orElseThrow();
  }

  private static String principal(String serviceAccount) {
    return "cluster.local/ns/" + NS + "/sa/" + serviceAccount;
  }

  /** The principals a policy admits to {@code port}. */
  private static Set<String> admitted(CustomResource policy, String port) {
    Set<String> out = new TreeSet<>();
    for (JsonNode rule : policy.at("/spec/rules")) {
      boolean toPort = false;
      for (JsonNode to : rule.path("to")) {
        for (JsonNode p : to.path("operation").path("ports")) {
          toPort |= p.asText().equals(port);
        }
      }
      if (toPort) {
        rule.path("from")
            .forEach(f -> f.path("source").path("principals").forEach(p -> out.add(p.asText())));
      }
    }
    return out;
  }

  @Test
  void theWholeNamespaceRequiresMutualTls() {
    CustomResource peer = custom(mesh, "PeerAuthentication", "default");
    assertThat(peer.metadata().getNamespace()).isEqualTo(NS);
    assertThat(peer.at("/spec/selector").isMissingNode()).as("namespace-wide").isTrue();
    assertThat(peer.at("/spec/mtls/mode").asText()).isEqualTo("STRICT");
    assertThat(mesh.podTemplates().map(t -> t.name()).toList())
        .hasSize(5)
        .allSatisfy(
            name -> {
              V1PodTemplateSpec t =
                  mesh.podTemplates()
                      .filter(x -> x.name().equals(name))
                      .findFirst()
                      .orElseThrow()
                      .value();
              assertThat(t.getMetadata().getLabels())
                  .as("%s has a sidecar", name)
                  .containsEntry("sidecar.istio.io/inject", "true");
              assertThat(t.getMetadata().getAnnotations())
                  .containsEntry("sidecar.istio.io/nativeSidecar", "true");
            });
  }

  /** The port the clients bootstrap to, from the rendered registry config (one port for all). */
  private static String clientPort(Manifests m) {
    Set<String> ports = new TreeSet<>();
    for (String server :
        m.configMap("statusreg-config")
            .orElseThrow()
            .getData()
            .get(KafkaRules.BOOTSTRAP)
            .split(",")) {
      ports.add(server.substring(server.lastIndexOf(':') + 1));
    }
    assertThat(ports).hasSize(1);
    return ports.iterator().next();
  }

  @Test
  void onlyTheRegistryTheSinkAndTheTopicsJobReachKafkasClientListener() {
    CustomResource kafka = custom(mesh, "AuthorizationPolicy", "kafka");
    assertThat(kafka.at("/spec/action").asText()).isEqualTo("ALLOW");
    String clientPort = clientPort(mesh);
    // The mesh builds on production, whose clients use the SASL_SSL listener.
    assertThat(clientPort).isEqualTo(clientPort(Manifests.render(Layout.PRODUCTION)));
    assertThat(admitted(kafka, clientPort))
        .containsExactlyInAnyOrder(
            principal(serviceAccountOf("statusreg")),
            principal(serviceAccountOf("statusreg-analytics-sink")),
            principal(serviceAccountOf("statusreg-topics")));
    // Plaintext replication and the KRaft quorum are the brokers' own.
    assertThat(admitted(kafka, "9092")).containsExactly(principal(serviceAccountOf("kafka")));
    assertThat(admitted(kafka, "9093")).containsExactly(principal(serviceAccountOf("kafka")));
    // Distinct identities, or the policies could not tell the workloads apart.
    assertThat(
            Set.of(
                serviceAccountOf("statusreg"),
                serviceAccountOf("statusreg-analytics-sink"),
                serviceAccountOf("statusreg-topics"),
                serviceAccountOf("kafka"),
                serviceAccountOf("clickhouse")))
        .hasSize(5);
  }

  @Test
  void theReadmeNamesTheClientPortThePoliciesAdmit() throws IOException {
    String row =
        Files.readAllLines(Path.of("README.md")).stream()
            .filter(l -> l.startsWith("| `authorization-policies.yaml` |"))
            .findFirst()
            .orElseThrow();
    assertThat(row).contains("Kafka's client port " + clientPort(mesh) + " ");
  }

  @Test
  void everyPolicyOnTheClientsPathToKafkaAdmitsTheirBootstrapPort() {
    assertThat(KafkaRules.clientPortOpen(mesh)).isEmpty();
    // The rule is not vacuous: it sees the clients and the brokers of the layout.
    assertThat(KafkaRules.clients(mesh))
        .extracting(KafkaRules.Client::name)
        .containsExactlyInAnyOrder(
            "StatefulSet/statusreg", "Deployment/statusreg-analytics-sink", "Job/statusreg-topics");
  }

  @Test
  void aPolicyThatAdmitsTheClientsOnAnotherPortBreaksTheRule() {
    assertThat(
            KafkaRules.clientPortOpen(
                meshWith(
                    "AuthorizationPolicy",
                    "kafka",
                    d -> ((ArrayNode) d.at("/spec/rules/0/to/0/operation/ports")).set(0, "9092"))))
        .containsExactlyInAnyOrder(
            "StatefulSet/statusreg -> kafka-headless:9094: no AuthorizationPolicy of"
                + " StatefulSet/kafka admits cluster.local/ns/statusreg/sa/statusreg on 9094",
            "Deployment/statusreg-analytics-sink -> kafka-headless:9094: no AuthorizationPolicy"
                + " of StatefulSet/kafka admits"
                + " cluster.local/ns/statusreg/sa/statusreg-analytics-sink on 9094",
            "Job/statusreg-topics -> kafka-headless:9094: no AuthorizationPolicy of"
                + " StatefulSet/kafka admits cluster.local/ns/statusreg/sa/statusreg-topics on"
                + " 9094");
    assertThat(
            KafkaRules.clientPortOpen(
                meshWith(
                    "NetworkPolicy",
                    "statusreg",
                    d -> ((ObjectNode) d.at("/spec/egress/0/ports/0")).put("port", 9092))))
        .containsExactly(
            "StatefulSet/statusreg -> kafka-headless:9094: no NetworkPolicy of"
                + " StatefulSet/statusreg allows egress to StatefulSet/kafka on 9094");
    assertThat(
            KafkaRules.clientPortOpen(
                meshWith(
                    "NetworkPolicy",
                    "statusreg-sink-and-topics",
                    d -> ((ObjectNode) d.at("/spec/egress/0/ports/0")).put("port", 9092))))
        .containsExactlyInAnyOrder(
            "Deployment/statusreg-analytics-sink -> kafka-headless:9094: no NetworkPolicy of"
                + " Deployment/statusreg-analytics-sink allows egress to StatefulSet/kafka on"
                + " 9094",
            "Job/statusreg-topics -> kafka-headless:9094: no NetworkPolicy of"
                + " Job/statusreg-topics allows egress to StatefulSet/kafka on 9094");
  }

  @Test
  void onlyTheAnalyticsSinkOfTheNamespaceReachesClickHouse() {
    CustomResource clickhouse = custom(mesh, "AuthorizationPolicy", "clickhouse");
    Set<String> admitted = admitted(clickhouse, "8123");
    assertThat(admitted.stream().filter(p -> !p.startsWith("*")))
        .containsExactly(principal(serviceAccountOf("statusreg-analytics-sink")));
    assertThat(admitted).doesNotContain(principal(serviceAccountOf("statusreg")));
    assertThat(admitted.stream().filter(p -> p.startsWith("*")))
        .allSatisfy(p -> assertThat(p).isEqualTo("*/sa/statusreg-analyst"));
  }

  @Test
  void onlyTheIngressGatewayReachesTheRegistryAndOnlyItsPublicAndIssuerRoutes() {
    CustomResource registry = custom(mesh, "AuthorizationPolicy", "statusreg");
    String gateway =
        principal(custom(mesh, "Gateway", "statusreg-public").metadata().getName() + "-istio");
    assertThat(registry.at("/spec/action").asText()).isEqualTo("ALLOW");
    List<String> verifierPaths = new ArrayList<>();
    for (JsonNode rule : registry.at("/spec/rules")) {
      assertThat(rule.at("/from/0/source/principals"))
          .extracting(JsonNode::asText)
          .containsExactly(gateway);
      JsonNode op = rule.at("/to/0/operation");
      List<String> paths = new ArrayList<>();
      op.path("paths").forEach(p -> paths.add(p.asText()));
      assertThat(paths)
          .noneMatch(p -> p.startsWith("/metrics") || p.startsWith("/health") || p.equals("*"));
      if (op.path("hosts").get(0).asText().equals("status.example.com")) {
        verifierPaths.addAll(paths);
        assertThat(op.path("methods"))
            .extracting(JsonNode::asText)
            .containsExactlyInAnyOrder("GET", "HEAD", "OPTIONS");
      } else {
        assertThat(paths).allMatch(p -> p.startsWith("/issuers/") || p.equals("/openapi.json"));
      }
    }
    // The README's verifier routes: tokens and issuers' lists, the JWKS, the issuer metadata.
    assertThat(verifierPaths).containsExactlyInAnyOrder("/statuslists/*", "/.well-known/*");
  }

  @Test
  void theCertificatesCoverTheGatewayHostsAndKafkasMountedSecret() {
    CustomResource gateway = custom(mesh, "Gateway", "statusreg-public");
    CustomResource publicCert = custom(mesh, "Certificate", "statusreg-public");
    Set<String> dnsNames = new TreeSet<>();
    publicCert.at("/spec/dnsNames").forEach(n -> dnsNames.add(n.asText()));
    for (JsonNode listener : gateway.at("/spec/listeners")) {
      assertThat(listener.path("protocol").asText()).isEqualTo("HTTPS");
      assertThat(dnsNames).contains(listener.path("hostname").asText());
      assertThat(listener.at("/tls/certificateRefs/0/name").asText())
          .isEqualTo(publicCert.at("/spec/secretName").asText());
    }
    CustomResource kafkaCert = custom(mesh, "Certificate", "kafka-tls");
    Set<String> mounted =
        mesh
            .statefulSet("kafka")
            .orElseThrow()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getVolumes()
            .stream()
            .filter(v -> v.getSecret() != null)
            .map(v -> v.getSecret().getSecretName())
            .collect(Collectors.toSet());
    assertThat(mounted).contains(kafkaCert.at("/spec/secretName").asText());
    assertThat(kafkaCert.at("/spec/additionalOutputFormats/0/type").asText())
        .isEqualTo("CombinedPEM");
    assertThat(kafkaCert.at("/spec/dnsNames"))
        .extracting(JsonNode::asText)
        .contains("*.kafka-headless." + NS + ".svc");
  }

  @Test
  void wildcardDnsNamesStandForExactlyOneLabel() {
    assertThat(
            KafkaRules.dnsNameMatches(
                "*.kafka-headless.statusreg.svc", "kafka-0.kafka-headless.statusreg.svc"))
        .isTrue();
    assertThat(
            KafkaRules.dnsNameMatches(
                "*.kafka-headless.statusreg.svc", "KAFKA-0.kafka-headless.statusreg.svc."))
        .isTrue();
    assertThat(
            KafkaRules.dnsNameMatches("*.kafka-headless.statusreg.svc", "kafka-0.kafka-headless"))
        .isFalse();
    assertThat(KafkaRules.dnsNameMatches("*.statusreg.svc", "kafka-0.kafka-headless.statusreg.svc"))
        .isFalse();
    assertThat(
            KafkaRules.dnsNameMatches(
                "*.kafka-headless.statusreg.svc", "kafka-headless.statusreg.svc"))
        .isFalse();
    assertThat(
            KafkaRules.dnsNameMatches(
                "kafka-headless.statusreg.svc", "kafka-headless.statusreg.svc"))
        .isTrue();
  }

  @Test
  void kafkasCertificateCoversEveryNameItsClientsConnectTo() {
    assertThat(KafkaRules.certificateCoversClientNames(mesh)).isEmpty();
    CustomResource cert = custom(mesh, "Certificate", "kafka-tls");
    List<String> dnsNames = new ArrayList<>();
    cert.at("/spec/dnsNames").forEach(n -> dnsNames.add(n.asText()));
    // Every bootstrap host, as the clients are given it ...
    List<String> hosts = new ArrayList<>();
    for (String server :
        mesh.configMap("statusreg-config")
            .orElseThrow()
            .getData()
            .get(KafkaRules.BOOTSTRAP)
            .split(",")) {
      hosts.add(server.substring(0, server.lastIndexOf(':')));
    }
    // ... and every host a broker advertises on its SASL_SSL listener.
    var kafka = mesh.statefulSet("kafka").orElseThrow();
    var container = kafka.getSpec().getTemplate().getSpec().getContainers().getFirst();
    var env = mesh.configMap("kafka-config").orElseThrow().getData();
    for (int i = 0; i < kafka.getSpec().getReplicas(); i++) {
      String listener = KafkaRules.advertised(env, container, "kafka-" + i, NS).get("SECURE");
      hosts.add(listener.substring(0, listener.lastIndexOf(':')));
    }
    assertThat(hosts)
        .hasSize(2 * kafka.getSpec().getReplicas())
        .allSatisfy(h -> assertThat(dnsNames).as(h).anyMatch(n -> KafkaRules.dnsNameMatches(n, h)));
    assertThat(cert.at("/spec/privateKey/encoding").asText()).isEqualTo("PKCS8");
  }

  @Test
  void shortBootstrapNamesAPkcs1KeyOrAMissingSecretKeyBreakTheCertificateRule() {
    assertThat(
            KafkaRules.certificateCoversClientNames(
                meshWith(
                    "ConfigMap",
                    "statusreg-config",
                    d ->
                        ((ObjectNode) d.get("data"))
                            .put(KafkaRules.BOOTSTRAP, "kafka-0.kafka-headless:9094"))))
        .hasSize(3)
        .allSatisfy(
            v ->
                assertThat(v)
                    .contains("bootstrap host kafka-0.kafka-headless is none of the dnsNames"));
    assertThat(
            KafkaRules.certificateCoversClientNames(
                meshWith(
                    "Certificate",
                    "kafka-tls",
                    d -> ((ObjectNode) d.at("/spec/privateKey")).remove("encoding"))))
        .containsExactly(
            "Certificate kafka-tls: the broker reads a PEM keystore, which needs"
                + " privateKey.encoding PKCS8");
    assertThat(
            KafkaRules.certificateCoversClientNames(
                meshWith(
                    "Certificate",
                    "kafka-tls",
                    d -> ((ObjectNode) d.get("spec")).remove("additionalOutputFormats"))))
        .containsExactly(
            "StatefulSet/kafka: KAFKA_LISTENER_NAME_SECURE_SSL_KEYSTORE_LOCATION reads"
                + " tls-combined.pem, which the Secret of Certificate kafka-tls does not hold"
                + " (it holds [tls.crt, tls.key, ca.crt])");
    assertThat(
            KafkaRules.certificateCoversClientNames(
                meshWith(
                    "StatefulSet",
                    "kafka",
                    d -> {
                      ObjectNode c = (ObjectNode) d.at("/spec/template/spec/containers/0");
                      ((ArrayNode) c.get("args"))
                          .set(
                              0,
                              c.get("args")
                                  .get(0)
                                  .asText()
                                  .replace("HOST=\"${POD_NAME}.", "HOST=\"${POD_NAME}.x."));
                    })))
        .hasSize(3)
        .allSatisfy(v -> assertThat(v).contains("advertises SECURE as kafka-"));
  }

  @Test
  void theVerifierRouteSendsTheRegistrysResponsesThroughUnchanged() {
    CustomResource route = custom(mesh, "HTTPRoute", "statusreg-verifiers");
    assertThat(route.at("/spec/parentRefs/0/name").asText()).isEqualTo("statusreg-public");
    for (JsonNode rule : route.at("/spec/rules")) {
      assertThat(rule.path("filters").isMissingNode() || rule.path("filters").isEmpty()).isTrue();
      assertThat(rule.at("/backendRefs/0/name").asText()).isEqualTo("statusreg");
    }
    assertThat(MeshRules.routesKeepCachingHeaders(mesh)).isEmpty();
    assertThat(MeshRules.routeBackends(mesh)).isEmpty();
  }

  // ---- the rules fail where they should ----------------------------------------------------

  private static Manifests meshWith(String kind, String name, Consumer<ObjectNode> edit) {
    List<ObjectNode> docs = Kustomize.render(Layout.MESH);
    docs.stream()
        .filter(d -> Kustomize.id(d).equals(kind + "/" + name))
        .findFirst()
        .ifPresentOrElse(
            edit,
            () -> {
              throw new AssertionError(kind + "/" + name);
            });
    return Manifests.of(
        "edited mesh", docs, new SchemaCheck(Layout.SCHEMA_CHECK.resolve("scratch")));
  }

  /** What the caching rule says of the verifiers' route with one more filter. */
  private static List<String> verifierRouteWith(String filterJson) {
    return MeshRules.routesKeepCachingHeaders(
        meshWith("HTTPRoute", "statusreg-verifiers", filter(filterJson)));
  }

  private static Consumer<ObjectNode> filter(String json) {
    return d -> {
      try {
        ((ArrayNode) ((ObjectNode) d.at("/spec/rules/0")).withArray("filters"))
            .add(JSON.readTree(json));
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    };
  }

  @Test
  void aFilterThatDropsTheEtagOrRewritesCacheControlBreaksTheRule() {
    assertThat(
            verifierRouteWith(
                "{\"type\":\"ResponseHeaderModifier\",\"responseHeaderModifier\":{\"remove\":[\"ETag\"]}}"))
        .containsExactly("HTTPRoute statusreg-verifiers: a filter changes the response's ETag");
    assertThat(
            verifierRouteWith(
                "{\"type\":\"ResponseHeaderModifier\",\"responseHeaderModifier\":"
                    + "{\"set\":[{\"name\":\"Cache-Control\",\"value\":\"no-store\"}]}}"))
        .containsExactly(
            "HTTPRoute statusreg-verifiers: a filter changes the response's Cache-Control");
    assertThat(
            verifierRouteWith(
                "{\"type\":\"RequestHeaderModifier\",\"requestHeaderModifier\":{\"remove\":[\"If-None-Match\"]}}"))
        .containsExactly(
            "HTTPRoute statusreg-verifiers: a filter changes the request's If-None-Match");
    assertThat(
            verifierRouteWith(
                "{\"type\":\"ExtensionRef\",\"extensionRef\":{\"group\":\"x\",\"kind\":\"y\",\"name\":\"z\"}}"))
        .hasSize(1);
    // A header that has nothing to do with caching may be set.
    assertThat(
            verifierRouteWith(
                "{\"type\":\"ResponseHeaderModifier\",\"responseHeaderModifier\":"
                    + "{\"set\":[{\"name\":\"X-Served-By\",\"value\":\"mesh\"}]}}"))
        .isEmpty();
  }

  @Test
  void aPermissivePeerAuthenticationOrAStrangerPrincipalOrABackendWithoutServiceBreakTheRules() {
    assertThat(
            MeshRules.strictMutualTls(
                meshWith(
                    "PeerAuthentication",
                    "default",
                    d -> ((ObjectNode) d.at("/spec/mtls")).put("mode", "PERMISSIVE"))))
        .contains(
            "PeerAuthentication default sets mode PERMISSIVE",
            "no namespace-wide PeerAuthentication with mtls.mode STRICT");
    assertThat(
            MeshRules.authorizationPrincipals(
                meshWith(
                    "AuthorizationPolicy",
                    "clickhouse",
                    d ->
                        ((ArrayNode) d.at("/spec/rules/0/from/0/source/principals"))
                            .add("cluster.local/ns/statusreg/sa/default"))))
        .containsExactly(
            "AuthorizationPolicy clickhouse: cluster.local/ns/statusreg/sa/default"
                + " is no service account of the layout");
    assertThat(
            MeshRules.authorizationPrincipals(
                meshWith(
                    "AuthorizationPolicy",
                    "kafka",
                    d ->
                        ((ObjectNode) d.at("/spec/selector/matchLabels"))
                            .put("app.kubernetes.io/name", "kafak"))))
        .containsExactly("AuthorizationPolicy kafka: its selector matches no workload's pods");
    assertThat(
            MeshRules.routeBackends(
                meshWith(
                    "HTTPRoute",
                    "statusreg-verifiers",
                    d -> ((ObjectNode) d.at("/spec/rules/0/backendRefs/0")).put("port", 8080))))
        .containsExactly(
            "HTTPRoute statusreg-verifiers: backend statusreg:8080 is no Service port"
                + " of the layout");
  }

  @Test
  void withoutASchemaCheckTheMeshKindsAreUnknown() {
    assertThatThrownBy(() -> Manifests.of("mesh", Kustomize.render(Layout.MESH)))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("unknown kind")
        .hasMessageContaining("only through a SchemaCheck");
  }

  @Test
  void theSchemaCheckGetsEveryCustomResourceAndItsMetadataIsStrict() throws IOException {
    Path dir = Layout.SCHEMA_CHECK.resolve("valid").resolve("mesh");
    List<String> written;
    try (var files = Files.list(dir)) {
      written = files.map(f -> f.getFileName().toString()).sorted().toList();
    }
    assertThat(written)
        .containsExactlyInAnyOrderElementsOf(
            mesh.all(CustomResource.class)
                .map(r -> r.kind() + "-" + r.metadata().getName() + ".json")
                .toList())
        .contains("PeerAuthentication-default.json", "HTTPRoute-statusreg-verifiers.json");
    assertThatThrownBy(
            () ->
                meshWith(
                    "Certificate",
                    "kafka-tls",
                    d -> ((ObjectNode) d.get("metadata")).put("lables", "x")))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("Certificate/kafka-tls")
        .hasMessageContaining("lables");
  }
}
