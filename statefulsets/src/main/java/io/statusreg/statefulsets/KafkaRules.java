package io.statusreg.statefulsets;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1KeyToPath;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1LabelSelectorRequirement;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPeer;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPort;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How Kafka's clients reach the brokers, derived from the rendered configuration rather than
 * restated: the bootstrap servers the clients are given (STATUSREG_KAFKA_BOOTSTRAP_SERVERS) name
 * the Service, the brokers and the port every policy on the path must admit, and the names the
 * brokers' TLS certificate must cover.
 */
public final class KafkaRules {

  public static final String BOOTSTRAP = "STATUSREG_KAFKA_BOOTSTRAP_SERVERS";
  public static final String CLIENT_PROTOCOL = "STATUSREG_KAFKA_SECURITY_PROTOCOL";

  /** Istio's default trust domain, as the AuthorizationPolicies of the mesh overlay spell it. */
  private static final String TRUST_DOMAIN = "cluster.local";

  private static final Pattern ASSIGNMENT =
      Pattern.compile("^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_]*)=\"([^\"]*)\"\\s*$");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private KafkaRules() {}

  /** A pod template that is given bootstrap servers, with what it was given. */
  record Client(String name, String namespace, V1PodTemplateSpec template, List<Server> servers) {
    String serviceAccount() {
      String sa = template.getSpec().getServiceAccountName();
      return sa == null ? "default" : sa;
    }

    String principal() {
      return TRUST_DOMAIN + "/ns/" + namespace + "/sa/" + serviceAccount();
    }
  }

  /** One {@code host:port} of a bootstrap list. */
  record Server(String host, int port) {
    /** The Service a per-pod name ({@code pod.service[.ns.svc...]}) or a Service name names. */
    String service() {
      String[] labels = host.split("\\.");
      return labels.length == 1 ? labels[0] : labels[1];
    }

    static Server parse(String text) {
      int colon = text.lastIndexOf(':');
      if (colon < 0) {
        return new Server(text.trim(), -1);
      }
      return new Server(
          text.substring(0, colon).trim(), (int) DeploymentRules.number(text.substring(colon + 1)));
    }
  }

  /** The pod templates that are given STATUSREG_KAFKA_BOOTSTRAP_SERVERS. */
  static List<Client> clients(Manifests m) {
    List<Client> out = new ArrayList<>();
    m.podTemplates()
        .forEach(
            t -> {
              V1PodSpec spec = t.value().getSpec();
              if (spec == null) {
                return;
              }
              Set<String> lists = new LinkedHashSet<>();
              Stream.concat(
                      list(spec.getInitContainers()).stream(), list(spec.getContainers()).stream())
                  .map(c -> DeploymentRules.effectiveEnv(m, c).get(BOOTSTRAP))
                  .filter(Objects::nonNull)
                  .forEach(lists::add);
              if (lists.isEmpty()) {
                return;
              }
              List<Server> servers = new ArrayList<>();
              lists.forEach(
                  l -> {
                    for (String s : l.split(",")) {
                      if (!s.isBlank()) {
                        servers.add(Server.parse(s));
                      }
                    }
                  });
              out.add(
                  new Client(
                      t.name(),
                      namespace(t.owner().getMetadata().getNamespace()),
                      t.value(),
                      servers));
            });
    return out;
  }

