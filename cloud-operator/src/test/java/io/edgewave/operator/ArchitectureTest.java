package io.edgewave.operator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.PackageMatchers;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The package map of docs/architecture.md, executable: for every package of the operator, which of our packages
 * and which libraries it may use. The pure core (spec parsing, planning, deciding, classifying, detecting,
 * aggregating, alert batching, board building) uses no client library: not the fabric8 client, JOSDK, Paho or the
 * Prometheus client. The Kubernetes model (io.fabric8.kubernetes.api.model) is data and allowed where the spec embeds
 * it, as are the custom resource base class and the model's JSON mapper. Adapters own one outside world each.
 */
class ArchitectureTest {
  static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.edgewave.operator");

  /** What every package may use: the JDK, logging, JSON, the shared protocol module, the Kubernetes model. */
  static final List<String> EVERYWHERE = List.of("java..", "javax..", "org.slf4j..", "com.fasterxml.jackson..",
      "io.edgewave.protocol..", "io.fabric8.kubernetes.api.model..");
  /** Data-only parts of the fabric8 client artifact: the custom resource base class and the model's JSON mapper. */
  static final Set<String> MODEL_CLASSES = Set.of("io.fabric8.kubernetes.client.CustomResource",
      "io.fabric8.kubernetes.client.utils.Serialization");

  record Rule(boolean pure, Set<String> ours, Set<String> libraries) {}

  /** Our packages by their name under io.edgewave.operator; keep in step with the table in docs/architecture.md. */
  static final Map<String, Rule> MAP = Map.ofEntries(
      Map.entry("api.v1alpha1", new Rule(false, Set.of(),
          Set.of("io.fabric8.crd..", "io.fabric8.generator..", "io.fabric8.kubernetes.model.."))),
      Map.entry("api", new Rule(false, Set.of("api.v1alpha1"),
          Set.of("io.fabric8.crd..", "io.fabric8.crdv2..", "io.fabric8.kubernetes.client.."))),
      Map.entry("config", new Rule(true, Set.of(), Set.of())),
      Map.entry("plan", new Rule(true, Set.of("api.v1alpha1", "fleet"), Set.of("org.quartz.."))),
      Map.entry("spec", new Rule(true, Set.of("api.v1alpha1", "plan", "rollout"), Set.of("org.quartz.."))),
      Map.entry("fleet", new Rule(true, Set.of(), Set.of())),
      Map.entry("rollout", new Rule(true, Set.of("api.v1alpha1", "plan", "fleet"), Set.of())),
      Map.entry("notice", new Rule(true, Set.of("api.v1alpha1"), Set.of())),
      Map.entry("alert", new Rule(true, Set.of("config", "fleet", "rollout", "notice"), Set.of())),
      Map.entry("dashboard", new Rule(true, Set.of("api.v1alpha1", "plan", "spec", "rollout", "fleet"),
          Set.of("com.sun.net.httpserver.."))),
      Map.entry("metrics", new Rule(false, Set.of("api.v1alpha1", "fleet"),
          Set.of("io.prometheus..", "com.sun.net.httpserver.."))),
      Map.entry("mqtt", new Rule(false, Set.of(), Set.of("org.eclipse.paho.."))),
      Map.entry("ingest", new Rule(false, Set.of("fleet", "mqtt", "metrics"), Set.of())),
      Map.entry("kube", new Rule(false, Set.of("api", "api.v1alpha1", "config", "plan", "spec", "rollout", "fleet",
          "alert", "notice", "metrics"), Set.of("io.fabric8.kubernetes.client..", "io.javaoperatorsdk.."))),
      Map.entry("app", new Rule(false, Set.of("api", "api.v1alpha1", "config", "plan", "spec", "rollout", "fleet",
          "notice", "alert", "dashboard", "metrics", "mqtt", "ingest", "kube"),
          Set.of("io.fabric8.kubernetes.client..", "io.javaoperatorsdk..", "io.prometheus.."))),
      // entry points: the CLI and the demo may use anything
      Map.entry("cli", new Rule(false, null, null)),
      Map.entry("demo", new Rule(false, null, null)));

  static String packageOf(JavaClass c) {
    String p = c.getPackageName().substring("io.edgewave.operator".length());
    return p.startsWith(".") ? p.substring(1) : p;
  }

