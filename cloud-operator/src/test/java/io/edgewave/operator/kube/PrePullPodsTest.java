package io.edgewave.operator.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.rollout.Labels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrePullPodsTest {
  static final PodTemplateSpec TEMPLATE = Serialization.unmarshal("""
      metadata: {labels: {app: camera-inference}}
      spec:
        imagePullSecrets: [{name: registry-cred}]
        initContainers: [{name: models, image: "reg/models:7", command: [sh, -c, "cp /m/* /models"]}]
        containers:
        - {name: inference, image: "reg/camera-inference:2.1.0", command: [/app/run], args: ["--gpu=0"]}
        - {name: sidecar, image: "reg/models:7"}
      """, PodTemplateSpec.class);

  static EdgeRelease release() {
    EdgeRelease er = new EdgeRelease();
    er.getMetadata().setName("camera-inference");
    er.getMetadata().setNamespace("logistics");
    er.getMetadata().setUid("uid-1");
    return er;
  }

  @Test
  void aPrePullPodPullsEachImageOnceOnItsNodeAndRunsNothingFromTheSpec() {
    Pod p = PrePullPods.desired(release(), "gpu-hz-1", "r2", TEMPLATE, Duration.ofMinutes(30));
    assertEquals("gpu-hz-1", p.getSpec().getNodeName(), "pinned to its node");
    assertEquals(List.of("reg/models:7", "reg/camera-inference:2.1.0"),
        p.getSpec().getContainers().stream().map(Container::getImage).toList(), "each image once");
    for (Container c : p.getSpec().getContainers()) {
      assertEquals(List.of("/bin/true"), c.getCommand(), "no shell, nothing from the spec runs");
      assertTrue(c.getArgs() == null || c.getArgs().isEmpty());
      assertEquals("IfNotPresent", c.getImagePullPolicy());
      assertTrue(c.getSecurityContext().getRunAsNonRoot());
      assertFalse(c.getSecurityContext().getAllowPrivilegeEscalation());
    }
    assertTrue(p.getSpec().getInitContainers() == null || p.getSpec().getInitContainers().isEmpty(),
        "the template's init containers (a shell here) are pulled, never run");
    assertEquals("registry-cred", p.getSpec().getImagePullSecrets().get(0).getName(), "private registries work");
    assertEquals("Never", p.getSpec().getRestartPolicy());
    assertEquals(1800L, p.getSpec().getActiveDeadlineSeconds());
    assertFalse(p.getSpec().getAutomountServiceAccountToken());
    assertEquals("Exists", p.getSpec().getTolerations().get(0).getOperator(), "reaches a node the workload cannot");
    assertEquals("true", p.getMetadata().getLabels().get(Labels.PREPULL));
    assertEquals("r2", p.getMetadata().getLabels().get(Labels.REVISION));
    assertEquals("gpu-hz-1", p.getMetadata().getAnnotations().get(Labels.NODE_NAME));
    assertEquals("uid-1", p.getMetadata().getOwnerReferences().get(0).getUid(), "owned by the release");
  }

  @Test
  void aLaterAttemptHasANameOfItsOwnAndCountsOnFromTheLatestPodStillThere() {
    Pod first = PrePullPods.desired(release(), "gpu-hz-1", "r2", TEMPLATE, Duration.ofMinutes(30));
    assertEquals("1", first.getMetadata().getAnnotations().get(Labels.STAGE_ATTEMPT));
    Pod second = PrePullPods.desired(release(), "gpu-hz-1", "r2", TEMPLATE, Duration.ofMinutes(30), 2);
    assertEquals(first.getMetadata().getName() + "-2", second.getMetadata().getName(), "no clash with a terminating one");
    assertEquals("2", second.getMetadata().getAnnotations().get(Labels.STAGE_ATTEMPT));
    assertEquals(java.util.Map.of("gpu-hz-1", 3), PrePullPods.nextAttempts(List.of(first, second), "r2"));
    assertEquals(java.util.Map.of(), PrePullPods.nextAttempts(List.of(first, second), "r3"), "another revision: 1");
  }
}
