package io.statusreg.statefulsets;

import java.nio.file.Path;
import java.util.List;

/** The kustomize layout under statefulsets/k8s (tests run in the module's directory). */
final class Layout {
  static final Path K8S = Path.of("k8s");
  static final Path BASE = K8S.resolve("base");
  static final Path DEV = K8S.resolve("overlays/dev");
  static final Path PRODUCTION = K8S.resolve("overlays/production");
  static final Path MESH = K8S.resolve("overlays/mesh");
  static final List<Path> ALL = List.of(BASE, DEV, PRODUCTION, MESH);

  /**
   * Where the layouts' custom resources go for the published-schema check that scripts/test.sh runs
   * after the build ({@code .ci/k8s-schemas}): {@code valid/<layout>/} must pass it, {@code
   * invalid/} must fail it.
   */
  static final Path SCHEMA_CHECK = Path.of("target", "k8s-schemas");

  private Layout() {}

  /** {@code dir} rendered and loaded strictly, its custom resources written for the check. */
  static Manifests manifests(Path dir) {
    return Manifests.of(
        dir.toString(),
        Kustomize.render(dir),
        new SchemaCheck(SCHEMA_CHECK.resolve("valid").resolve(dir.getFileName().toString())));
  }
}
