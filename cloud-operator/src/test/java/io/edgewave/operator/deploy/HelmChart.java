package io.edgewave.operator.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * deploy/helm/edgewave through Helm's own library (helm-java: Helm's Go code as a native library inside the jar,
 * so nothing is downloaded at run time): lint and template with values files, the output parsed with fabric8.
 */
final class HelmChart {
  static final Path CHART = Tools.ROOT.resolve("deploy/helm/edgewave");
  static final String NAMESPACE = "edgewave-system";
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private HelmChart() {}

  /** helm template edgewave deploy/helm/edgewave -n edgewave-system -f each values file, as parsed objects. */
  static List<HasMetadata> template(Path... valuesFiles) {
    return parse(templateText(valuesFiles));
  }

  static String templateText(Path... valuesFiles) {
    TemplateCommand t = new Helm(CHART).template().withName("edgewave").withNamespace(NAMESPACE);
    for (Path f : valuesFiles) t = t.withValuesFile(f);
    return t.call();
  }

  /** The same, with values given as a tree (written to a temporary values file: --set cannot say lists or null). */
  static List<HasMetadata> template(Path valuesFile, JsonNode values) throws IOException {
    Path f = Files.createTempFile("edgewave-values", ".yaml");
    try {
      YAML.writeValue(f.toFile(), values);
      return valuesFile == null ? template(f) : template(valuesFile, f);
    } finally {
      Files.deleteIfExists(f);
    }
  }

  static List<HasMetadata> parse(String rendered) {
    List<HasMetadata> out = new ArrayList<>();
    for (String doc : rendered.split("(?m)^---\\s*$")) {
      if (doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) continue;
      Object o = Serialization.unmarshal(doc);
      if (!(o instanceof HasMetadata h)) throw new AssertionError("not a Kubernetes object: " + doc);
      out.add(h);
    }
    return out;
  }

  /**
   * helm lint of the chart with these values merged over its values.yaml. Helm's lint reads only the chart's own
   * values.yaml, so the chart is copied and that file replaced by the merged values.
   */
  static LintResult lint(JsonNode values) throws IOException {
    Path copy = Files.createTempDirectory("edgewave-chart").resolve("edgewave");
    try {
      copyTree(CHART, copy);
      JsonNode merged = merge(defaults(), values);
      YAML.writeValue(copy.resolve("values.yaml").toFile(), merged);
      return new Helm(copy).lint().strict().call();
    } finally {
      deleteTree(copy.getParent());
    }
  }

  static LintResult lint() {
    return new Helm(CHART).lint().strict().call();
  }

  static JsonNode defaults() throws IOException {
    return YAML.readTree(CHART.resolve("values.yaml").toFile());
  }

  static JsonNode read(Path yaml) throws IOException {
    return YAML.readTree(yaml.toFile());
  }

  /** Helm's coalescing of values: maps merge key by key, everything else is replaced. */
  static JsonNode merge(JsonNode base, JsonNode over) {
    if (!(base instanceof ObjectNode b) || !over.isObject()) return over.deepCopy();
    ObjectNode out = b.deepCopy();
    for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
      var e = it.next();
      out.set(e.getKey(), out.has(e.getKey()) ? merge(out.get(e.getKey()), e.getValue()) : e.getValue().deepCopy());
    }
    return out;
  }

  /** A values tree that sets only the dotted path to the value. */
  static ObjectNode at(String path, JsonNode value) {
    ObjectNode root = YAML.createObjectNode();
    ObjectNode n = root;
    String[] parts = path.split("\\.");
    for (int i = 0; i < parts.length - 1; i++) n = n.putObject(parts[i]);
    n.set(parts[parts.length - 1], value);
    return root;
  }

  /** The objects by "Kind/name" (names are unique per kind in this chart, whatever the namespace). */
  static Map<String, JsonNode> byKindAndName(List<HasMetadata> objects) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (HasMetadata o : objects) {
      String key = o.getKind() + "/" + o.getMetadata().getName();
      JsonNode json = Serialization.jsonMapper().valueToTree(o);
      if (out.containsKey(key)) key = key + "@" + o.getMetadata().getNamespace();
      out.put(key, json);
    }
    return out;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(t);
        else Files.copy(p, t);
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
