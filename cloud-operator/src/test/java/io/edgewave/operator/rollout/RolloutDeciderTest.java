package io.edgewave.operator.rollout;

import static io.edgewave.operator.plan.Fleet.centers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.v1alpha1.OfflineNodes;
import io.edgewave.operator.api.v1alpha1.OnFailure;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.plan.Amount;
import io.edgewave.operator.fleet.NodeFacts;
import io.edgewave.operator.plan.NodeSelector;
import io.edgewave.operator.plan.PreflightPolicy;
import io.edgewave.operator.plan.ReleasePolicy;
import io.edgewave.operator.plan.TargetNode;
import io.edgewave.operator.plan.WavePlan;
import io.edgewave.operator.plan.WavePlanner;
import io.edgewave.operator.plan.WavePolicy;
import io.edgewave.operator.plan.WindowPolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Drives the pure decider through whole rollouts with a fake fleet that applies its actions. */
class RolloutDeciderTest {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  /** A tiny world: the decider's actions become Deployment revisions; pods are told to succeed or fail. */
  static final class World {
    final List<TargetNode> targets;
    final Map<String, NodeView> nodes = new HashMap<>();
    final Map<String, Integer> moves = new HashMap<>();
    ReleasePolicy policy;
    Progress progress;
    Instant now = T0;
    Set<String> approvals = Set.of();
    Set<String> failing = Set.of();
    Map<String, NodeFacts> facts = new HashMap<>();
    RolloutInput.Abort abort = RolloutInput.Abort.NONE;
    String blind;
    RolloutDecision last;

    World(int n, ReleasePolicy policy) {
      this.targets = centers(n, 10);
      this.policy = policy;
      for (TargetNode t : targets) nodes.put(t.name(), NodeView.fresh(t.name(), t.labels(), true));
    }

    WavePlan plan() { return WavePlanner.plan(policy, targets, "ns/rel"); }

    RolloutDecision step(String revision) {
      last = RolloutDecider.decide(new RolloutInput(now, revision, policy, plan(), Map.copyOf(nodes), progress,
          approvals, 1000, Map.copyOf(facts), abort, blind));
      progress = last.progress();
      for (NodeAction a : last.actions()) {
        NodeView v = nodes.get(a.node());
        if (a instanceof NodeAction.Dispatch d) {
          moves.merge(a.node() + "@" + revision, 1, Integer::sum);
          nodes.put(a.node(), new NodeView(v.name(), v.labels(), v.online(), revision, NodeView.PodState.PENDING,
              null, now, d.fromRevision()));
        } else if (a instanceof NodeAction.Revert r) {
          nodes.put(a.node(), new NodeView(v.name(), v.labels(), v.online(), r.toRevision(), NodeView.PodState.READY,
              null, now, null));
        }
      }
      return last;
    }

    /** The kubelet: pending pods become Ready, or crash-loop on failing nodes. */
    void kubelet() {
      nodes.replaceAll((k, v) -> v.pod() != NodeView.PodState.PENDING ? v
          : new NodeView(v.name(), v.labels(), v.online(), v.revision(),
              failing.contains(k) ? NodeView.PodState.FAILED : NodeView.PodState.READY,
              failing.contains(k) ? "CrashLoopBackOff" : null, v.dispatchedAt(), v.previousRevision()));
    }

    void offline(String node, boolean offline) {
      NodeView v = nodes.get(node);
      nodes.put(node, new NodeView(v.name(), v.labels(), !offline, v.revision(), v.pod(), v.podReason(),
          v.dispatchedAt(), v.previousRevision()));
    }

    int dispatched() { return (int) last.actions().stream().filter(a -> a instanceof NodeAction.Dispatch).count(); }
  }

  static ReleasePolicy policy(List<WavePolicy> waves, OnFailure onFailure, OfflineNodes offline,
      List<WindowPolicy> windows) {
    return new ReleasePolicy(NodeSelector.labels(Map.of("edgewave.io/class", "transit-center")), Set.of(), Set.of(),
        waves, null, Duration.ofMinutes(15), onFailure, offline, null, windows, false, null, null);
  }

