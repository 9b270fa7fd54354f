package io.statusreg.statefulsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KustomizeTest {

  @TempDir Path dir;

  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        labels: {app: web}
      spec:
        selector:
          matchLabels: {app: web}
        template:
          metadata:
            labels: {app: web}
          spec:
            containers:
              - name: web
                image: example/web:1.0
                env:
                  - {name: A, value: "1"}
                  - {name: B, value: "2"}
              - name: side
                image: registry.local:5000/side:2.0
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: web
      spec:
        selector: {app: web}
        ports:
          - {name: http, port: 80}
      """;

  private void write(String path, String content) throws IOException {
    Path p = dir.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private static Map<String, ObjectNode> byId(List<ObjectNode> docs) {
    return docs.stream().collect(Collectors.toMap(Kustomize::id, d -> d));
  }

  @Test
  void overlayPatchesMergeContainersAndEnvByNameAndRetagsImages() throws IOException {
    write("base/kustomization.yaml", "resources: [app.yaml]\n");
    write("base/app.yaml", DEPLOYMENT);
    write(
        "overlay/kustomization.yaml",
        """
        namespace: prod
        resources: [../base]
        images:
          - {name: example/web, newName: registry.example.com/web, newTag: "2.0"}
        patches:
          - path: patch.yaml
        """);
    write(
        "overlay/patch.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          template:
            spec:
              containers:
                - name: web
                  env:
                    - {name: B, value: "3"}
                    - {name: C, value: "4"}
        """);

    Map<String, ObjectNode> docs = byId(Kustomize.render(dir.resolve("overlay")));

    JsonNode web = docs.get("Deployment/web");
    JsonNode containers = web.at("/spec/template/spec/containers");
    assertThat(containers).hasSize(2);
    assertThat(containers.get(0).get("image").asText()).isEqualTo("registry.example.com/web:2.0");
    assertThat(containers.get(1).get("image").asText()).isEqualTo("registry.local:5000/side:2.0");
    assertThat(containers.get(0).get("env").toString())
        .isEqualTo(
            // kubectl kustomize: the patch's items first, in its order, then the rest
            "[{\"name\":\"B\",\"value\":\"3\"},{\"name\":\"C\",\"value\":\"4\"},{\"name\":\"A\",\"value\":\"1\"}]");
    assertThat(web.at("/metadata/namespace").asText()).isEqualTo("prod");
    assertThat(docs.get("Service/web").at("/metadata/namespace").asText()).isEqualTo("prod");
  }

  @Test
  void commonLabelsReachSelectorsAndTemplatesButLabelsWithoutSelectorsDoNot() throws IOException {
    write("app.yaml", DEPLOYMENT);
    write(
        "kustomization.yaml",
        """
        resources: [app.yaml]
        commonLabels: {team: registry}
        labels:
          - pairs: {env: dev}
            includeTemplates: true
        """);

    Map<String, ObjectNode> docs = byId(Kustomize.render(dir));

    JsonNode web = docs.get("Deployment/web");
    assertThat(web.at("/metadata/labels/team").asText()).isEqualTo("registry");
    assertThat(web.at("/spec/selector/matchLabels/team").asText()).isEqualTo("registry");
    assertThat(web.at("/spec/template/metadata/labels/team").asText()).isEqualTo("registry");
    assertThat(docs.get("Service/web").at("/spec/selector/team").asText()).isEqualTo("registry");
    assertThat(web.at("/metadata/labels/env").asText()).isEqualTo("dev");
    assertThat(web.at("/spec/template/metadata/labels/env").asText()).isEqualTo("dev");
    assertThat(web.at("/spec/selector/matchLabels").has("env")).isFalse();
    assertThat(docs.get("Service/web").at("/spec/selector").has("env")).isFalse();
  }

  @Test
  void patchThatMatchesNoResourceFails() throws IOException {
    write("app.yaml", DEPLOYMENT);
    write("kustomization.yaml", "resources: [app.yaml]\npatches:\n  - path: p.yaml\n");
    write("p.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: wbe}\n");
    assertThatThrownBy(() -> Kustomize.render(dir))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("matches no resource: Deployment/wbe");
  }

  @Test
  void unknownKustomizationFieldFails() throws IOException {
    write("app.yaml", DEPLOYMENT);
    write("kustomization.yaml", "resources: [app.yaml]\ncommonLables: {a: b}\n");
    assertThatThrownBy(() -> Kustomize.render(dir))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("commonLables");
  }

  @Test
  void duplicateResourceFails() throws IOException {
    write("app.yaml", DEPLOYMENT);
    write("again.yaml", DEPLOYMENT);
    write("kustomization.yaml", "resources: [app.yaml, again.yaml]\n");
    assertThatThrownBy(() -> Kustomize.render(dir))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("defined twice");
  }

  @Test
  void duplicateYamlKeyFails() throws IOException {
    write(
        "cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: '1', x: '2'}\n");
    write("kustomization.yaml", "resources: [cm.yaml]\n");
    assertThatThrownBy(() -> Kustomize.render(dir)).isInstanceOf(ManifestException.class);
  }

  @Test
  void imageReferencesSplitTagFromRegistryPort() {
    assertThat(ImageRef.parse("registry.local:5000/a/b"))
        .isEqualTo(new ImageRef("registry.local:5000/a/b", null, null));
    assertThat(ImageRef.parse("apache/kafka:4.3.1").tag()).isEqualTo("4.3.1");
    assertThat(ImageRef.parse("a/b@sha256:abc").pinned()).isTrue();
    assertThat(ImageRef.parse("a/b:latest").pinned()).isFalse();
    assertThat(ImageRef.parse("registry.local:5000/a/b").pinned()).isFalse();
  }
}