  /**
   * Every client's bootstrap port is a port of the Service its servers name, and the path from the
   * client's pods to the pods of that Service on that port is open: the NetworkPolicies that
   * isolate the client for egress allow it, those that isolate the brokers for ingress allow it,
   * and the Istio AuthorizationPolicies of the brokers admit the client's service account on it.
   */
  public static List<String> clientPortOpen(Manifests m) {
    List<String> out = new ArrayList<>();
    List<V1NetworkPolicy> policies = m.all(V1NetworkPolicy.class).toList();
    for (Client client : clients(m)) {
      Set<String> seen = new LinkedHashSet<>();
      for (Server server : client.servers()) {
        String key = server.service() + ":" + server.port();
        if (!seen.add(key)) {
          continue;
        }
        String where = client.name() + " -> " + key;
        Optional<V1Service> service = m.find(V1Service.class, server.service());
        if (service.isEmpty()) {
          out.add(where + ": no Service " + server.service());
          continue;
        }
        if (list(service.get().getSpec().getPorts()).stream()
            .noneMatch(p -> p.getPort() == server.port())) {
          out.add(where + ": Service " + server.service() + " has no port " + server.port());
        }
        Map<String, String> selector = service.get().getSpec().getSelector();
        List<Manifests.Named<V1PodTemplateSpec>> brokers =
            m.podTemplates()
                .filter(
                    t ->
                        selector != null
                            && !selector.isEmpty()
                            && subset(selector, labels(t.value())))
                .toList();
        if (brokers.isEmpty()) {
          out.add(where + ": Service " + server.service() + " selects no pods");
        }
        for (Manifests.Named<V1PodTemplateSpec> broker : brokers) {
          if (!egressAllowed(policies, client, broker.value(), server.port())) {
            out.add(
                where
                    + ": no NetworkPolicy of "
                    + client.name()
                    + " allows egress to "
                    + broker.name()
                    + " on "
                    + server.port());
          }
          if (!ingressAllowed(policies, client, broker, server.port())) {
            out.add(
                where
                    + ": no NetworkPolicy of "
                    + broker.name()
                    + " allows ingress from "
                    + client.name()
                    + " on "
                    + server.port());
          }
          out.addAll(authorization(m, client, broker, server.port(), where));
        }
      }
    }
    return out;
  }

  // ---- NetworkPolicy ------------------------------------------------------------------------

  private static boolean egressAllowed(
      List<V1NetworkPolicy> policies, Client client, V1PodTemplateSpec broker, int port) {
    List<V1NetworkPolicy> isolating =
        policies.stream()
            .filter(p -> namespace(p.getMetadata().getNamespace()).equals(client.namespace()))
            .filter(p -> selects(p.getSpec().getPodSelector(), labels(client.template())))
            .filter(p -> types(p).contains("Egress"))
            .toList();
    if (isolating.isEmpty()) {
      return true;
    }
    return isolating.stream()
        .flatMap(p -> list(p.getSpec().getEgress()).stream())
        .anyMatch(
            rule ->
                peers(rule.getTo(), labels(broker), client.namespace())
                    && ports(rule.getPorts(), broker, port));
  }

  private static boolean ingressAllowed(
      List<V1NetworkPolicy> policies,
      Client client,
      Manifests.Named<V1PodTemplateSpec> broker,
      int port) {
    String ns = namespace(broker.owner().getMetadata().getNamespace());
    List<V1NetworkPolicy> isolating =
        policies.stream()
            .filter(p -> namespace(p.getMetadata().getNamespace()).equals(ns))
            .filter(p -> selects(p.getSpec().getPodSelector(), labels(broker.value())))
            .filter(p -> types(p).contains("Ingress"))
            .toList();
    if (isolating.isEmpty()) {
      return true;
    }
    return isolating.stream()
        .flatMap(p -> list(p.getSpec().getIngress()).stream())
        .anyMatch(
            rule ->
                peers(rule.getFrom(), labels(client.template()), client.namespace())
                    && ports(rule.getPorts(), broker.value(), port));
  }

  private static List<String> types(V1NetworkPolicy p) {
    if (p.getSpec().getPolicyTypes() != null && !p.getSpec().getPolicyTypes().isEmpty()) {
      return p.getSpec().getPolicyTypes();
    }
    return p.getSpec().getEgress() == null ? List.of("Ingress") : List.of("Ingress", "Egress");
  }

  /** An empty or missing peer list allows every peer; otherwise one peer must select the pod. */
  private static boolean peers(
      List<V1NetworkPolicyPeer> peers, Map<String, String> pod, String ns) {
    if (peers == null || peers.isEmpty()) {
      return true;
    }
    for (V1NetworkPolicyPeer peer : peers) {
      if (peer.getIpBlock() != null) {
        continue;
      }
      boolean namespaceMatches =
          peer.getNamespaceSelector() == null
              || selects(peer.getNamespaceSelector(), Map.of("kubernetes.io/metadata.name", ns));
      boolean podMatches = peer.getPodSelector() == null || selects(peer.getPodSelector(), pod);
      if (namespaceMatches && podMatches) {
        return true;
      }
    }
    return false;
  }