  static WavePolicy wave(String name, String size, Duration bake, String maxFailures, boolean approval) {
    return new WavePolicy(name, size == null ? null : Amount.parse(size), null, List.of(), bake,
        maxFailures == null ? null : Amount.parse(maxFailures), approval);
  }

  static final List<WavePolicy> THREE = List.of(wave("canary", "1", Duration.ofMinutes(30), null, false),
      wave("early", "10%", Duration.ZERO, "1", false), wave("rest", null, Duration.ZERO, "5%", false));

  @Test
  void threeWavesRunInOrderWithBakeTimeAndEveryNodeMovedOnce() {
    World w = new World(30, policy(THREE, OnFailure.Halt, OfflineNodes.Skip, List.of()));
    w.step("r1");
    assertEquals(Phase.Progressing, w.last.phase());
    assertEquals(1, w.dispatched(), "only the canary starts");
    w.kubelet();
    w.step("r1");
    assertEquals(Phase.Baking, w.last.phase());
    assertEquals(Duration.ofMinutes(30), w.last.requeueAfter());
    w.now = T0.plus(Duration.ofMinutes(29));
    w.step("r1");
    assertEquals(0, w.dispatched(), "nothing starts while the canary bakes");
    w.now = T0.plus(Duration.ofMinutes(30));
    w.step("r1");
    assertEquals(3, w.dispatched());
    w.kubelet();
    w.step("r1");
    assertEquals(26, w.dispatched());
    w.kubelet();
    w.step("r1");
    assertEquals(Phase.Succeeded, w.last.phase());
    assertEquals(3, w.last.currentWave());
    assertEquals(30, w.moves.size());
    assertTrue(w.moves.values().stream().allMatch(c -> c == 1));
    w.step("r1");
    assertEquals(0, w.dispatched(), "a finished rollout writes nothing");
  }

  @Test
  void haltsWhenWaveExceedsMaxFailures() {
    World w = new World(30, policy(THREE, OnFailure.Halt, OfflineNodes.Skip, List.of()));
    w.step("r1");
    w.kubelet();
    w.step("r1"); // the canary completes and bakes
    w.now = T0.plus(Duration.ofHours(1));
    w.step("r1"); // early: 3 nodes, maxFailures 1
    List<String> early = w.plan().waves().get(1).nodes();
    w.failing = Set.of(early.get(0), early.get(1));
    w.kubelet();
    w.step("r1");
    assertEquals(Phase.Halted, w.last.phase());
    assertTrue(w.last.message().contains("wave early has 2 failed nodes, more than maxFailures 1"), w.last.message());
    assertEquals(2, w.last.failures().size());
    assertEquals("CrashLoopBackOff", w.last.failures().get(0).reason());
    w.step("r1");
    assertEquals(Phase.Halted, w.last.phase());
    assertEquals(0, w.dispatched(), "a halted rollout starts nothing");
    w.step("r2");
    assertEquals(Phase.Progressing, w.last.phase(), "a new revision starts a new rollout");
    assertEquals("r1", w.last.progress().previousRevision());
  }

  @Test
  void rollbackReturnsUpdatedNodesToTheirPreviousRevision() {
    World w = new World(30, policy(THREE, OnFailure.Rollback, OfflineNodes.Skip, List.of()));
    w.step("r1");
    w.kubelet();
    w.step("r1"); // the canary completes and bakes
    w.now = T0.plus(Duration.ofHours(1));
    w.step("r1");
    w.kubelet();
    w.step("r1");
    w.kubelet();
    w.step("r1");
    assertEquals(Phase.Succeeded, w.last.phase());
    w.step("r2");
    w.failing = Set.copyOf(w.plan().waves().get(0).nodes());
    w.kubelet();
    w.step("r2");
    assertEquals(Phase.RollingBack, w.last.phase());
    assertEquals(List.of(new NodeAction.Revert(w.plan().waves().get(0).nodes().get(0), "r1")), w.last.actions());
    w.step("r2");
    assertEquals(Phase.RolledBack, w.last.phase());
    assertTrue(w.nodes.values().stream().allMatch(v -> "r1".equals(v.revision())));
    w.step("r2");
    assertEquals(Phase.RolledBack, w.last.phase());
    assertEquals(0, w.last.actions().size());
  }

