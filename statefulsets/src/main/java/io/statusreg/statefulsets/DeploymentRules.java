package io.statusreg.statefulsets;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * statusreg's own deployment rules, checked on the typed models of a rendered kustomization. Each
 * rule returns its violations, one readable line each; an empty list means the rule holds.
 */
public final class DeploymentRules {

  /** The registry StatefulSet, its headless Service and its shared ConfigMap. */
  public static final String REGISTRY = "statusreg";

  public static final String REGISTRY_HEADLESS = "statusreg-headless";
  public static final String REGISTRY_CONFIG = "statusreg-config";
  public static final String KAFKA = "kafka";

  /** The image that runs the statusreg binary (before an overlay renames it). */
  private static final String APP_IMAGE_SUFFIX = "statusreg/statusreg";

  /** Secrets the manifests may reference but never define: created out of band (README). */
  public static final Set<String> EXTERNAL_SECRETS =
      Set.of(
          "statusreg-signing-keys",
          "statusreg-clickhouse",
          // production's Kafka TLS + SCRAM (overlays/production/kafka-security.yaml)
          "kafka-tls",
          "statusreg-kafka-client",
          "statusreg-kafka-admin",
          "statusreg-kafka-analytics");

  /** Keys the registry's ConfigMap must define: the application's configuration contract. */
  public static final List<String> REGISTRY_CONFIG_KEYS =
      List.of(
          "STATUSREG_KAFKA_BOOTSTRAP_SERVERS",
          "STATUSREG_HTTP_PORT",
          "STATUSREG_PUBLIC_BASE_URL",
          "STATUSREG_PUBLISH_INTERVAL_MS",
          "STATUSREG_EVENTS_PARTITIONS",
          "STATUSREG_APPLICATION_ID",
          "STATUSREG_ROCKSDB_BLOCK_CACHE_BYTES",
          "STATUSREG_ROCKSDB_WRITE_BUFFER_BYTES",
          "STATUSREG_ANALYTICS_ENABLED",
          "STATUSREG_ISSUER_AUTH_ISSUER",
          "STATUSREG_ISSUER_AUTH_AUDIENCE",
          "STATUSREG_ISSUER_AUTH_ISSUER_CLAIM");

  private DeploymentRules() {}

  /** One named rule. */
  public record Rule(String name, Function<Manifests, List<String>> check) {}

  public static final List<Rule> ALL =
      List.of(
          new Rule("containers are probed, bounded and non-root", DeploymentRules::containers),
          new Rule("registry uses static membership", DeploymentRules::staticMembership),
          new Rule("registry configuration contract", DeploymentRules::registryConfig),
          new Rule("autoscaler stays within the partitions", DeploymentRules::autoscaler),
          new Rule("disruption budgets set exactly one bound", DeploymentRules::disruptionBudgets),
          new Rule("images are pinned", DeploymentRules::pinnedImages),
          new Rule("no literal secrets", DeploymentRules::noLiteralSecrets),
          new Rule("Kafka is durable", DeploymentRules::kafkaDurability),
          new Rule("Kafka's clients reach its bootstrap port", KafkaRules::clientPortOpen),
          new Rule("references resolve", DeploymentRules::references));

  /** Every violation of every rule, each prefixed with its rule's name. */
  public static List<String> check(Manifests m) {
    List<String> out = new ArrayList<>();
    for (Rule rule : ALL) {
      rule.check().apply(m).forEach(v -> out.add(rule.name() + ": " + v));
    }
    return out;
  }

  /**
   * Every container of a long-running workload has readiness and liveness probes; every container
   * (init and Job containers too) has CPU and memory requests, a memory limit, and runs as non-root
   * without privilege escalation and with all capabilities dropped. Containers of the statusreg
   * image also have a read-only root filesystem.
   */
  public static List<String> containers(Manifests m) {
    List<String> out = new ArrayList<>();
    m.podTemplates()
        .forEach(
            t -> {
              V1PodSpec pod = podSpec(t.value());
              if (pod == null) {
                out.add(t.name() + " has no pod spec");
                return;
              }
              boolean job = t.owner() instanceof V1Job;
              Stream.concat(
                      list(pod.getInitContainers()).stream().map(c -> Map.entry(c, true)),
                      list(pod.getContainers()).stream().map(c -> Map.entry(c, job)))
                  .forEach(
                      e -> {
                        V1Container c = e.getKey();
                        String where = t.name() + " container " + c.getName();
                        if (!e.getValue()) {
                          if (c.getReadinessProbe() == null) {
                            out.add(where + " has no readinessProbe");
                          }
                          if (c.getLivenessProbe() == null) {
                            out.add(where + " has no livenessProbe");
                          }
                        }
                        resources(where, c.getResources(), out);
                        security(where, pod.getSecurityContext(), c, out);
                      });
            });
    return out;
  }

