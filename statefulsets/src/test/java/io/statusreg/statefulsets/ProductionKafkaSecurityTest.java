package io.statusreg.statefulsets;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The production overlay connects every Kafka client over SASL_SSL with SCRAM, its secrets mounted
 * from Secrets; Kafka offers that listener and enforces ACLs; logs are JSON. Dev stays plaintext.
 */
class ProductionKafkaSecurityTest {
  private final Manifests production = Manifests.render(Layout.PRODUCTION);

  private Map<String, String> config() {
    return production.configMap("statusreg-config").orElseThrow().getData();
  }

  @Test
  void theSharedConfigurationSelectsSaslSslScramAndJsonLogs() {
    Map<String, String> c = config();
    assertThat(c)
        .containsEntry("STATUSREG_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
        .containsEntry("STATUSREG_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
        .containsEntry("STATUSREG_LOG_FORMAT", "json")
        .doesNotContainKey("STATUSREG_KAFKA_SASL_JAAS_CONFIG")
        .doesNotContainKey("STATUSREG_KAFKA_SSL_TRUSTSTORE_PASSWORD");
    for (String server : c.get("STATUSREG_KAFKA_BOOTSTRAP_SERVERS").split(",")) {
      assertThat(server).endsWith(":9094");
    }
  }

  @Test
  void everyKafkaClientPodMountsItsSecretFilesFromSecrets() {
    List<String> checked = new ArrayList<>();
    production
        .podTemplates()
        .filter(t -> !t.name().equals("StatefulSet/kafka") && !t.name().contains("clickhouse"))
        .forEach(
            t -> {
              V1PodSpec spec = t.value().getSpec();
              List<V1Container> containers =
                  Stream.concat(
                          spec.getContainers().stream(),
                          spec.getInitContainers() == null
                              ? Stream.empty()
                              : spec.getInitContainers().stream())
                      .toList();
              for (V1Container container : containers) {
                for (String file :
                    List.of(
                        config().get("STATUSREG_KAFKA_SASL_JAAS_CONFIG_FILE"),
                        config().get("STATUSREG_KAFKA_SSL_TRUSTSTORE_LOCATION"))) {
                  V1VolumeMount mount =
                      container.getVolumeMounts().stream()
                          .filter(m -> file.startsWith(m.getMountPath() + "/"))
                          .findFirst()
                          .orElseThrow(
                              () ->
                                  new AssertionError(
                                      t.name()
                                          + "/"
                                          + container.getName()
                                          + " does not mount "
                                          + file));
                  assertThat(mount.getReadOnly()).as(t.name() + " " + file).isTrue();
                  V1Volume volume =
                      spec.getVolumes().stream()
                          .filter(v -> v.getName().equals(mount.getName()))
                          .findFirst()
                          .orElseThrow();
                  assertThat(volume.getSecret())
                      .as(t.name() + " " + file + " from a Secret")
                      .isNotNull();
                }
                checked.add(t.name() + "/" + container.getName());
              }
            });
    assertThat(checked)
        .contains(
            "StatefulSet/statusreg/statusreg",
            "Job/statusreg-topics/topics-apply",
            "Job/statusreg-topics/topics-verify",
            "Deployment/statusreg-analytics-sink/analytics-sink");
  }

  @Test
  void kafkaOffersTheSaslSslListenerWithTheAuthorizerAndClosesPlaintextToClients() {
    Map<String, String> k = production.configMap("kafka-config").orElseThrow().getData();
    assertThat(k.get("KAFKA_LISTENERS")).contains("SECURE://:9094");
    assertThat(k.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP")).contains("SECURE:SASL_SSL");
    assertThat(k)
        .containsEntry("KAFKA_SASL_ENABLED_MECHANISMS", "SCRAM-SHA-512")
        .containsEntry(
            "KAFKA_AUTHORIZER_CLASS_NAME",
            "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
        .containsEntry("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND", "false");
    V1Container kafka =
        production
            .statefulSet("kafka")
            .orElseThrow()
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .getFirst();
    assertThat(String.join("\n", kafka.getArgs())).contains("SECURE://${HOST}:9094");
    assertThat(kafka.getPorts()).extracting(p -> p.getContainerPort()).contains(9092, 9093, 9094);
    V1NetworkPolicy policy = production.find(V1NetworkPolicy.class, "kafka").orElseThrow();
    policy
        .getSpec()
        .getIngress()
        .forEach(
            rule -> {
              boolean plaintext =
                  rule.getPorts().stream().anyMatch(p -> p.getPort().getIntValue() == 9092);
              if (plaintext) {
                assertThat(rule.getFrom())
                    .allSatisfy(
                        peer ->
                            assertThat(peer.getPodSelector().getMatchLabels())
                                .containsEntry("app.kubernetes.io/name", "kafka"));
              }
            });
  }

  @Test
  void devStaysPlaintext() {
    Manifests dev = Manifests.render(Layout.DEV);
    assertThat(dev.configMap("statusreg-config").orElseThrow().getData())
        .doesNotContainKey("STATUSREG_KAFKA_SECURITY_PROTOCOL");
  }
}