  /** An empty or missing port list allows every port; a named port is the target pod's. */
  private static boolean ports(
      List<V1NetworkPolicyPort> ports, V1PodTemplateSpec target, int port) {
    if (ports == null || ports.isEmpty()) {
      return true;
    }
    for (V1NetworkPolicyPort p : ports) {
      if (p.getProtocol() != null && !p.getProtocol().equals("TCP")) {
        continue;
      }
      IntOrString value = p.getPort();
      if (value == null) {
        return true;
      }
      int first =
          value.isInteger() ? value.getIntValue() : containerPort(target, value.getStrValue());
      int last = p.getEndPort() == null ? first : p.getEndPort();
      if (first <= port && port <= last) {
        return true;
      }
    }
    return false;
  }

  private static int containerPort(V1PodTemplateSpec pod, String name) {
    return list(pod.getSpec().getContainers()).stream()
        .flatMap(c -> list(c.getPorts()).stream())
        .filter(p -> name.equals(p.getName()))
        .map(V1ContainerPort::getContainerPort)
        .findFirst()
        .orElse(-1);
  }

  // ---- Istio AuthorizationPolicy -------------------------------------------------------------

  private static List<String> authorization(
      Manifests m,
      Client client,
      Manifests.Named<V1PodTemplateSpec> broker,
      int port,
      String where) {
    List<String> out = new ArrayList<>();
    String ns = namespace(broker.owner().getMetadata().getNamespace());
    List<CustomResource> applying =
        m.custom("AuthorizationPolicy")
            .filter(p -> namespace(p.metadata().getNamespace()).equals(ns))
            .filter(
                p -> {
                  Map<String, String> selector = new HashMap<>();
                  p.at("/spec/selector/matchLabels")
                      .properties()
                      .forEach(e -> selector.put(e.getKey(), e.getValue().asText()));
                  return subset(selector, labels(broker.value()));
                })
            .toList();
    for (CustomResource p : applying) {
      String action = p.at("/spec/action").asText("ALLOW");
      boolean denies = false;
      for (JsonNode r : p.at("/spec/rules")) {
        denies |= matches(r, client, port);
      }
      if (action.equals("DENY") && denies) {
        out.add(
            where
                + ": AuthorizationPolicy "
                + p.metadata().getName()
                + " denies "
                + client.principal());
      }
    }
    List<CustomResource> allowing =
        applying.stream()
            .filter(p -> p.at("/spec/action").asText("ALLOW").equals("ALLOW"))
            .toList();
    boolean admitted = false;
    for (CustomResource p : allowing) {
      for (JsonNode r : p.at("/spec/rules")) {
        admitted |= matches(r, client, port);
      }
    }
    if (!allowing.isEmpty() && !admitted) {
      out.add(
          where
              + ": no AuthorizationPolicy of "
              + broker.name()
              + " admits "
              + client.principal()
              + " on "
              + port);
    }
    return out;
  }

  /**
   * Whether an AuthorizationPolicy rule matches a TCP connection of the client on {@code port}. A
   * rule with HTTP-only fields or conditions does not match TCP traffic (Istio drops such rules for
   * TCP), nor one whose source names something other than principals and namespaces.
   */
  private static boolean matches(JsonNode rule, Client client, int port) {
    if (rule.has("when")) {
      return false;
    }
    JsonNode from = rule.path("from");
    boolean source = from.isMissingNode() || from.isEmpty();
    for (JsonNode f : from) {
      JsonNode s = f.path("source");
      Set<String> fields = new LinkedHashSet<>();
      s.fieldNames().forEachRemaining(fields::add);
      fields.removeAll(Set.of("principals", "notPrincipals", "namespaces", "notNamespaces"));
      if (!fields.isEmpty()) {
        continue;
      }
      if (listed(s.path("principals"), client.principal(), true)
          && !listed(s.path("notPrincipals"), client.principal(), false)
          && listed(s.path("namespaces"), client.namespace(), true)
          && !listed(s.path("notNamespaces"), client.namespace(), false)) {
        source = true;
      }
    }
    JsonNode to = rule.path("to");
    boolean operation = to.isMissingNode() || to.isEmpty();
    for (JsonNode t : to) {
      JsonNode op = t.path("operation");
      Set<String> fields = new LinkedHashSet<>();
      op.fieldNames().forEachRemaining(fields::add);
      fields.removeAll(Set.of("ports", "notPorts"));
      if (!fields.isEmpty()) {
        continue;
      }
      String p = String.valueOf(port);
      if (listed(op.path("ports"), p, true) && !listed(op.path("notPorts"), p, false)) {
        operation = true;
      }
    }
    return source && operation;
  }