  @Test
  void whileHeartbeatsCannotBeTrustedNoNodeStartsAndNoneFailsForMissingHeartbeats() {
    World w = new World(30, policy(THREE, OnFailure.Halt, OfflineNodes.Skip, List.of()));
    w.step("r1");
    w.kubelet();
    w.step("r1"); // the canary is done and bakes for 30 minutes
    w.blind = "broker connection down";
    w.now = T0.plus(Duration.ofHours(1));
    w.step("r1");
    assertEquals(0, w.dispatched(), "the next wave waits while blind");
    assertTrue(w.last.message().startsWith("holding: heartbeat ingest degraded (broker connection down)"), w.last.message());
    assertEquals(Duration.ofSeconds(2), w.last.requeueAfter());
    assertEquals(0, w.last.progress().marks().get(1).startedAt() == null ? 0 : 1, "the wave is not marked started");
    w.blind = null;
    w.step("r1");
    assertEquals(3, w.dispatched(), "back: the wave starts at once");
  }

  @Test
  void aGateCheckDoesNotFailANodeWhileHeartbeatsCannotArrive() {
    ReleasePolicy gated = new ReleasePolicy(NodeSelector.labels(Map.of("edgewave.io/class", "transit-center")), Set.of(),
        Set.of(), THREE, null, Duration.ofMinutes(15), OnFailure.Halt, OfflineNodes.Skip, null, List.of(), false, null,
        List.of("camera"));
    World w = new World(30, gated);
    w.step("r1");
    w.kubelet();
    w.blind = "broker connection down";
    w.now = T0.plus(Duration.ofHours(2)); // far past the progress deadline, no heartbeat since the update
    w.step("r1");
    assertEquals(0, w.last.failures().size(), "not failed for a heartbeat that could not arrive");
    w.blind = null;
    w.step("r1");
    assertEquals(1, w.last.failures().size(), "once heartbeats flow again, the missing check counts");
  }

  @Test
  void abortHaltsWhereTheRolloutIsAndStartsNothingMore() {
    World w = new World(30, policy(THREE, OnFailure.Halt, OfflineNodes.Skip, List.of()));
    w.step("r1");
    w.kubelet();
    w.step("r1"); // canary done, baking
    w.abort = Approvals.abort("r1", "r1");
    w.now = T0.plus(Duration.ofHours(1));
    w.step("r1");
    assertEquals(Phase.Halted, w.last.phase());
    assertEquals(0, w.dispatched(), "the next wave does not start");
    assertTrue(w.last.transitions().stream().anyMatch(t -> t.reason().equals("Aborted")));
    w.step("r1");
    assertEquals(Phase.Halted, w.last.phase());
    assertTrue(w.last.message().contains("aborted"), w.last.message());
    assertEquals(1, w.moves.size());
  }

  @Test
  void abortWithRollbackReturnsUpdatedNodesEvenAfterAHalt() {
    World w = new World(30, policy(THREE, OnFailure.Halt, OfflineNodes.Skip, List.of()));
    w.step("r1");
    w.kubelet();
    w.step("r1");
    w.now = T0.plus(Duration.ofHours(1));
    w.step("r1");
    w.kubelet();
    w.step("r1");
    w.kubelet();
    w.step("r1");
    assertEquals(Phase.Succeeded, w.last.phase());
    w.step("r2");
    w.kubelet();
    w.abort = Approvals.abort("r2", "r2");
    w.step("r2");
    assertEquals(Phase.Halted, w.last.phase());
    w.abort = Approvals.abort("r2/rollback", "r2");
    w.step("r2");
    assertEquals(Phase.RollingBack, w.last.phase());
    w.step("r2");
    assertEquals(Phase.RolledBack, w.last.phase());
    assertEquals("rolled back on abort", w.last.message());
    assertTrue(w.nodes.values().stream().allMatch(v -> "r1".equals(v.revision())));
  }

