package io.statusreg.statefulsets;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ObjectMeta;

/**
 * A custom resource (Istio, cert-manager, Gateway API) that client-java has no model for: its
 * metadata loaded strictly into {@link V1ObjectMeta}, the rest kept as the rendered JSON tree. Only
 * a {@link SchemaCheck} makes these, and it hands each document on to the schema check.
 */
public record CustomResource(String apiVersion, String kind, V1ObjectMeta metadata, JsonNode doc)
    implements KubernetesObject {

  @Override
  public V1ObjectMeta getMetadata() {
    return metadata;
  }

  @Override
  public String getApiVersion() {
    return apiVersion;
  }

  @Override
  public String getKind() {
    return kind;
  }

  /** {@code doc.at(pointer)}: a part of the resource, e.g. {@code /spec/mtls/mode}. */
  public JsonNode at(String pointer) {
    return doc.at(pointer);
  }
}