  /** Istio's string match: exact, {@code *}, prefix {@code x*} or suffix {@code *x}. */
  private static boolean listed(JsonNode values, String value, boolean ifAbsent) {
    if (values.isMissingNode() || values.isEmpty()) {
      return ifAbsent;
    }
    for (JsonNode v : values) {
      String pattern = v.asText();
      if (pattern.equals("*")
          || pattern.equals(value)
          || (pattern.startsWith("*") && value.endsWith(pattern.substring(1)))
          || (pattern.endsWith("*")
              && value.startsWith(pattern.substring(0, pattern.length() - 1)))) {
        return true;
      }
    }
    return false;
  }

  // ---- the brokers' certificate ---------------------------------------------------------------

  /** The keys cert-manager writes to a Certificate's Secret. */
  static Set<String> secretKeys(CustomResource certificate) {
    Set<String> keys = new LinkedHashSet<>(List.of("tls.crt", "tls.key", "ca.crt"));
    for (JsonNode f : certificate.at("/spec/additionalOutputFormats")) {
      switch (f.path("type").asText()) {
        case "CombinedPEM" -> keys.add("tls-combined.pem");
        case "DER" -> keys.add("key.der");
        default -> {}
      }
    }
    return keys;
  }

  /** RFC 6125 6.4.3: a wildcard is the whole left-most label and stands for exactly one label. */
  public static boolean dnsNameMatches(String dnsName, String host) {
    String pattern = stripDot(dnsName).toLowerCase(Locale.ROOT);
    String name = stripDot(host).toLowerCase(Locale.ROOT);
    if (!pattern.startsWith("*.")) {
      return pattern.equals(name);
    }
    int dot = name.indexOf('.');
    return dot > 0 && name.substring(dot + 1).equals(pattern.substring(2));
  }