  @Test
  void anAbortOfAnEarlierRevisionDoesNotStopTheNextOne() {
    assertEquals(RolloutInput.Abort.NONE, Approvals.abort("r1/rollback", "r2"));
    assertEquals(RolloutInput.Abort.HALT, Approvals.abort(" r2 ", "r2"));
    assertEquals(RolloutInput.Abort.NONE, Approvals.abort(null, "r2"));
  }

  @Test
  void approvalHoldsTheWaveUntilItsAnnotationNamesIt() {
    World w = new World(20, policy(List.of(wave("canary", "1", Duration.ZERO, null, false),
        wave("broad", null, Duration.ZERO, null, true)), OnFailure.Halt, OfflineNodes.Skip, List.of()));
    w.step("r1");
    w.kubelet();
    w.step("r1");
    assertEquals(Phase.AwaitingApproval, w.last.phase());
    assertTrue(w.last.message().contains("edgewave.io/approve=broad@r1"));
    assertNull(w.last.requeueAfter());
    w.approvals = Set.of("broad");
    w.step("r1");
    assertEquals(19, w.dispatched());
    assertTrue(w.last.progress().marks().get(1).approvedAt() != null);
  }

  @Test
  void pausedStartsNothingAndResumesWhereItWas() {
    World w = new World(10, policy(THREE, OnFailure.Halt, OfflineNodes.Skip, List.of()));
    ReleasePolicy running = w.policy;
    w.policy = new ReleasePolicy(running.targetSelector(), Set.of(), Set.of(), running.waves(), null,
        running.progressDeadline(), running.onFailure(), running.offlineNodes(), null, List.of(), true, null, null);
    w.step("r1");
    assertEquals(Phase.Paused, w.last.phase());
    assertEquals(0, w.dispatched());
    w.policy = running;
    w.step("r1");
    assertEquals(1, w.dispatched());
  }

  @Test
  void closedWindowHoldsTheWaveAndWakesAtTheNextOpening() {
    var night = new WindowPolicy("0 0 0 * * ?", Duration.ofHours(6), ZoneOffset.UTC, null);
    World w = new World(10, policy(THREE, OnFailure.Halt, OfflineNodes.Skip, List.of(night)));
    w.now = Instant.parse("2026-12-01T12:00:00Z");
    w.step("r1");
    assertEquals(Phase.WaitingForWindow, w.last.phase());
    assertEquals(0, w.dispatched());
    assertEquals(Duration.ofHours(12), w.last.requeueAfter());
    w.now = Instant.parse("2026-12-02T00:00:00Z");
    w.step("r1");
    assertEquals(Phase.Progressing, w.last.phase());
    assertEquals(1, w.dispatched());
  }

  @Test
  void offlineNodesAreSkippedThenCaughtUpWhenTheyReturn() {
    World w = new World(10, policy(List.of(wave("all", null, Duration.ZERO, null, false)), OnFailure.Halt,
        OfflineNodes.Skip, List.of()));
    String lost = w.plan().waves().get(0).nodes().get(0);
    w.offline(lost, true);
    w.step("r1");
    assertEquals(9, w.dispatched());
    w.kubelet();
    w.step("r1");
    assertEquals(Phase.Succeeded, w.last.phase());
    assertEquals(1, w.last.tallies().get(0).offline());
    w.offline(lost, false);
    w.step("r1");
    assertEquals(List.of(new NodeAction.Dispatch(lost, null, "all")), w.last.actions());
  }

