package io.statusreg.statefulsets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Each rule fails on a deliberately broken copy of the production rendering: the rules are not
 * vacuous, and each names what is wrong.
 */
class DeploymentRulesTest {

  /** The production rendering with one document changed by {@code edit}. */
  private static Manifests broken(String id, Consumer<ObjectNode> edit) {
    List<ObjectNode> docs = new ArrayList<>(Kustomize.render(Layout.PRODUCTION));
    ObjectNode doc =
        docs.stream().filter(d -> Kustomize.id(d).equals(id)).findFirst().orElseThrow();
    edit.accept(doc);
    return Manifests.of("broken production", docs);
  }

  /** The production rendering with extra documents. */
  private static Manifests withExtra(String yaml) {
    List<ObjectNode> docs = new ArrayList<>(Kustomize.render(Layout.PRODUCTION));
    docs.addAll(Kustomize.parseDocuments(yaml, "extra"));
    return Manifests.of("production plus extra", docs);
  }

  private static ObjectNode container(ObjectNode workload, String name) {
    for (JsonNode c : workload.at("/spec/template/spec/containers")) {
      if (c.get("name").asText().equals(name)) {
        return (ObjectNode) c;
      }
    }
    throw new AssertionError("no container " + name);
  }

  private static ObjectNode env(ObjectNode container, String name) {
    for (JsonNode e : container.get("env")) {
      if (e.get("name").asText().equals(name)) {
        return (ObjectNode) e;
      }
    }
    throw new AssertionError("no env " + name);
  }

  private static List<String> check(Function<Manifests, List<String>> rule, Manifests m) {
    return rule.apply(m);
  }

  @Test
  void productionHoldsEveryRule() {
    assertThat(DeploymentRules.check(Manifests.render(Layout.PRODUCTION))).isEmpty();
  }

  @Test
  void kafkaClientsBootstrapToAPortThePoliciesAndTheServiceOpen() {
    assertThat(check(KafkaRules::clientPortOpen, Manifests.render(Layout.PRODUCTION))).isEmpty();
    // Production's Kafka NetworkPolicy admitting the clients on the plaintext port only.
    assertThat(
            check(
                KafkaRules::clientPortOpen,
                broken(
                    "NetworkPolicy/kafka",
                    d -> ((ObjectNode) d.at("/spec/ingress/0/ports/0")).put("port", 9092))))
        .containsExactlyInAnyOrder(
            "StatefulSet/statusreg -> kafka-headless:9094: no NetworkPolicy of StatefulSet/kafka"
                + " allows ingress from StatefulSet/statusreg on 9094",
            "Deployment/statusreg-analytics-sink -> kafka-headless:9094: no NetworkPolicy of"
                + " StatefulSet/kafka allows ingress from Deployment/statusreg-analytics-sink on"
                + " 9094",
            "Job/statusreg-topics -> kafka-headless:9094: no NetworkPolicy of StatefulSet/kafka"
                + " allows ingress from Job/statusreg-topics on 9094");
    // The headless Service without the SASL_SSL port.
    assertThat(
            check(
                KafkaRules::clientPortOpen,
                broken(
                    "Service/kafka-headless",
                    d -> {
                      ArrayNode ports = (ArrayNode) d.at("/spec/ports");
                      for (int i = ports.size() - 1; i >= 0; i--) {
                        if (ports.get(i).get("port").asInt() == 9094) {
                          ports.remove(i);
                        }
                      }
                    })))
        .hasSize(3)
        .allSatisfy(v -> assertThat(v).endsWith(": Service kafka-headless has no port 9094"));
  }

  @Test
  void containerWithoutReadinessProbeIsCaught() {
    Manifests m =
        broken("StatefulSet/statusreg", d -> container(d, "statusreg").remove("readinessProbe"));
    assertThat(check(DeploymentRules::containers, m))
        .containsExactly("StatefulSet/statusreg container statusreg has no readinessProbe");
  }

  @Test
  void containerWithoutLivenessProbeIsCaught() {
    Manifests m =
        broken("StatefulSet/clickhouse", d -> container(d, "clickhouse").remove("livenessProbe"));
    assertThat(check(DeploymentRules::containers, m))
        .containsExactly("StatefulSet/clickhouse container clickhouse has no livenessProbe");
  }

  @Test
  void containerWithoutLimitsIsCaught() {
    Manifests m =
        broken(
            "StatefulSet/kafka",
            d -> ((ObjectNode) container(d, "kafka").get("resources")).remove("limits"));
    assertThat(check(DeploymentRules::containers, m))
        .containsExactly("StatefulSet/kafka container kafka lacks a memory limit");
  }

