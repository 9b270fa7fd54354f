package io.statusreg.statefulsets;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small kustomize: renders a kustomization directory into its documents, supporting exactly what
 * statusreg's layout uses, and failing on anything else.
 *
 * <p>Supported: {@code resources} (files and directories with their own kustomization), {@code
 * patches} (strategic-merge patches from {@code path} or inline {@code patch}, matched by kind and
 * name), {@code images} ({@code newName}, {@code newTag}, {@code digest}), {@code namespace},
 * {@code commonLabels} and {@code labels} (with {@code includeSelectors} and {@code
 * includeTemplates}). An unknown field in a kustomization, a patch that matches no resource and two
 * resources with the same kind and name are errors. Where {@code kubectl} is installed, a test
 * compares this output with {@code kubectl kustomize}.
 */
public final class Kustomize {

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private static final List<String> KUSTOMIZATION_FILES =
      List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

  /** Kinds that live outside namespaces; everything else gets the kustomization's namespace. */
  private static final Set<String> CLUSTER_SCOPED =
      Set.of(
          "Namespace",
          "ClusterRole",
          "ClusterRoleBinding",
          "CustomResourceDefinition",
          "PersistentVolume",
          "StorageClass",
          "PriorityClass");

  /** Workload kinds whose {@code spec.selector.matchLabels} commonLabels extends. */
  private static final Set<String> SELECTING_WORKLOADS =
      Set.of("Deployment", "StatefulSet", "ReplicaSet", "DaemonSet", "PodDisruptionBudget");

  /** The strategic-merge key of the lists we patch (from the Kubernetes API's patchMergeKey). */
  private static final Map<String, String> MERGE_KEYS =
      Map.of(
          "containers", "name",
          "initContainers", "name",
          "volumes", "name",
          "env", "name",
          "imagePullSecrets", "name",
          "volumeMounts", "mountPath",
          "topologySpreadConstraints", "topologyKey");

  private Kustomize() {}

  /** The {@code kustomization.yaml} schema we accept. */
  record Kustomization(
      String apiVersion,
      String kind,
      String namespace,
      List<String> resources,
      List<PatchRef> patches,
      List<ImageRule> images,
      Map<String, String> commonLabels,
      List<LabelRule> labels) {
    Kustomization {
      resources = resources == null ? List.of() : resources;
      patches = patches == null ? List.of() : patches;
      images = images == null ? List.of() : images;
      commonLabels = commonLabels == null ? Map.of() : commonLabels;
      labels = labels == null ? List.of() : labels;
    }
  }

  record PatchRef(String path, String patch) {}

  record ImageRule(String name, String newName, String newTag, String digest) {}

  record LabelRule(Map<String, String> pairs, Boolean includeSelectors, Boolean includeTemplates) {}

