package io.statusreg.statefulsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import org.junit.jupiter.api.Test;

class StrictModelsTest {

  private static final String STATEFUL_SET =
      """
      apiVersion: apps/v1
      kind: StatefulSet
      metadata:
        name: demo
      spec:
        %s
        serviceName: demo-headless
        selector:
          matchLabels: {app: demo}
        template:
          metadata:
            labels: {app: demo}
          spec:
            containers:
              - name: demo
                image: demo/demo:1.0
                env:
                  - name: SESSION_TIMEOUT_MS
                    value: %s
                securityContext:
                  runAsNonRoot: %s
                resources:
                  requests: {cpu: 100m, memory: %s}
      """;

  private static KubernetesObject load(String yaml) {
    ObjectNode doc = Kustomize.parseDocuments(yaml, "test").getFirst();
    return StrictModels.load(doc, "test");
  }

  private static String statefulSet(String replicas, String env, String nonRoot, String memory) {
    return STATEFUL_SET.formatted(replicas, env, nonRoot, memory);
  }

  @Test
  void wellTypedStatefulSetLoadsIntoTheTypedModel() {
    KubernetesObject o = load(statefulSet("replicas: 3", "\"120000\"", "true", "256Mi"));
    assertThat(o).isInstanceOf(V1StatefulSet.class);
    V1StatefulSet sts = (V1StatefulSet) o;
    assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
    assertThat(
            sts.getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .getFirst()
                .getEnv()
                .getFirst()
                .getValue())
        .isEqualTo("120000");
  }

  @Test
  void misspelledFieldIsRejected() {
    assertThatThrownBy(() -> load(statefulSet("replcas: 3", "\"1\"", "true", "256Mi")))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("replcas");
  }

  @Test
  void misspelledNestedFieldIsRejected() {
    String yaml =
        statefulSet("replicas: 3", "\"1\"", "true", "256Mi").replace("serviceName", "servicename");
    assertThatThrownBy(() -> load(yaml))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("servicename");
  }

  @Test
  void quotedNumberWhereAnIntegerBelongsIsRejected() {
    assertThatThrownBy(() -> load(statefulSet("replicas: '3'", "\"1\"", "true", "256Mi")))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("replicas")
        .hasMessageContaining("expected a number");
  }

  @Test
  void fractionWhereAnIntegerBelongsIsRejected() {
    assertThatThrownBy(() -> load(statefulSet("replicas: 3.5", "\"1\"", "true", "256Mi")))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("replicas");
  }

  @Test
  void unquotedNumberWhereAStringBelongsIsRejected() {
    assertThatThrownBy(() -> load(statefulSet("replicas: 3", "120000", "true", "256Mi")))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("value")
        .hasMessageContaining("expected a string");
  }

  @Test
  void quotedBooleanIsRejected() {
    assertThatThrownBy(() -> load(statefulSet("replicas: 3", "\"1\"", "\"true\"", "256Mi")))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("runAsNonRoot");
  }

  @Test
  void malformedQuantityIsRejected() {
    assertThatThrownBy(() -> load(statefulSet("replicas: 3", "\"1\"", "true", "256 MiB")))
        .isInstanceOf(ManifestException.class);
  }

  @Test
  void unknownKindIsRejected() {
    assertThatThrownBy(
            () -> load("apiVersion: apps/v1\nkind: StatefulSets\nmetadata: {name: x}\nspec: {}\n"))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("unknown kind apps/v1/StatefulSets");
  }

  @Test
  void knownKindUnderTheWrongApiVersionIsRejected() {
    assertThatThrownBy(
            () ->
                load(
                    "apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata: {name: x}\n"))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("unknown kind");
  }

  @Test
  void missingRequiredFieldIsRejected() {
    String yaml =
        statefulSet("replicas: 3", "\"1\"", "true", "256Mi").replace("- name: demo\n", "- \n");
    assertThatThrownBy(() -> load(yaml)).isInstanceOf(ManifestException.class);
  }

  @Test
  void listWhereAnObjectBelongsIsRejected() {
    assertThatThrownBy(
            () -> load("apiVersion: v1\nkind: ConfigMap\nmetadata: [name, x]\ndata: {a: b}\n"))
        .isInstanceOf(ManifestException.class);
  }
}
