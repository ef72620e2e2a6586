package io.edgewave.operator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.edgewave.operator.rollout.NodeView.PodState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A pod's state read as a person would: Ready since when, failed for good and why, or still coming up. */
class PodHealthTest {
  static final String READY_AT = "2026-11-30T16:02:05Z";

  @Test
  void aReadyPodIsReadySinceItsReadyConditionTurnedTrue() {
    PodHealth.Health h = PodHealth.of(pod("Running", List.of(running(0)), List.of(
        condition("PodScheduled", "True", "2026-11-30T16:00:00Z"), condition("Ready", "True", READY_AT))));
    assertEquals(PodState.READY, h.state());
    assertNull(h.reason());
    assertEquals(Instant.parse(READY_AT), h.readySince());
    assertEquals(0, h.restarts());
  }

  @Test
  void aReadyConditionWithoutAReadableTimeIsReadyWithoutASince() {
    assertEquals(new PodHealth.Health(PodState.READY, null, null, 0),
        PodHealth.of(pod("Running", List.of(running(0)), List.of(condition("Ready", "True", null)))));
    assertEquals(new PodHealth.Health(PodState.READY, null, null, 0),
        PodHealth.of(pod("Running", List.of(running(0)), List.of(condition("Ready", "True", "yesterday")))));
  }

  @Test
  void aRunningPodNotYetReadyIsPendingWithoutASince() {
    PodHealth.Health h = PodHealth.of(pod("Running", List.of(running(1)), List.of(condition("Ready", "False", READY_AT))));
    assertEquals(new PodHealth.Health(PodState.PENDING, null, null, 1), h);
  }

  @Test
  void aPodWithoutStatusOrStillCreatingIsPending() {
    assertEquals(PodState.PENDING, PodHealth.of(new PodBuilder().withNewMetadata().withName("p").endMetadata().build()).state());
    assertEquals(new PodHealth.Health(PodState.PENDING, null, null, 0),
        PodHealth.of(pod("Pending", List.of(waiting("ContainerCreating", 0)), List.of())));
  }

  @Test
  void aCrashLoopFailsWithItsReasonAndTheMostRestartsOfAnyContainer() {
    PodHealth.Health h = PodHealth.of(pod("Running", List.of(running(1), waiting("CrashLoopBackOff", 3)),
        List.of(condition("Ready", "False", READY_AT))));
    assertEquals(new PodHealth.Health(PodState.FAILED, "CrashLoopBackOff", null, 3), h);
  }

  @Test
  void aCrashLoopingSidecarFailsAPodWhoseReadyConditionIsStillTrue() {
    PodHealth.Health h = PodHealth.of(pod("Running", List.of(running(0), waiting("CrashLoopBackOff", 4)),
        List.of(condition("Ready", "True", READY_AT))));
    assertEquals(new PodHealth.Health(PodState.FAILED, "CrashLoopBackOff", null, 4), h);
  }

  @Test
  void aCrashLoopingInitContainerFailsThePod() {
    Pod pod = pod("Pending", List.of(waiting("PodInitializing", 0)), List.of());
    pod.getStatus().setInitContainerStatuses(List.of(waiting("CrashLoopBackOff", 5)));
    assertEquals(new PodHealth.Health(PodState.FAILED, "CrashLoopBackOff", null, 5), PodHealth.of(pod));
  }

  @Test
  void anImageThatCannotBePulledFailsThePod() {
    assertEquals(new PodHealth.Health(PodState.FAILED, "ImagePullBackOff", null, 0),
        PodHealth.of(pod("Pending", List.of(waiting("ImagePullBackOff", 0)), List.of())));
    assertEquals(new PodHealth.Health(PodState.FAILED, "ErrImagePull", null, 0),
        PodHealth.of(pod("Pending", List.of(waiting("ErrImagePull", 0)), List.of())));
  }

  @Test
  void aFailedPhaseFailsThePodWithItsReasonOrPodFailed() {
    Pod evicted = pod("Failed", List.of(running(2)), List.of(condition("Ready", "True", READY_AT)));
    evicted.getStatus().setReason("Evicted");
    assertEquals(new PodHealth.Health(PodState.FAILED, "Evicted", null, 2), PodHealth.of(evicted));
    assertEquals(new PodHealth.Health(PodState.FAILED, "PodFailed", null, 0),
        PodHealth.of(pod("Failed", List.of(), List.of())));
  }

  static Pod pod(String phase, List<ContainerStatus> containers, List<PodCondition> conditions) {
    return new PodBuilder().withNewMetadata().withName("scan-upload-hz-01-abc").endMetadata()
        .withNewStatus().withPhase(phase).withContainerStatuses(containers).withConditions(conditions).endStatus()
        .build();
  }

  static PodCondition condition(String type, String status, String lastTransitionTime) {
    return new PodConditionBuilder().withType(type).withStatus(status).withLastTransitionTime(lastTransitionTime).build();
  }

  static ContainerStatus running(int restarts) {
    return new ContainerStatusBuilder().withName("app").withRestartCount(restarts).withNewState().withNewRunning()
        .withStartedAt("2026-11-30T16:01:00Z").endRunning().endState().build();
  }

  static ContainerStatus waiting(String reason, int restarts) {
    return new ContainerStatusBuilder().withName("app-" + reason.toLowerCase()).withRestartCount(restarts)
        .withNewState().withNewWaiting().withReason(reason).endWaiting().endState().build();
  }
}
