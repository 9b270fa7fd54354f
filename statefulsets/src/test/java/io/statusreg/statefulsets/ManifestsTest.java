package io.statusreg.statefulsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The real layout: base and both overlays render, load strictly, and keep every rule. */
class ManifestsTest {

  static Stream<Path> layouts() {
    return Layout.ALL.stream();
  }

  @ParameterizedTest
  @MethodSource("layouts")
  void everyDocumentLoadsStrictlyIntoTheTypedModels(Path dir) {
    List<ObjectNode> docs = Kustomize.render(dir);
    Manifests m = Layout.manifests(dir);

    assertThat(m.objects()).hasSize(docs.size());
    assertThat(m.all(V1StatefulSet.class).map(s -> s.getMetadata().getName()))
        .containsExactlyInAnyOrder("statusreg", "kafka", "clickhouse");
    assertThat(m.all(V1Deployment.class).map(s -> s.getMetadata().getName()))
        .containsExactly("statusreg-analytics-sink");
    assertThat(m.all(V1Job.class).map(s -> s.getMetadata().getName()))
        .containsExactly("statusreg-topics");
    assertThat(m.all(V1Service.class).map(s -> s.getMetadata().getName()))
        .contains("statusreg", "statusreg-headless", "kafka-headless", "clickhouse");
    assertThat(m.all(V1PodDisruptionBudget.class)).hasSize(2);
    assertThat(m.all(V2HorizontalPodAutoscaler.class)).hasSize(1);
    assertThat(m.all(V1NetworkPolicy.class)).hasSizeGreaterThanOrEqualTo(3);
    assertThat(m.all(V1ConfigMap.class).map(c -> c.getMetadata().getName()))
        .contains("statusreg-config", "statusreg-issuer-auth", "kafka-config");
  }

  @ParameterizedTest
  @MethodSource("layouts")
  void everyDeploymentRuleHolds(Path dir) {
    assertThat(DeploymentRules.check(Layout.manifests(dir))).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("layouts")
  void everyMeshRuleHolds(Path dir) {
    assertThat(MeshRules.check(Layout.manifests(dir))).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("layouts")
  void everyFileInTheLayoutIsUsed(Path dir) throws IOException {
    // A manifest that no kustomization lists would never be deployed nor validated.
    List<String> listed = new ArrayList<>();
    String kustomization = Files.readString(dir.resolve("kustomization.yaml"));
    try (Stream<Path> files = Files.list(dir)) {
      files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
          .forEach(listed::add);
    }
    assertThat(listed).allSatisfy(n -> assertThat(kustomization).contains(n));
  }

  @ParameterizedTest
  @MethodSource("layouts")
  void overlaysSetTheirNamespaceAndImage(Path dir) {
    Manifests m = Layout.manifests(dir);
    String image =
        DeploymentRules.registryContainer(m.statefulSet("statusreg").orElseThrow()).getImage();
    if (dir.equals(Layout.PRODUCTION) || dir.equals(Layout.MESH)) {
      assertThat(m.objects())
          .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("statusreg"));
      assertThat(image).isEqualTo("registry.example.com/statusreg/statusreg:0.1.0");
    } else if (dir.equals(Layout.DEV)) {
      assertThat(m.objects())
          .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("statusreg-dev"));
      assertThat(image).isEqualTo("statusreg/statusreg:0.1.0-dev.1");
    }
  }

  /**
   * Where kubectl is installed, our renderer must give what {@code kubectl kustomize} gives. CI
   * machines without kubectl skip this; the strict loading and the rules above still run.
   */
  @ParameterizedTest
  @MethodSource("layouts")
  void rendersLikeKubectlKustomize(Path dir) throws Exception {
    String kubectl = onPath("kubectl");
    assumeTrue(kubectl != null, "kubectl is not installed");
    Process p =
        new ProcessBuilder(kubectl, "kustomize", dir.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "kubectl kustomize failed");

    Map<String, JsonNode> expected = new TreeMap<>();
    Kustomize.parseDocuments(out, "kubectl kustomize")
        .forEach(d -> expected.put(Kustomize.id(d), d));
    Map<String, JsonNode> actual = new TreeMap<>();
    Kustomize.render(dir).forEach(d -> actual.put(Kustomize.id(d), d));

    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    for (String id : expected.keySet()) {
      assertThat(actual.get(id)).as(id).isEqualTo(expected.get(id));
    }
  }

  private static String onPath(String command) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(d, command);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }
}