  @Test
  void initContainerWithoutRequestsIsCaught() {
    Manifests m =
        broken(
            "Job/statusreg-topics",
            d -> ((ObjectNode) d.at("/spec/template/spec/initContainers/0")).remove("resources"));
    assertThat(check(DeploymentRules::containers, m))
        .contains(
            "Job/statusreg-topics container topics-apply lacks cpu and memory requests",
            "Job/statusreg-topics container topics-apply lacks a memory limit");
  }

  @Test
  void containerThatMayRunAsRootIsCaught() {
    Manifests m =
        broken(
            "Deployment/statusreg-analytics-sink",
            d -> {
              ((ObjectNode) d.at("/spec/template/spec/securityContext")).put("runAsNonRoot", false);
              ((ObjectNode) container(d, "analytics-sink").get("securityContext"))
                  .remove("runAsNonRoot");
            });
    assertThat(check(DeploymentRules::containers, m))
        .containsExactly(
            "Deployment/statusreg-analytics-sink container analytics-sink does not set runAsNonRoot: true");
  }

  @Test
  void containerWithoutSecurityContextIsCaught() {
    Manifests m = broken("StatefulSet/kafka", d -> container(d, "kafka").remove("securityContext"));
    assertThat(check(DeploymentRules::containers, m))
        .contains(
            "StatefulSet/kafka container kafka does not set allowPrivilegeEscalation: false",
            "StatefulSet/kafka container kafka does not drop ALL capabilities");
  }

  @Test
  void statusregImageWithWritableRootIsCaught() {
    Manifests m =
        broken(
            "StatefulSet/statusreg",
            d ->
                ((ObjectNode) container(d, "statusreg").get("securityContext"))
                    .put("readOnlyRootFilesystem", false));
    assertThat(check(DeploymentRules::containers, m))
        .containsExactly(
            "StatefulSet/statusreg container statusreg runs the statusreg image without readOnlyRootFilesystem: true");
  }

  @Test
  void instanceIdNotFromPodNameIsCaught() {
    Manifests m =
        broken(
            "StatefulSet/statusreg",
            d -> {
              ObjectNode e = env(container(d, "statusreg"), "STATUSREG_INSTANCE_ID");
              e.remove("valueFrom");
              e.put("value", "statusreg");
            });
    assertThat(check(DeploymentRules::staticMembership, m))
        .containsExactly("STATUSREG_INSTANCE_ID must come from fieldRef metadata.name");
  }

  @Test
  void instanceIdFromPodUidIsCaught() {
    Manifests m =
        broken(
            "StatefulSet/statusreg",
            d ->
                ((ObjectNode)
                        env(container(d, "statusreg"), "STATUSREG_INSTANCE_ID")
                            .at("/valueFrom/fieldRef"))
                    .put("fieldPath", "metadata.uid"));
    assertThat(check(DeploymentRules::staticMembership, m))
        .containsExactly("STATUSREG_INSTANCE_ID must come from fieldRef metadata.name");
  }

  @Test
  void applicationServerOnPodIpIsCaught() {
    Manifests m =
        broken(
            "StatefulSet/statusreg",
            d ->
                env(container(d, "statusreg"), "STATUSREG_APPLICATION_SERVER")
                    .put("value", "$(POD_IP):8080"));
    assertThat(check(DeploymentRules::staticMembership, m))
        .singleElement()
        .asString()
        .startsWith("STATUSREG_APPLICATION_SERVER must be");
  }

  @Test
  void aRolloutThatStopsTheNextPodDuringTheHandBackIsCaught() {
    Manifests m =
        broken(
            "StatefulSet/statusreg", d -> ((ObjectNode) d.at("/spec")).remove("minReadySeconds"));
    assertThat(check(DeploymentRules::staticMembership, m))
        .singleElement()
        .asString()
        .startsWith("minReadySeconds (0) must be at least 20");
  }

  @Test
  void applicationServerOnTheHttpPortIsCaught() {
    // Before 2026-12-04 the manifests named the HTTP port; the beacon cannot share its socket.
    Manifests m =
        broken(
            "StatefulSet/statusreg",
            d ->
                env(container(d, "statusreg"), "STATUSREG_APPLICATION_SERVER")
                    .put("value", "$(POD_NAME).statusreg-headless.$(NAMESPACE).svc:8080"));
    assertThat(check(DeploymentRules::staticMembership, m))
        .singleElement()
        .asString()
        .contains("8079 (the membership beacon's port)");
  }

