package io.edgewave.operator.kube;

import io.edgewave.operator.rollout.Labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class NodeDeploymentsTest {
  static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  static final String NOT_READY = "node.kubernetes.io/not-ready";

  @Test
  void podsStayOnANodeThatLostItsLinkForAsLongAsItLasts() {
    List<Toleration> tolerations = podTolerations(template(List.of()));
    assertEquals(List.of(UNREACHABLE, NOT_READY), keys(tolerations));
    for (Toleration t : tolerations) {
      assertEquals("Exists", t.getOperator());
      assertEquals("NoExecute", t.getEffect());
      assertNull(t.getTolerationSeconds(), "no time limit, as DaemonSet pods get");
    }
  }

  @Test
  void aTemplatesOwnTolerationOfALinkLossTaintIsKeptAsWritten() {
    Toleration own = new TolerationBuilder().withKey(UNREACHABLE).withOperator("Exists").withEffect("NoExecute")
        .withTolerationSeconds(600L).build();
    List<Toleration> tolerations = podTolerations(template(List.of(own)));
    assertEquals(List.of(UNREACHABLE, NOT_READY), keys(tolerations));
    assertEquals(own, tolerations.get(0));
    assertNull(tolerations.get(1).getTolerationSeconds());
  }

  @Test
  void theTemplatesOtherTolerationsComeFirstAndTheTemplateIsNotChanged() {
    Toleration edge = new TolerationBuilder().withKey("node-role.kubernetes.io/edge").withOperator("Exists")
        .withEffect("NoSchedule").build();
    PodTemplateSpec template = template(List.of(edge));
    List<Toleration> tolerations = podTolerations(template);
    assertEquals(List.of("node-role.kubernetes.io/edge", UNREACHABLE, NOT_READY), keys(tolerations));
    assertEquals(List.of(edge), template.getSpec().getTolerations());
  }

  @Test
  void aTemplateWithoutAffinityIsPinnedToItsNodeByName() {
    NodeSelector required = required(pinned(template(List.of()), "hz-01"));
    assertEquals(1, required.getNodeSelectorTerms().size());
    NodeSelectorTerm term = required.getNodeSelectorTerms().get(0);
    assertEquals(List.of(byName("hz-01")), term.getMatchFields());
    assertTrue(term.getMatchExpressions() == null || term.getMatchExpressions().isEmpty());
  }

  @Test
  void everyRequiredTermOfTheTemplateGetsTheNodeBecauseTermsAreOred() {
    NodeSelectorRequirement gpu = new NodeSelectorRequirement("edgewave.io/gpu", "In", List.of("true"));
    NodeSelectorRequirement zone = new NodeSelectorRequirement("topology.kubernetes.io/zone", "In", List.of("hz"));
    NodeSelectorRequirement notControl = new NodeSelectorRequirement("metadata.name", "NotIn", List.of("control-1"));
    PreferredSchedulingTerm preferred = new PreferredSchedulingTerm(
        new NodeSelectorTerm(List.of(gpu), List.of()), 10);
    PodTemplateSpec template = template(List.of());
    template.getSpec().setAffinity(new AffinityBuilder().withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
          .addNewNodeSelectorTerm().withMatchExpressions(gpu).endNodeSelectorTerm()
          .addNewNodeSelectorTerm().withMatchExpressions(zone).withMatchFields(notControl).endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .withPreferredDuringSchedulingIgnoredDuringExecution(preferred)
        .endNodeAffinity().build());
    PodTemplateSpec before = Serialization.clone(template);

    Affinity affinity = pinned(template, "gpu-hz-07").getAffinity();
    List<NodeSelectorTerm> terms = affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms();
    assertEquals(2, terms.size());
    assertEquals(List.of(gpu), terms.get(0).getMatchExpressions());
    assertEquals(List.of(byName("gpu-hz-07")), terms.get(0).getMatchFields());
    assertEquals(List.of(zone), terms.get(1).getMatchExpressions());
    assertEquals(List.of(notControl, byName("gpu-hz-07")), terms.get(1).getMatchFields());
    assertEquals(List.of(preferred), affinity.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution());
    assertEquals(before, template, "the release's template is not changed");
  }

  @Test
  void anEmptyRequiredSelectorGetsOneTermWithTheNode() {
    PodTemplateSpec template = template(List.of());
    template.getSpec().setAffinity(new AffinityBuilder().withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution().endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity().build());
    NodeSelector required = required(pinned(template, "hz-02"));
    assertEquals(1, required.getNodeSelectorTerms().size());
    assertEquals(List.of(byName("hz-02")), required.getNodeSelectorTerms().get(0).getMatchFields());
  }

  @Test
  void aNodeWhoseNameIsTooLongForALabelIsStillPinnedByItsFullName() {
    String node = "gpu-box-" + "x".repeat(70);
    Deployment d = NodeDeployments.desired(release("scan-upload"), node, "3f2a9c1b7e", template(List.of()), null,
        "canary", Instant.parse("2026-11-30T16:00:00Z"));
    assertEquals(List.of(byName(node)), required(d.getSpec().getTemplate().getSpec()).getNodeSelectorTerms().get(0)
        .getMatchFields());
    assertEquals(Labels.nodeValue(node), d.getSpec().getSelector().getMatchLabels().get(Labels.NODE));
    assertEquals(node, d.getMetadata().getAnnotations().get(Labels.NODE_NAME));
  }

  static PodSpec pinned(PodTemplateSpec template, String node) {
    return NodeDeployments.desired(release("scan-upload"), node, "3f2a9c1b7e", template, null, "canary",
        Instant.parse("2026-11-30T16:00:00Z")).getSpec().getTemplate().getSpec();
  }

  static NodeSelector required(PodSpec spec) {
    return spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
  }

  static NodeSelectorRequirement byName(String node) {
    return new NodeSelectorRequirement("metadata.name", "In", List.of(node));
  }

  static List<Toleration> podTolerations(PodTemplateSpec template) {
    return NodeDeployments.desired(release("scan-upload"), "hz-01", "3f2a9c1b7e", template, null, "canary",
        Instant.parse("2026-11-30T16:00:00Z")).getSpec().getTemplate().getSpec().getTolerations();
  }

  static List<String> keys(List<Toleration> tolerations) {
    return tolerations.stream().map(Toleration::getKey).collect(Collectors.toList());
  }

  static PodTemplateSpec template(List<Toleration> tolerations) {
    return new PodTemplateSpecBuilder().withNewSpec().addNewContainer().withName("app").withImage("registry/app:1")
        .endContainer().withTolerations(tolerations).endSpec().build();
  }

  static EdgeRelease release(String name) {
    EdgeRelease er = new EdgeRelease();
    er.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("logistics").withUid("uid-1").build());
    return er;
  }
}