  /** Renders the kustomization in {@code dir} into its documents, in resource order. */
  public static List<ObjectNode> render(Path dir) {
    Path file =
        KUSTOMIZATION_FILES.stream()
            .map(dir::resolve)
            .filter(Files::isRegularFile)
            .findFirst()
            .orElseThrow(() -> new ManifestException("no kustomization.yaml in " + dir));
    Kustomization k;
    try {
      k = YAML.readValue(file.toFile(), Kustomization.class);
    } catch (IOException e) {
      throw new ManifestException("reading " + file + ": " + e.getMessage(), e);
    }
    if (k.kind() != null && !k.kind().equals("Kustomization")) {
      throw new ManifestException(file + ": kind must be Kustomization, was " + k.kind());
    }

    Map<String, ObjectNode> byId = new LinkedHashMap<>();
    for (String resource : k.resources()) {
      Path path = dir.resolve(resource).normalize();
      List<ObjectNode> docs = Files.isDirectory(path) ? render(path) : readDocuments(path);
      for (ObjectNode doc : docs) {
        String id = id(doc);
        if (byId.putIfAbsent(id, doc) != null) {
          throw new ManifestException(path + ": " + id + " is defined twice");
        }
      }
    }

    for (PatchRef ref : k.patches()) {
      List<ObjectNode> patchDocs;
      String origin;
      if (ref.path() != null && ref.patch() == null) {
        origin = dir.resolve(ref.path()).toString();
        patchDocs = readDocuments(dir.resolve(ref.path()));
      } else if (ref.patch() != null && ref.path() == null) {
        origin = file + " (inline patch)";
        patchDocs = parseDocuments(ref.patch(), origin);
      } else {
        throw new ManifestException(file + ": a patch needs exactly one of path and patch");
      }
      for (ObjectNode patch : patchDocs) {
        ObjectNode target = byId.get(id(patch));
        if (target == null) {
          throw new ManifestException(origin + ": patch matches no resource: " + id(patch));
        }
        merge(target, patch);
      }
    }

    List<ObjectNode> out = new ArrayList<>(byId.values());
    for (ObjectNode doc : out) {
      if (k.namespace() != null && !CLUSTER_SCOPED.contains(doc.path("kind").asText())) {
        metadata(doc).put("namespace", k.namespace());
      }
      if (!k.commonLabels().isEmpty()) {
        addLabels(doc, k.commonLabels(), true, true);
      }
      for (LabelRule rule : k.labels()) {
        addLabels(
            doc,
            rule.pairs() == null ? Map.of() : rule.pairs(),
            Boolean.TRUE.equals(rule.includeSelectors()),
            Boolean.TRUE.equals(rule.includeSelectors())
                || Boolean.TRUE.equals(rule.includeTemplates()));
      }
      for (ImageRule image : k.images()) {
        retag(doc, image);
      }
    }
    return out;
  }

