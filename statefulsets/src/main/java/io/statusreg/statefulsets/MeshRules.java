package io.statusreg.statefulsets;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1ServicePort;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Rules of the service-mesh resources ({@code overlays/mesh}), each with a negative test in {@code
 * MeshOverlayTest}; a layout without them has nothing to check. Their shape is checked by the
 * published schemas ({@link SchemaCheck}); these are what a schema cannot say.
 */
public final class MeshRules {

  /** Response headers by which verifiers cache tokens: no route may change or drop them. */
  public static final Set<String> CACHING_RESPONSE_HEADERS =
      Set.of("cache-control", "etag", "vary", "expires", "last-modified", "age");

  /** Request headers of verifiers' conditional and negotiated requests. */
  public static final Set<String> CACHING_REQUEST_HEADERS =
      Set.of("if-none-match", "if-modified-since", "accept", "accept-encoding");

  private static final String ISTIO_GATEWAY_CLASS = "istio";

  private MeshRules() {}

  public static final List<DeploymentRules.Rule> ALL =
      List.of(
          new DeploymentRules.Rule(
              "routes keep the registry's caching headers", MeshRules::routesKeepCachingHeaders),
          new DeploymentRules.Rule("route backends resolve", MeshRules::routeBackends),
          new DeploymentRules.Rule("mutual TLS is strict", MeshRules::strictMutualTls),
          new DeploymentRules.Rule(
              "authorization names workloads of the layout", MeshRules::authorizationPrincipals),
          new DeploymentRules.Rule(
              "Kafka's certificate covers the names its clients use",
              KafkaRules::certificateCoversClientNames));

  /** Every violation of every rule, each prefixed with its rule's name. */
  public static List<String> check(Manifests m) {
    List<String> out = new ArrayList<>();
    for (DeploymentRules.Rule rule : ALL) {
      rule.check().apply(m).forEach(v -> out.add(rule.name() + ": " + v));
    }
    return out;
  }

  /**
   * No HTTPRoute filter (of a rule or of a backend) sets, adds or removes a caching header, and
   * none is an {@code ExtensionRef} (an implementation-specific filter this rule cannot see into).
   */
  public static List<String> routesKeepCachingHeaders(Manifests m) {
    List<String> out = new ArrayList<>();
    m.custom("HTTPRoute")
        .forEach(
            route -> {
              String name = "HTTPRoute " + route.metadata().getName();
              for (JsonNode rule : route.at("/spec/rules")) {
                List<JsonNode> filters = new ArrayList<>();
                rule.path("filters").forEach(filters::add);
                rule.path("backendRefs").forEach(b -> b.path("filters").forEach(filters::add));
                for (JsonNode filter : filters) {
                  String type = filter.path("type").asText();
                  switch (type) {
                    case "ResponseHeaderModifier" ->
                        touched(filter.path("responseHeaderModifier"), CACHING_RESPONSE_HEADERS)
                            .forEach(h -> out.add(name + ": a filter changes the response's " + h));
                    case "RequestHeaderModifier" ->
                        touched(filter.path("requestHeaderModifier"), CACHING_REQUEST_HEADERS)
                            .forEach(h -> out.add(name + ": a filter changes the request's " + h));
                    case "ExtensionRef" ->
                        out.add(name + ": an ExtensionRef filter may rewrite caching headers");
                    default -> {}
                  }
                }
              }
            });
    return out;
  }

  private static List<String> touched(JsonNode modifier, Set<String> headers) {
    List<String> out = new ArrayList<>();
    for (String op : List.of("set", "add")) {
      modifier.path(op).forEach(h -> out.add(h.path("name").asText()));
    }
    modifier.path("remove").forEach(h -> out.add(h.asText()));
    return out.stream().filter(h -> headers.contains(h.toLowerCase(Locale.ROOT))).toList();
  }

  /** Every HTTPRoute backend is a Service of the layout, on one of its ports. */
  public static List<String> routeBackends(Manifests m) {
    List<String> out = new ArrayList<>();
    m.custom("HTTPRoute")
        .forEach(
            route -> {
              for (JsonNode rule : route.at("/spec/rules")) {
                for (JsonNode ref : rule.path("backendRefs")) {
                  String service = ref.path("name").asText();
                  int port = ref.path("port").asInt(-1);
                  boolean found =
                      m.find(V1Service.class, service)
                          .map(s -> s.getSpec().getPorts().stream().map(V1ServicePort::getPort))
                          .map(ports -> ports.anyMatch(p -> p == port))
                          .orElse(false);
                  if (!ref.path("kind").asText("Service").equals("Service") || !found) {
                    out.add(
                        "HTTPRoute "
                            + route.metadata().getName()
                            + ": backend "
                            + service
                            + ":"
                            + port
                            + " is no Service port of the layout");
                  }
                }
              }
            });
    return out;
  }

