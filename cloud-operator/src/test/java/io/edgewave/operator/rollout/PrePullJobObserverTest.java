package io.edgewave.operator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrePullJobObserverTest {
  static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
  static final Duration TIMEOUT = Duration.ofMinutes(30);

  /** A job of revision r2 for nodes, created at T0 plus {@code minutes}, with the given status (YAML, may be empty). */
  static GenericKubernetesResource job(String name, String revision, int minutes, List<String> nodes, String status) {
    return Serialization.unmarshal("""
        apiVersion: operations.kubeedge.io/v1alpha1
        kind: ImagePrePullJob
        metadata:
          name: %s
          creationTimestamp: "%s"
          labels: {edgewave.io/revision: %s, edgewave.io/release: camera, edgewave.io/release-namespace: logistics}
        spec:
          imagePrePullTemplate:
            images: [reg/app:2, reg/models:7]
            nodeNames: %s
        status:
        %s
        """.formatted(name, T0.plusSeconds(60L * minutes), revision, nodes, status.indent(2)),
        GenericKubernetesResource.class);
  }

  static Map<String, StageState> states(Instant now, GenericKubernetesResource... jobs) {
    return PrePullJobObserver.states(List.of(jobs), "r2", now, TIMEOUT);
  }

  @Test
  void everyImagePulledIsStagedInBothStatusShapes() {
    var flat = job("j1", "r2", 0, List.of("n1"), """
        state: successful
        status:
        - nodeName: n1
          state: successful
          imageStatus: [{image: reg/app:2, state: successful}, {image: reg/models:7, state: successful}]""");
    assertEquals(Map.of("n1", StageState.staged(T0)), states(T0.plusSeconds(90), flat));
    var nested = job("j1", "r2", 0, List.of("n1"), """
        state: successful
        status:
        - nodeStatus: {nodeName: n1, action: Success, event: Pull, state: ""}
          imageStatus: [{image: reg/app:2, state: successful}, {image: reg/models:7, state: successful}]""");
    assertEquals(Map.of("n1", StageState.staged(T0)), states(T0.plusSeconds(90), nested));
  }

  @Test
  void aFailedImageFailsItsNodeNamingTheImageAndTheReason() {
    var j = job("j1", "r2", 0, List.of("n1", "n2"), """
        state: prepulling
        status:
        - nodeName: n1
          state: failed
          reason: "image pull failed"
          imageStatus:
          - {image: reg/app:2, state: failed, reason: "rpc error: manifest unknown"}
          - {image: reg/models:7, state: successful}
        - nodeName: n2
          state: successful
          imageStatus: [{image: reg/app:2, state: successful}, {image: reg/models:7, state: successful}]""");
    assertEquals(Map.of("n1", StageState.failed("reg/app:2: rpc error: manifest unknown", T0), "n2",
        StageState.staged(T0)), states(T0.plusSeconds(60), j));
  }

  @Test
  void aNodeThatFailedWithoutAFailedImageCarriesKubeEdgesReason() {
    var j = job("j1", "r2", 0, List.of("n1"), """
        status:
        - nodeStatus: {nodeName: n1, action: Failure, reason: "disk check failed: 92% used"}""");
    assertEquals(StageState.failed("KubeEdge: disk check failed: 92% used", T0), states(T0, j).get("n1"));
  }

  @Test
  void aNodeNamedButNotReportedPullsUntilTheTimeoutThenFails() {
    // kubeedge/kubeedge#5531: a node cloudcore does not know gets no status entry at all
    var j = job("j1", "r2", 0, List.of("n1", "ghost"), """
        state: prepulling
        status:
        - {nodeName: n1, state: prepulling}""");
    assertEquals(Map.of("n1", StageState.pulling(T0), "ghost", StageState.pulling(T0)),
        states(T0.plus(TIMEOUT).minusSeconds(1), j));
    Map<String, StageState> late = states(T0.plus(TIMEOUT), j);
    assertEquals(StageState.Kind.FAILED, late.get("ghost").kind());
    assertEquals("no report from KubeEdge for this node within 30m (spec.strategy.staging.timeout); is it an edge node "
        + "cloudcore knows?", late.get("ghost").reason());
    assertEquals("images not pulled within 30m (spec.strategy.staging.timeout)", late.get("n1").reason());
  }

  @Test
  void aJobThatEndedWithoutAWordOnANodeFailsThatNode() {
    var j = job("j1", "r2", 0, List.of("n1", "n2"), """
        state: failed
        reason: "node n2 not found"
        status:
        - {nodeName: n1, state: successful}""");
    assertEquals(StageState.staged(T0), states(T0, j).get("n1"));
    assertEquals(StageState.failed("ImagePrePullJob j1 ended failed without a report for this node: node n2 not found",
        T0), states(T0, j).get("n2"));
  }

  @Test
  void aJobWithoutStatusYetIsPulling() {
    assertEquals(Map.of("n1", StageState.pulling(T0)), states(T0, job("j1", "r2", 0, List.of("n1"), "{}")));
  }

  @Test
  void jobsOfOtherRevisionsSayNothingAndANewerJobWins() {
    var old = job("j0", "r1", 0, List.of("n1"), "status: [{nodeName: n1, state: successful}]");
    assertEquals(Map.of(), states(T0, old));
    var first = job("j1", "r2", 0, List.of("n1"), "status: [{nodeName: n1, state: failed, reason: x}]");
    var second = job("j2", "r2", 5, List.of("n1"), "status: [{nodeName: n1, state: successful}]");
    assertEquals(Map.of("n1", StageState.staged(T0.plusSeconds(300))), states(T0.plusSeconds(400), second, first));
  }

  @Test
  void mergingPodsAndJobsKeepsTheBestWord() {
    var pods = Map.of("a", StageState.failed("x", T0), "b", StageState.staged(T0));
    var jobs = Map.of("a", StageState.pulling(T0), "b", StageState.failed("y", T0), "c", StageState.pulling(T0));
    assertEquals(Map.of("a", StageState.pulling(T0), "b", StageState.staged(T0), "c", StageState.pulling(T0)),
        StagingObserver.merge(pods, jobs));
  }

  @Test
  void timeANodeWasAwayDoesNotCountAgainstItsPull() {
    var j = job("j1", "r2", 0, List.of("n1", "n2"), """
        state: prepulling
        status:
        - {nodeName: n1, state: prepulling}
        - {nodeName: n2, state: prepulling}""");
    Instant back = T0.plus(Duration.ofMinutes(25)); // n1 was offline, reachable again since T0+25m
    Map<String, StageState> s = PrePullJobObserver.states(List.of(j), "r2", T0.plus(TIMEOUT), TIMEOUT,
        Map.of("n1", back, "n2", T0.minusSeconds(3600)));
    assertEquals(StageState.pulling(back), s.get("n1"), "a full timeout from its return");
    assertEquals(StageState.Kind.FAILED, s.get("n2").kind(), "reachable all along: timed out");
    assertEquals(StageState.Kind.FAILED, PrePullJobObserver.states(List.of(j), "r2", back.plus(TIMEOUT), TIMEOUT,
        Map.of("n1", back)).get("n1").kind());
  }
}