  /** Reads every non-empty YAML document of a file. */
  public static List<ObjectNode> readDocuments(Path file) {
    try {
      return parseDocuments(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new ManifestException("reading " + file, e);
    }
  }

  /** Parses every non-empty YAML document of a string; each must be a mapping. */
  public static List<ObjectNode> parseDocuments(String yaml, String origin) {
    List<ObjectNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode node = it.next();
        if (node == null || node.isNull() || node.isMissingNode()) {
          continue;
        }
        if (!(node instanceof ObjectNode object)) {
          throw new ManifestException(origin + ": a document must be a mapping, was " + node);
        }
        docs.add(object);
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ManifestException m) {
        throw m;
      }
      throw new ManifestException("parsing " + origin + ": " + e.getMessage(), e);
    }
    return docs;
  }

  /** {@code kind/name}: how resources and patches find each other. */
  public static String id(JsonNode doc) {
    return doc.path("kind").asText("?") + "/" + doc.path("metadata").path("name").asText("?");
  }

  private static ObjectNode metadata(ObjectNode doc) {
    return doc.has("metadata") ? (ObjectNode) doc.get("metadata") : doc.putObject("metadata");
  }

  private static ObjectNode child(ObjectNode parent, String... path) {
    ObjectNode node = parent;
    for (String field : path) {
      JsonNode next = node.get(field);
      if (next == null || next.isNull()) {
        next = node.putObject(field);
      }
      node = (ObjectNode) next;
    }
    return node;
  }

  private static void addLabels(
      ObjectNode doc, Map<String, String> pairs, boolean selectors, boolean templates) {
    if (pairs.isEmpty()) {
      return;
    }
    String kind = doc.path("kind").asText();
    pairs.forEach(child(metadata(doc), "labels")::put);
    JsonNode spec = doc.get("spec");
    if (!(spec instanceof ObjectNode s)) {
      return;
    }
    if (templates && s.get("template") instanceof ObjectNode template) {
      pairs.forEach(child(template, "metadata", "labels")::put);
    }
    if (templates && s.get("volumeClaimTemplates") instanceof ArrayNode claims) {
      for (JsonNode claim : claims) {
        pairs.forEach(child((ObjectNode) claim, "metadata", "labels")::put);
      }
    }
    if (!selectors) {
      return;
    }
    switch (kind) {
      case "Service" -> pairs.forEach(child(s, "selector")::put);
      case "NetworkPolicy" -> pairs.forEach(child(s, "podSelector", "matchLabels")::put);
      default -> {
        if (SELECTING_WORKLOADS.contains(kind)) {
          pairs.forEach(child(s, "selector", "matchLabels")::put);
        }
      }
    }
  }

  private static void retag(JsonNode node, ImageRule rule) {
    if (node instanceof ObjectNode object) {
      object
          .properties()
          .forEach(
              e -> {
                if ((e.getKey().equals("containers") || e.getKey().equals("initContainers"))
                    && e.getValue() instanceof ArrayNode containers) {
                  for (JsonNode c : containers) {
                    if (c instanceof ObjectNode container && container.get("image") != null) {
                      container.put("image", retag(container.get("image").asText(), rule));
                    }
                  }
                } else {
                  retag(e.getValue(), rule);
                }
              });
    } else if (node instanceof ArrayNode array) {
      array.forEach(n -> retag(n, rule));
    }
  }

  static String retag(String image, ImageRule rule) {
    ImageRef ref = ImageRef.parse(image);
    if (!ref.name().equals(rule.name())) {
      return image;
    }
    String name = rule.newName() != null ? rule.newName() : ref.name();
    if (rule.digest() != null) {
      return name + "@" + rule.digest();
    }
    if (rule.newTag() != null) {
      return name + ":" + rule.newTag();
    }
    return name
        + (ref.tag() != null ? ":" + ref.tag() : "")
        + (ref.digest() != null ? "@" + ref.digest() : "");
  }

  /** Strategic merge of {@code patch} into {@code target}, in place. */
  static void merge(ObjectNode target, ObjectNode patch) {
    patch
        .properties()
        .forEach(
            e -> {
              String field = e.getKey();
              JsonNode value = e.getValue();
              JsonNode existing = target.get(field);
              if (value.isNull()) {
                target.remove(field);
              } else if (existing instanceof ObjectNode o && value instanceof ObjectNode p) {
                merge(o, p);
              } else if (existing instanceof ArrayNode a
                  && value instanceof ArrayNode p
                  && mergeKey(field, p) != null) {
                mergeList(a, p, mergeKey(field, p));
              } else {
                target.set(field, value.deepCopy());
              }
            });
  }

  private static String mergeKey(String field, ArrayNode items) {
    if (field.equals("ports")) {
      // Container ports merge on containerPort, Service ports on port.
      return items.size() > 0 && items.get(0).has("containerPort") ? "containerPort" : "port";
    }
    return MERGE_KEYS.get(field);
  }

  /**
   * Merges {@code patch} into {@code target} by {@code key} as {@code kubectl kustomize} does: the
   * patch's items first, in the patch's order (each merged into the item it matches), then the
   * target's items the patch does not name.
   */
  private static void mergeList(ArrayNode target, ArrayNode patch, String key) {
    java.util.List<JsonNode> merged = new java.util.ArrayList<>();
    java.util.Set<JsonNode> used = new java.util.HashSet<>();
    for (JsonNode item : patch) {
      JsonNode keyValue = item.get(key);
      if (keyValue == null) {
        throw new ManifestException("patch list item without its merge key " + key + ": " + item);
      }
      ObjectNode match = null;
      for (JsonNode candidate : target) {
        if (keyValue.equals(candidate.get(key))) {
          match = (ObjectNode) candidate;
        }
      }
      if (match != null) {
        merge(match, (ObjectNode) item);
        merged.add(match);
        used.add(keyValue);
      } else {
        merged.add(item.deepCopy());
      }
    }
    for (JsonNode candidate : target) {
      if (!used.contains(candidate.get(key))) {
        merged.add(candidate);
      }
    }
    target.removeAll();
    merged.forEach(target::add);
  }
}
