package io.edgewave.operator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StagingObserverTest {
  static final Instant T0 = Instant.parse("2026-12-03T00:00:00Z");
  static final Duration TIMEOUT = Duration.ofMinutes(30);

  static Pod prepull(String node, String revision, String phase, ContainerStatus... statuses) {
    return new PodBuilder().withNewMetadata().withName(node + "-prepull").withCreationTimestamp(T0.toString())
        .withLabels(Map.of(Labels.PREPULL, "true", Labels.REVISION, revision, Labels.RELEASE, "app"))
        .withAnnotations(Map.of(Labels.NODE_NAME, node)).endMetadata()
        .withNewSpec().addNewContainer().withName("pull-0").withImage("reg/app:2.0").endContainer().endSpec()
        .withNewStatus().withPhase(phase).withContainerStatuses(statuses).endStatus().build();
  }

  static ContainerStatus waiting(String reason, String message) {
    return new ContainerStatusBuilder().withName("pull-0").withImage("reg/app:2.0").withNewState().withNewWaiting()
        .withReason(reason).withMessage(message).endWaiting().endState().build();
  }

  static ContainerStatus ran(String reason, int exitCode) {
    return new ContainerStatusBuilder().withName("pull-0").withImage("reg/app:2.0").withImageID("sha256:abc")
        .withNewState().withNewTerminated().withReason(reason).withExitCode(exitCode).endTerminated().endState().build();
  }

  static StageState one(Pod p, Instant now) {
    return StagingObserver.states(List.of(p), "r2", now, TIMEOUT).get("gpu-1");
  }

  @Test
  void aPodWhoseImagesArePulledIsStagedWhatEverItsCommandDid() {
    assertEquals(StageState.Kind.STAGED, one(prepull("gpu-1", "r2", "Succeeded", ran("Completed", 0)), T0).kind());
    // an image without /bin/true cannot run it, but it is on the node
    assertEquals(StageState.Kind.STAGED, one(prepull("gpu-1", "r2", "Failed", ran("StartError", 128)), T0).kind());
  }

  @Test
  void anImageTheRegistryDoesNotHaveFailsAtOnceNamingTheImageAndTheError() {
    Pod p = prepull("gpu-1", "r2", "Pending", waiting("ErrImagePull", "manifest for reg/app:2.0 not found"));
    StageState s = one(p, T0.plusSeconds(30));
    assertEquals(StageState.Kind.FAILED, s.kind());
    assertEquals("reg/app:2.0: manifest for reg/app:2.0 not found", s.reason());
    assertEquals(StageState.Kind.FAILED, one(prepull("gpu-1", "r2", "Pending", waiting("InvalidImageName", null)),
        T0).kind(), "an invalid name cannot get better");
  }

  @Test
  void aRegistryHiccupIsRetriedUntilTheTimeoutWhenEverItComes() {
    // a 500 MB pull over a thin uplink takes more than minutes: a reset late in it is no reason to give up
    Pod p = prepull("gpu-1", "r2", "Pending", waiting("ErrImagePull", "read tcp 10.0.0.5:443: connection reset by peer"));
    StageState late = one(p, T0.plus(Duration.ofMinutes(20)));
    assertEquals(StageState.Kind.PULLING, late.kind(), "the kubelet retries it");
    assertEquals("ErrImagePull: reg/app:2.0: read tcp 10.0.0.5:443: connection reset by peer", late.reason());
    StageState out = one(p, T0.plus(TIMEOUT));
    assertEquals(StageState.Kind.FAILED, out.kind());
    assertEquals("reg/app:2.0: read tcp 10.0.0.5:443: connection reset by peer (still failing after 30m)", out.reason());
  }

  @Test
  void aPodTheKubeletThrewOutIsNoRecordSoTheNodeIsStagedAgain() {
    Pod evicted = new PodBuilder(prepull("gpu-1", "r2", "Failed", waiting("ContainerCreating", null))).editStatus()
        .withReason("Evicted").endStatus().build();
    assertNull(one(evicted, T0), "evicted for disk pressure: says nothing about the image");
    assertTrue(StagingObserver.thrownOut(evicted));
    Pod timedOut = new PodBuilder(prepull("gpu-1", "r2", "Failed", waiting("ContainerCreating", null))).editStatus()
        .withReason("DeadlineExceeded").endStatus().build();
    assertEquals(StageState.Kind.FAILED, one(timedOut, T0).kind(), "its own deadline: the pull took too long");
  }

  @Test
  void aPullThatTakesLongerThanTheTimeoutFails() {
    Pod p = prepull("gpu-1", "r2", "Pending", waiting("ContainerCreating", null));
    assertEquals(StageState.Kind.PULLING, one(p, T0.plus(TIMEOUT).minusSeconds(1)).kind());
    assertEquals(StageState.Kind.FAILED, one(p, T0.plus(TIMEOUT)).kind());
  }

  @Test
  void onlyPrePullPodsOfTheRevisionSpeak() {
    assertNull(one(prepull("gpu-1", "r1", "Succeeded", ran("Completed", 0)), T0), "another revision's pod");
    Pod workload = new PodBuilder(prepull("gpu-1", "r2", "Running")).editMetadata()
        .withLabels(Map.of(Labels.REVISION, "r2")).endMetadata().build();
    assertNull(one(workload, T0), "the workload's own pod is not staging");
  }

  @Test
  void aBackOffThatDoesNotSayWhyReportsTheErrorOfTheLastPull() {
    Pod pulling = prepull("gpu-1", "r2", "Pending", waiting("ErrImagePull",
        "rpc error: code = Unknown desc = dial tcp 10.1.0.9:443: i/o timeout"));
    String error = StagingObserver.pullErrorToRecord(pulling);
    assertEquals("reg/app:2.0: rpc error: code = Unknown desc = dial tcp 10.1.0.9:443: i/o timeout", error);
    Pod backOff = new PodBuilder(prepull("gpu-1", "r2", "Pending", waiting("ImagePullBackOff",
        "Back-off pulling image \"reg/app:2.0\""))).editMetadata().addToAnnotations(Labels.PULL_ERROR, error)
        .endMetadata().build();
    assertNull(StagingObserver.pullErrorToRecord(backOff), "nothing new to record during the back-off");
    assertEquals(StageState.Kind.PULLING, one(backOff, T0.plusSeconds(60)).kind(), "a timeout is retried");
    assertEquals("ImagePullBackOff: reg/app:2.0: rpc error: code = Unknown desc = dial tcp 10.1.0.9:443: i/o timeout",
        one(backOff, T0.plusSeconds(60)).reason(), "while it retries, the registry's error shows");
    assertEquals("reg/app:2.0: rpc error: code = Unknown desc = dial tcp 10.1.0.9:443: i/o timeout (still failing "
        + "after 30m)", one(backOff, T0.plus(TIMEOUT)).reason(), "the registry's error, not the back-off's words");
    Pod unrecorded = prepull("gpu-1", "r2", "Pending", waiting("ImagePullBackOff",
        "Back-off pulling image \"reg/app:2.0\""));
    assertEquals("reg/app:2.0: Back-off pulling image \"reg/app:2.0\" (still failing after 30m)",
        one(unrecorded, T0.plus(TIMEOUT)).reason(), "without a record, the kubelet's own words");
  }

  @Test
  void aRecordedErrorThatRetryingCannotHelpFailsTheNodeDuringTheBackOff() {
    Pod backOff = new PodBuilder(prepull("gpu-1", "r2", "Pending", waiting("ImagePullBackOff",
        "Back-off pulling image \"reg/app:2.0\""))).editMetadata().addToAnnotations(Labels.PULL_ERROR,
        "reg/app:2.0: failed to resolve reference: unexpected status 401 Unauthorized").endMetadata().build();
    StageState s = one(backOff, T0.plusSeconds(60));
    assertEquals(StageState.Kind.FAILED, s.kind());
    assertEquals("reg/app:2.0: failed to resolve reference: unexpected status 401 Unauthorized", s.reason());
    // a kubelet from 1.32 on says why itself: its words are kept
    Pod newer = prepull("gpu-1", "r2", "Pending", waiting("ImagePullBackOff",
        "Back-off pulling image \"reg/app:2.0\": ErrImagePull: manifest unknown"));
    assertEquals("reg/app:2.0: Back-off pulling image \"reg/app:2.0\": ErrImagePull: manifest unknown",
        one(newer, T0).reason());
  }

  /** What a kubelet writes for a container it never started when it kills the pod (TerminatePod). */
  static ContainerStatus neverStarted() {
    return new ContainerStatusBuilder().withName("pull-0").withImage("reg/app:2.0").withNewState().withNewTerminated()
        .withReason("ContainerStatusUnknown").withExitCode(137)
        .withMessage("The container could not be located when the pod was terminated").endTerminated().endState()
        .build();
  }

  @Test
  void aPodKilledBeforeItsImagesArrivedIsNotStaged() {
    Pod timedOut = new PodBuilder(prepull("gpu-1", "r2", "Failed", neverStarted())).editStatus()
        .withReason("DeadlineExceeded").endStatus().build();
    assertEquals(StageState.Kind.FAILED, one(timedOut, T0.plusSeconds(60)).kind(), "its deadline: not pulled in time");
    Pod evicted = new PodBuilder(prepull("gpu-1", "r2", "Failed", neverStarted())).editStatus()
        .withReason("Evicted").endStatus().build();
    assertTrue(StagingObserver.thrownOut(evicted), "evicted for disk pressure mid-pull: no record, staged again");
    assertNull(one(evicted, T0.plusSeconds(60)));
  }

  @Test
  void timeTheNodeWasAwayDoesNotCountAgainstItsPull() {
    Pod p = prepull("gpu-1", "r2", "Pending", waiting("ContainerCreating", null));
    Instant back = T0.plus(Duration.ofMinutes(25));
    var s = StagingObserver.states(List.of(p), "r2", T0.plus(TIMEOUT), TIMEOUT, Map.of("gpu-1", back)).get("gpu-1");
    assertEquals(StageState.pulling(back), s, "a full timeout from its return");
    assertEquals(StageState.Kind.FAILED, StagingObserver.states(List.of(p), "r2", back.plus(TIMEOUT), TIMEOUT,
        Map.of("gpu-1", back)).get("gpu-1").kind());
    // its own deadline (the timeout from its start) killed it while the node was away: no record, staged again
    Pod killed = new PodBuilder(prepull("gpu-1", "r2", "Failed", neverStarted())).editStatus()
        .withReason("DeadlineExceeded").endStatus().build();
    assertTrue(StagingObserver.thrownOut(killed, back));
    assertNull(StagingObserver.states(List.of(killed), "r2", back.plusSeconds(5), TIMEOUT, Map.of("gpu-1", back))
        .get("gpu-1"));
    assertEquals(StageState.Kind.FAILED, StagingObserver.states(List.of(killed), "r2", back, TIMEOUT,
        Map.of("gpu-1", T0.minusSeconds(60))).get("gpu-1").kind(), "reachable all along: its deadline is a failure");
  }

  @Test
  void aPodThrownOutOnTheLastAttemptIsTheNodesStagingFailure() {
    Pod evicted = new PodBuilder(prepull("gpu-1", "r2", "Failed", neverStarted())).editMetadata()
        .addToAnnotations(Labels.STAGE_ATTEMPT, String.valueOf(StagingObserver.MAX_ATTEMPTS)).endMetadata()
        .editStatus().withReason("Evicted").withMessage("The node was low on resource: ephemeral-storage.")
        .endStatus().build();
    assertFalse(StagingObserver.thrownOut(evicted, null));
    StageState s = one(evicted, T0.plusSeconds(60));
    assertEquals(StageState.Kind.FAILED, s.kind());
    assertEquals("pre-pull pod Evicted: The node was low on resource: ephemeral-storage. (attempt 3 of 3)", s.reason());
    Pod earlier = new PodBuilder(evicted).editMetadata().addToAnnotations(Labels.STAGE_ATTEMPT, "2").endMetadata()
        .build();
    assertTrue(StagingObserver.thrownOut(earlier, null), "before the last attempt: staged again");
  }

  @Test
  void aLaterAttemptSpeaksForItsNodeNotTheOneItReplaced() {
    Pod old = new PodBuilder(prepull("gpu-1", "r2", "Failed", neverStarted())).editStatus().withReason("Evicted")
        .endStatus().build();
    Pod next = new PodBuilder(prepull("gpu-1", "r2", "Pending", waiting("ContainerCreating", null))).editMetadata()
        .withName("gpu-1-prepull-2").addToAnnotations(Labels.STAGE_ATTEMPT, "2").endMetadata().build();
    assertEquals(StageState.Kind.PULLING, StagingObserver.states(List.of(next, old), "r2", T0, TIMEOUT).get("gpu-1")
        .kind());
  }

  @Test
  void whetherADeadlineKillWasTimeAwayIsJudgedOnceSoALaterBlipCannotUndoARealTimeout() {
    Pod killed = new PodBuilder(prepull("gpu-1", "r2", "Failed", neverStarted())).editStatus()
        .withReason("DeadlineExceeded").withStartTime(T0.toString()).endStatus().build();
    // first seen with the node reachable all along: a real timeout, recorded so
    assertEquals("true", StagingObserver.reachabilityToRecord(killed, T0.minusSeconds(3600)));
    Pod recorded = new PodBuilder(killed).editMetadata().addToAnnotations(Labels.REACHABLE_THROUGHOUT, "true")
        .endMetadata().build();
    Instant blip = T0.plus(TIMEOUT).plusSeconds(120); // the node blips after the kill
    assertFalse(StagingObserver.thrownOut(recorded, blip), "a blip after the kill does not make it time away");
    assertEquals(StageState.Kind.FAILED, StagingObserver.states(List.of(recorded), "r2", blip.plusSeconds(5), TIMEOUT,
        Map.of("gpu-1", blip)).get("gpu-1").kind());
    assertNull(StagingObserver.reachabilityToRecord(recorded, blip), "recorded once");
    // first seen right after the node came back from being away: time away, staged again
    assertEquals("false", StagingObserver.reachabilityToRecord(killed, blip));
    Pod away = new PodBuilder(killed).editMetadata().addToAnnotations(Labels.REACHABLE_THROUGHOUT, "false")
        .endMetadata().build();
    assertTrue(StagingObserver.thrownOut(away, null));
  }
}
