package io.statusreg.statefulsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns manifest documents into client-java's typed models, strictly.
 *
 * <p>client-java's own Gson already rejects a field that its model does not define (every model's
 * {@code validateJsonElement}) and a missing required field. What it does not reject is a scalar of
 * the wrong type: Gson reads {@code replicas: "3"} as 3, {@code value: 120000} as "120000" and
 * {@code runAsNonRoot: "true"} as true. The Gson here is client-java's with strict adapters for
 * strings, integers, longs, doubles and booleans, so each of those fails, as the API server would
 * refuse it. {@code IntOrString} and {@code Quantity} keep their own adapters (a quantity must
 * still parse). Only the kinds statusreg deploys are known; any other kind fails.
 */
public final class StrictModels {

  private static final Map<String, Class<? extends KubernetesObject>> KINDS =
      Map.ofEntries(
          Map.entry("v1/ConfigMap", V1ConfigMap.class),
          Map.entry("v1/Secret", V1Secret.class),
          Map.entry("v1/Service", V1Service.class),
          Map.entry("v1/ServiceAccount", V1ServiceAccount.class),
          Map.entry("v1/Namespace", V1Namespace.class),
          Map.entry("v1/PersistentVolumeClaim", V1PersistentVolumeClaim.class),
          Map.entry("apps/v1/StatefulSet", V1StatefulSet.class),
          Map.entry("apps/v1/Deployment", V1Deployment.class),
          Map.entry("batch/v1/Job", V1Job.class),
          Map.entry("policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class),
          Map.entry("autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class),
          Map.entry("networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class));

  private static final Gson GSON =
      JSON.getGson()
          .newBuilder()
          .registerTypeAdapter(String.class, strict(JsonToken.STRING, JsonReader::nextString))
          .registerTypeAdapter(Integer.class, number(Integer::valueOf))
          .registerTypeAdapter(int.class, number(Integer::valueOf))
          .registerTypeAdapter(Long.class, number(Long::valueOf))
          .registerTypeAdapter(long.class, number(Long::valueOf))
          .registerTypeAdapter(Double.class, number(Double::valueOf))
          .registerTypeAdapter(double.class, number(Double::valueOf))
          .registerTypeAdapter(Boolean.class, strict(JsonToken.BOOLEAN, JsonReader::nextBoolean))
          .registerTypeAdapter(boolean.class, strict(JsonToken.BOOLEAN, JsonReader::nextBoolean))
          .create();

  private StrictModels() {}

  /** The typed model of one document; {@code origin} names it in errors. */
  public static KubernetesObject load(JsonNode doc, String origin) {
    String apiVersion = doc.path("apiVersion").asText("");
    String kind = doc.path("kind").asText("");
    String where = origin + " " + Kustomize.id(doc);
    Class<? extends KubernetesObject> type = KINDS.get(apiVersion + "/" + kind);
    if (type == null) {
      throw new ManifestException(
          where
              + ": unknown kind "
              + apiVersion
              + "/"
              + kind
              + " (known: "
              + KINDS.keySet()
              + (SchemaCheck.knows(doc)
                  ? "; a custom resource with a published schema loads only through a SchemaCheck"
                  : "")
              + ")");
    }
    try {
      JsonElement json = JsonParser.parseString(doc.toString());
      return GSON.fromJson(json, type);
    } catch (RuntimeException e) {
      // JsonParseException, the models' IllegalArgumentException, QuantityFormatException, ...
      throw new ManifestException(where + ": " + shorten(e.getMessage()), e);
    }
  }

  /** The metadata of any document, custom resources included, loaded strictly. */
  public static V1ObjectMeta metadata(JsonNode doc, String origin) {
    String where = origin + " " + Kustomize.id(doc);
    JsonNode metadata = doc.get("metadata");
    if (metadata == null || !metadata.isObject()) {
      throw new ManifestException(where + ": no metadata");
    }
    try {
      V1ObjectMeta meta =
          GSON.fromJson(JsonParser.parseString(metadata.toString()), V1ObjectMeta.class);
      if (meta.getName() == null || meta.getName().isEmpty()) {
        throw new ManifestException(where + ": metadata.name is missing");
      }
      return meta;
    } catch (RuntimeException e) {
      if (e instanceof ManifestException m) {
        throw m;
      }
      throw new ManifestException(where + ": metadata: " + shorten(e.getMessage()), e);
    }
  }

  private static String shorten(String message) {
    String m = String.valueOf(message);
    int json = m.indexOf(" JSON: ");
    if (json > 0) {
      m = m.substring(0, json);
    }
    return m.length() > 400 ? m.substring(0, 400) + "..." : m;
  }

  private interface Read<T> {
    T read(JsonReader in) throws IOException;
  }

  private static <T> TypeAdapter<T> strict(JsonToken expected, Read<T> read) {
    return new TypeAdapter<T>() {
      @Override
      public void write(JsonWriter out, T value) throws IOException {
        if (value == null) {
          out.nullValue();
        } else if (value instanceof Boolean b) {
          out.value(b);
        } else {
          out.value(value.toString());
        }
      }

      @Override
      public T read(JsonReader in) throws IOException {
        JsonToken token = in.peek();
        if (token == JsonToken.NULL) {
          in.nextNull();
          return null;
        }
        if (token != expected) {
          throw new JsonParseException(
              "expected "
                  + describe(expected)
                  + " at "
                  + in.getPath()
                  + " but found "
                  + describe(token));
        }
        return read.read(in);
      }
    };
  }

  private static <T extends Number> TypeAdapter<T> number(Function<String, T> parse) {
    return new TypeAdapter<T>() {
      @Override
      public void write(JsonWriter out, T value) throws IOException {
        out.value(value);
      }

      @Override
      public T read(JsonReader in) throws IOException {
        JsonToken token = in.peek();
        if (token == JsonToken.NULL) {
          in.nextNull();
          return null;
        }
        String path = in.getPath();
        if (token != JsonToken.NUMBER) {
          throw new JsonParseException(
              "expected a number at " + path + " but found " + describe(token));
        }
        String text = in.nextString();
        try {
          return parse.apply(text);
        } catch (NumberFormatException e) {
          throw new JsonParseException("not a valid number for " + path + ": " + text, e);
        }
      }
    };
  }

  private static String describe(JsonToken token) {
    return switch (token) {
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case BEGIN_OBJECT -> "an object";
      case BEGIN_ARRAY -> "a list";
      default -> token.name();
    };
  }
}