  private static String stripDot(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /**
   * For a cert-manager Certificate whose Secret the brokers mount: every bootstrap host of a client
   * that connects over TLS, and every host a broker advertises on a TLS listener (for each of its
   * pods), is one of the certificate's dnsNames; the private key is PKCS#8 when the broker reads a
   * PEM keystore (Kafka's PEM keystore reads no other encoding); and every file the broker's ssl
   * settings name under the Secret's mount, and every key a pod takes from the Secret, is one that
   * cert-manager writes.
   */
  public static List<String> certificateCoversClientNames(Manifests m) {
    List<String> out = new ArrayList<>();
    List<Client> clients = clients(m);
    Set<String> services = new LinkedHashSet<>();
    clients.forEach(c -> c.servers().forEach(s -> services.add(s.service())));
    for (V1StatefulSet sts : m.all(V1StatefulSet.class).toList()) {
      if (!services.contains(sts.getSpec().getServiceName())) {
        continue;
      }
      String brokerName = "StatefulSet/" + sts.getMetadata().getName();
      V1PodSpec pod = sts.getSpec().getTemplate().getSpec();
      for (V1Container c : list(pod.getContainers())) {
        Map<String, String> env = DeploymentRules.effectiveEnv(m, c);
        Map<String, String> protocols = protocolMap(env);
        for (V1VolumeMount mount : list(c.getVolumeMounts())) {
          V1Volume volume = volume(pod, mount.getName());
          if (volume == null || volume.getSecret() == null) {
            continue;
          }
          String secret = volume.getSecret().getSecretName();
          Optional<CustomResource> cert =
              m.custom("Certificate")
                  .filter(r -> secret.equals(r.at("/spec/secretName").asText()))
                  .findFirst();
          if (cert.isEmpty()) {
            continue;
          }
          String certName = "Certificate " + cert.get().metadata().getName();
          Set<String> keys = secretKeys(cert.get());
          List<String> dnsNames = new ArrayList<>();
          cert.get().at("/spec/dnsNames").forEach(n -> dnsNames.add(n.asText()));
          // The files the broker's ssl settings read from this mount.
          Set<String> files = new LinkedHashSet<>();
          if (volume.getSecret().getItems() == null || volume.getSecret().getItems().isEmpty()) {
            files.addAll(keys);
          } else {
            for (V1KeyToPath item : volume.getSecret().getItems()) {
              if (keys.contains(item.getKey())) {
                files.add(item.getPath());
              }
            }
          }
          boolean pemKeystore = false;
          for (Map.Entry<String, String> e : env.entrySet()) {
            if (!e.getKey().endsWith("SSL_KEYSTORE_LOCATION")
                && !e.getKey().endsWith("SSL_TRUSTSTORE_LOCATION")) {
              continue;
            }
            String prefix = mount.getMountPath() + "/";
            if (!e.getValue().startsWith(prefix)) {
              continue;
            }
            String file = e.getValue().substring(prefix.length());
            if (!files.contains(file)) {
              out.add(
                  brokerName
                      + ": "
                      + e.getKey()
                      + " reads "
                      + file
                      + ", which the Secret of "
                      + certName
                      + " does not hold (it holds "
                      + files
                      + ")");
            }
            if (e.getKey().endsWith("SSL_KEYSTORE_LOCATION")) {
              String type = env.get(e.getKey().replace("_LOCATION", "_TYPE"));
              pemKeystore |= "PEM".equals(type);
            }
          }
          if (pemKeystore && !cert.get().at("/spec/privateKey/encoding").asText().equals("PKCS8")) {
            out.add(
                certName
                    + ": the broker reads a PEM keystore, which needs privateKey.encoding PKCS8");
          }
          // The names clients connect to.
          for (Client client : clients) {
            String protocol = env(m, client).getOrDefault(CLIENT_PROTOCOL, "PLAINTEXT");
            if (!protocol.equals("SSL") && !protocol.equals("SASL_SSL")) {
              continue;
            }
            for (Server s : client.servers()) {
              if (s.service().equals(sts.getSpec().getServiceName())
                  && dnsNames.stream().noneMatch(n -> dnsNameMatches(n, s.host()))) {
                out.add(
                    client.name()
                        + ": bootstrap host "
                        + s.host()
                        + " is none of the dnsNames of "
                        + certName
                        + " "
                        + dnsNames);
              }
            }
          }
          int replicas = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
          String ns = namespace(sts.getMetadata().getNamespace());
          for (int i = 0; i < replicas; i++) {
            String podName = sts.getMetadata().getName() + "-" + i;
            for (Map.Entry<String, String> listener : advertised(env, c, podName, ns).entrySet()) {
              String protocol = protocols.getOrDefault(listener.getKey(), listener.getKey());
              if (!protocol.equals("SSL") && !protocol.equals("SASL_SSL")) {
                continue;
              }
              String host = Server.parse(listener.getValue()).host();
              if (dnsNames.stream().noneMatch(n -> dnsNameMatches(n, host))) {
                out.add(
                    brokerName
                        + ": pod "
                        + podName
                        + " advertises "
                        + listener.getKey()
                        + " as "
                        + host
                        + ", none of the dnsNames of "
                        + certName
                        + " "
                        + dnsNames);
              }
            }
          }
        }
      }
    }
    // Every pod that takes keys of such a Secret takes keys cert-manager writes.
    m.podTemplates()
        .forEach(
            t -> {
              for (V1Volume v : list(t.value().getSpec().getVolumes())) {
                if (v.getSecret() == null || v.getSecret().getItems() == null) {
                  continue;
                }
                m.custom("Certificate")
                    .filter(
                        r ->
                            v.getSecret().getSecretName().equals(r.at("/spec/secretName").asText()))
                    .findFirst()
                    .ifPresent(
                        cert -> {
                          Set<String> keys = secretKeys(cert);
                          for (V1KeyToPath item : v.getSecret().getItems()) {
                            if (!keys.contains(item.getKey())) {
                              out.add(
                                  t.name()
                                      + ": volume "
                                      + v.getName()
                                      + " takes key "
                                      + item.getKey()
                                      + ", which Certificate "
                                      + cert.metadata().getName()
                                      + " does not write");
                            }
                          }
                        });
              }
            });
    return out;
  }

  private static Map<String, String> protocolMap(Map<String, String> env) {
    Map<String, String> out = new HashMap<>();
    String map = env.getOrDefault("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "");
    for (String pair : map.split(",")) {
      int colon = pair.indexOf(':');
      if (colon > 0) {
        out.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
      }
    }
    return out;
  }

  /**
   * The listeners a broker pod advertises, name to {@code host:port}: KAFKA_ADVERTISED_LISTENERS as
   * the container's shell script assigns it (its {@code ${VAR}} expanded with the pod's name and
   * namespace and the script's earlier assignments), else as its environment sets it.
   */
  static Map<String, String> advertised(
      Map<String, String> env, V1Container c, String podName, String namespace) {
    Map<String, String> vars = new HashMap<>(env);
    vars.put("POD_NAME", podName);
    vars.put("POD_NAMESPACE", namespace);
    String script =
        String.join("\n", list(c.getCommand())) + "\n" + String.join("\n", list(c.getArgs()));
    for (String line : script.split("\n")) {
      Matcher a = ASSIGNMENT.matcher(line);
      if (a.matches()) {
        vars.put(a.group(1), expand(a.group(2), vars));
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    String listeners = vars.getOrDefault("KAFKA_ADVERTISED_LISTENERS", "");
    for (String l : listeners.split(",")) {
      int sep = l.indexOf("://");
      if (sep > 0) {
        out.put(l.substring(0, sep).trim(), l.substring(sep + 3).trim());
      }
    }
    return out;
  }

  private static String expand(String value, Map<String, String> vars) {
    Matcher v = VARIABLE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (v.find()) {
      v.appendReplacement(out, Matcher.quoteReplacement(vars.getOrDefault(v.group(1), v.group(0))));
    }
    v.appendTail(out);
    return out.toString();
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static Map<String, String> env(Manifests m, Client client) {
    Map<String, String> out = new HashMap<>();
    Stream.concat(
            list(client.template().getSpec().getInitContainers()).stream(),
            list(client.template().getSpec().getContainers()).stream())
        .forEach(c -> out.putAll(DeploymentRules.effectiveEnv(m, c)));
    return out;
  }

  private static V1Volume volume(V1PodSpec pod, String name) {
    return list(pod.getVolumes()).stream()
        .filter(v -> name.equals(v.getName()))
        .findFirst()
        .orElse(null);
  }

  private static Map<String, String> labels(V1PodTemplateSpec t) {
    return t.getMetadata() == null || t.getMetadata().getLabels() == null
        ? Map.of()
        : t.getMetadata().getLabels();
  }

  private static boolean subset(Map<String, String> selector, Map<String, String> labels) {
    return selector.entrySet().stream()
        .allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()));
  }

  /** A label selector; an empty one selects everything. */
  static boolean selects(V1LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return true;
    }
    if (selector.getMatchLabels() != null && !subset(selector.getMatchLabels(), labels)) {
      return false;
    }
    for (V1LabelSelectorRequirement r : list(selector.getMatchExpressions())) {
      String value = labels.get(r.getKey());
      List<String> values = list(r.getValues());
      boolean ok =
          switch (r.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static String namespace(String ns) {
    return ns == null ? "default" : ns;
  }

  private static <T> List<T> list(List<T> list) {
    return list == null ? List.of() : list;
  }
}