  private static void resources(String where, V1ResourceRequirements r, List<String> out) {
    Map<String, Quantity> requests = r == null ? null : r.getRequests();
    Map<String, Quantity> limits = r == null ? null : r.getLimits();
    if (requests == null || !requests.containsKey("cpu") || !requests.containsKey("memory")) {
      out.add(where + " lacks cpu and memory requests");
    }
    if (limits == null || !limits.containsKey("memory")) {
      out.add(where + " lacks a memory limit");
    }
    if (requests != null && limits != null) {
      for (String res : List.of("cpu", "memory")) {
        Quantity req = requests.get(res);
        Quantity lim = limits.get(res);
        if (req != null && lim != null && req.getNumber().compareTo(lim.getNumber()) > 0) {
          out.add(where + " requests more " + res + " than its limit");
        }
      }
    }
  }

  private static void security(
      String where, V1PodSecurityContext pod, V1Container c, List<String> out) {
    V1SecurityContext sc = c.getSecurityContext();
    Boolean nonRoot = sc != null && sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : null;
    if (nonRoot == null && pod != null) {
      nonRoot = pod.getRunAsNonRoot();
    }
    Long user = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser() : null;
    if (user == null && pod != null) {
      user = pod.getRunAsUser();
    }
    if (!Boolean.TRUE.equals(nonRoot)) {
      out.add(where + " does not set runAsNonRoot: true");
    }
    if (user == null || user == 0) {
      out.add(where + " does not run as an explicit non-zero runAsUser");
    }
    if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
      out.add(where + " does not set allowPrivilegeEscalation: false");
    }
    if (sc == null
        || sc.getCapabilities() == null
        || !list(sc.getCapabilities().getDrop()).contains("ALL")) {
      out.add(where + " does not drop ALL capabilities");
    }
    if (c.getImage() != null
        && ImageRef.parse(c.getImage()).name().endsWith(APP_IMAGE_SUFFIX)
        && (sc == null || !Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem()))) {
      out.add(where + " runs the statusreg image without readOnlyRootFilesystem: true");
    }
  }

  /**
   * Bounds of the registry's session timeout while planned stops leave the group: the broker's
   * {@code group.min.session.timeout.ms}, and the longest that keeps a lost pod's hand-over within
   * 30 s (chaos node-loss: the hand-over completes a few seconds after the expiry).
   */
  static final long MIN_SESSION_TIMEOUT_MS = 6_000;

  /** The assignor's hand-back delay (10 s, streams' StickyHandOverAssignor) plus a margin. */
  static final int MIN_READY_SECONDS = 20;

  static final long MAX_SESSION_TIMEOUT_MS = 20_000;

  /**
   * The registry StatefulSet wires Kafka static membership: STATUSREG_INSTANCE_ID from the pod's
   * {@code metadata.name}, an application server on its stable headless-Service name, a session
   * timeout within {@link #MAX_SESSION_TIMEOUT_MS} (planned stops leave the group, so only a lost
   * pod waits for it; with {@code STATUSREG_LEAVE_GROUP_ON_STOP=false}, longer than the termination
   * grace period instead), state on a volumeClaimTemplate, and no replica count of its own when an
   * HPA scales it.
   */
  public static List<String> staticMembership(Manifests m) {
    List<String> out = new ArrayList<>();
    Optional<V1StatefulSet> found = m.statefulSet(REGISTRY);
    if (found.isEmpty()) {
      return List.of("no StatefulSet " + REGISTRY);
    }
    V1StatefulSet sts = found.get();
    if (!REGISTRY_HEADLESS.equals(sts.getSpec().getServiceName())) {
      out.add("serviceName is " + sts.getSpec().getServiceName() + ", not " + REGISTRY_HEADLESS);
    }
    V1Container c = registryContainer(sts);
    if (c == null) {
      return List.of("StatefulSet " + REGISTRY + " has no container " + REGISTRY);
    }
    List<V1EnvVar> env = list(c.getEnv());
    Optional<V1EnvVar> instance = env(env, "STATUSREG_INSTANCE_ID");
    if (instance.isEmpty()
        || instance.get().getValueFrom() == null
        || instance.get().getValueFrom().getFieldRef() == null
        || !"metadata.name".equals(instance.get().getValueFrom().getFieldRef().getFieldPath())) {
      out.add("STATUSREG_INSTANCE_ID must come from fieldRef metadata.name");
    }
    Optional<String> server = value(env, "STATUSREG_APPLICATION_SERVER");
    if (server.isEmpty()
        || !server.get().startsWith("$(POD_NAME)." + REGISTRY_HEADLESS + ".")
        || !server.get().endsWith(":8079")) {
      out.add(
          "STATUSREG_APPLICATION_SERVER must be $(POD_NAME)."
              + REGISTRY_HEADLESS
              + ".<namespace>.svc:8079 (the membership beacon's port), was "
              + server.orElse("unset"));
    }
    for (String ref : List.of("POD_NAME", "NAMESPACE")) {
      if (server.isPresent() && server.get().contains("$(" + ref + ")")) {
        int defined = indexOf(env, ref);
        if (defined < 0 || defined > indexOf(env, "STATUSREG_APPLICATION_SERVER")) {
          out.add(ref + " must be defined before STATUSREG_APPLICATION_SERVER, which uses it");
        }
      }
    }
    long grace =
        Objects.requireNonNullElse(
            sts.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds(), 30L);
    long session = number(value(env, "STATUSREG_SESSION_TIMEOUT_MS").orElse("0"));
    boolean leavesOnStop =
        !"false".equals(value(env, "STATUSREG_LEAVE_GROUP_ON_STOP").orElse("true"));
    if (leavesOnStop) {
      // A planned stop hands its tasks over at once; the session timeout only bounds how long a
      // lost pod (node failure, kill -9) strands its lists, which must stay within 30 s.
      if (session < MIN_SESSION_TIMEOUT_MS || session > MAX_SESSION_TIMEOUT_MS) {
        out.add(
            "STATUSREG_SESSION_TIMEOUT_MS ("
                + session
                + ") must be in ["
                + MIN_SESSION_TIMEOUT_MS
                + ", "
                + MAX_SESSION_TIMEOUT_MS
                + "]: a lost pod's lists wait that long for the hand-over");
      }
    } else if (session <= grace * 1000) {
      out.add(
          "STATUSREG_SESSION_TIMEOUT_MS ("
              + session
              + ") must be longer than terminationGracePeriodSeconds ("
              + grace
              + " s) when STATUSREG_LEAVE_GROUP_ON_STOP is false");
    }
    Optional<String> stateDir = value(env, "STATUSREG_STATE_DIR");
    boolean onClaim =
        stateDir.isPresent()
            && list(c.getVolumeMounts()).stream()
                .anyMatch(
                    vm ->
                        vm.getMountPath().equals(stateDir.get())
                            && list(sts.getSpec().getVolumeClaimTemplates()).stream()
                                .anyMatch(v -> v.getMetadata().getName().equals(vm.getName())));
    if (!onClaim) {
      out.add("STATUSREG_STATE_DIR must be the mount path of a volumeClaimTemplate");
    }
    if (number(value(env, "STATUSREG_NUM_STANDBY_REPLICAS").orElse("0")) < 1) {
      out.add("STATUSREG_NUM_STANDBY_REPLICAS must be at least 1");
    }
    int minReady = Objects.requireNonNullElse(sts.getSpec().getMinReadySeconds(), 0);
    if (minReady < MIN_READY_SECONDS) {
      out.add(
          "minReadySeconds ("
              + minReady
              + ") must be at least "
              + MIN_READY_SECONDS
              + ": a rolled pod gets its tasks back once its process is 10 s old, and the"
              + " next pod's stop must not land on that hand-back");
    }
    boolean scaled =
        m.all(V2HorizontalPodAutoscaler.class)
            .anyMatch(h -> REGISTRY.equals(h.getSpec().getScaleTargetRef().getName()));
    if (scaled && sts.getSpec().getReplicas() != null) {
      out.add("replicas is set although an HPA scales the StatefulSet (apply would reset it)");
    }
    return out;
  }

  /**
   * The registry reads its shared configuration from the {@code statusreg-config} ConfigMap
   * (envFrom), which defines every contract key, with analytics off for the registry pods and the
   * HTTP port matching the container's {@code http} port.
   */
  public static List<String> registryConfig(Manifests m) {
    List<String> out = new ArrayList<>();
    Map<String, String> data = m.configMap(REGISTRY_CONFIG).map(V1ConfigMap::getData).orElse(null);
    if (data == null) {
      return List.of("no ConfigMap " + REGISTRY_CONFIG);
    }
    REGISTRY_CONFIG_KEYS.stream()
        .filter(k -> !data.containsKey(k))
        .forEach(k -> out.add(REGISTRY_CONFIG + " lacks " + k));
    V1Container c = m.statefulSet(REGISTRY).map(DeploymentRules::registryContainer).orElse(null);
    if (c == null) {
      return out;
    }
    if (list(c.getEnvFrom()).stream()
        .noneMatch(
            e ->
                e.getConfigMapRef() != null
                    && REGISTRY_CONFIG.equals(e.getConfigMapRef().getName()))) {
      out.add("the registry container does not take envFrom " + REGISTRY_CONFIG);
    }
    String analytics =
        value(list(c.getEnv()), "STATUSREG_ANALYTICS_ENABLED")
            .orElse(data.get("STATUSREG_ANALYTICS_ENABLED"));
    if (!"false".equals(analytics)) {
      out.add("STATUSREG_ANALYTICS_ENABLED must be false for the registry pods");
    }
    boolean portMatches =
        list(c.getPorts()).stream()
            .anyMatch(
                p ->
                    "http".equals(p.getName())
                        && String.valueOf(p.getContainerPort())
                            .equals(data.get("STATUSREG_HTTP_PORT")));
    if (!portMatches) {
      out.add("STATUSREG_HTTP_PORT does not match the container port named http");
    }
    if (!List.of("serve").equals(c.getArgs())) {
      out.add("the registry container's args must be [serve], were " + c.getArgs());
    }
    return out;
  }

  /**
   * Every HPA's maxReplicas is at most the partition count of statusreg.events
   * (STATUSREG_EVENTS_PARTITIONS in the registry ConfigMap), minReplicas at least 2, and scale-down
   * waits at least five minutes.
   */
  public static List<String> autoscaler(Manifests m) {
    List<String> out = new ArrayList<>();
    String partitions =
        m.configMap(REGISTRY_CONFIG)
            .map(V1ConfigMap::getData)
            .map(d -> d.get("STATUSREG_EVENTS_PARTITIONS"))
            .orElse(null);
    long ceiling = partitions == null ? -1 : number(partitions);
    if (ceiling <= 0) {
      out.add("STATUSREG_EVENTS_PARTITIONS is not a positive number: " + partitions);
    }
    m.all(V2HorizontalPodAutoscaler.class)
        .forEach(
            h -> {
              String where = "HPA " + h.getMetadata().getName();
              int max = h.getSpec().getMaxReplicas();
              if (ceiling > 0 && max > ceiling) {
                out.add(where + " maxReplicas " + max + " exceeds " + ceiling + " partitions");
              }
              Integer min = h.getSpec().getMinReplicas();
              if (min == null || min < 2 || min > max) {
                out.add(where + " minReplicas must be between 2 and maxReplicas, was " + min);
              }
              Integer window =
                  h.getSpec().getBehavior() == null
                          || h.getSpec().getBehavior().getScaleDown() == null
                      ? null
                      : h.getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds();
              if (window == null || window < 300) {
                out.add(where + " needs a scale-down stabilizationWindowSeconds of at least 300");
              }
            });
    if (m.statefulSet(REGISTRY).isPresent()
        && m.all(V2HorizontalPodAutoscaler.class)
            .noneMatch(h -> REGISTRY.equals(h.getSpec().getScaleTargetRef().getName()))) {
      out.add("no HPA scales the StatefulSet " + REGISTRY);
    }
    return out;
  }

  /** Every PodDisruptionBudget sets exactly one of minAvailable and maxUnavailable. */
  public static List<String> disruptionBudgets(Manifests m) {
    List<String> out = new ArrayList<>();
    m.all(V1PodDisruptionBudget.class)
        .forEach(
            p -> {
              boolean min = p.getSpec().getMinAvailable() != null;
              boolean max = p.getSpec().getMaxUnavailable() != null;
              if (min == max) {
                out.add(
                    "PDB "
                        + p.getMetadata().getName()
                        + (min ? " sets both" : " sets neither")
                        + " of minAvailable and maxUnavailable");
              }
            });
    for (String workload : List.of(REGISTRY, KAFKA)) {
      if (m.all(V1PodDisruptionBudget.class)
          .noneMatch(p -> workload.equals(p.getMetadata().getName()))) {
        out.add("no PDB for " + workload);
      }
    }
    return out;
  }

  /** Every container image names a tag other than {@code latest}, or a digest. */
  public static List<String> pinnedImages(Manifests m) {
    List<String> out = new ArrayList<>();
    m.podTemplates()
        .forEach(
            t -> {
              V1PodSpec pod = podSpec(t.value());
              if (pod == null) {
                return;
              }
              Stream.concat(
                      list(pod.getInitContainers()).stream(), list(pod.getContainers()).stream())
                  .filter(c -> c.getImage() == null || !ImageRef.parse(c.getImage()).pinned())
                  .forEach(
                      c ->
                          out.add(
                              t.name()
                                  + " container "
                                  + c.getName()
                                  + " image is not pinned: "
                                  + c.getImage()));
            });
    return out;
  }

  /** No Secret in the manifests carries data: Secrets are created out of band. */
  public static List<String> noLiteralSecrets(Manifests m) {
    List<String> out = new ArrayList<>();
    m.all(V1Secret.class)
        .forEach(
            s -> {
              if (!(s.getData() == null || s.getData().isEmpty())
                  || !(s.getStringData() == null || s.getStringData().isEmpty())) {
                out.add("Secret " + s.getMetadata().getName() + " has literal data or stringData");
              }
            });
    return out;
  }

  /**
   * The Kafka StatefulSet runs three KRaft nodes with replication factor 3 (default and internal
   * topics), min.insync.replicas 2, no topic auto-creation and no unclean leader election.
   */
  public static List<String> kafkaDurability(Manifests m) {
    List<String> out = new ArrayList<>();
    Optional<V1StatefulSet> found = m.statefulSet(KAFKA);
    if (found.isEmpty()) {
      return List.of("no StatefulSet " + KAFKA);
    }
    V1StatefulSet sts = found.get();
    if (!Objects.equals(sts.getSpec().getReplicas(), 3)) {
      out.add("kafka must run 3 nodes, replicas is " + sts.getSpec().getReplicas());
    }
    V1Container c = list(podSpec(sts.getSpec().getTemplate()).getContainers()).getFirst();
    Map<String, String> settings = effectiveEnv(m, c);
    Map<String, String> expected =
        Map.of(
            "KAFKA_MIN_INSYNC_REPLICAS", "2",
            "KAFKA_DEFAULT_REPLICATION_FACTOR", "3",
            "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3",
            "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3",
            "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2",
            "KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false",
            "KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE", "false");
    expected.forEach(
        (k, v) -> {
          if (!v.equals(settings.get(k))) {
            out.add("kafka " + k + " must be " + v + ", is " + settings.get(k));
          }
        });
    String voters = settings.getOrDefault("KAFKA_CONTROLLER_QUORUM_VOTERS", "");
    if (voters.split(",").length != 3 || !voters.contains(sts.getSpec().getServiceName())) {
      out.add(
          "controller.quorum.voters must name the 3 nodes on " + sts.getSpec().getServiceName());
    }
    if (!String.valueOf(settings.get("KAFKA_PROCESS_ROLES")).contains("controller")) {
      out.add("kafka nodes must be KRaft controllers (KAFKA_PROCESS_ROLES)");
    }
    return out;
  }

  /**
   * Every referenced ConfigMap exists, every referenced Secret is one of the documented external
   * ones, every StatefulSet's serviceName is a headless Service, and every Service selects a pod
   * template.
   */
  public static List<String> references(Manifests m) {
    List<String> out = new ArrayList<>();
    m.podTemplates()
        .forEach(
            t -> {
              V1PodSpec pod = podSpec(t.value());
              if (pod == null) {
                return;
              }
              List<String> configMaps = new ArrayList<>();
              List<String> secrets = new ArrayList<>();
              list(pod.getVolumes())
                  .forEach(
                      v -> {
                        if (v.getConfigMap() != null) {
                          configMaps.add(v.getConfigMap().getName());
                        }
                        if (v.getSecret() != null) {
                          secrets.add(v.getSecret().getSecretName());
                        }
                      });
              Stream.concat(
                      list(pod.getInitContainers()).stream(), list(pod.getContainers()).stream())
                  .forEach(
                      c -> {
                        list(c.getEnvFrom())
                            .forEach(
                                e -> {
                                  if (e.getConfigMapRef() != null) {
                                    configMaps.add(e.getConfigMapRef().getName());
                                  }
                                  if (e.getSecretRef() != null) {
                                    secrets.add(e.getSecretRef().getName());
                                  }
                                });
                        list(c.getEnv()).stream()
                            .filter(e -> e.getValueFrom() != null)
                            .forEach(
                                e -> {
                                  if (e.getValueFrom().getConfigMapKeyRef() != null) {
                                    configMaps.add(e.getValueFrom().getConfigMapKeyRef().getName());
                                  }
                                  if (e.getValueFrom().getSecretKeyRef() != null) {
                                    secrets.add(e.getValueFrom().getSecretKeyRef().getName());
                                  }
                                });
                      });
              configMaps.stream()
                  .filter(n -> m.configMap(n).isEmpty())
                  .forEach(n -> out.add(t.name() + " references a missing ConfigMap " + n));
              secrets.stream()
                  .filter(n -> !EXTERNAL_SECRETS.contains(n))
                  .forEach(n -> out.add(t.name() + " references an undocumented Secret " + n));
            });
    m.all(V1StatefulSet.class)
        .forEach(
            s -> {
              String svc = s.getSpec().getServiceName();
              boolean headless =
                  m.find(V1Service.class, svc)
                      .map(x -> "None".equals(x.getSpec().getClusterIP()))
                      .orElse(false);
              if (!headless) {
                out.add(
                    "StatefulSet "
                        + s.getMetadata().getName()
                        + " serviceName "
                        + svc
                        + " is not a headless Service");
              }
            });
    m.all(V1Service.class)
        .forEach(
            svc -> {
              Map<String, String> selector = svc.getSpec().getSelector();
              boolean selects =
                  selector != null
                      && m.podTemplates()
                          .anyMatch(
                              t ->
                                  t.value().getMetadata() != null
                                      && t.value().getMetadata().getLabels() != null
                                      && t.value()
                                          .getMetadata()
                                          .getLabels()
                                          .entrySet()
                                          .containsAll(selector.entrySet()));
              if (!selects) {
                out.add("Service " + svc.getMetadata().getName() + " selects no pod template");
              }
            });
    return out;
  }

  /** A container's environment from its ConfigMaps (envFrom) and its literal env values. */
  static Map<String, String> effectiveEnv(Manifests m, V1Container c) {
    Map<String, String> env = new java.util.HashMap<>();
    list(c.getEnvFrom()).stream()
        .filter(e -> e.getConfigMapRef() != null)
        .forEach(
            e ->
                m.configMap(e.getConfigMapRef().getName())
                    .map(V1ConfigMap::getData)
                    .ifPresent(env::putAll));
    list(c.getEnv()).stream()
        .filter(e -> e.getValue() != null)
        .forEach(e -> env.put(e.getName(), e.getValue()));
    return env;
  }

  static V1Container registryContainer(V1StatefulSet sts) {
    V1PodSpec pod = podSpec(sts.getSpec().getTemplate());
    return pod == null
        ? null
        : list(pod.getContainers()).stream()
            .filter(c -> REGISTRY.equals(c.getName()))
            .findFirst()
            .orElse(null);
  }

  private static V1PodSpec podSpec(V1PodTemplateSpec template) {
    return template == null ? null : template.getSpec();
  }

  private static Optional<V1EnvVar> env(List<V1EnvVar> env, String name) {
    return env.stream().filter(e -> name.equals(e.getName())).findFirst();
  }

  private static Optional<String> value(List<V1EnvVar> env, String name) {
    return env(env, name).map(V1EnvVar::getValue);
  }

  private static int indexOf(List<V1EnvVar> env, String name) {
    for (int i = 0; i < env.size(); i++) {
      if (name.equals(env.get(i).getName())) {
        return i;
      }
    }
    return -1;
  }

  /** {@code text} as a number, or -1 when it is none. */
  static long number(String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static <T> List<T> list(List<T> list) {
    return list == null ? List.of() : list;
  }
}
