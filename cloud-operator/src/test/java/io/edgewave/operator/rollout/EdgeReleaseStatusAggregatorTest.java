package io.edgewave.operator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.v1alpha1.Condition;
import io.edgewave.operator.api.v1alpha1.EdgeReleaseStatus;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EdgeReleaseStatusAggregatorTest {
  static final Instant T = Instant.parse("2026-12-01T00:00:00Z");

  static RolloutDecision decision(Phase phase, int nodes, int failed) {
    List<NodeFailure> failures = new ArrayList<>();
    for (int i = failed - 1; i >= 0; i--) failures.add(new NodeFailure("node-" + i, 1, "early", "CrashLoopBackOff"));
    List<WaveMark> marks = List.of(new WaveMark("canary", T, T, null), new WaveMark("early", T, null, null));
    return new RolloutDecision(phase, new Progress("abc", "old", phase, marks, T, null), 1, List.of(), null, "msg",
        List.of(new WaveTally("canary", 1, 1, 1, 0, 0, 0), new WaveTally("early", nodes - 1, nodes - 1, nodes - 1 - failed, failed, 0, 0)),
        failures, List.of(), List.of());
  }

  @Test
  void statusSizeIsFlatInTheNumberOfNodesAndFailures() {
    int small = Serialization.asJson(EdgeReleaseStatusAggregator.aggregate(decision(Phase.Progressing, 100, 30), null, 1, T)).length();
    int large = Serialization.asJson(EdgeReleaseStatusAggregator.aggregate(decision(Phase.Progressing, 10_000, 3_000), null, 1, T)).length();
    // only the digits of the counts and of sampled node names grow; no entry is added per node
    assertTrue(large - small < 100, small + " vs " + large + " bytes");
    assertTrue(large < 4096, large + " bytes");
  }

  @Test
  void keepsAtMostTwentyFailureSamplesSortedByNode() {
    EdgeReleaseStatus s = EdgeReleaseStatusAggregator.aggregate(decision(Phase.Progressing, 100, 30), null, 1, T);
    assertEquals(20, s.getFailures().size());
    assertEquals("node-0", s.getFailures().get(0).getNode());
    assertEquals("node-18", s.getFailures().get(10).getNode(), "string order: node-0, node-1, node-10 ...");
    assertEquals(30, s.getTotals().getFailed());
    assertEquals("2/2 early", s.getCurrentWaveName());
  }

  @Test
  void conditionTransitionTimeIsKeptUntilItsStatusChanges() {
    EdgeReleaseStatus first = EdgeReleaseStatusAggregator.aggregate(decision(Phase.Progressing, 10, 0), null, 1, T);
    EdgeReleaseStatus same = EdgeReleaseStatusAggregator.aggregate(decision(Phase.Progressing, 10, 1), first, 1, T.plusSeconds(60));
    EdgeReleaseStatus done = EdgeReleaseStatusAggregator.aggregate(decision(Phase.Succeeded, 10, 1), same, 1, T.plusSeconds(120));
    assertEquals(T.toString(), cond(same, Condition.PROGRESSING).getLastTransitionTime());
    assertEquals(T.plusSeconds(60).toString(), cond(same, Condition.DEGRADED).getLastTransitionTime());
    assertEquals("True", cond(done, Condition.READY).getStatus());
    assertEquals(T.plusSeconds(120).toString(), cond(done, Condition.READY).getLastTransitionTime());
    assertEquals("NodesFailed", cond(done, Condition.DEGRADED).getReason());
  }

  @Test
  void degradedHeartbeatIngestShowsAsACondition() {
    EdgeReleaseStatus s = EdgeReleaseStatusAggregator.aggregate(decision(Phase.Progressing, 10, 0), null, 1, T,
        "broker connection down");
    assertEquals("True", cond(s, Condition.HEARTBEAT_INGEST_DEGRADED).getStatus());
    assertTrue(cond(s, Condition.HEARTBEAT_INGEST_DEGRADED).getMessage().startsWith("broker connection down; no node is declared lost"));
    assertEquals("False", cond(EdgeReleaseStatusAggregator.aggregate(decision(Phase.Progressing, 10, 0), s, 1, T, null),
        Condition.HEARTBEAT_INGEST_DEGRADED).getStatus());
  }

  @Test
  void invalidStatusNamesTheFieldAndKeepsResumableProgress() {
    EdgeReleaseStatus running = EdgeReleaseStatusAggregator.aggregate(decision(Phase.Progressing, 10, 0), null, 1, T);
    EdgeReleaseStatus invalid = EdgeReleaseStatusAggregator.invalid("spec.strategy.waves[1].size: bad", running, 2, T);
    assertEquals(Phase.Invalid, invalid.getPhase());
    assertEquals("True", cond(invalid, Condition.INVALID).getStatus());
    assertEquals("spec.strategy.waves[1].size: bad", cond(invalid, Condition.INVALID).getMessage());
    assertEquals("abc", EdgeReleaseStatusAggregator.progressOf(invalid).revision());
  }

  static Condition cond(EdgeReleaseStatus s, String type) {
    return s.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }
}
