package io.statusreg.statefulsets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/** The typed objects of one rendered kustomization (base or overlay). */
public record Manifests(String origin, List<KubernetesObject> objects) {

  public Manifests {
    objects = List.copyOf(objects);
  }

  /** Renders {@code dir} with {@link Kustomize} and loads every document strictly. */
  public static Manifests render(Path dir) {
    return of(dir.toString(), Kustomize.render(dir));
  }

  /** Loads already rendered documents strictly. */
  public static Manifests of(String origin, List<ObjectNode> docs) {
    return new Manifests(origin, docs.stream().map(d -> StrictModels.load(d, origin)).toList());
  }

  /**
   * Loads already rendered documents strictly; the custom resources {@link SchemaCheck} knows are
   * handed to {@code schemas} (metadata checked here, the rest by the published schemas).
   */
  public static Manifests of(String origin, List<ObjectNode> docs, SchemaCheck schemas) {
    return new Manifests(
        origin,
        docs.stream()
            .map(
                d ->
                    SchemaCheck.knows(d)
                        ? (KubernetesObject) schemas.accept(d, origin)
                        : StrictModels.load(d, origin))
            .toList());
  }

  /** The custom resources of one kind ({@code Certificate}, {@code HTTPRoute}, ...). */
  public Stream<CustomResource> custom(String kind) {
    return all(CustomResource.class).filter(r -> r.kind().equals(kind));
  }

  public <T extends KubernetesObject> Stream<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast);
  }

  public <T extends KubernetesObject> Optional<T> find(Class<T> type, String name) {
    return all(type).filter(o -> Objects.equals(o.getMetadata().getName(), name)).findFirst();
  }

  public Optional<V1StatefulSet> statefulSet(String name) {
    return find(V1StatefulSet.class, name);
  }

  public Optional<V1ConfigMap> configMap(String name) {
    return find(V1ConfigMap.class, name);
  }

  /**
   * Every pod template, named {@code Kind/name}, of the workloads (StatefulSet, Deployment, Job).
   */
  public Stream<Named<V1PodTemplateSpec>> podTemplates() {
    return objects.stream()
        .flatMap(
            o ->
                switch (o) {
                  case V1StatefulSet s -> Stream.of(named(o, s.getSpec().getTemplate()));
                  case io.kubernetes.client.openapi.models.V1Deployment d ->
                      Stream.of(named(o, d.getSpec().getTemplate()));
                  case io.kubernetes.client.openapi.models.V1Job j ->
                      Stream.of(named(o, j.getSpec().getTemplate()));
                  default -> Stream.empty();
                });
  }

  private static <T> Named<T> named(KubernetesObject owner, T value) {
    return new Named<>(owner.getKind() + "/" + owner.getMetadata().getName(), owner, value);
  }

  /** A part of a manifest together with the object it belongs to. */
  public record Named<T>(String name, KubernetesObject owner, T value) {}
}
