package io.edgewave.operator.deploy;

import static io.edgewave.operator.deploy.HelmChart.YAML;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/helm/edgewave, linted and rendered by Helm's own library, is the kustomize install: with its default
 * values the objects of deploy/base (plus the broker's edge Service), with values-prod.yaml and values-dev.yaml those
 * of deploy/overlays/prod and dev, object for object; and every value in the table of docs/install.md changes the objects
 * the table says.
 */
class HelmChartIT {
  static final Path PROD = HelmChart.CHART.resolve("values-prod.yaml");
  /** Helm installs the CRD from crds/ (checked apart) and leaves the namespace to --create-namespace. */
  static final Set<String> NOT_RENDERED = Set.of("Namespace", "CustomResourceDefinition");
  /** kustomize's configMapGenerator appends a content hash; the chart rolls pods by a checksum annotation. */
  static final Pattern GENERATED = Pattern.compile("\"(mosquitto-config|edgewave-probe|edgewave-grafana-dashboard)-[a-z0-9]{10}\"");

  static List<HasMetadata> defaults;
  static List<HasMetadata> prod;

  @BeforeAll
  static void render() {
    defaults = HelmChart.template();
    prod = HelmChart.template(PROD);
  }

  @Test
  void lintsCleanWithTheDefaultProductionAndDevValues() throws Exception {
    LintResult plain = HelmChart.lint();
    assertFalse(plain.isFailed(), String.join("\n", plain.getMessages()));
    LintResult withProd = HelmChart.lint(HelmChart.read(PROD));
    assertFalse(withProd.isFailed(), String.join("\n", withProd.getMessages()));
    LintResult withDev = HelmChart.lint(HelmChart.read(HelmChart.CHART.resolve("values-dev.yaml")));
    assertFalse(withDev.isFailed(), String.join("\n", withDev.getMessages()));
  }

  @Test
  void defaultValuesRenderTheKustomizeBaseObjectForObject() throws Exception {
    assertSameObjects(kustomize("deploy/base"), defaults, Set.of("Service/mosquitto-edge"));
  }

  @Test
  void productionValuesRenderTheProdOverlayObjectForObject() throws Exception {
    assertSameObjects(kustomize("deploy/overlays/prod"), prod, Set.of());
  }

  @Test
  void devValuesRenderTheDevOverlayObjectForObject() throws Exception {
    assertSameObjects(kustomize("deploy/overlays/dev"), HelmChart.template(HelmChart.CHART.resolve("values-dev.yaml")), Set.of());
  }

  /**
   * Every kustomize object but the namespace and the CRD has its twin in the chart, with the same spec (or data, or
   * rules), the same namespace and at least the same labels; the operator's arguments are compared as the settings
   * they give (flags the chart spells out at their default count as absent). The chart has no other objects.
   */
  static void assertSameObjects(List<HasMetadata> kustomize, List<HasMetadata> chart, Set<String> chartOnly) {
    Map<String, JsonNode> want = normalized(kustomize.stream().filter(o -> !NOT_RENDERED.contains(o.getKind())).toList());
    Map<String, JsonNode> got = normalized(chart);
    Set<String> extra = new TreeSet<>(got.keySet());
    extra.removeAll(want.keySet());
    assertEquals(new TreeSet<>(chartOnly), extra, "objects the chart has and kustomize has not");
    for (var e : want.entrySet()) {
      JsonNode g = got.get(e.getKey());
      assertNotNull(g, "the chart has no " + e.getKey() + "; it has " + got.keySet());
      JsonNode wantLabels = e.getValue().path("metadata").path("labels");
      for (Iterator<String> it = wantLabels.fieldNames(); it.hasNext(); ) {
        String l = it.next();
        assertEquals(wantLabels.get(l), g.path("metadata").path("labels").get(l), e.getKey() + " label " + l);
      }
      String diff = firstDifference(withoutLabels(e.getValue()), withoutLabels(g), "");
      assertEquals(null, diff, e.getKey() + " differs from kustomize's at " + diff);
    }
  }

  static Map<String, JsonNode> normalized(List<HasMetadata> objects) {
    Map<String, JsonNode> out = new TreeMap<>();
    for (HasMetadata object : objects) {
      String json = Serialization.jsonMapper().valueToTree(object).toString();
      ObjectNode o = (ObjectNode) read(GENERATED.matcher(json).replaceAll("\"$1\""));
      ObjectNode meta = (ObjectNode) o.get("metadata");
      meta.retain("name", "namespace", "labels");
      JsonNode template = o.path("spec").path("template");
      if (template.isObject()) {
        ((ObjectNode) template.get("metadata")).remove("annotations");
        for (JsonNode c : template.path("spec").path("containers")) {
          ((ObjectNode) c).remove("imagePullPolicy");
          if (c.get("name").asText().equals("operator")) {
            List<String> args = new ArrayList<>();
            c.get("args").forEach(a -> args.add(a.asText()));
            ((ObjectNode) c).set("args", Serialization.jsonMapper().valueToTree(settings(args)));
          }
        }
      }
      String key = o.get("kind").asText() + "/" + meta.get("name").asText();
      if (out.containsKey(key)) key += "@" + meta.path("namespace").asText();
      out.put(key, o);
    }
    return out;
  }

  /** The JSON path of the first place where two trees differ, with both sides; null when equal. */
  static String firstDifference(JsonNode want, JsonNode got, String path) {
    if (want.equals(got)) return null;
    if (want.isObject() && got.isObject()) {
      Set<String> keys = new TreeSet<>();
      want.fieldNames().forEachRemaining(keys::add);
      got.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        String d = firstDifference(want.path(k), got.path(k), path + "." + k);
        if (d != null) return d;
      }
    }
    if (want.isArray() && got.isArray() && want.size() == got.size()) {
      for (int i = 0; i < want.size(); i++) {
        String d = firstDifference(want.get(i), got.get(i), path + "[" + i + "]");
        if (d != null) return d;
      }
    }
    String w = want.isMissingNode() ? "(absent)" : want.toString();
    String g = got.isMissingNode() ? "(absent)" : got.toString();
    return path + ": kustomize " + w.substring(0, Math.min(300, w.length())) + ", chart " + g.substring(0, Math.min(300, g.length()));
  }

  static JsonNode read(String json) {
    try {
      return Serialization.jsonMapper().readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static JsonNode withoutLabels(JsonNode o) {
    ObjectNode c = o.deepCopy();
    ((ObjectNode) c.get("metadata")).remove("labels");
    return c;
  }

  /** 'edgewave run' arguments as the settings they give: the documented defaults, then each --flag=value. */
  static Map<String, String> settings(List<String> args) {
    Map<String, String> out = new TreeMap<>(Docs.flagDefaults());
    for (String a : args) {
      if (a.equals("run")) continue;
      assertTrue(a.startsWith("--") && a.contains("="), "write flags as --flag=value: " + a);
      out.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    return out;
  }

  @Test
  void rbacGrantsExactlyTheVerbsOfTheKustomizeRbac() throws Exception {
    List<HasMetadata> k = kustomize("deploy/overlays/prod");
    for (List<HasMetadata> chart : List.of(defaults, prod)) {
      assertEquals(ManifestsIT.verbs(ManifestsIT.one(k, ClusterRole.class, "edgewave-operator").getRules()),
          ManifestsIT.verbs(ManifestsIT.one(chart, ClusterRole.class, "edgewave-operator").getRules()));
      Role want = ManifestsIT.one(k, Role.class, "edgewave-operator");
      Role got = ManifestsIT.one(chart, Role.class, "edgewave-operator");
      assertEquals(ManifestsIT.verbs(want.getRules()), ManifestsIT.verbs(got.getRules()));
      assertEquals(secretNames(want.getRules()), secretNames(got.getRules()));
    }
    // the operator now makes pre-pull pods: the chart must let it
    var pods = ManifestsIT.verbs(ManifestsIT.one(defaults, ClusterRole.class, "edgewave-operator").getRules()).get("/pods");
    assertTrue(pods.containsAll(Set.of("create", "delete")), pods.toString());
  }

  static Set<String> secretNames(List<PolicyRule> rules) {
    return rules.stream().filter(r -> r.getResources().contains("secrets")).flatMap(r -> {
      assertFalse(r.getResourceNames() == null || r.getResourceNames().isEmpty(), "secrets without resourceNames: " + r);
      return r.getResourceNames().stream();
    }).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void everyPodIsHardenedWithDefaultAndProductionValues() {
    for (List<HasMetadata> chart : List.of(defaults, prod)) {
      List<PodSpec> pods = new ArrayList<>();
      chart.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
          .forEach(d -> pods.add(d.getSpec().getTemplate().getSpec()));
      chart.stream().filter(DaemonSet.class::isInstance).map(DaemonSet.class::cast)
          .forEach(d -> pods.add(d.getSpec().getTemplate().getSpec()));
      assertEquals(4, pods.size(), "operator, mosquitto, edge-probe, edge-probe-gpu");
      for (PodSpec pod : pods) {
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertTrue(pod.getSecurityContext().getRunAsUser() >= 1000);
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        for (Container c : pod.getContainers()) {
          assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem(), c.getName());
          assertEquals(false, c.getSecurityContext().getAllowPrivilegeEscalation(), c.getName());
          assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop(), c.getName());
          assertNotNull(c.getResources().getRequests().get("cpu"), c.getName());
          assertNotNull(c.getResources().getRequests().get("memory"), c.getName());
          assertNotNull(c.getResources().getLimits().get("memory"), c.getName());
        }
      }
    }
  }

  @Test
  void switchesOffRemoveTheirObjects() throws Exception {
    ObjectNode off = (ObjectNode) read("""
        {"mosquitto": {"enabled": false},
         "probe": {"edge": {"enabled": false}, "gpu": {"enabled": false}, "broker": "ssl://mqtt.example.com:8883"},
         "operator": {"podDisruptionBudget": {"enabled": false}},
         "monitoring": {"serviceMonitor": {"enabled": false}, "prometheusRule": {"enabled": false},
                        "grafanaDashboard": {"enabled": false}}}""");
    Set<String> left = HelmChart.byKindAndName(HelmChart.template(null, off)).keySet();
    assertEquals(new TreeSet<>(List.of("ClusterRole/edgewave-operator", "ClusterRoleBinding/edgewave-operator",
        "Deployment/edgewave-operator", "Role/edgewave-operator", "RoleBinding/edgewave-operator",
        "Service/edgewave-operator", "ServiceAccount/edgewave-operator")), new TreeSet<>(left));
    // no broker of ours and none given: the operator runs without heartbeats, and mounts no broker credentials
    Deployment d = ManifestsIT.one(HelmChart.template(null, off), Deployment.class, "edgewave-operator");
    Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertTrue(c.getArgs().stream().noneMatch(a -> a.startsWith("--mqtt-")), c.getArgs().toString());
    assertEquals(List.of("tmp"), d.getSpec().getTemplate().getSpec().getVolumes().stream().map(v -> v.getName()).toList());
    // a broker of one's own: the operator goes there
    off.with("operator").put("mqttBroker", "ssl://broker.example.net:8883");
    c = ManifestsIT.one(HelmChart.template(null, off), Deployment.class, "edgewave-operator").getSpec().getTemplate()
        .getSpec().getContainers().get(0);
    assertTrue(c.getArgs().contains("--mqtt-broker=ssl://broker.example.net:8883"), c.getArgs().toString());
    assertTrue(c.getArgs().contains("--mqtt-ca-file=/etc/edgewave/mqtt-ca/ca.crt"), c.getArgs().toString());
  }

  @Test
  void webhookSecretsAreReadableByNameInTheirOwnNamespaceOnly() throws Exception {
    JsonNode v = read("""
        {"operator": {"alertWebhooks": [], "notifyWebhooks": ["ops/release-notes", "chat"]}}""");
    List<HasMetadata> objects = HelmChart.template(null, v);
    Map<String, Role> roles = new TreeMap<>();
    objects.stream().filter(Role.class::isInstance).map(Role.class::cast)
        .forEach(r -> roles.put(r.getMetadata().getNamespace(), r));
    assertEquals(Set.of("edgewave-system", "ops"), roles.keySet());
    assertEquals(Set.of("chat"), secretNames(roles.get("edgewave-system").getRules()));
    assertEquals(Set.of("release-notes"), secretNames(roles.get("ops").getRules()));
    assertEquals(Map.of("/secrets", Set.of("get")), ManifestsIT.verbs(roles.get("ops").getRules()));
    assertTrue(objects.stream().anyMatch(o -> o.getKind().equals("RoleBinding") && o.getMetadata().getNamespace().equals("ops")));
    Container c = ManifestsIT.one(objects, Deployment.class, "edgewave-operator").getSpec().getTemplate().getSpec()
        .getContainers().get(0);
    assertTrue(c.getArgs().contains("--notify-webhooks=ops/release-notes,edgewave-system/chat"), c.getArgs().toString());
    assertTrue(c.getArgs().stream().noneMatch(a -> a.startsWith("--alert-webhooks")), c.getArgs().toString());
    // no webhooks at all: no rule on Secrets, which without names would be every Secret of the namespace
    JsonNode none = read("""
        {"operator": {"alertWebhooks": [], "notifyWebhooks": []}}""");
    for (HasMetadata o : HelmChart.template(null, none)) {
      if (o instanceof Role r) assertEquals(Set.of(), secretNames(r.getRules()), r.getMetadata().getNamespace());
    }
  }

  @Test
  void theSchemaRejectsAWrongTypeWithAClearMessage() throws Exception {
    JsonNode bad = HelmChart.at("operator.replicas", TextNode.valueOf("two"));
    Exception e = assertThrows(Exception.class, () -> HelmChart.template(null, bad));
    assertTrue(e.getMessage().contains("operator.replicas") && e.getMessage().contains("integer"), e.getMessage());
    LintResult lint = HelmChart.lint(bad);
    assertTrue(lint.isFailed());
    assertTrue(String.join("\n", lint.getMessages()).contains("operator.replicas"), lint.getMessages().toString());
    // and a malformed duration, which the operator would refuse at start only
    JsonNode duration = HelmChart.at("operator.resync", TextNode.valueOf("5 minutes"));
    e = assertThrows(Exception.class, () -> HelmChart.template(null, duration));
    assertTrue(e.getMessage().contains("operator.resync"), e.getMessage());
  }

  @Test
  void theChartCopiesAreTheFilesTheyCopy() throws Exception {
    Map<String, String> copies = Map.of(
        "deploy/helm/edgewave/crds/edgereleases.edgewave.io-v1.yml", "crds/edgereleases.edgewave.io-v1.yml",
        "deploy/helm/edgewave/files/mosquitto.conf", "deploy/base/mosquitto/mosquitto.conf",
        "deploy/helm/edgewave/files/acl", "deploy/base/mosquitto/acl",
        "deploy/helm/edgewave/files/prometheusrule.yaml", "deploy/base/monitoring/prometheusrule.yaml",
        "deploy/helm/edgewave/files/edgewave-dashboard.json", "deploy/base/monitoring/edgewave-dashboard.json");
    for (var e : copies.entrySet()) {
      assertEquals(Files.readString(Tools.ROOT.resolve(e.getValue())), Files.readString(Tools.ROOT.resolve(e.getKey())),
          e.getKey() + " differs from " + e.getValue() + ": run scripts/update-crds.sh (it copies all of them)");
    }
  }

  @Test
  void chartMetadataIsWhatARegistryShows() throws Exception {
    JsonNode chart = HelmChart.read(HelmChart.CHART.resolve("Chart.yaml"));
    assertEquals("v2", chart.get("apiVersion").asText());
    for (String f : List.of("description", "version", "appVersion", "home", "icon")) {
      assertFalse(chart.path(f).asText().isBlank(), f);
    }
    assertTrue(chart.get("keywords").size() >= 5);
    assertTrue(chart.get("maintainers").get(0).has("name"));
    assertTrue(Files.exists(HelmChart.CHART.resolve("icon.svg")));
    assertTrue(chart.get("icon").asText().endsWith("deploy/helm/edgewave/icon.svg"));
    JsonNode a = chart.get("annotations");
    for (String k : List.of("artifacthub.io/crds", "artifacthub.io/crdsExamples", "artifacthub.io/images",
        "artifacthub.io/links", "artifacthub.io/operator", "artifacthub.io/changes", "category")) {
      assertTrue(a.has(k), k);
    }
    // the images a registry lists are the ones the chart runs
    String images = a.get("artifacthub.io/images").asText();
    for (HasMetadata o : defaults) {
      PodSpec pod = o instanceof Deployment d ? d.getSpec().getTemplate().getSpec()
          : o instanceof DaemonSet d ? d.getSpec().getTemplate().getSpec() : null;
      if (pod != null) assertTrue(images.contains(pod.getContainers().get(0).getImage()), pod.getContainers().get(0).getImage());
    }
  }

  /** What a registry or an app store takes and shows: the packaged chart, its CRD, README and values. */
  @Test
  void packagesWithItsCrdReadmeAndValues() throws Exception {
    Path dir = Files.createTempDirectory("edgewave-package");
    try {
      new Helm(HelmChart.CHART).packageIt().withDestination(dir).call();
      Path tgz = dir.resolve("edgewave-0.1.0.tgz");
      assertTrue(Files.size(tgz) > 10_000, tgz.toString());
      assertEquals(Files.readString(Tools.ROOT.resolve("crds/edgereleases.edgewave.io-v1.yml")).strip(),
          Helm.show(tgz.toString()).crds().call().strip());
      assertTrue(Helm.show(tgz.toString()).readme().call().contains("helm install edgewave"));
      assertEquals(HelmChart.defaults(), YAML.readTree(Helm.show(tgz.toString()).values().call()));
    } finally {
      try (var files = Files.walk(dir)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
      }
    }
  }

  /** The values table of docs/install.md lists every value of values.yaml with its true default. */
  @Test
  void theValuesTableListsEveryValueWithItsDefault() throws Exception {
    JsonNode values = HelmChart.defaults();
    List<Docs.ValueRow> rows = Docs.valueRows();
    Set<String> documented = rows.stream().map(Docs.ValueRow::name).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(rows.size(), documented.size(), "a value twice in the table");
    for (Docs.ValueRow r : rows) {
      JsonNode v = values.at(pointer(r.name()));
      assertFalse(v.isMissingNode(), r.name() + " is in the table but not in values.yaml");
      assertEquals(Docs.format(v), r.defaultValue(), r.name() + ": the table's default");
    }
    for (String leaf : leaves(values, "")) {
      assertTrue(documented.stream().anyMatch(d -> leaf.equals(d) || leaf.startsWith(d + ".")),
          leaf + " is in values.yaml but not in the table of docs/install.md");
    }
    // every setting of 'edgewave run' is a value
    for (String flag : Docs.flags()) {
      assertTrue(documented.contains(Docs.valueOfFlag(flag)), "--" + flag + " has no value " + Docs.valueOfFlag(flag));
    }
  }

  /**
   * Table-driven: each value of the table, set to something else, changes every object its row names (or makes it
   * appear or go away), and nothing else of the table's claim is left untested.
   */
  @Test
  void everyValueInTheTableChangesTheObjectsItSays() throws Exception {
    JsonNode values = HelmChart.defaults();
    Map<String, JsonNode> before = HelmChart.byKindAndName(defaults);
    List<String> failures = new ArrayList<>();
    for (Docs.ValueRow r : Docs.valueRows()) {
      JsonNode changed = Mutations.of(r.name(), values.at(pointer(r.name())));
      Map<String, JsonNode> after = HelmChart.byKindAndName(HelmChart.template(null, HelmChart.at(r.name(), changed)));
      assertFalse(r.changes().isEmpty(), r.name() + " names no object");
      for (String object : r.changes()) {
        JsonNode b = before.get(object);
        JsonNode a = after.get(object);
        if (b == null && a == null) failures.add(r.name() + "=" + changed + ": " + object + " is in neither render");
        else if (b != null && b.equals(a)) failures.add(r.name() + "=" + changed + " leaves " + object + " as it was");
      }
    }
    assertEquals(List.of(), failures);
  }

  static String pointer(String dotted) {
    return "/" + dotted.replace(".", "/");
  }

  static List<String> leaves(JsonNode n, String prefix) {
    List<String> out = new ArrayList<>();
    if (n.isObject() && n.size() > 0) {
      n.fields().forEachRemaining(e -> out.addAll(leaves(e.getValue(), prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey())));
    } else {
      out.add(prefix);
    }
    return out;
  }

  static List<HasMetadata> kustomize(String dir) throws Exception {
    var r = Tools.run("kubectl", "kustomize", dir);
    assertEquals(0, r.code(), r.err());
    return HelmChart.parse(r.out());
  }

  /** A different, valid value for each value of the chart. */
  static final class Mutations {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Pattern LEADING_NUMBER = Pattern.compile("^([0-9]+)(.*)$");

    /** Values whose form the schema constrains: a valid other value. */
    private static final Map<String, JsonNode> SPECIAL = Map.ofEntries(
        Map.entry("operator.mqttBroker", F.textNode("ssl://broker.example.net:8883")),
        Map.entry("probe.broker", F.textNode("ssl://mqtt.example.net:8883")),
        Map.entry("operator.leaseNamespace", F.textNode("edgewave-leases")),
        Map.entry("mosquitto.edgeService.type", F.textNode("NodePort")),
        Map.entry("mosquitto.edgeService.nodePort", F.numberNode(30883)),
        Map.entry("monitoring.grafanaDashboard.namespace", F.textNode("monitoring")),
        Map.entry("operator.alertWebhooks", F.arrayNode().add("edgewave-alert-webhook").add("pager")),
        Map.entry("operator.notifyWebhooks", F.arrayNode().add("release-notes")),
        Map.entry("operator.tolerations", F.arrayNode().add(F.objectNode().put("key", "dedicated").put("operator", "Exists"))),
        Map.entry("probe.tolerations", F.arrayNode().add(F.objectNode().put("key", "dedicated").put("operator", "Exists"))),
        Map.entry("operator.image.pullPolicy", F.textNode("Always")),
        Map.entry("probe.image.pullPolicy", F.textNode("Always")),
        Map.entry("mosquitto.image.pullPolicy", F.textNode("Always")),
        Map.entry("mosquitto.acl", F.textNode("user edgewave-operator\ntopic read edgewave/v1/nodes/+/heartbeat\n")),
        Map.entry("mosquitto.edgeService.externalTrafficPolicy", F.textNode("Cluster")));

    static JsonNode of(String name, JsonNode v) {
      if (SPECIAL.containsKey(name)) return SPECIAL.get(name);
      if (v.isBoolean()) return F.booleanNode(!v.asBoolean());
      if (v.isInt()) return F.numberNode(v.asInt() + 1);
      if (v.isTextual()) {
        Matcher m = LEADING_NUMBER.matcher(v.asText());
        if (m.matches()) return F.textNode((Long.parseLong(m.group(1)) + 1) + m.group(2));   // 15s, 250m, 10%
        return F.textNode(v.asText().isEmpty() ? "x1" : v.asText() + "x");
      }
      if (v.isArray()) return ((ArrayNode) v.deepCopy()).add("extra-" + name.replace('.', '-').toLowerCase());
      if (v.isObject()) {
        ObjectNode o = (ObjectNode) v.deepCopy();
        if (o.isEmpty()) return o.put("example.com/key", "value");
        String first = o.fieldNames().next();
        o.set(first, of(name + "." + first, o.get(first)));
        return o;
      }
      if (v.isNull()) throw new AssertionError(name + " is null: give it a SPECIAL value");
      throw new AssertionError(name + ": no mutation for " + v);
    }
  }

  /** The two tables of docs/install.md the chart answers to. */
  static final class Docs {
    record ValueRow(String name, String defaultValue, List<String> changes) {}

    static final Path INSTALL = Tools.ROOT.resolve("docs/install.md");
    private static final Pattern CELL = Pattern.compile("`([^`]*)`");
    /** Flags whose value holds what the flag points at rather than the flag's own text. */
    private static final Map<String, String> FLAG_VALUES = Map.of(
        "mqtt-password-file", "operator.mqttPasswordSecret",
        "mqtt-ca-file", "mqtt.caConfigMap");

    static String valueOfFlag(String flag) {
      if (FLAG_VALUES.containsKey(flag)) return FLAG_VALUES.get(flag);
      StringBuilder b = new StringBuilder("operator.");
      boolean up = false;
      for (char ch : flag.toCharArray()) {
        if (ch == '-') up = true;
        else {
          b.append(up ? Character.toUpperCase(ch) : ch);
          up = false;
        }
      }
      return b.toString();
    }

    static List<String[]> table(String heading) throws Exception {
      List<String> lines = Files.readAllLines(INSTALL);
      int at = lines.indexOf(heading);
      assertTrue(at >= 0, "no section " + heading + " in docs/install.md");
      List<String[]> rows = new ArrayList<>();
      boolean inTable = false;
      for (String l : lines.subList(at + 1, lines.size())) {
        if (l.startsWith("## ")) break;
        if (!l.startsWith("|")) {
          if (inTable) break;
          continue;
        }
        if (!inTable) {
          inTable = true;   // the header
          continue;
        }
        if (l.startsWith("|---") || l.startsWith("| ---")) continue;
        String[] cells = l.substring(1, l.length() - (l.endsWith("|") ? 1 : 0)).split("(?<!\\\\)\\|", -1);
        for (int i = 0; i < cells.length; i++) cells[i] = cells[i].strip();
        rows.add(cells);
      }
      return rows;
    }

    static List<ValueRow> valueRows() throws Exception {
      List<ValueRow> out = new ArrayList<>();
      for (String[] c : table("## Helm values")) {
        Matcher name = CELL.matcher(c[0]);
        Matcher dflt = CELL.matcher(c[1]);
        assertTrue(name.find() && dflt.find(), "write value and default in backticks: " + String.join("|", c));
        List<String> changes = new ArrayList<>();
        for (String s : c[2].split(",")) if (!s.isBlank()) changes.add(s.strip());
        out.add(new ValueRow(name.group(1), dflt.group(1), changes));
      }
      assertTrue(out.size() > 20, "values table: " + out.size() + " rows");
      return out;
    }

    /** The flags of the settings table that have a written default, with it. */
    static Map<String, String> flagDefaults() {
      Map<String, String> out = new LinkedHashMap<>();
      try {
        for (String[] c : table("## Operator settings")) {
          Matcher flag = CELL.matcher(c[0]);
          Matcher dflt = CELL.matcher(c[2]);
          if (flag.find() && dflt.find()) out.put(flag.group(1).substring(2), dflt.group(1));
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return out;
    }

    static List<String> flags() throws Exception {
      List<String> out = new ArrayList<>();
      for (String[] c : table("## Operator settings")) {
        Matcher flag = CELL.matcher(c[0]);
        if (flag.find()) out.add(flag.group(1).substring(2));
      }
      return out;
    }

    /** A value as the table writes it: 2, true, 15s, "", [a, b], {k: v}, null. */
    static String format(JsonNode v) {
      if (v.isTextual()) return v.asText().isEmpty() ? "\"\"" : v.asText().replace("\n", "\\n");
      if (v.isArray()) {
        List<String> items = new ArrayList<>();
        v.forEach(i -> items.add(format(i)));
        return "[" + String.join(", ", items) + "]";
      }
      if (v.isObject()) {
        List<String> items = new ArrayList<>();
        v.fields().forEachRemaining(e -> items.add(e.getKey() + ": " + format(e.getValue())));
        return "{" + String.join(", ", items) + "}";
      }
      return v.asText();
    }
  }
}