  @Test
  void offlineNodesBlockTheWaveWithWaitAndFailItWithFail() {
    World wait = new World(10, policy(List.of(wave("all", null, Duration.ZERO, null, false)), OnFailure.Halt,
        OfflineNodes.Wait, List.of()));
    wait.offline(wait.plan().waves().get(0).nodes().get(0), true);
    wait.step("r1");
    wait.kubelet();
    wait.step("r1");
    assertEquals(Phase.Progressing, wait.last.phase());
    World fail = new World(10, policy(List.of(wave("all", null, Duration.ZERO, null, false)), OnFailure.Halt,
        OfflineNodes.Fail, List.of()));
    fail.offline(fail.plan().waves().get(0).nodes().get(0), true);
    fail.step("r1");
    assertEquals(Phase.Halted, fail.last.phase());
    assertEquals("NodeOffline", fail.last.failures().get(0).reason());
  }

  @Test
  void aNodeLostAfterItsUpdateAndBeforeReadyFailsItsWaveAtOnce() {
    World w = new World(5, policy(List.of(wave("all", null, Duration.ZERO, "0", false)), OnFailure.Halt,
        OfflineNodes.Skip, List.of()));
    w.step("r1");
    String node = w.plan().waves().get(0).nodes().get(2);
    w.offline(node, true);
    w.now = T0.plusSeconds(40);
    w.step("r1");
    assertEquals(Phase.Halted, w.last.phase());
    assertEquals(List.of(new NodeFailure(node, 0, "all", "NodeLostDuringUpdate")), w.last.failures());
  }

  @Test
  void aNodeNotReadyWithinProgressDeadlineFails() {
    World w = new World(5, policy(List.of(wave("all", null, Duration.ZERO, "0", false)), OnFailure.Halt,
        OfflineNodes.Skip, List.of()));
    w.step("r1");
    assertEquals(Duration.ofMinutes(15), w.last.requeueAfter());
    w.now = T0.plus(Duration.ofMinutes(15));
    w.step("r1");
    assertEquals(Phase.Halted, w.last.phase());
    assertEquals("ProgressDeadlineExceeded", w.last.failures().get(0).reason());
  }

  @Test
  void restartFromPersistedProgressNeverRedispatchesOrSkips() {
    World w = new World(30, policy(THREE, OnFailure.Halt, OfflineNodes.Skip, List.of()));
    w.step("r1");
    w.kubelet();
    w.step("r1"); // the canary completes and bakes
    w.now = T0.plus(Duration.ofHours(1));
    w.step("r1");
    // a "restart": progress goes through status and back, nothing else survives
    var status = EdgeReleaseStatusAggregator.aggregate(w.last, null, 1, w.now);
    w.progress = EdgeReleaseStatusAggregator.progressOf(status);
    w.step("r1");
    assertEquals(0, w.dispatched(), "the early wave's nodes are already moving");
    w.kubelet();
    w.step("r1");
    w.kubelet();
    w.step("r1");
    assertEquals(Phase.Succeeded, w.last.phase());
    assertTrue(w.moves.values().stream().allMatch(c -> c == 1));
  }

  static NodeFacts facts(Instant at, long diskGi, String driver, boolean camera) {
    return new NodeFacts(at, diskGi << 30, 4L << 30, driver == null ? 0 : 1, driver == null ? List.of() : List.of(driver),
        Map.of("camera", camera));
  }

  static ReleasePolicy withChecks(ReleasePolicy p, PreflightPolicy preflight, List<String> gates) {
    return new ReleasePolicy(p.targetSelector(), p.explicitNodes(), p.excludedNodes(), p.waves(), p.exponential(),
        p.progressDeadline(), p.onFailure(), p.offlineNodes(), p.notBefore(), p.windows(), p.paused(), preflight, gates);
  }

