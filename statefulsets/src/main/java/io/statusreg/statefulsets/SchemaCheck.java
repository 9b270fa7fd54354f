package io.statusreg.statefulsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The custom resources that {@link StrictModels} cannot check (client-java has no model for them)
 * and that the published schemas check instead: {@code .ci/k8s-schemas/check.mjs} (run by {@code
 * scripts/test.sh} after the build) validates every document written here against the npm packages
 * {@code @kubernetes-models/istio}, {@code cert-manager} and {@code gateway-api}, refusing fields
 * the schemas do not describe too. {@link Manifests} accepts these kinds only through a
 * SchemaCheck; any other unknown kind still fails.
 */
public final class SchemaCheck {

  /** {@code apiVersion/kind} of the custom resources the schema check knows. */
  public static final Set<String> KINDS =
      Set.of(
          "security.istio.io/v1/PeerAuthentication",
          "security.istio.io/v1/AuthorizationPolicy",
          "cert-manager.io/v1/Certificate",
          "cert-manager.io/v1/Issuer",
          "gateway.networking.k8s.io/v1/Gateway",
          "gateway.networking.k8s.io/v1/HTTPRoute");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  /** Writes the documents it accepts to {@code dir}, whose JSON files it deletes first. */
  public SchemaCheck(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
      // A resource renamed or removed since the last run must not be checked as if rendered.
      try (var old = Files.newDirectoryStream(dir, "*.json")) {
        for (Path f : old) {
          Files.delete(f);
        }
      }
    } catch (IOException e) {
      throw new ManifestException("preparing the schema check directory " + dir, e);
    }
  }

  public Path dir() {
    return dir;
  }

  public static boolean knows(JsonNode doc) {
    return KINDS.contains(doc.path("apiVersion").asText("") + "/" + doc.path("kind").asText(""));
  }

  /**
   * The resource of {@code doc}, its metadata loaded strictly, and the document written for the
   * schema check as {@code <Kind>-<name>.json}.
   */
  public CustomResource accept(ObjectNode doc, String origin) {
    if (!knows(doc)) {
      throw new ManifestException(origin + " " + Kustomize.id(doc) + ": no published schema known");
    }
    CustomResource resource =
        new CustomResource(
            doc.get("apiVersion").asText(),
            doc.get("kind").asText(),
            StrictModels.metadata(doc, origin),
            doc.deepCopy());
    String name = resource.kind() + "-" + resource.metadata().getName() + ".json";
    try {
      Files.writeString(
          dir.resolve(name), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
    } catch (IOException e) {
      throw new ManifestException("writing " + name + " for the schema check", e);
    }
    return resource;
  }
}
