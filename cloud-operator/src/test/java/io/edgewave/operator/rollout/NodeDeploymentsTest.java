package io.edgewave.operator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
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