  @Test
  void nodesFailingPreflightAreSkippedWithTheirReasonAndStartedOnceTheyPass() {
    World w = new World(4, withChecks(policy(List.of(wave("all", null, Duration.ZERO, null, false)), OnFailure.Halt,
        OfflineNodes.Skip, List.of()), new PreflightPolicy(2L << 30, null, true, "535.104", List.of()), List.of()));
    List<String> n = w.plan().waves().get(0).nodes();
    w.facts.put(n.get(0), facts(T0, 10, "535.104.05", true));
    w.facts.put(n.get(1), facts(T0, 1, "535.104.05", true));
    w.facts.put(n.get(2), facts(T0, 10, "470.82", true));
    w.step("r1");
    assertEquals(List.of(new NodeAction.Dispatch(n.get(0), null, "all")), w.last.actions());
    assertEquals(3, w.last.tallies().get(0).skipped());
    assertEquals(List.of("Preflight: free disk 1024Mi below 2048Mi", "Preflight: GPU driver 470.82 older than 535.104",
        "Preflight: no heartbeat from the edge probe yet"),
        w.last.skips().stream().sorted(java.util.Comparator.comparing(f -> n.indexOf(f.node()))).map(NodeFailure::reason).toList());
    w.kubelet();
    w.step("r1");
    assertEquals(Phase.Succeeded, w.last.phase(), "skipped nodes do not hold the wave");
    w.facts.put(n.get(1), facts(T0, 50, "535.104.05", true));
    w.step("r1");
    assertEquals(List.of(new NodeAction.Dispatch(n.get(1), null, "all")), w.last.actions(), "caught up once it passes");
  }

  @Test
  void anUpdatedNodeIsDoneOnlyWhenItsGatingChecksPassAfterTheUpdate() {
    World w = new World(1, withChecks(policy(List.of(wave("all", null, Duration.ZERO, null, false)), OnFailure.Halt,
        OfflineNodes.Skip, List.of()), null, List.of("camera")));
    String node = w.plan().waves().get(0).nodes().get(0);
    w.facts.put(node, facts(T0.minusSeconds(5), 10, null, true)); // from before the update: does not count
    w.step("r1");
    w.kubelet();
    w.now = T0.plusSeconds(10);
    w.step("r1");
    assertEquals(Phase.Progressing, w.last.phase());
    assertEquals(RolloutDecider.FACTS_RECHECK, w.last.requeueAfter());
    w.facts.put(node, facts(T0.plusSeconds(9), 10, null, false));
    w.step("r1");
    assertEquals(Phase.Progressing, w.last.phase(), "camera check failing");
    w.facts.put(node, facts(T0.plusSeconds(10), 10, null, true));
    w.step("r1");
    assertEquals(Phase.Succeeded, w.last.phase());
  }

  @Test
  void aGateStillFailingAtTheDeadlineFailsTheNode() {
    World w = new World(1, withChecks(policy(List.of(wave("all", null, Duration.ZERO, null, false)), OnFailure.Halt,
        OfflineNodes.Skip, List.of()), null, List.of("camera")));
    String node = w.plan().waves().get(0).nodes().get(0);
    w.step("r1");
    w.kubelet();
    w.facts.put(node, facts(T0.plusSeconds(60), 10, null, false));
    w.now = T0.plusSeconds(15 * 60);
    w.step("r1");
    assertEquals(Phase.Halted, w.last.phase());
    assertEquals("GateCheckFailed: check camera failing", w.last.failures().get(0).reason());
  }

  @Test
  void writeBudgetSplitsAWaveOverSeveralReconciles() {
    World w = new World(50, policy(List.of(wave("all", null, Duration.ZERO, null, false)), OnFailure.Halt,
        OfflineNodes.Skip, List.of()));
    var d = RolloutDecider.decide(new RolloutInput(T0, "r1", w.policy, w.plan(), Map.copyOf(w.nodes), null, Set.of(), 20));
    assertEquals(20, d.actions().size());
    assertEquals(Duration.ZERO, d.requeueAfter());
  }
}
