package org.bftlab.node.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The subset of kustomize that the bftlab manifests use ({@code resources}, {@code replicas},
 * JSON 6902 {@code patches}), over the fabric8 Kubernetes model: every object is loaded into its
 * typed class and any key the model does not know (a typo such as {@code livenesProbe}) fails
 * the load, found by walking {@code getAdditionalProperties()} through the whole object.
 */
final class Kustomized {
  static final KubernetesSerialization K8S = new KubernetesSerialization();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> KUSTOMIZATION_KEYS =
      Set.of("apiVersion", "kind", "resources", "replicas", "patches");

  private Kustomized() {}

  /** Every object of the kustomization in {@code dir}, with replicas and patches applied. */
  static List<HasMetadata> render(Path dir) throws IOException {
    Path file = dir.resolve("kustomization.yaml");
    if (!Files.isRegularFile(file)) {
      throw new AssertionError("no kustomization.yaml in " + dir);
    }
    JsonNode k = YAML.readTree(file.toFile());
    k.fieldNames().forEachRemaining(name -> {
      if (!KUSTOMIZATION_KEYS.contains(name)) {
        throw new AssertionError(file + ": unsupported kustomization key '" + name + "'");
      }
    });
    if (!"kustomize.config.k8s.io/v1beta1".equals(k.path("apiVersion").asText())
        || !"Kustomization".equals(k.path("kind").asText())) {
      throw new AssertionError(file + ": not a kustomize.config.k8s.io/v1beta1 Kustomization");
    }
    List<HasMetadata> out = new ArrayList<>();
    for (JsonNode r : k.path("resources")) {
      Path p = dir.resolve(r.asText()).normalize();
      if (Files.isDirectory(p)) {
        out.addAll(render(p));
      } else {
        out.addAll(load(p));
      }
    }
    for (JsonNode r : k.path("replicas")) {
      String name = r.path("name").asText();
      List<HasMetadata> hits = out.stream().filter(o -> o.getMetadata().getName().equals(name)
          && (o.getKind().equals("StatefulSet") || o.getKind().equals("Deployment"))).toList();
      if (hits.size() != 1) {
        throw new AssertionError(file + ": replicas for " + name + " matches " + hits.size());
      }
      out = replace(out, hits.get(0), patch(hits.get(0), "[{\"op\":\"replace\","
          + "\"path\":\"/spec/replicas\",\"value\":" + r.path("count").asInt() + "}]"));
    }
    for (JsonNode p : k.path("patches")) {
      JsonNode t = p.path("target");
      List<HasMetadata> hits = out.stream().filter(o -> o.getKind().equals(t.path("kind").asText())
          && o.getMetadata().getName().equals(t.path("name").asText())).toList();
      if (hits.size() != 1) {
        throw new AssertionError(file + ": patch target " + t + " matches " + hits.size());
      }
      JsonNode ops = YAML.readTree(p.path("patch").asText());
      out = replace(out, hits.get(0), patch(hits.get(0), ops.toString()));
    }
    return out;
  }

  private static List<HasMetadata> replace(List<HasMetadata> all, HasMetadata old,
      HasMetadata now) {
    List<HasMetadata> out = new ArrayList<>(all);
    out.set(out.indexOf(old), now);
    return out;
  }

  private static HasMetadata patch(HasMetadata o, String jsonPatch) throws IOException {
    JsonNode tree = YAML.readTree(K8S.asJson(o));
    JsonNode patched = JsonPatch.apply(new ObjectMapper().readTree(jsonPatch), tree);
    return typed(patched.toString(), "patched " + o.getKind() + "/" + o.getMetadata().getName());
  }

  /** Every document of a (multi-document) YAML file as a typed, fully known object. */
  static List<HasMetadata> load(Path file) throws IOException {
    List<HasMetadata> out = new ArrayList<>();
    String text = Files.readString(file);
    int i = 0;
    for (String doc : text.split("(?m)^---\\s*$")) {
      i++;
      boolean empty = doc.lines().allMatch(l -> l.isBlank() || l.trim().startsWith("#"));
      if (!empty) {
        out.add(typed(doc, file + " document " + i));
      }
    }
    return out;
  }

  static HasMetadata typed(String doc, String where) {
    Object o = K8S.unmarshal(doc);
    if (!(o instanceof HasMetadata h) || o instanceof GenericKubernetesResource) {
      throw new AssertionError(where + ": not a known Kubernetes kind: "
          + (o == null ? "empty" : o.getClass().getSimpleName()));
    }
    List<String> unknown = new ArrayList<>();
    unknownKeys(o, h.getKind(), unknown, new IdentityHashMap<>());
    if (!unknown.isEmpty()) {
      throw new AssertionError(where + " (" + h.getKind() + "/" + h.getMetadata().getName()
          + "): unknown keys " + unknown);
    }
    return h;
  }

  /** Collects every additional (unknown) property below {@code o}, with its path. */
  static void unknownKeys(Object o, String path, List<String> out, Map<Object, Object> seen) {
    if (o == null || seen.containsKey(o)) {
      return;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object e : c) {
        unknownKeys(e, path + "[" + i++ + "]", out, seen);
      }
      return;
    }
    if (o instanceof Map<?, ?> m) {
      m.forEach((key, v) -> unknownKeys(v, path + "." + key, out, seen));
      return;
    }
    if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    seen.put(o, o);
    for (Method g : o.getClass().getMethods()) {
      if (g.getParameterCount() != 0 || !g.getName().startsWith("get")
          || g.getDeclaringClass() == Object.class) {
        continue;
      }
      Object v;
      try {
        v = g.invoke(o);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
      if (g.getName().equals("getAdditionalProperties")) {
        if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
          extra.keySet().forEach(key -> out.add(path + "." + key));
        }
        continue;
      }
      String field = Character.toLowerCase(g.getName().charAt(3)) + g.getName().substring(4);
      unknownKeys(v, path + "." + field, out, seen);
    }
  }
}
