package io.edgewave.operator.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** deploy/ renders with kubectl kustomize into the objects an install needs, each as it must be. */
class ManifestsIT {
  static List<HasMetadata> render(String overlay) throws Exception {
    var r = Tools.run("kubectl", "kustomize", "deploy/overlays/" + overlay);
    assertEquals(0, r.code(), r.err());
    List<HasMetadata> out = new ArrayList<>();
    for (String doc : r.out().split("(?m)^---$")) {
      if (doc.isBlank()) continue;
      Object o = Serialization.unmarshal(doc);
      assertTrue(o instanceof HasMetadata, "not a Kubernetes object: " + doc.substring(0, Math.min(200, doc.length())));
      out.add((HasMetadata) o);
    }
    return out;
  }

  static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type, String name) {
    return objects.stream().filter(type::isInstance).map(type::cast).filter(o -> o.getMetadata().getName().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void overlayRendersIntoKnownKindsOnly(String overlay) throws Exception {
    List<HasMetadata> objects = render(overlay);
    Set<String> kinds = new TreeSet<>();
    for (HasMetadata o : objects) {
      kinds.add(o.getKind());
      // the CRs of the Prometheus operator are generic; every other kind must map to a typed fabric8 class
      if (!Set.of("ServiceMonitor", "PrometheusRule").contains(o.getKind())) {
        assertTrue(!(o instanceof GenericKubernetesResource), "unknown kind " + o.getKind() + " " + o.getMetadata().getName());
      }
    }
    assertEquals(new TreeSet<>(List.of("ClusterRole", "ClusterRoleBinding", "ConfigMap", "CustomResourceDefinition",
        "DaemonSet", "Deployment", "Namespace", "PodDisruptionBudget", "PrometheusRule", "Role", "RoleBinding", "Service",
        "ServiceAccount", "ServiceMonitor")), kinds);
    for (HasMetadata o : objects) {
      if (!Set.of("Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition").contains(o.getKind())) {
        assertEquals("edgewave-system", o.getMetadata().getNamespace(), o.getKind() + " " + o.getMetadata().getName());
      }
    }
  }

  @Test
  void operatorRunsTwoHardenedReplicasWithLeaderElectionAndProbes() throws Exception {
    Deployment d = one(render("prod"), Deployment.class, "edgewave-operator");
    assertEquals(2, d.getSpec().getReplicas());
    var pod = d.getSpec().getTemplate().getSpec();
    assertTrue(pod.getSecurityContext().getRunAsNonRoot());
    var c = pod.getContainers().get(0);
    assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem());
    assertEquals(false, c.getSecurityContext().getAllowPrivilegeEscalation());
    assertNotNull(c.getResources().getRequests().get("cpu"));
    assertNotNull(c.getResources().getLimits().get("memory"));
    assertEquals("/healthz", c.getLivenessProbe().getHttpGet().getPath());
    assertEquals("/healthz", c.getReadinessProbe().getHttpGet().getPath());
    assertEquals("ghcr.io/edgewave/edgewave-operator:0.1.0", c.getImage());
    assertTrue(c.getArgs().contains("run"));
    assertTrue(c.getArgs().stream().noneMatch(a -> a.startsWith("--leader-election=false")), "leader election stays on");
    assertTrue(c.getEnv().stream().anyMatch(e -> e.getName().equals("POD_NAME") && e.getValueFrom() != null));
    assertEquals(1, one(render("dev"), Deployment.class, "edgewave-operator").getSpec().getReplicas());
  }

  @Test
  void rbacListsExactlyTheVerbsTheOperatorUses() throws Exception {
    List<HasMetadata> objects = render("prod");
    Map<String, Set<String>> cluster = verbs(one(objects, ClusterRole.class, "edgewave-operator").getRules());
    assertEquals(Map.ofEntries(
        Map.entry("edgewave.io/edgereleases", Set.of("get", "list", "watch")),
        Map.entry("edgewave.io/edgereleases/status", Set.of("update")),
        Map.entry("/nodes", Set.of("get", "list", "watch")),
        Map.entry("/nodes/status", Set.of("update")),
        Map.entry("apps/deployments", Set.of("get", "list", "watch", "create", "update", "delete")),
        Map.entry("/pods", Set.of("list", "watch", "create", "delete")),
        Map.entry("apps/controllerrevisions", Set.of("get", "list", "create", "delete")),
        Map.entry("/configmaps", Set.of("get", "create", "update")),
        Map.entry("/events", Set.of("create")),
        // staging through KubeEdge: is the CRD served (that one CRD only), and the jobs, read fresh (no watch)
        Map.entry("apiextensions.k8s.io/customresourcedefinitions", Set.of("get")),
        Map.entry("operations.kubeedge.io/imageprepulljobs", Set.of("list", "create", "delete"))), cluster);
    assertEquals(List.of("imageprepulljobs.operations.kubeedge.io"), one(objects, ClusterRole.class, "edgewave-operator")
        .getRules().stream().filter(r -> r.getResources().contains("customresourcedefinitions")).findFirst()
        .orElseThrow().getResourceNames());
    Role role = one(objects, Role.class, "edgewave-operator");
    assertEquals(Map.of("coordination.k8s.io/leases", Set.of("get", "create", "update"), "/secrets", Set.of("get")),
        verbs(role.getRules()));
    assertEquals(List.of("edgewave-alert-webhook"), role.getRules().stream()
        .filter(r -> r.getResources().contains("secrets")).findFirst().orElseThrow().getResourceNames());
  }

  static Map<String, Set<String>> verbs(List<PolicyRule> rules) {
    Map<String, Set<String>> out = new TreeMap<>();
    for (PolicyRule r : rules) {
      assertTrue(!r.getVerbs().contains("*") && !r.getResources().contains("*"), "no wildcards: " + r);
      for (String g : r.getApiGroups()) {
        for (String res : r.getResources()) out.computeIfAbsent(g + "/" + res, k -> new TreeSet<>()).addAll(r.getVerbs());
      }
    }
    return out;
  }

  @Test
  void probeDaemonSetsRunOnEdgeNodesWithTheNodeNameFromTheDownwardApi() throws Exception {
    List<HasMetadata> objects = render("prod");
    for (String name : List.of("edge-probe", "edge-probe-gpu")) {
      var pod = one(objects, DaemonSet.class, name).getSpec().getTemplate().getSpec();
      assertEquals("", pod.getNodeSelector().get("node-role.kubernetes.io/edge"), name);
      assertTrue(pod.getTolerations().stream().anyMatch(t -> "node-role.kubernetes.io/edge".equals(t.getKey())), name);
      var env = pod.getContainers().get(0).getEnv();
      assertEquals("spec.nodeName", env.stream().filter(e -> e.getName().equals("EDGEWAVE_NODE")).findFirst().orElseThrow()
          .getValueFrom().getFieldRef().getFieldPath(), name);
      assertTrue(env.stream().anyMatch(e -> e.getName().equals("EDGEWAVE_BROKER") && e.getValueFrom().getConfigMapKeyRef() != null));
      assertTrue(pod.getSecurityContext().getRunAsNonRoot(), name);
      // KubeEdge copies every Secret a pod references to the edge node: the probe must reference none
      assertTrue(pod.getVolumes().stream().noneMatch(v -> v.getSecret() != null), name + " references a Secret");
    }
    var gpu = one(objects, DaemonSet.class, "edge-probe-gpu").getSpec().getTemplate().getSpec();
    assertEquals("nvidia", gpu.getRuntimeClassName());
    assertTrue(gpu.getContainers().get(0).getEnv().stream().anyMatch(e -> e.getName().equals("NVIDIA_DRIVER_CAPABILITIES")
        && e.getValue().equals("utility")));
  }

  @Test
  void theCrdShippedInDeployIsTheGeneratedOne() throws Exception {
    assertEquals(Files.readString(Tools.ROOT.resolve("crds/edgereleases.edgewave.io-v1.yml")),
        Files.readString(Tools.ROOT.resolve("deploy/base/crd/edgereleases.edgewave.io-v1.yml")),
        "run scripts/update-crds.sh");
  }

  @Test
  void grafanaDashboardParsesAndQueriesOnlyExportedMetrics() throws Exception {
    JsonNode dash = Serialization.jsonMapper().readTree(Tools.ROOT.resolve("deploy/base/monitoring/edgewave-dashboard.json").toFile());
    Set<String> exported = Tools.exportedMetricNames();
    Set<String> used = new TreeSet<>();
    for (JsonNode panel : dash.get("panels")) {
      for (JsonNode t : panel.get("targets")) used.addAll(Tools.metricNamesIn(t.get("expr").asText()));
    }
    assertTrue(used.size() >= 8, used.toString());
    for (String m : used) assertTrue(exported.contains(m), m + " is not exported; exported: " + exported);
    List<String> titles = new ArrayList<>();
    dash.get("panels").forEach(p -> titles.add(p.get("title").asText()));
    for (String want : List.of("Rollout progress per wave", "Fleet nodes by state", "Heartbeats per second",
        "Detection latency")) {
      assertTrue(titles.stream().anyMatch(t -> t.startsWith(want)), want + " in " + titles);
    }
  }
}