  @Test
  void sessionTimeoutThatStrandsALostPodsListsTooLongIsCaught() {
    Manifests m =
        broken(
            "StatefulSet/statusreg",
            d ->
                env(container(d, "statusreg"), "STATUSREG_SESSION_TIMEOUT_MS")
                    .put("value", "120000"));
    assertThat(check(DeploymentRules::staticMembership, m))
        .containsExactly(
            "STATUSREG_SESSION_TIMEOUT_MS (120000) must be in [6000, 20000]: a lost pod's lists"
                + " wait that long for the hand-over");
  }

  @Test
  void withoutTheHandOverTheSessionTimeoutMustOutlastARestart() {
    Manifests m =
        broken(
            "StatefulSet/statusreg",
            d -> {
              ArrayNode env = (ArrayNode) container(d, "statusreg").get("env");
              env.addObject().put("name", "STATUSREG_LEAVE_GROUP_ON_STOP").put("value", "false");
            });
    assertThat(check(DeploymentRules::staticMembership, m))
        .singleElement()
        .asString()
        .endsWith(
            "must be longer than terminationGracePeriodSeconds (90 s) when"
                + " STATUSREG_LEAVE_GROUP_ON_STOP is false");
  }

  @Test
  void replicaCountNextToAnHpaIsCaught() {
    Manifests m =
        broken("StatefulSet/statusreg", d -> ((ObjectNode) d.get("spec")).put("replicas", 3));
    assertThat(check(DeploymentRules::staticMembership, m))
        .containsExactly(
            "replicas is set although an HPA scales the StatefulSet (apply would reset it)");
  }

  @Test
  void hpaAbovePartitionCountIsCaught() {
    Manifests m =
        broken(
            "HorizontalPodAutoscaler/statusreg",
            d -> ((ObjectNode) d.get("spec")).put("maxReplicas", 13));
    assertThat(check(DeploymentRules::autoscaler, m))
        .containsExactly("HPA statusreg maxReplicas 13 exceeds 12 partitions");
  }

  @Test
  void fewerPartitionsThanTheHpaMaximumIsCaught() {
    Manifests m =
        broken(
            "ConfigMap/statusreg-config",
            d -> ((ObjectNode) d.get("data")).put("STATUSREG_EVENTS_PARTITIONS", "6"));
    assertThat(check(DeploymentRules::autoscaler, m))
        .containsExactly("HPA statusreg maxReplicas 12 exceeds 6 partitions");
  }

  @Test
  void shortScaleDownWindowIsCaught() {
    Manifests m =
        broken(
            "HorizontalPodAutoscaler/statusreg",
            d ->
                ((ObjectNode) d.at("/spec/behavior/scaleDown"))
                    .put("stabilizationWindowSeconds", 60));
    assertThat(check(DeploymentRules::autoscaler, m))
        .containsExactly(
            "HPA statusreg needs a scale-down stabilizationWindowSeconds of at least 300");
  }

  @Test
  void pdbWithBothBoundsIsCaught() {
    Manifests m =
        broken(
            "PodDisruptionBudget/statusreg",
            d -> ((ObjectNode) d.get("spec")).put("minAvailable", 2));
    assertThat(check(DeploymentRules::disruptionBudgets, m))
        .containsExactly("PDB statusreg sets both of minAvailable and maxUnavailable");
  }

  @Test
  void pdbWithNeitherBoundIsCaught() {
    Manifests m =
        broken(
            "PodDisruptionBudget/kafka",
            d -> ((ObjectNode) d.get("spec")).remove("maxUnavailable"));
    assertThat(check(DeploymentRules::disruptionBudgets, m))
        .containsExactly("PDB kafka sets neither of minAvailable and maxUnavailable");
  }

  @Test
  void latestTagIsCaught() {
    Manifests m =
        broken(
            "StatefulSet/clickhouse",
            d -> container(d, "clickhouse").put("image", "clickhouse/clickhouse-server:latest"));
    assertThat(check(DeploymentRules::pinnedImages, m))
        .containsExactly(
            "StatefulSet/clickhouse container clickhouse image is not pinned: clickhouse/clickhouse-server:latest");
  }

  @Test
  void missingTagIsCaught() {
    Manifests m =
        broken("StatefulSet/kafka", d -> container(d, "kafka").put("image", "apache/kafka"));
    assertThat(check(DeploymentRules::pinnedImages, m))
        .containsExactly("StatefulSet/kafka container kafka image is not pinned: apache/kafka");
  }

