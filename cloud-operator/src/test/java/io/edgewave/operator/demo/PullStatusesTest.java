package io.edgewave.operator.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.demo.PullStatuses.ContainerPull;
import io.edgewave.operator.demo.PullStatuses.Stage;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PullStatusesTest {
  static final Instant NOW = Instant.parse("2026-12-03T01:00:00Z");
  static final String IMAGE = "registry.example.com/logistics/scan-upload:3.0.0";
  static final String SIDECAR = "registry.example.com/logistics/spool-agent:1.2";

  @Test
  void aPrePullPodPullingShowsPendingAndContainerCreating() {
    PodStatus s = PullStatuses.prePull(List.of(ContainerPull.of("pull-0", IMAGE, Stage.PULLING)), NOW);
    assertEquals("Pending", s.getPhase());
    ContainerStatus c = s.getContainerStatuses().get(0);
    assertEquals("pull-0", c.getName());
    assertEquals("ContainerCreating", c.getState().getWaiting().getReason());
    assertNull(c.getState().getTerminated());
  }

  @Test
  void aPrePullPodWithEveryImagePulledSucceededWithItsContainersCompletedAndImageIds() {
    PodStatus s = PullStatuses.prePull(List.of(ContainerPull.of("pull-0", IMAGE, Stage.PULLED),
        ContainerPull.of("pull-1", SIDECAR, Stage.PULLED)), NOW);
    assertEquals("Succeeded", s.getPhase());
    for (ContainerStatus c : s.getContainerStatuses()) {
      assertEquals(0, c.getState().getTerminated().getExitCode());
      assertEquals("Completed", c.getState().getTerminated().getReason());
      assertNull(c.getState().getWaiting());
      assertNotNull(c.getImageID());
    }
    assertTrue(s.getContainerStatuses().get(0).getImageID().startsWith("registry.example.com/logistics/scan-upload@sha256:"));
  }

  @Test
  void aPrePullPodStaysPendingWhileOneOfItsImagesIsStillPulling() {
    PodStatus s = PullStatuses.prePull(List.of(ContainerPull.of("pull-0", IMAGE, Stage.PULLED),
        ContainerPull.of("pull-1", SIDECAR, Stage.PULLING)), NOW);
    assertEquals("Pending", s.getPhase());
    assertEquals("Completed", s.getContainerStatuses().get(0).getState().getTerminated().getReason());
    assertEquals("ContainerCreating", s.getContainerStatuses().get(1).getState().getWaiting().getReason());
  }

  @Test
  void aFailedPullShowsErrImagePullThenImagePullBackOffNamingTheImageAndTheRegistryError() {
    String error = "rpc error: code = NotFound desc = not found";
    PodStatus first = PullStatuses.prePull(List.of(new ContainerPull("pull-0", IMAGE, Stage.ERR_IMAGE_PULL, error)), NOW);
    PodStatus later = PullStatuses.prePull(List.of(new ContainerPull("pull-0", IMAGE, Stage.IMAGE_PULL_BACK_OFF, error)), NOW);
    for (PodStatus s : List.of(first, later)) {
      assertEquals("Pending", s.getPhase(), "the kubelet keeps retrying");
      String message = s.getContainerStatuses().get(0).getState().getWaiting().getMessage();
      assertTrue(message.contains("\"" + IMAGE + "\"") && message.contains(error), message);
    }
    assertEquals("ErrImagePull", first.getContainerStatuses().get(0).getState().getWaiting().getReason());
    assertEquals("ImagePullBackOff", later.getContainerStatuses().get(0).getState().getWaiting().getReason());
  }

  @Test
  void aWorkloadPodWaitingForItsImageIsPendingAndNotReady() {
    PodStatus s = PullStatuses.waiting(List.of(ContainerPull.of("app", IMAGE, Stage.PULLING)), NOW);
    assertEquals("Pending", s.getPhase());
    assertEquals("False", s.getConditions().get(0).getStatus());
    assertEquals("ContainerCreating", s.getContainerStatuses().get(0).getState().getWaiting().getReason());
    assertEquals(false, s.getContainerStatuses().get(0).getReady());
  }
}
