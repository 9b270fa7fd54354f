package io.statusreg.statefulsets;

import java.nio.file.Path;
import java.util.List;

/** The kustomize layout under statefulsets/k8s (tests run in the module's directory). */
final class Layout {
  static final Path K8S = Path.of("k8s");
  static final Path BASE = K8S.resolve("base");
  static final Path DEV = K8S.resolve("overlays/dev");
  static final Path PRODUCTION = K8S.resolve("overlays/production");
  static final List<Path> ALL = List.of(BASE, DEV, PRODUCTION);

  private Layout() {}
}