  @Test
  void everyPackageIsOnTheMap() {
    Set<String> packages = CLASSES.stream().map(ArchitectureTest::packageOf).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(MAP.keySet()), packages,
        "a new package gets its line here and in the map of docs/architecture.md");
  }

  @TestFactory
  List<DynamicTest> eachPackageUsesOnlyWhatTheMapAllows() {
    List<DynamicTest> tests = new ArrayList<>();
    for (var e : MAP.entrySet()) {
      Rule rule = e.getValue();
      if (rule.ours() == null) continue;
      String pkg = "io.edgewave.operator." + e.getKey();
      List<String> allowed = new ArrayList<>(EVERYWHERE);
      allowed.add(pkg);
      for (String o : rule.ours()) allowed.add("io.edgewave.operator." + o);
      allowed.addAll(rule.libraries());
      PackageMatchers matchers = PackageMatchers.of(allowed);
      DescribedPredicate<JavaClass> mayUse = DescribedPredicate.describe("the map allows for " + e.getKey(),
          c -> matchers.test(c.getPackageName()) || MODEL_CLASSES.contains(c.getName())
              || c.isPrimitive() || c.isArray() && (c.getBaseComponentType().isPrimitive()
              || matchers.test(c.getBaseComponentType().getPackageName())));
      tests.add(DynamicTest.dynamicTest(e.getKey() + (rule.pure() ? " (pure)" : ""), () ->
          classes().that().resideInAPackage(pkg).should().onlyDependOnClassesThat(mayUse).check(CLASSES)));
    }
    return tests;
  }

  /** The table under "## The map" in docs/architecture.md says what MAP says: the same packages, the same uses. */
  @Test
  void theMapInTheDocsIsThisMap() throws java.io.IOException {
    String doc = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "architecture.md"));
    String table = doc.substring(doc.indexOf("## The map"), doc.indexOf("### Where a change goes"));
    Map<String, Set<String>> documented = new java.util.TreeMap<>();
    for (String line : table.split("\n")) {
      if (!line.startsWith("| `")) continue;
      String[] cells = line.split("\\|");
      Set<String> uses = ticked(cells[3]);
      if (cells[3].contains("anything")) {
        uses = null;
      } else if (cells[3].contains("all but")) {
        Set<String> except = uses;
        uses = new TreeSet<>(MAP.keySet());
        uses.removeAll(except);
      }
      for (String p : ticked(cells[1])) {
        Set<String> mine = uses == null ? null : new TreeSet<>(uses);
        if (mine != null) mine.remove(p);
        documented.put(p, mine);
      }
    }
    Map<String, Set<String>> coded = new java.util.TreeMap<>();
    MAP.forEach((p, r) -> coded.put(p, r.ours() == null ? null : new TreeSet<>(r.ours())));
    assertEquals(coded.toString(), documented.toString(), "docs/architecture.md's map and this test's MAP differ");
  }

  private static Set<String> ticked(String cell) {
    Set<String> out = new TreeSet<>();
    var m = java.util.regex.Pattern.compile("`([a-z0-9.]+)`").matcher(cell);
    while (m.find()) out.add(m.group(1));
    return out;
  }

  @Test
  void thePureCoreUsesNoClientLibrary() {
    Set<String> pure = MAP.entrySet().stream().filter(e -> e.getValue().pure()).map(Map.Entry::getKey)
        .collect(Collectors.toSet());
    assertEquals(Set.of("config", "plan", "spec", "fleet", "rollout", "notice", "alert", "dashboard"), pure);
    for (String p : pure) {
      for (String lib : MAP.get(p).libraries()) {
        for (String client : List.of("io.fabric8.kubernetes.client", "io.javaoperatorsdk", "org.eclipse.paho",
            "io.prometheus")) {
          if (lib.startsWith(client)) throw new AssertionError(p + " is pure but may use " + lib);
        }
      }
      for (String o : MAP.get(p).ours()) {
        if (!MAP.get(o).pure() && !o.equals("api.v1alpha1")) {
          throw new AssertionError(p + " is pure but may use the adapter package " + o);
        }
      }
    }
  }
}