  /**
   * With any Istio resource, one namespace-wide PeerAuthentication (no selector) requires STRICT
   * mutual TLS, and no PeerAuthentication relaxes it for a workload or a port.
   */
  public static List<String> strictMutualTls(Manifests m) {
    List<String> out = new ArrayList<>();
    List<CustomResource> peers = m.custom("PeerAuthentication").toList();
    boolean istio =
        m.all(CustomResource.class).anyMatch(r -> r.apiVersion().endsWith(".istio.io/v1"));
    if (!istio) {
      return out;
    }
    boolean namespaceWide = false;
    for (CustomResource p : peers) {
      String mode = p.at("/spec/mtls/mode").asText("UNSET");
      if (p.at("/spec/selector").isMissingNode() && mode.equals("STRICT")) {
        namespaceWide = true;
      }
      if (!mode.equals("STRICT") && !mode.equals("UNSET")) {
        out.add("PeerAuthentication " + p.metadata().getName() + " sets mode " + mode);
      }
      p.at("/spec/portLevelMtls")
          .properties()
          .forEach(
              e -> {
                String portMode = e.getValue().path("mode").asText("UNSET");
                if (!portMode.equals("STRICT") && !portMode.equals("UNSET")) {
                  out.add(
                      "PeerAuthentication "
                          + p.metadata().getName()
                          + " sets port "
                          + e.getKey()
                          + " to "
                          + portMode);
                }
              });
    }
    if (!namespaceWide) {
      out.add("no namespace-wide PeerAuthentication with mtls.mode STRICT");
    }
    return out;
  }

  /**
   * Every principal an AuthorizationPolicy admits is a service account of the layout in the
   * policy's namespace ({@code cluster.local/ns/<ns>/sa/<name>}), or the service account Istio
   * gives a Gateway of class istio ({@code <gateway>-istio}); a suffix pattern ({@code *}...) names
   * callers outside the layout on purpose. Every policy selects the pods of some workload.
   */
  public static List<String> authorizationPrincipals(Manifests m) {
    List<String> out = new ArrayList<>();
    Set<String> accounts = new HashSet<>();
    m.all(V1ServiceAccount.class).forEach(a -> accounts.add(a.getMetadata().getName()));
    m.custom("Gateway")
        .filter(g -> g.at("/spec/gatewayClassName").asText().equals(ISTIO_GATEWAY_CLASS))
        .forEach(g -> accounts.add(g.metadata().getName() + "-istio"));
    m.custom("AuthorizationPolicy")
        .forEach(
            policy -> {
              String name = "AuthorizationPolicy " + policy.metadata().getName();
              String prefix = "cluster.local/ns/" + policy.metadata().getNamespace() + "/sa/";
              for (JsonNode rule : policy.at("/spec/rules")) {
                for (JsonNode from : rule.path("from")) {
                  for (JsonNode p : from.path("source").path("principals")) {
                    String principal = p.asText();
                    if (principal.startsWith("*")) {
                      continue;
                    }
                    if (!principal.startsWith(prefix)
                        || !accounts.contains(principal.substring(prefix.length()))) {
                      out.add(name + ": " + principal + " is no service account of the layout");
                    }
                  }
                }
              }
              Map<String, String> selector = new TreeMap<>();
              policy
                  .at("/spec/selector/matchLabels")
                  .properties()
                  .forEach(e -> selector.put(e.getKey(), e.getValue().asText()));
              boolean selects =
                  !selector.isEmpty()
                      && m.podTemplates()
                          .anyMatch(
                              t ->
                                  t.value().getMetadata() != null
                                      && t.value().getMetadata().getLabels() != null
                                      && selector.entrySet().stream()
                                          .allMatch(
                                              e ->
                                                  Objects.equals(
                                                      t.value()
                                                          .getMetadata()
                                                          .getLabels()
                                                          .get(e.getKey()),
                                                      e.getValue())));
              if (!selects) {
                out.add(name + ": its selector matches no workload's pods");
              }
            });
    return out;
  }
}