  @Test
  void secretWithStringDataIsCaught() {
    Manifests m =
        withExtra(
            """
            apiVersion: v1
            kind: Secret
            metadata: {name: statusreg-clickhouse}
            stringData: {username: statusreg, password: hunter2}
            """);
    assertThat(check(DeploymentRules::noLiteralSecrets, m))
        .containsExactly("Secret statusreg-clickhouse has literal data or stringData");
  }

  @Test
  void secretWithDataIsCaught() {
    Manifests m =
        withExtra(
            """
            apiVersion: v1
            kind: Secret
            metadata: {name: statusreg-signing-keys}
            data: {signing-jwks.json: e30=}
            """);
    assertThat(check(DeploymentRules::noLiteralSecrets, m))
        .containsExactly("Secret statusreg-signing-keys has literal data or stringData");
  }

  @Test
  void emptySecretShellIsAllowed() {
    Manifests m =
        withExtra("apiVersion: v1\nkind: Secret\nmetadata: {name: placeholder}\ntype: Opaque\n");
    assertThat(check(DeploymentRules::noLiteralSecrets, m)).isEmpty();
  }

  @Test
  void kafkaMinInsyncReplicasOfOneIsCaught() {
    Manifests m =
        broken(
            "ConfigMap/kafka-config",
            d -> ((ObjectNode) d.get("data")).put("KAFKA_MIN_INSYNC_REPLICAS", "1"));
    assertThat(check(DeploymentRules::kafkaDurability, m))
        .containsExactly("kafka KAFKA_MIN_INSYNC_REPLICAS must be 2, is 1");
  }

  @Test
  void kafkaReplicationFactorOverriddenInTheContainerIsCaught() {
    Manifests m =
        broken(
            "StatefulSet/kafka",
            d -> {
              ArrayNode env = (ArrayNode) container(d, "kafka").get("env");
              env.addObject().put("name", "KAFKA_DEFAULT_REPLICATION_FACTOR").put("value", "1");
            });
    assertThat(check(DeploymentRules::kafkaDurability, m))
        .containsExactly("kafka KAFKA_DEFAULT_REPLICATION_FACTOR must be 3, is 1");
  }

  @Test
  void kafkaWithTwoNodesIsCaught() {
    Manifests m = broken("StatefulSet/kafka", d -> ((ObjectNode) d.get("spec")).put("replicas", 2));
    assertThat(check(DeploymentRules::kafkaDurability, m))
        .containsExactly("kafka must run 3 nodes, replicas is 2");
  }

  @Test
  void registryWithAnalyticsOnIsCaught() {
    Manifests m =
        broken(
            "ConfigMap/statusreg-config",
            d -> ((ObjectNode) d.get("data")).put("STATUSREG_ANALYTICS_ENABLED", "true"));
    assertThat(check(DeploymentRules::registryConfig, m))
        .containsExactly("STATUSREG_ANALYTICS_ENABLED must be false for the registry pods");
  }

  @Test
  void missingContractKeyIsCaught() {
    Manifests m =
        broken(
            "ConfigMap/statusreg-config",
            d -> ((ObjectNode) d.get("data")).remove("STATUSREG_PUBLIC_BASE_URL"));
    assertThat(check(DeploymentRules::registryConfig, m))
        .containsExactly("statusreg-config lacks STATUSREG_PUBLIC_BASE_URL");
  }

  @Test
  void missingConfigMapAndUndocumentedSecretAreCaught() {
    Manifests m =
        broken(
            "Deployment/statusreg-analytics-sink",
            d -> {
              ObjectNode c = container(d, "analytics-sink");
              ((ObjectNode) c.at("/envFrom/0/configMapRef")).put("name", "statusreg-conf");
              ((ObjectNode) env(c, "STATUSREG_ANALYTICS_PASSWORD").at("/valueFrom/secretKeyRef"))
                  .put("name", "clickhouse-password");
            });
    assertThat(check(DeploymentRules::references, m))
        .containsExactly(
            "Deployment/statusreg-analytics-sink references a missing ConfigMap statusreg-conf",
            "Deployment/statusreg-analytics-sink references an undocumented Secret clickhouse-password");
  }

  @Test
  void serviceThatSelectsNothingIsCaught() {
    Manifests m =
        broken(
            "Service/statusreg",
            d ->
                ((ObjectNode) d.at("/spec/selector"))
                    .put("app.kubernetes.io/name", "statusreg-api"));
    assertThat(check(DeploymentRules::references, m))
        .containsExactly("Service statusreg selects no pod template");
  }
}
