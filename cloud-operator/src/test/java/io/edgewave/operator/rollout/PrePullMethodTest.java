package io.edgewave.operator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.v1alpha1.StagingMethod;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrePullMethodTest {
  static final List<String> IMAGES = List.of("registry.example.com:5000/logistics/scan-upload:3.0.0",
      "reg/models@sha256:" + "a".repeat(64), "busybox");

  @Test
  void autoTakesTheJobWhereServedAndPodsElsewhere() {
    assertEquals(new PrePullMethod.Choice("ImagePrePullJob", null), PrePullMethod.choose(StagingMethod.Auto, true, IMAGES, 1));
    assertEquals(new PrePullMethod.Choice("Pod", null), PrePullMethod.choose(StagingMethod.Auto, false, IMAGES, 1));
    assertEquals(new PrePullMethod.Choice("Pod", null), PrePullMethod.choose(null, false, IMAGES, 0));
  }

  @Test
  void podIsAlwaysPods() {
    assertEquals(new PrePullMethod.Choice("Pod", null), PrePullMethod.choose(StagingMethod.Pod, true, IMAGES, 0));
  }

  @Test
  void anImagePrePullJobAskedForWhereNotServedIsAHoldNamingTheFieldAndTheFix() {
    PrePullMethod.Choice c = PrePullMethod.choose(StagingMethod.ImagePrePullJob, false, IMAGES, 0);
    assertNull(c.method());
    assertTrue(c.problem().startsWith("spec.strategy.staging.method is ImagePrePullJob but this cluster does not serve "
        + "imageprepulljobs.operations.kubeedge.io/v1alpha1"), c.problem());
    assertTrue(c.problem().contains("install KubeEdge's CRDs, or set spec.strategy.staging.method to Auto or Pod"));
  }

  @Test
  void twoPullSecretsKeepAutoOnPodsAndHoldAnExplicitJob() {
    assertEquals("Pod", PrePullMethod.choose(StagingMethod.Auto, true, IMAGES, 2).method());
    assertTrue(PrePullMethod.choose(StagingMethod.ImagePrePullJob, true, IMAGES, 2).problem()
        .contains("the template has 2 imagePullSecrets but an ImagePrePullJob passes one"));
  }

  @Test
  void onlyPlainImageReferencesGoToAJob() {
    for (String bad : List.of("reg/app:1; rm -rf /", "reg/app:1 --privileged", "$(curl evil)", "reg/app:`id`",
        "reg/App:1", "-v", "reg/app:1\nx", "reg/app:" + "t".repeat(200), "reg/app@sha256:short", "\"reg/app\"")) {
      PrePullMethod.Choice c = PrePullMethod.choose(StagingMethod.ImagePrePullJob, true, List.of(bad), 0);
      assertNull(c.method(), bad);
      assertTrue(c.problem().contains("is not a plain image reference"), c.problem());
      assertEquals("Pod", PrePullMethod.choose(StagingMethod.Auto, true, List.of(bad), 0).method(), bad);
    }
    for (String good : IMAGES) assertTrue(PrePullMethod.choose(StagingMethod.ImagePrePullJob, true, List.of(good), 0)
        .jobs(), good);
    assertFalse(PrePullMethod.choose(StagingMethod.Pod, true, IMAGES, 0).jobs());
  }
}
