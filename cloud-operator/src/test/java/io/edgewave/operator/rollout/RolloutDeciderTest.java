package io.edgewave.operator.rollout;

import static io.edgewave.operator.plan.Fleet.centers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.v1alpha1.OfflineNodes;
import io.edgewave.operator.api.v1alpha1.OnFailure;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.plan.Amount;
import io.edgewave.operator.fleet.NodeFacts;
import io.edgewave.operator.plan.NodeSelector;
import io.edgewave.operator.plan.FactRule;
import io.edgewave.operator.plan.Fleet;
import io.edgewave.operator.plan.PreflightPolicy;
import io.edgewave.operator.plan.ReleasePolicy;
import io.edgewave.operator.plan.RulePolicy;
import io.edgewave.operator.plan.SchedulePolicy;
import io.edgewave.operator.plan.TargetNode;
import io.edgewave.operator.plan.WavePlan;
import io.edgewave.operator.plan.WavePlanner;
import io.edgewave.operator.plan.WavePolicy;
import io.edgewave.operator.plan.WaveSizing;
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
    WaveRoster roster;
    Instant now = T0;
    Instant factsSince = Instant.EPOCH;
    Set<String> approvals = Set.of();
    Set<String> failing = Set.of();
    Set<String> known;
    Map<String, NodeFacts> facts = new HashMap<>();
    /** What the pre-pull pods say (spec.strategy.staging); a Stage action starts a pull. */
    Map<String, StageState> staging = new HashMap<>();
    final List<String> stageActions = new java.util.ArrayList<>();
    RolloutInput.Abort abort = RolloutInput.Abort.NONE;
    String blind;
    String revision = "r1";
    RolloutDecision last;

    World(int n, ReleasePolicy policy) {
      this.targets = new java.util.ArrayList<>(centers(n, 10));
      this.policy = policy;
      for (TargetNode t : targets) nodes.put(t.name(), NodeView.fresh(t.name(), t.labels(), true));
    }

    /** The plan as the reconciler makes it: started waves keep the members the roster recorded. */
    WavePlan plan() {
      Set<String> planned = new java.util.HashSet<>();
      if (progress != null && revision.equals(progress.revision())) progress.marks().forEach(m -> planned.add(m.name()));
      return WavePlanner.plan(policy, targets, "ns/rel", WaveRoster.frozenFor(roster, progress, revision), planned);
    }

    /** What survives a restart: status, as written and read back; decisions go through it every step. */
    io.edgewave.operator.api.v1alpha1.EdgeReleaseStatus status;
    boolean persist = true;

    RolloutDecision step(String rev) {
      // a new attempt's first round only writes status (its name), as the reconciler's does
      if (progress == null || !rev.equals(progress.revision())) decideOnce(rev);
      return decideOnce(rev);
    }

    /** --site-label; null for the default. */
    String siteLabel;

    RolloutDecision decideOnce(String rev) {
      revision = rev;
      WavePlan plan = plan();
      Map<String, NodeView> in = new HashMap<>();
      Map<String, NodeView> outside = new HashMap<>();
      for (TargetNode t : plan.targets()) in.put(t.name(), nodes.get(t.name()));
      nodes.forEach((k, v) -> { if (!in.containsKey(k) && v.revision() != null) outside.put(k, v); });
      // site evidence comes from every node, as the reconciler reads it: bystanders are witnesses too
      last = RolloutDecider.decide(new RolloutInput(now, rev, policy, plan, in, progress, approvals, 1000,
          Map.copyOf(facts), abort, blind, factsSince, roster, outside, known, siteLabel,
          NodeClassifier.siteEvidence(nodes.values(), facts, rev, siteLabel == null ? NodeClassifier.SITE_LABEL
              : siteLabel), Map.copyOf(staging)));
      progress = last.progress();
      if (persist) {
        status = EdgeReleaseStatusAggregator.aggregate(last, status, 1, now);
        progress = EdgeReleaseStatusAggregator.progressOf(status);
      }
      if (last.roster() != null) roster = last.roster();
      for (NodeAction a : last.actions()) {
        NodeView v = nodes.get(a.node());
        if (a instanceof NodeAction.Dispatch d) {
          moves.merge(a.node() + "@" + rev, 1, Integer::sum);
          nodes.put(a.node(), new NodeView(v.name(), v.labels(), v.online(), rev, NodeView.PodState.PENDING,
              null, now, d.fromRevision(), null, null, 0, progress.attempt(), v.probe()));
        } else if (a instanceof NodeAction.Revert r) {
          nodes.put(a.node(), r.toRevision() == null ? NodeView.fresh(v.name(), v.labels(), v.online())
              : new NodeView(v.name(), v.labels(), v.online(), r.toRevision(), NodeView.PodState.READY,
              null, now, null, null, now, 0, Labels.reverted(progress.attempt()), v.probe()));
        } else if (a instanceof NodeAction.MarkReady) {
          nodes.put(a.node(), v.withReadyAt(now));
        } else if (a instanceof NodeAction.Stage) {
          stageActions.add(a.node());
          staging.put(a.node(), StageState.pulling(now));
        }
      }
      return last;
    }

    /** The kubelet: pending pods become Ready, or crash-loop (three restarts) on failing nodes. */
    void kubelet() {
      nodes.replaceAll((k, v) -> v.pod() != NodeView.PodState.PENDING || !v.online() ? v
          : failing.contains(k) ? v.withPod(NodeView.PodState.FAILED, "CrashLoopBackOff", null, 3)
          : v.withPod(NodeView.PodState.READY, null, now, 0));
    }

    /** The Node goes offline now (its conditions' transition time) or comes back. */
    void offline(String node, boolean offline) {
      NodeView v = nodes.get(node);
      nodes.put(node, v.online() == !offline ? v : v.withOnline(!offline).withSince(now));
    }

    /** The Node writer's word on a node from now on: healthy (reason null) or False with {@code reason}. */
    void probe(String node, String reason) {
      NodeView v = nodes.get(node).withOnline(reason == null);
      nodes.put(node, v.withProbe(new NodeView.Probe(reason == null ? "True" : "False",
          reason == null ? "EdgeProbeHeartbeat" : reason, now)));
    }

    /** A heartbeat from the node, received now. */
    void beat(String node) {
      facts.put(node, facts(now, 100, "550.54", true));
    }

    /**
     * A node at {@code node}'s site that this release does not target (a transit center's edge node next to its GPU
     * boxes), its probe healthy and heard now.
     */
    String bystander(String node) {
      String site = nodes.get(node).labels().get("edgewave.io/site");
      String name = "bystander-" + site;
      nodes.put(name, NodeView.fresh(name, Map.of("edgewave.io/site", site), true));
      probe(name, null);
      beat(name);
      return name;
    }

    /** The targets at {@code node}'s site, but {@code node}. */
    List<String> siteOf(String node) {
      String site = nodes.get(node).labels().get("edgewave.io/site");
      return targets.stream().map(TargetNode::name).filter(n -> !n.equals(node))
          .filter(n -> site.equals(nodes.get(n).labels().get("edgewave.io/site"))).toList();
    }

    /** A pod that was Ready stops being Ready (probe restart, OOM kill, power blip), without crash-looping. */
    void podBlip(String node) {
      nodes.put(node, nodes.get(node).withPod(NodeView.PodState.PENDING, null, null, 1));
    }

    /** Every pull under way completes. */
    void pullsDone() {
      staging.replaceAll((n, s) -> s.kind() == StageState.Kind.PULLING ? StageState.staged(s.since()) : s);
    }

    /** Nodes pulling now, by site. */
    Map<String, Long> pullingBySite() {
      Map<String, Long> out = new java.util.TreeMap<>();
      staging.forEach((n, s) -> {
        if (s.kind() == StageState.Kind.PULLING) out.merge(nodes.get(n).labels().get("edgewave.io/site"), 1L, Long::sum);
      });
      return out;
    }

    /** Steps until nothing is written, advancing the clock past bakes: a rollout left to itself. */
    RolloutDecision settle(String rev) {
      for (int i = 0; i < 50; i++) {
        pullsDone();
        step(rev);
        kubelet();
        if (last.actions().isEmpty() && (last.requeueAfter() == null || last.phase() != Phase.Baking)) {
          if (last.phase() == Phase.Succeeded || last.phase() == Phase.Halted || last.phase() == Phase.RolledBack
              || last.phase() == Phase.AwaitingApproval) return last;
        }
        if (last.phase() == Phase.Baking && last.requeueAfter() != null) now = now.plus(last.requeueAfter());
      }
      return last;
    }

    int dispatched() { return (int) last.actions().stream().filter(a -> a instanceof NodeAction.Dispatch).count(); }
  }

  static ReleasePolicy policy(List<WavePolicy> waves, OnFailure onFailure, OfflineNodes offline,
      List<WindowPolicy> windows) {
    ReleasePolicy p = Fleet.policy(waves);
    return p.withStrategy(p.strategy().withOnFailure(onFailure).withOfflineNodes(offline))
        .withSchedule(new SchedulePolicy(null, windows));
  }

  static ReleasePolicy paused(ReleasePolicy p, boolean paused) {
    return new ReleasePolicy(p.targets(), p.strategy(), p.schedule(), p.rules(), paused);
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
    assertEquals(List.of(), w.last.actions(), "the round that decides to roll back only records it");
    assertEquals(Duration.ZERO, w.last.requeueAfter());
    w.step("r2");
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
    ReleasePolicy gated = Fleet.policy(THREE)
        .withRules(new RulePolicy(PreflightPolicy.NONE, List.of(new FactRule.CheckPasses("camera"))));
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
    w.policy = new ReleasePolicy(running.targets(), running.strategy(), running.schedule(), running.rules(), true);
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
    fail.kubelet();
    fail.now = T0.plus(Duration.ofMinutes(14));
    fail.step("r1");
    assertEquals(Phase.Progressing, fail.last.phase(), "a blip is forgiven: Fail waits a progress deadline");
    fail.now = T0.plus(Duration.ofMinutes(15));
    fail.step("r1");
    assertEquals(Phase.Halted, fail.last.phase());
    assertEquals("NodeOffline", fail.last.failures().get(0).reason());
  }

  @Test
  void aNodeLostDuringItsUpdateFailsItsWaveOnlyWhenStillLostAtTheDeadline() {
    World w = new World(5, policy(List.of(wave("all", null, Duration.ZERO, "0", false)), OnFailure.Halt,
        OfflineNodes.Skip, List.of()));
    w.step("r1");
    String node = w.plan().waves().get(0).nodes().get(2);
    w.offline(node, true);
    w.kubelet();
    w.now = T0.plusSeconds(40);
    w.step("r1");
    assertEquals(Phase.Progressing, w.last.phase(), "a blip during the update is not yet evidence");
    assertEquals(List.of(), w.last.failures());
    w.now = T0.plus(Duration.ofMinutes(15));
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
    return p.withRules(new RulePolicy(preflight, gates.stream().<FactRule>map(FactRule.CheckPasses::new).toList()));
  }

  @Test
  void nodesFailingPreflightAreSkippedWithTheirReasonAndStartedOnceTheyPass() {
    World w = new World(4, withChecks(policy(List.of(wave("all", null, Duration.ZERO, null, false)), OnFailure.Halt,
        OfflineNodes.Skip, List.of()), new PreflightPolicy(List.of(new FactRule.MinFreeDisk(2L << 30),
        new FactRule.GpuPresent(), new FactRule.MinGpuDriver("535.104"))), List.of()));
    List<String> n = w.plan().waves().get(0).nodes();
    w.facts.put(n.get(0), facts(T0, 10, "535.104.05", true));
    w.facts.put(n.get(1), facts(T0, 1, "535.104.05", true));
    w.facts.put(n.get(2), facts(T0, 10, "470.82", true));
    w.step("r1");
    assertEquals(List.of(new NodeAction.Dispatch(n.get(0), null, "all")), w.last.actions());
    assertEquals(3, w.last.tallies().get(0).skipped());
    assertEquals(List.of("Preflight: free disk 1024Mi below 2048Mi", "Preflight: GPU driver 470.82 older than 535.104",
        "Preflight: no heartbeat from the edge probe"),
        w.last.skips().stream().sorted(java.util.Comparator.comparing(f -> n.indexOf(f.node()))).map(NodeFailure::reason).toList());
    w.kubelet();
    w.step("r1");
    assertEquals(Phase.Succeeded, w.last.phase(), "skipped nodes do not hold the wave");
    w.facts.put(n.get(1), facts(T0, 50, "535.104.05", true));
    w.step("r1");
    assertEquals(List.of(new NodeAction.Dispatch(n.get(1), null, "all")), w.last.actions(), "caught up once it passes");
  }

  @Test
  void aBoxWhoseHottestGpuIsAboveTheLimitIsSkippedWithItsReasonAndStartedOnceItCools() {
    World w = new World(3, withChecks(policy(List.of(wave("all", null, Duration.ZERO, null, false)), OnFailure.Halt,
        OfflineNodes.Skip, List.of()), new PreflightPolicy(List.of(new FactRule.MaxGpuTemperature(85))), List.of()));
    List<String> n = w.plan().waves().get(0).nodes();
    w.facts.put(n.get(0), hot(T0, 72.0));
    w.facts.put(n.get(1), hot(T0, 93.0));
    w.facts.put(n.get(2), hot(T0, null));
    w.step("r1");
    assertEquals(List.of(new NodeAction.Dispatch(n.get(0), null, "all")), w.last.actions());
    assertEquals(List.of("Preflight: GPU temperature 93C above 85C", "Preflight: no GPU temperature reported"),
        w.last.skips().stream().sorted(java.util.Comparator.comparing(f -> n.indexOf(f.node()))).map(NodeFailure::reason).toList());
    w.kubelet();
    w.step("r1");
    assertEquals(Phase.Succeeded, w.last.phase(), "the hot box does not hold the wave");
    w.facts.put(n.get(1), hot(T0, 80.0));
    w.step("r1");
    assertEquals(List.of(new NodeAction.Dispatch(n.get(1), null, "all")), w.last.actions(), "started once it cooled");
  }

  static NodeFacts hot(Instant at, Double hottest) {
    return new NodeFacts(at, 10L << 30, 4L << 30, 1, List.of("535.104.05"), Map.of("camera", true), null, hottest);
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
    w.now = T0.plusSeconds(15 * 60);
    w.facts.put(node, facts(w.now.minusSeconds(10), 10, null, false));
    w.step("r1");
    assertEquals(Phase.Halted, w.last.phase());
    assertEquals("GateCheckFailed: check camera failing", w.last.failures().get(0).reason());
  }

  @Test
  void writeBudgetSplitsAWaveOverSeveralReconciles() {
    World w = new World(50, policy(List.of(wave("all", null, Duration.ZERO, null, false)), OnFailure.Halt,
        OfflineNodes.Skip, List.of()));
    var start = RolloutDecider.decide(new RolloutInput(T0, "r1", w.policy, w.plan(), Map.copyOf(w.nodes), null, Set.of(), 20));
    assertEquals(0, start.actions().size(), "a new attempt's first round names it in status and moves nothing");
    assertEquals(Duration.ZERO, start.requeueAfter());
    var d = RolloutDecider.decide(new RolloutInput(T0, "r1", w.policy, w.plan(), Map.copyOf(w.nodes), start.progress(),
        Set.of(), 20));
    assertEquals(20, d.actions().size());
    assertEquals(Duration.ZERO, d.requeueAfter());
  }

  // ---- rollout safety: verdicts that hold through blips, restarts, target changes and edits ----

  static final List<WavePolicy> CANARY_BROAD = List.of(wave("canary", "1", Duration.ofMinutes(10), null, false),
      wave("broad", null, Duration.ofMinutes(10), "0", true));

  @Test
  void aBlipAfterSuccessNeitherHaltsNorRollsBack() {
    World w = new World(30, policy(THREE, OnFailure.Rollback, OfflineNodes.Skip, List.of()));
    assertEquals(Phase.Succeeded, w.settle("r1").phase());
    String box = w.plan().waves().get(2).nodes().get(0);
    w.offline(box, true);
    w.podBlip(box);
    for (int minutes : new int[] {1, 20, 600}) {
      w.now = w.now.plus(Duration.ofMinutes(minutes));
      w.step("r1");
      assertEquals(Phase.Succeeded, w.last.phase());
      assertEquals(List.of(), w.last.actions(), "nothing is rolled back or redeployed");
      assertEquals(List.of(), w.last.failures());
    }
    assertEquals(1, w.last.tallies().get(2).lapsed(), "the blip shows as fleet health");
    w.offline(box, false);
    w.kubelet();
    w.step("r1");
    assertEquals(0, w.last.tallies().get(2).lapsed());
  }

  @Test
  void aBlipOfAReadyNodeDuringItsWavesBakeIsNotAFailureButACrashLoopIs() {
    World w = new World(30, policy(THREE, OnFailure.Halt, OfflineNodes.Skip, List.of()));
    w.step("r1");
    w.kubelet();
    w.step("r1"); // the canary is Ready, marked, and bakes for 30 minutes
    String canary = w.plan().waves().get(0).nodes().get(0);
    assertEquals(Phase.Baking, w.last.phase());
    w.podBlip(canary);
    w.now = T0.plus(Duration.ofMinutes(20)); // past the 15-minute progress deadline, still baking
    w.step("r1");
    assertEquals(Phase.Baking, w.last.phase(), "a Ready canary that blips is not a failed update");
    w.nodes.put(canary, w.nodes.get(canary).withPod(NodeView.PodState.FAILED, "CrashLoopBackOff", null, 5));
    w.step("r1");
    assertEquals(Phase.Halted, w.last.phase(), "crash-looping during the bake is what the bake is for");
    assertEquals("CrashLoopBackOff after Ready", w.last.failures().get(0).reason());
  }

  @Test
  void aCrashLoopNeedsRepeatedRestartsAndAnImagePullErrorTheDeadline() {
    World w = new World(2, policy(List.of(wave("all", null, Duration.ZERO, "0", false)), OnFailure.Halt,
        OfflineNodes.Skip, List.of()));
    w.step("r1");
    List<String> n = w.plan().waves().get(0).nodes();
    w.nodes.put(n.get(0), w.nodes.get(n.get(0)).withPod(NodeView.PodState.FAILED, "CrashLoopBackOff", null, 1));
    w.nodes.put(n.get(1), w.nodes.get(n.get(1)).withPod(NodeView.PodState.FAILED, "ImagePullBackOff", null, 0));
    w.now = T0.plusSeconds(60);
    w.step("r1");
    assertEquals(Phase.Progressing, w.last.phase(), "one restart and a slow pull are not yet failures");
    w.nodes.put(n.get(0), w.nodes.get(n.get(0)).withPod(NodeView.PodState.FAILED, "CrashLoopBackOff", null, 3));
    w.step("r1");
    assertEquals(Phase.Halted, w.last.phase());
    assertEquals(List.of("CrashLoopBackOff"), w.last.failures().stream().map(NodeFailure::reason).toList());
    World pull = new World(1, policy(List.of(wave("all", null, Duration.ZERO, "0", false)), OnFailure.Halt,
        OfflineNodes.Skip, List.of()));
    pull.step("r1");
    String node = pull.plan().waves().get(0).nodes().get(0);
    pull.nodes.put(node, pull.nodes.get(node).withPod(NodeView.PodState.FAILED, "ImagePullBackOff", null, 0));
    pull.now = T0.plus(Duration.ofMinutes(15));
    pull.step("r1");
    assertEquals(Phase.Halted, pull.last.phase());
    assertEquals("ImagePullBackOff", pull.last.failures().get(0).reason(), "the reason is the pod's, not the deadline's");
  }

  @Test
  void nodesJoiningWhileAWaveAwaitsApprovalStartOnlyWithThatWave() {
    World w = new World(20, policy(CANARY_BROAD, OnFailure.Halt, OfflineNodes.Skip, List.of()));
    assertEquals(Phase.AwaitingApproval, w.settle("r1").phase());
    List<TargetNode> joining = centers(50, 10).subList(20, 50);
    for (TargetNode t : joining) {
      w.targets.add(t);
      w.nodes.put(t.name(), NodeView.fresh(t.name(), t.labels(), true));
    }
    w.step("r1");
    assertEquals(Phase.AwaitingApproval, w.last.phase());
    assertEquals(0, w.dispatched(), "no joining node starts before the approval");
    assertEquals(1, w.plan().waves().get(0).nodes().size(), "the started canary keeps its one member");
    w.approvals = Set.of("broad");
    w.step("r1");
    assertEquals(49, w.dispatched(), "the joiners go with the wave they joined");
  }

  @Test
  void nodesJoiningAfterSuccessAreCaughtUpWithoutReopeningTheRollout() {
    World w = new World(10, policy(THREE, OnFailure.Rollback, OfflineNodes.Skip, List.of()));
    assertEquals(Phase.Succeeded, w.settle("r1").phase());
    TargetNode late = centers(11, 10).get(10);
    w.targets.add(late);
    w.nodes.put(late.name(), NodeView.fresh(late.name(), late.labels(), true));
    w.failing = Set.of(late.name());
    w.step("r1");
    assertEquals(List.of(new NodeAction.Dispatch(late.name(), null, RolloutDecider.JOINED)), w.last.actions());
    w.kubelet();
    w.now = w.now.plus(Duration.ofHours(1));
    w.step("r1");
    assertEquals(Phase.Succeeded, w.last.phase(), "a joiner that fails does not halt a finished rollout");
    assertEquals(1, w.last.joined().failed());
  }

  @Test
  void aNodeLeavingTheTargetsKeepsItsWorkloadAndIsCountedAsDeparted() {
    World w = new World(10, policy(List.of(wave("all", null, Duration.ofHours(1), "0", false)), OnFailure.Halt,
        OfflineNodes.Skip, List.of()));
    w.step("r1");
    w.kubelet();
    String canary = w.plan().waves().get(0).nodes().get(0);
    w.targets.removeIf(t -> t.name().equals(canary));
    w.step("r1");
    assertEquals(1, w.last.tallies().get(0).departed());
    assertTrue(w.last.actions().stream().noneMatch(a -> a.node().equals(canary)), "its workload is left alone");
    assertEquals("r1", w.nodes.get(canary).revision());
  }

  @Test
  void afterARestartMissingFactsHoldGatedAndPreflightNodesInsteadOfFailingOrSkippingThem() {
    ReleasePolicy both = withChecks(policy(List.of(wave("canary", "2", Duration.ZERO, "0", false),
        wave("rest", null, Duration.ZERO, "0", false)), OnFailure.Halt, OfflineNodes.Skip, List.of()),
        new PreflightPolicy(List.of(new FactRule.MinFreeDisk(1L << 30))), List.of("camera"));
    World w = new World(6, both);
    for (String n : w.nodes.keySet()) w.facts.put(n, facts(T0, 10, null, true));
    w.step("r1");
    w.kubelet();
    w.now = T0.plusSeconds(10);
    for (String n : w.nodes.keySet()) w.facts.put(n, facts(w.now, 10, null, true));
    w.step("r1"); // the canary passes its gates and is marked Ready; rest starts
    assertEquals(2, w.last.tallies().get(0).ready());
    assertEquals(4, w.dispatched());
    w.kubelet();
    // a restart far later: facts are gone, the rest wave's nodes are past their deadline with no heartbeat
    w.now = T0.plus(Duration.ofHours(1));
    w.factsSince = w.now;
    w.facts.clear();
    w.step("r1");
    assertEquals(Phase.Progressing, w.last.phase(), "missing facts are no evidence: " + w.last.message());
    assertEquals(List.of(), w.last.failures());
    assertEquals(2, w.last.tallies().get(0).ready(), "marked nodes stay Ready without facts");
    w.now = w.now.plusSeconds(20);
    for (String n : w.nodes.keySet()) w.facts.put(n, facts(w.now, 10, null, true));
    w.step("r1");
    assertEquals(Phase.Succeeded, w.last.phase());

    World pre = new World(4, withChecks(policy(List.of(wave("all", null, Duration.ZERO, null, false)), OnFailure.Halt,
        OfflineNodes.Skip, List.of()), new PreflightPolicy(List.of(new FactRule.MinFreeDisk(1L << 30))), List.of()));
    pre.now = T0.plus(Duration.ofHours(1));
    pre.factsSince = pre.now;
    pre.step("r1");
    assertEquals(0, pre.dispatched());
    assertEquals(0, pre.last.skips().size(), "not skipped for facts a restart lost");
    assertEquals(4, pre.last.tallies().get(0).held());
    assertEquals(Phase.Progressing, pre.last.phase(), "the wave does not complete with every node held");
    for (String n : pre.nodes.keySet()) pre.facts.put(n, facts(pre.now, 10, null, true));
    pre.step("r1");
    assertEquals(4, pre.dispatched());
    World late = new World(1, pre.policy);
    late.factsSince = T0;
    late.now = T0.plus(NodeClassifier.FACTS_GRACE);
    late.step("r1");
    assertEquals("Preflight: no heartbeat from the edge probe", late.last.skips().get(0).reason(),
        "after the grace, a probe that never spoke is a skip");
  }

  @Test
  void aCanaryWithNoReadyNodeHoldsTheRolloutUnlessItAllowsBeingEmpty() {
    WavePolicy nowhere = new WavePolicy("canary", null, NodeSelector.labels(Map.of("edgewave.io/site", "nowhere")),
        List.of(), Duration.ZERO, null, false);
    World w = new World(10, policy(List.of(nowhere, wave("rest", null, Duration.ZERO, null, false)), OnFailure.Halt,
        OfflineNodes.Skip, List.of()));
    w.step("r1");
    assertEquals(0, w.dispatched());
    assertEquals("NoCanarySignal", w.last.holdReason());
    assertTrue(w.last.message().contains("allowEmpty"), w.last.message());
    World offline = new World(10, policy(THREE, OnFailure.Halt, OfflineNodes.Skip, List.of()));
    offline.offline(offline.plan().waves().get(0).nodes().get(0), true);
    offline.step("r1");
    offline.now = T0.plus(Duration.ofHours(2));
    offline.step("r1");
    assertEquals(0, offline.dispatched(), "an offline canary gives no signal");
    assertEquals("NoCanarySignal", offline.last.holdReason());
    WavePlan p = offline.plan();
    offline.offline(p.waves().get(0).nodes().get(0), false);
    offline.step("r1");
    assertEquals(1, offline.dispatched(), "back online, the canary is updated");
    World allowed = new World(10, policy(List.of(new WavePolicy("canary", null,
        NodeSelector.labels(Map.of("edgewave.io/site", "nowhere")), List.of(), Duration.ZERO, null, false, true),
        wave("rest", null, Duration.ZERO, null, false)), OnFailure.Halt, OfflineNodes.Skip, List.of()));
    allowed.step("r1");
    assertEquals(10, allowed.dispatched());
  }

  @Test
  void aTypoAfterARollbackNeverRedeploysTheRolledBackRevision() {
    World w = new World(10, policy(THREE, OnFailure.Rollback, OfflineNodes.Skip, List.of()));
    assertEquals(Phase.Succeeded, w.settle("r1").phase());
    w.failing = Set.copyOf(w.nodes.keySet());
    w.settle("r2");
    assertEquals(Phase.RolledBack, w.settle("r2").phase());
    var status = EdgeReleaseStatusAggregator.aggregate(w.last, null, 1, w.now);
    var invalid = EdgeReleaseStatusAggregator.invalid("spec.schedule.windows[0].cron: typo", status, 2, w.now);
    w.progress = EdgeReleaseStatusAggregator.progressOf(invalid);
    w.step("r2");
    assertEquals(Phase.RolledBack, w.last.phase());
    assertEquals(0, w.dispatched());
    assertEquals(status.getFailures().size(), w.last.failures().size(), "the failure samples survive too");
    assertTrue(w.last.failures().size() > 0);
  }

  @Test
  void rollbackReturnsOnlyTheNodesThisRolloutMovedAndNeverToAFailedRevision() {
    World w = new World(10, policy(THREE, OnFailure.Halt, OfflineNodes.Skip, List.of()));
    assertEquals(Phase.Succeeded, w.settle("r1").phase());
    w.failing = Set.copyOf(w.nodes.keySet());
    assertEquals(Phase.Halted, w.settle("r2").phase()); // the canary is on r2 and failed
    String canary = w.plan().waves().get(0).nodes().get(0);
    w.failing = Set.of();
    w.policy = policy(THREE, OnFailure.Rollback, OfflineNodes.Skip, List.of());
    w.settle("r3"); // r3 over the r2 canary, then fails in the early wave
    w.failing = Set.copyOf(w.nodes.keySet());
    w.nodes.keySet().forEach(n -> { if (!"r3".equals(w.nodes.get(n).revision())) w.nodes.put(n, w.nodes.get(n)); });
    assertEquals("r2", w.nodes.get(canary).previousRevision());
    w.abort = Approvals.abort(w.progress.attempt() + "/rollback", w.progress.attempt());
    w.settle("r3");
    assertEquals(Phase.RolledBack, w.last.phase());
    assertEquals("r1", w.nodes.get(canary).revision(), "r2 failed: the canary goes to the last good revision");
    assertTrue(w.nodes.values().stream().allMatch(v -> "r1".equals(v.revision())));
  }

  @Test
  void rollbackReachesNodesThatLeftTheTargetsAndStrandsThoseWithNoTemplate() {
    World w = new World(10, policy(List.of(wave("all", null, Duration.ZERO, "0", false)), OnFailure.Rollback,
        OfflineNodes.Skip, List.of()));
    assertEquals(Phase.Succeeded, w.settle("r1").phase());
    w.step("r2");
    List<String> n = w.plan().waves().get(0).nodes();
    w.targets.removeIf(t -> t.name().equals(n.get(0)));
    w.nodes.put(n.get(1), w.nodes.get(n.get(1)).withPod(NodeView.PodState.FAILED, "CrashLoopBackOff", null, 4));
    w.known = Set.of("r2"); // r1's template is gone from the history
    w.step("r2");
    w.step("r2");
    assertEquals(Phase.RolledBack, w.last.phase(), "no node can go back, and it says so instead of spinning");
    assertEquals(10, w.last.progress().stranded());
    World v = new World(10, policy(List.of(wave("all", null, Duration.ZERO, "0", false)), OnFailure.Rollback,
        OfflineNodes.Skip, List.of()));
    v.settle("r1");
    v.step("r2");
    List<String> m = v.plan().waves().get(0).nodes();
    v.targets.removeIf(t -> t.name().equals(m.get(0)));
    v.nodes.put(m.get(1), v.nodes.get(m.get(1)).withPod(NodeView.PodState.FAILED, "CrashLoopBackOff", null, 4));
    v.step("r2"); // decides to roll back
    v.step("r2"); // returns every node
    v.step("r2");
    assertEquals(Phase.RolledBack, v.last.phase());
    assertEquals("r1", v.nodes.get(m.get(0)).revision(), "a node that left the targets goes back too");
  }

  @Test
  void aPausedRollbackHoldsAndGoesOnWhenResumed() {
    World w = new World(5, policy(List.of(wave("all", null, Duration.ZERO, "0", false)), OnFailure.Rollback,
        OfflineNodes.Skip, List.of()));
    w.settle("r1");
    w.failing = Set.copyOf(w.nodes.keySet());
    w.step("r2");
    w.policy = paused(w.policy, true);
    w.kubelet();
    w.step("r2");
    w.step("r2");
    assertEquals(Phase.RollingBack, w.last.phase());
    assertEquals(0, w.last.actions().size());
    assertEquals("RollbackPaused", w.last.holdReason());
    w.policy = paused(w.policy, false);
    w.step("r2");
    w.step("r2");
    assertEquals(Phase.RolledBack, w.last.phase());
  }

  @Test
  void anApprovalOfAnEarlierAttemptDoesNotApplyAfterAnUndo() {
    World w = new World(20, policy(CANARY_BROAD, OnFailure.Halt, OfflineNodes.Skip, List.of()));
    w.settle("r1");
    String first = w.progress.attempt();
    w.approvals = Approvals.wavesApproved("broad@" + first, first);
    assertEquals(Phase.Succeeded, w.settle("r1").phase());
    w.approvals = Set.of();
    w.settle("r2");
    w.now = w.now.plus(Duration.ofHours(1));
    w.step("r1"); // undo: r1 again, a new attempt
    String again = w.progress.attempt();
    assertTrue(!again.equals(first), again);
    w.approvals = Approvals.wavesApproved("broad@" + first, again);
    w.settle("r1");
    assertEquals(Phase.AwaitingApproval, w.last.phase(), "the old approval does not approve the new attempt");
  }

  @Test
  void abortWithRollbackOnASucceededReleaseRollsItBackAndAPlainAbortIsIgnored() {
    World w = new World(10, policy(THREE, OnFailure.Halt, OfflineNodes.Skip, List.of()));
    w.settle("r1");
    assertEquals(Phase.Succeeded, w.settle("r2").phase());
    w.abort = Approvals.abort(w.progress.attempt(), w.progress.attempt());
    w.step("r2");
    assertEquals(Phase.Succeeded, w.last.phase());
    w.abort = Approvals.abort(w.progress.attempt() + "/rollback", w.progress.attempt());
    w.settle("r2");
    assertEquals(Phase.RolledBack, w.last.phase());
    assertTrue(w.nodes.values().stream().allMatch(v -> "r1".equals(v.revision())));
  }

  // ---- found by review: undo after rollback, a lost status write, exponential fleets, empty canaries, clocks ----

  @Test
  void anUndoAfterARollbackNeverDeletesTheWorkloadOfNodesTheUndoDidNotMove() {
    World w = new World(10, policy(List.of(wave("all", null, Duration.ZERO, "0", false)), OnFailure.Rollback,
        OfflineNodes.Skip, List.of()));
    assertEquals(Phase.Succeeded, w.settle("r1").phase());
    w.failing = Set.copyOf(w.nodes.keySet());
    assertEquals(Phase.RolledBack, w.settle("r2").phase());
    w.failing = Set.of();
    assertEquals(Phase.Succeeded, w.settle("r1").phase(), "undo: r1 again, nothing to move");
    w.abort = Approvals.abort(w.progress.attempt() + "/rollback", w.progress.attempt());
    w.settle("r1");
    assertEquals(Phase.RolledBack, w.last.phase());
    assertTrue(w.nodes.values().stream().allMatch(v -> "r1".equals(v.revision())),
        "nodes the undo did not move keep r1: none is deleted");
  }

  @Test
  void aLostStatusWriteAfterNodeWritesKeepsTheAttemptSoARollbackStillFindsThoseNodes() {
    World w = new World(10, policy(List.of(wave("all", null, Duration.ZERO, "0", false)), OnFailure.Rollback,
        OfflineNodes.Skip, List.of()));
    w.settle("r1");
    w.step("r2");
    String attempt = w.progress.attempt();
    var before = w.status;
    w.persist = false;
    w.now = w.now.plusSeconds(5);
    w.decideOnce("r2"); // nodes move ...
    w.progress = EdgeReleaseStatusAggregator.progressOf(before); // ... and the status write is lost
    w.persist = true;
    w.failing = Set.copyOf(w.nodes.keySet());
    w.kubelet();
    w.settle("r2");
    assertEquals(attempt, w.progress.attempt());
    assertEquals(Phase.RolledBack, w.last.phase());
    assertTrue(w.nodes.values().stream().allMatch(v -> "r1".equals(v.revision())), "every moved node went back");
  }

  static ReleasePolicy exponential(OnFailure onFailure) {
    ReleasePolicy p = Fleet.policy(new WaveSizing.Exponential(1, 2, null, Duration.ZERO, Amount.parse("0")));
    return p.withStrategy(p.strategy().withOnFailure(onFailure));
  }

  @Test
  void anExponentialFleetThatGrowsAfterSuccessNeverReopensTheRollout() {
    World w = new World(15, exponential(OnFailure.Rollback));
    assertEquals(Phase.Succeeded, w.settle("r1").phase());
    assertEquals(Phase.Succeeded, w.settle("r2").phase());
    for (TargetNode t : centers(40, 10).subList(15, 40)) {
      w.targets.add(t);
      w.nodes.put(t.name(), NodeView.fresh(t.name(), t.labels(), true));
    }
    w.failing = Set.copyOf(w.nodes.keySet());
    for (int i = 0; i < 5; i++) {
      w.step("r2");
      w.kubelet();
      w.now = w.now.plus(Duration.ofHours(1));
    }
    assertEquals(Phase.Succeeded, w.last.phase(), "new nodes are caught up; their failures do not roll back 15");
    assertTrue(w.nodes.values().stream().filter(v -> v.name().compareTo("tc-00015") < 0)
        .allMatch(v -> "r2".equals(v.revision())));
  }

  @Test
  void anExponentialFleetThatShrinksMidWaveKeepsThatWavesMembersJudged() {
    World w = new World(15, exponential(OnFailure.Halt)); // canary 1, then 2, 4, 8
    w.step("r1");
    for (int i = 0; i < 3; i++) { // canary, wave-2, wave-3 done; wave-4 (8 nodes) started
      w.kubelet();
      w.step("r1");
    }
    List<String> last = w.plan().waves().get(3).nodes();
    assertEquals(8, last.size());
    w.failing = Set.copyOf(last);
    w.kubelet();
    // 8 targets leave: the plan for 7 nodes has three waves, but wave-4 started and keeps its members
    List<String> keep = new java.util.ArrayList<>(w.plan().waves().get(0).nodes());
    w.plan().waves().subList(1, 3).forEach(x -> keep.addAll(x.nodes()));
    keep.add(last.get(0));
    w.targets.removeIf(t -> !keep.contains(t.name()));
    w.step("r1");
    assertEquals(Phase.Halted, w.last.phase(), "its failing member is still judged: " + w.last.message());
  }

  @Test
  void anEmptyCanaryFilledByAFixedLabelIsFrozenThen() {
    WavePolicy site = new WavePolicy("canary", null, NodeSelector.labels(Map.of("edgewave.io/canary", "yes")),
        List.of(), Duration.ofHours(1), null, false);
    World w = new World(10, policy(List.of(site, wave("rest", null, Duration.ZERO, null, false)), OnFailure.Halt,
        OfflineNodes.Skip, List.of()));
    w.step("r1");
    assertEquals("NoCanarySignal", w.last.holdReason());
    TargetNode first = w.targets.get(0);
    Map<String, String> labels = new HashMap<>(first.labels());
    labels.put("edgewave.io/canary", "yes");
    w.targets.set(0, new TargetNode(first.name(), labels));
    w.nodes.put(first.name(), NodeView.fresh(first.name(), labels, true));
    w.step("r1");
    assertEquals(1, w.dispatched());
    w.kubelet();
    w.step("r1");
    assertEquals(Phase.Baking, w.last.phase());
    TargetNode second = w.targets.get(1);
    Map<String, String> more = new HashMap<>(second.labels());
    more.put("edgewave.io/canary", "yes");
    w.targets.set(1, new TargetNode(second.name(), more));
    w.nodes.put(second.name(), NodeView.fresh(second.name(), more, true));
    w.step("r1");
    assertEquals(0, w.dispatched(), "the canary is frozen now: a later match waits for its own wave");
    assertEquals(List.of(first.name()), w.plan().waves().get(0).nodes());
  }

  @Test
  void aGateComparesTheHeartbeatWithThePodOnTheNodesOwnClock() {
    World w = new World(1, withChecks(policy(List.of(wave("all", null, Duration.ZERO, null, false)), OnFailure.Halt,
        OfflineNodes.Skip, List.of()), null, List.of("camera")));
    String node = w.plan().waves().get(0).nodes().get(0);
    w.step("r1");
    Instant edge = w.now.plus(Duration.ofHours(1)); // the box's clock runs an hour ahead
    w.nodes.put(node, w.nodes.get(node).withPod(NodeView.PodState.READY, null, edge, 0));
    w.now = w.now.plusSeconds(10);
    w.facts.put(node, new NodeFacts(w.now, 10L << 30, 4L << 30, 0, List.of(), Map.of("camera", true),
        edge.plusSeconds(9)));
    w.step("r1");
    assertEquals(Phase.Succeeded, w.last.phase(), "a heartbeat sent after the pod was Ready, by the box's clock");
  }

  @Test
  void aRollbackAfterAnUpgradeReturnsNodesTheOlderOperatorMovedInThisRollout() {
    World w = new World(6, policy(List.of(wave("all", null, Duration.ZERO, "0", false)), OnFailure.Rollback,
        OfflineNodes.Skip, List.of()));
    w.settle("r1");
    w.step("r2");
    // the Deployments were written by an operator that did not record the attempt
    w.nodes.replaceAll((k, v) -> new NodeView(v.name(), v.labels(), v.online(), v.revision(), v.pod(), v.podReason(),
        v.dispatchedAt(), v.previousRevision(), v.readyAt(), v.podReadySince(), v.restarts(), null));
    w.failing = Set.copyOf(w.nodes.keySet());
    w.kubelet();
    w.settle("r2");
    assertEquals(Phase.RolledBack, w.last.phase());
    assertTrue(w.nodes.values().stream().allMatch(v -> "r1".equals(v.revision())));
  }

  @Test
  void anInFlightRolloutUpgradedFromAnOlderOperatorDoesNotFailABlipDuringTheBake() {
    World w = new World(10, policy(THREE, OnFailure.Rollback, OfflineNodes.Skip, List.of()));
    w.step("r1");
    w.kubelet();
    w.step("r1"); // the canary is done and bakes for 30 minutes
    String canary = w.plan().waves().get(0).nodes().get(0);
    // as an older operator left it: no ready-at, no attempt
    NodeView v = w.nodes.get(canary);
    w.nodes.put(canary, new NodeView(v.name(), v.labels(), v.online(), v.revision(), v.pod(), v.podReason(),
        v.dispatchedAt(), v.previousRevision(), null, v.podReadySince(), 0, null));
    w.podBlip(canary);
    w.now = T0.plus(Duration.ofMinutes(20));
    w.step("r1");
    assertEquals(Phase.Baking, w.last.phase(), "its wave completed, so it was Ready then: " + w.last.message());
  }

  @Test
  void aFailingMemberThatLeavesTheTargetsMidWaveStillCountsAgainstIt() {
    World w = new World(10, policy(List.of(wave("all", null, Duration.ZERO, "0", false)), OnFailure.Halt,
        OfflineNodes.Skip, List.of()));
    w.step("r1");
    String node = w.plan().waves().get(0).nodes().get(0);
    w.failing = Set.of(node);
    w.kubelet();
    w.targets.removeIf(t -> t.name().equals(node));
    w.step("r1");
    assertEquals(Phase.Halted, w.last.phase(), "relabelling a failing node does not dodge the budget");
    assertEquals(node, w.last.failures().get(0).node());
  }

  @Test
  void aGrownFleetOrAnEditCannotUnHaltARelease() {
    World w = new World(10, policy(THREE, OnFailure.Halt, OfflineNodes.Skip, List.of()));
    w.failing = Set.copyOf(w.nodes.keySet());
    assertEquals(Phase.Halted, w.settle("r1").phase());
    for (TargetNode t : centers(40, 10).subList(10, 40)) {
      w.targets.add(t);
      w.nodes.put(t.name(), NodeView.fresh(t.name(), t.labels(), true));
    }
    w.failing = Set.of();
    w.policy = policy(List.of(wave("canary", "1", Duration.ZERO, "100%", false), wave("rest", null, Duration.ZERO,
        "100%", false)), OnFailure.Halt, OfflineNodes.Skip, List.of()); // a laxer budget, the same template
    w.now = w.now.plus(Duration.ofDays(1));
    w.step("r1");
    assertEquals(Phase.Halted, w.last.phase());
    assertEquals(0, w.last.actions().size(), "nothing starts: only a new revision or an undo leaves a halt");
  }

  @Test
  void aSiteUnreachableDuringItsUpdateIsOfflineNeverFailedAndFinishesWhenItReturns() {
    for (OfflineNodes offline : new OfflineNodes[] {OfflineNodes.Skip, OfflineNodes.Wait}) {
      World w = new World(30, policy(List.of(wave("all", null, Duration.ZERO, "0", false)), OnFailure.Halt, offline,
          List.of()));
      w.step("r1");
      String first = w.plan().waves().get(0).nodes().get(0);
      List<String> site = new java.util.ArrayList<>(w.siteOf(first));
      site.add(first);
      String witness = w.bystander(first);
      w.now = T0.plusSeconds(40);
      for (String n : site) w.probe(n, "SiteUnreachable");
      w.probe(witness, "SiteUnreachable"); // the outage silenced a node the release never touched
      w.kubelet();
      w.now = T0.plus(Duration.ofHours(2)); // far past every progress deadline
      w.step("r1");
      w.step("r1");
      assertEquals(List.of(), w.last.failures(), offline + ": a site's uplink is not the release's doing");
      assertEquals(offline == OfflineNodes.Skip ? Phase.Succeeded : Phase.Progressing, w.last.phase(), offline.toString());
      assertEquals(3, w.last.tallies().get(0).offline());
      for (String n : site) w.probe(n, null);
      w.kubelet();
      w.step("r1");
      w.step("r1");
      assertEquals(List.of(), w.last.failures());
      assertEquals(Phase.Succeeded, w.last.phase(), offline + ": the site's nodes finish their update once back");
    }
  }

  @Test
  void aSiteWhoseEverySilentNodeWasUpdatedByTheReleaseIsNotExcusedButHeldNeverFailed() {
    World w = new World(30, policy(List.of(wave("all", null, Duration.ZERO, "0", false)), OnFailure.Halt,
        OfflineNodes.Skip, List.of()));
    w.step("r1");
    String first = w.plan().waves().get(0).nodes().get(0);
    List<String> site = new java.util.ArrayList<>(w.siteOf(first));
    site.add(first);
    w.now = T0.plusSeconds(40);
    for (String n : site) w.probe(n, "SiteUnreachable"); // nothing but the release's own updates went silent
    w.kubelet();
    w.now = T0.plus(Duration.ofMinutes(5));
    w.step("r1");
    assertEquals(List.of(), w.last.failures());
    assertEquals(Phase.Progressing, w.last.phase(), "the wave waits for them: the release may be the cause");
    assertEquals(0, w.last.tallies().get(0).offline(), "not excused as offline");
    w.now = T0.plus(Duration.ofHours(2));
    w.step("r1");
    assertEquals(Phase.Progressing, w.last.phase(), "far past the deadline: still held, never failed");
    assertEquals(List.of(), w.last.failures(), "an uplink cut fails nothing");
    for (String n : site) w.probe(n, null); // the site is back two hours later; its pods have yet to start
    w.step("r1");
    assertEquals(List.of(), w.last.failures(), "back from a lost spell: a full deadline from its return");
    w.kubelet();
    w.step("r1");
    w.step("r1");
    assertEquals(Phase.Succeeded, w.last.phase());
    assertEquals(List.of(), w.last.failures());

    // the same outage, back before the deadline: nothing failed
    World back = new World(30, policy(List.of(wave("all", null, Duration.ZERO, "0", false)), OnFailure.Halt,
        OfflineNodes.Skip, List.of()));
    back.step("r1");
    back.now = T0.plusSeconds(40);
    for (String n : site) back.probe(n, "SiteUnreachable");
    back.kubelet();
    back.now = T0.plus(Duration.ofMinutes(5));
    back.step("r1");
    for (String n : site) back.probe(n, null);
    back.kubelet();
    back.step("r1");
    back.step("r1");
    assertEquals(List.of(), back.last.failures());
    assertEquals(Phase.Succeeded, back.last.phase());
  }

  @Test
  void aHungCanaryIsStillBlamedAfterAColdRestartOnceTheNewProcessHasListenedLongEnough() {
    World w = new World(30, policy(THREE, OnFailure.Halt, OfflineNodes.Skip, List.of()));
    w.step("r1");
    w.kubelet();
    w.step("r1"); // the canary is Ready and bakes for 30 minutes
    String canary = w.plan().waves().get(0).nodes().get(0);
    w.siteOf(canary).forEach(n -> { w.probe(n, null); w.beat(n); });
    w.now = T0.plusSeconds(30);
    w.beat(canary);
    w.now = T0.plus(Duration.ofMinutes(5));
    w.probe(canary, "EdgeProbeLost");
    // the operator restarts: no facts, nothing heard yet
    w.facts.clear();
    w.factsSince = T0.plus(Duration.ofMinutes(6));
    w.now = T0.plus(Duration.ofMinutes(6).plusSeconds(20));
    w.siteOf(canary).forEach(w::beat);
    w.step("r1");
    assertEquals(Phase.Baking, w.last.phase(), "within the grace the canary may yet be heard: its condition may be stale");
    w.now = w.factsSince.plus(NodeClassifier.FACTS_GRACE);
    w.siteOf(canary).forEach(w::beat);
    w.step("r1");
    assertEquals(Phase.Halted, w.last.phase(), "Ready on the revision, unheard for the whole grace while its site beats");
  }

  @Test
  void anUpdatedNodeCalledSiteUnreachableWhileItsSitesOtherNodesBeatIsReleaseSuspect() {
    World w = new World(30, policy(THREE, OnFailure.Halt, OfflineNodes.Skip, List.of()));
    w.step("r1");
    w.kubelet();
    w.step("r1"); // the canary bakes
    String canary = w.plan().waves().get(0).nodes().get(0);
    String edge = w.bystander(canary);
    List<String> neighbours = w.siteOf(canary);
    neighbours.forEach(n -> { w.probe(n, null); w.beat(n); });
    w.now = T0.plusSeconds(30);
    w.beat(canary);
    w.now = T0.plus(Duration.ofMinutes(5));
    // the site detector counted two silent nodes, the canary and one neighbour: "unreachable" by share alone
    w.probe(canary, "SiteUnreachable");
    w.probe(neighbours.get(0), "SiteUnreachable");
    w.now = T0.plus(Duration.ofMinutes(6));
    w.beat(edge);
    w.beat(neighbours.get(1));
    w.step("r1");
    assertEquals(Phase.Baking, w.last.phase(), "a not-updated node went silent with it: the site, not the release");
    assertEquals(List.of(), w.last.failures());

    World v = new World(30, policy(THREE, OnFailure.Halt, OfflineNodes.Skip, List.of()));
    v.step("r1");
    v.kubelet();
    v.step("r1");
    String e2 = v.bystander(canary);
    v.siteOf(canary).forEach(n -> { v.probe(n, null); v.beat(n); });
    v.now = T0.plusSeconds(30);
    v.beat(canary);
    v.now = T0.plus(Duration.ofMinutes(5));
    v.probe(canary, "SiteUnreachable"); // only the updated box is silent, yet the share rule called it a site
    v.now = T0.plus(Duration.ofMinutes(6));
    v.beat(e2);
    v.siteOf(canary).forEach(v::beat);
    v.step("r1");
    assertEquals(Phase.Halted, v.last.phase(), "its site's other nodes kept beating: the release's doing");
    assertTrue(v.last.failures().get(0).reason().startsWith("NodeLostAfterUpdate: silent after the update while 3 of"),
        v.last.failures().toString());
  }

  @Test
  void blameBySiteNeedsProofTheNodeLivedAfterItsUpdateAndNeighboursUpThroughItsLoss() {
    // a box that died just before its update: its last heartbeat precedes the dispatch, its pod never ran
    World dead = new World(30, policy(THREE, OnFailure.Halt, OfflineNodes.Skip, List.of()));
    String canary = dead.plan().waves().get(0).nodes().get(0);
    dead.beat(canary);
    dead.siteOf(canary).forEach(n -> { dead.probe(n, null); dead.beat(n); });
    dead.now = T0.plusSeconds(1);
    dead.step("r1");
    dead.now = T0.plusSeconds(40);
    dead.probe(canary, "EdgeProbeLost");
    dead.now = T0.plusSeconds(50);
    dead.siteOf(canary).forEach(dead::beat);
    dead.step("r1");
    assertEquals(List.of(), dead.last.failures(), "no proof it ran the update: the deadline decides, not its site");
    assertEquals(Phase.Progressing, dead.last.phase());

    // the same box, its new pod seen Ready (so it ran after the dispatch) before its last heartbeat arrived
    World ready = new World(30, policy(THREE, OnFailure.Halt, OfflineNodes.Skip, List.of()));
    ready.beat(canary);
    ready.siteOf(canary).forEach(n -> { ready.probe(n, null); ready.beat(n); });
    ready.now = T0.plusSeconds(1);
    ready.step("r1");
    ready.kubelet();
    ready.step("r1");
    assertEquals(Phase.Baking, ready.last.phase());
    ready.now = T0.plusSeconds(40);
    ready.probe(canary, "EdgeProbeLost");
    ready.now = T0.plusSeconds(50);
    ready.siteOf(canary).forEach(ready::beat);
    ready.step("r1");
    assertEquals(Phase.Halted, ready.last.phase(), "Ready on the revision proves it ran the update");

    // a site coming back around a straggler: the neighbours were silent too and are healthy only since after its loss
    World back = new World(30, policy(THREE, OnFailure.Halt, OfflineNodes.Skip, List.of()));
    back.step("r1");
    back.kubelet();
    back.step("r1");
    back.siteOf(canary).forEach(n -> { back.probe(n, null); back.beat(n); });
    back.now = T0.plusSeconds(30);
    back.beat(canary);
    back.now = T0.plus(Duration.ofMinutes(5));
    back.probe(canary, "EdgeProbeLost");
    back.now = T0.plus(Duration.ofMinutes(5).plusSeconds(10));
    back.siteOf(canary).forEach(n -> back.probe(n, "EdgeProbeLost")); // the rest of the site follows, one by one
    back.now = T0.plus(Duration.ofMinutes(7));
    back.siteOf(canary).forEach(n -> { back.probe(n, null); back.beat(n); });
    back.step("r1");
    assertEquals(List.of(), back.last.failures(), "neighbours healthy only since after its loss prove nothing");
    assertEquals(Phase.Baking, back.last.phase());
  }

  @Test
  void anUpdatedNodeSilentWhileItsSitesNotUpdatedNodesBeatIsReleaseSuspectAtOnce() {
    World w = new World(30, policy(THREE, OnFailure.Halt, OfflineNodes.Skip, List.of()));
    w.step("r1");
    w.kubelet();
    w.step("r1"); // the canary is Ready and bakes for 30 minutes
    String canary = w.plan().waves().get(0).nodes().get(0);
    List<String> neighbours = w.siteOf(canary);
    for (String n : neighbours) {
      w.probe(n, null);
      w.beat(n);
    }
    w.now = T0.plusSeconds(30);
    w.beat(canary); // alive after its update: its own last heartbeat is the evidence of when it went silent
    w.now = T0.plus(Duration.ofMinutes(5));
    w.probe(canary, "EdgeProbeLost");
    w.step("r1");
    assertEquals(Phase.Baking, w.last.phase(), "its neighbours' last heartbeats are older than its loss: no evidence yet");
    assertEquals(NodeClassifier.FACTS_RECHECK, w.last.requeueAfter(), "heartbeats raise no events: it looks again soon");
    w.now = T0.plus(Duration.ofMinutes(6));
    neighbours.forEach(w::beat);
    w.step("r1");
    assertEquals(Phase.Halted, w.last.phase(), "silent after the update while its site beats: the release's doing");
    assertEquals("NodeLostAfterUpdate: silent after the update while 2 of its site's not-updated nodes keep beating"
        + " (it had been Ready)", w.last.failures().get(0).reason());
  }

  @Test
  void sitesAreReadFromTheConfiguredLabel() {
    World w = new World(30, policy(THREE, OnFailure.Halt, OfflineNodes.Skip, List.of()));
    w.siteLabel = "example.com/region"; // the nodes carry edgewave.io/site only: no node has a site under this key
    w.step("r1");
    w.kubelet();
    w.step("r1");
    String canary = w.plan().waves().get(0).nodes().get(0);
    List<String> neighbours = w.siteOf(canary);
    for (String n : neighbours) {
      w.probe(n, null);
      w.beat(n);
    }
    w.now = T0.plus(Duration.ofMinutes(5));
    w.probe(canary, "EdgeProbeLost");
    w.now = T0.plus(Duration.ofMinutes(6));
    neighbours.forEach(w::beat);
    w.step("r1");
    assertEquals(Phase.Baking, w.last.phase(), "without a site under the configured label there is no site to blame by");
  }

  @Test
  void aNodeNotYetReadyGoingSilentWhileItsSiteBeatsFailsBeforeItsDeadline() {
    World w = new World(30, policy(THREE, OnFailure.Halt, OfflineNodes.Skip, List.of()));
    w.step("r1");
    String canary = w.plan().waves().get(0).nodes().get(0);
    for (String n : w.siteOf(canary)) w.probe(n, null);
    w.now = T0.plusSeconds(20);
    w.beat(canary);
    w.now = T0.plusSeconds(40);
    w.probe(canary, "EdgeProbeLost");
    w.now = T0.plusSeconds(50);
    w.siteOf(canary).forEach(w::beat);
    w.step("r1");
    assertEquals(Phase.Halted, w.last.phase());
    assertTrue(w.last.failures().get(0).reason().startsWith("NodeLostAfterUpdate"), w.last.failures().toString());
  }

  @Test
  void releaseSuspectNeedsLastingEvidenceNotMissingData() {
    // the whole site freezes during the canary's bake: the neighbours are silent too
    World frozen = new World(30, policy(THREE, OnFailure.Halt, OfflineNodes.Skip, List.of()));
    frozen.step("r1");
    frozen.kubelet();
    frozen.step("r1");
    String canary = frozen.plan().waves().get(0).nodes().get(0);
    frozen.siteOf(canary).forEach(frozen::beat);
    frozen.now = T0.plus(Duration.ofMinutes(5));
    frozen.probe(canary, "EdgeProbeLost"); // declared a moment before its site followed
    frozen.step("r1");
    for (String n : frozen.siteOf(canary)) frozen.probe(n, "SiteUnreachable");
    frozen.probe(canary, "SiteUnreachable");
    frozen.step("r1");
    assertEquals(Phase.Baking, frozen.last.phase());
    assertEquals(List.of(), frozen.last.failures());

    // neighbours beating, but heartbeat ingest is degraded (broker outage): no verdicts
    World blind = new World(30, policy(THREE, OnFailure.Halt, OfflineNodes.Skip, List.of()));
    blind.step("r1");
    blind.kubelet();
    blind.step("r1");
    String c2 = blind.plan().waves().get(0).nodes().get(0);
    blind.siteOf(c2).forEach(n -> blind.probe(n, null));
    blind.now = T0.plusSeconds(30);
    blind.beat(c2);
    blind.now = T0.plus(Duration.ofMinutes(5));
    blind.probe(c2, "EdgeProbeLost");
    blind.now = T0.plus(Duration.ofMinutes(6));
    blind.siteOf(c2).forEach(blind::beat);
    blind.blind = "broker connection down";
    blind.step("r1");
    assertEquals(List.of(), blind.last.failures(), "while ingest is degraded nothing is judged on heartbeats");
    // a restart (or a new leader): no facts yet, only what Nodes and Deployments say
    blind.blind = null;
    blind.facts.clear();
    blind.factsSince = blind.now;
    blind.step("r1");
    assertEquals(List.of(), blind.last.failures(), "no heartbeats heard yet is no evidence that the site beats");
    assertEquals(Phase.Baking, blind.last.phase());
    blind.now = blind.now.plusSeconds(10);
    blind.siteOf(c2).forEach(blind::beat);
    blind.step("r1");
    assertEquals(Phase.Baking, blind.last.phase(), "its neighbours are heard again, but when the silent node itself"
        + " last beat was lost with the restart: no evidence it went silent after its update, so no blame");
    assertEquals(List.of(), blind.last.failures());
  }

  @Test
  void aNodeOfASettledWaveGoingSilentWhileItsSiteBeatsIsFleetHealthNotReleaseSuspect() {
    World w = new World(30, policy(THREE, OnFailure.Halt, OfflineNodes.Skip, List.of()));
    w.step("r1");
    w.kubelet();
    w.step("r1");
    String canary = w.plan().waves().get(0).nodes().get(0);
    w.now = T0.plus(Duration.ofMinutes(31)); // the bake is over: the next wave starts, the canary is settled
    w.step("r1");
    assertEquals(Phase.Progressing, w.last.phase());
    List<String> waiting = w.siteOf(canary).stream().filter(n -> !"r1".equals(w.nodes.get(n).revision())).toList();
    w.now = T0.plus(Duration.ofMinutes(32));
    w.probe(canary, "EdgeProbeLost");
    w.now = T0.plus(Duration.ofMinutes(33));
    for (String n : waiting) {
      w.probe(n, null);
      w.beat(n);
    }
    w.step("r1");
    assertEquals(List.of(), w.last.failures(), "a blip after its wave settled never fails the release");
    assertEquals(1, w.last.tallies().get(0).lapsed());
  }

  /** A staging window of 10:00 to 16:00 UTC, when links are idle. */
  static final WindowPolicy DAYTIME = new WindowPolicy("0 0 10 * * ?", Duration.ofHours(6), java.time.ZoneOffset.UTC,
      null);

  /** One wave "all" tolerating {@code maxFailures}, staged inside {@link #DAYTIME} with {@code budget} pulls a site. */
  static World stagedInDaytime(int nodes, String maxFailures, int budget) {
    return new World(nodes, staged(List.of(wave("all", null, Duration.ZERO, maxFailures, false)),
        new io.edgewave.operator.plan.StagingPolicy(null, null, budget, List.of(DAYTIME), null, null, null)));
  }

  static ReleasePolicy staged(List<WavePolicy> waves, io.edgewave.operator.plan.StagingPolicy staging) {
    ReleasePolicy p = policy(waves, OnFailure.Halt, OfflineNodes.Skip, List.of());
    return p.withStrategy(p.strategy().withStaging(staging));
  }

  @Test
  void withStagingAWaveStartsOnlyOnceItsNodesHaveTheirImagesAndNoSiteEverPullsAboveItsBudget() {
    World w = new World(30, staged(List.of(wave("canary", "3", Duration.ZERO, "0", false),
        wave("rest", null, Duration.ZERO, "1", false)), io.edgewave.operator.plan.StagingPolicy.defaults()));
    w.step("r1");
    assertEquals(0, w.dispatched(), "no node is updated before its images are there");
    assertTrue(w.stageActions.size() > 3, "the waves after the canary are staged ahead too: " + w.stageActions);
    for (long n : w.pullingBySite().values()) assertTrue(n <= 2, "two pulls per site at most: " + w.pullingBySite());
    assertEquals("Staging", w.last.holdReason());
    assertTrue(w.last.message().startsWith("staging wave canary: 0 of 3 nodes staged (3 needed)"), w.last.message());
    long waitingAtCanarySites = w.plan().waves().get(0).nodes().stream().filter(n -> !w.stageActions.contains(n)).count();
    assertTrue(waitingAtCanarySites == 0 || w.last.message().contains("waiting for their site's pull budget"),
        "why the others do not pull yet: " + w.last.message());
    int rounds = 0;
    while (w.dispatched() == 0 && rounds++ < 20) {
      w.pullsDone();
      w.step("r1");
      for (long n : w.pullingBySite().values()) assertTrue(n <= 2, "budget: " + w.pullingBySite());
    }
    assertEquals(3, w.dispatched(), "the canary starts once its three nodes are staged");
    for (String n : w.plan().waves().get(0).nodes()) {
      assertEquals(StageState.Kind.STAGED, w.staging.get(n).kind(), n + " was staged before its update");
    }
    RolloutDecision done = w.settle("r1");
    assertEquals(Phase.Succeeded, done.phase());
    assertTrue(w.moves.values().stream().allMatch(m -> m == 1), "every node moved once: " + w.moves);
    assertEquals(30, w.stageActions.stream().distinct().count(), "every node staged once");
    assertEquals(30, w.stageActions.size(), "and only once");
  }

  @Test
  void aWaveWhoseImagesCannotBePulledHaltsBeforeAnyOfItsPodsIsStopped() {
    World w = new World(30, staged(List.of(wave("canary", "3", Duration.ZERO, "0", false),
        wave("rest", null, Duration.ZERO, "1", false)), io.edgewave.operator.plan.StagingPolicy.defaults()));
    w.step("r1");
    String bad = w.plan().waves().get(0).nodes().get(1);
    w.pullsDone();
    w.staging.put(bad, StageState.failed("reg/app:2.0: manifest unknown", T0));
    w.step("r1");
    assertEquals(Phase.Halted, w.last.phase());
    assertEquals(0, w.moves.size(), "no node was updated: the running pods were never stopped");
    assertEquals("StagingFailed: reg/app:2.0: manifest unknown", w.last.failures().get(0).reason());
    assertTrue(w.last.message().contains("wave canary has 1 failed nodes"), w.last.message());
    assertTrue(w.last.message().endsWith("; first " + bad + ": StagingFailed: reg/app:2.0: manifest unknown"),
        "the halt names the image and the error: " + w.last.message());
    w.step("r1");
    assertTrue(w.last.message().contains(bad + ": StagingFailed: reg/app:2.0: manifest unknown"),
        "and keeps naming them: " + w.last.message());
  }

  @Test
  void aNodeWhoseStagingFailedWithinTheBudgetKeepsItsOldPodAndTheWaveGoesOn() {
    World w = new World(30, staged(List.of(wave("canary", "3", Duration.ZERO, "1", false),
        wave("rest", null, Duration.ZERO, "1", false)), io.edgewave.operator.plan.StagingPolicy.defaults()));
    w.step("r1");
    String bad = w.plan().waves().get(0).nodes().get(0);
    w.pullsDone();
    w.staging.put(bad, StageState.failed("reg/app:2.0: unauthorized", T0));
    w.step("r1");
    assertEquals(2, w.dispatched(), "the two staged members start; the failed one is never moved");
    assertFalse(w.moves.containsKey(bad + "@r1"));
    assertEquals(1, w.last.tallies().get(0).failed());
  }

  @Test
  void stagingBeforeTheWindowStartsPullsOnlyFromTheLeadTimeBeforeItOpens() {
    // a window at 02:00 UTC every night for 4 h; staging starts 6 h before: at 20:00
    var window = new io.edgewave.operator.plan.WindowPolicy("0 0 2 * * ?", Duration.ofHours(4), java.time.ZoneOffset.UTC,
        null);
    ReleasePolicy p = policy(List.of(wave("all", null, Duration.ZERO, "1", false)), OnFailure.Halt, OfflineNodes.Skip,
        List.of(window));
    p = p.withStrategy(p.strategy().withStaging(new io.edgewave.operator.plan.StagingPolicy(
        io.edgewave.operator.api.v1alpha1.StagingStart.BeforeWindow, Duration.ofHours(6), 0, null, null, null, null)));
    World w = new World(10, p);
    w.now = Instant.parse("2026-12-01T12:00:00Z");
    w.step("r1");
    assertEquals(List.of(), w.stageActions, "eight hours before the window: nothing pulls yet");
    assertEquals(10, count(w.last, NodeStaging.State.LEAD_TIME), "each node says so: " + states(w.last));
    assertEquals(Duration.ofHours(8), w.last.requeueAfter(), "it wakes when staging may begin");
    w.now = Instant.parse("2026-12-01T20:00:00Z");
    w.step("r1");
    assertFalse(w.stageActions.isEmpty(), "from the lead time on, nodes pull");
    assertEquals(0, w.dispatched(), "but none is updated before its window");
  }

  @Test
  void aWaveWaitingForStagingSaysWhyItsNodesAreNotPulling() {
    World w = stagedInDaytime(10, "1", 0);
    w.offline(w.plan().waves().get(0).nodes().get(0), true);
    w.now = Instant.parse("2026-12-01T20:00:00Z");
    w.step("r1");
    assertEquals("staging wave all: 0 of 9 nodes staged (1 needed), 0 pulling; not pulling: 1 offline, 9 outside the"
        + " staging windows", w.last.message(), "members that cannot pull before the next staging window do not hold "
        + "the wave once one is staged");
  }

  /** Per-node staging as the decision hands it to the dashboard: state by node, for nodes not yet on the revision. */
  static Map<String, NodeStaging.State> states(RolloutDecision d) {
    Map<String, NodeStaging.State> out = new java.util.TreeMap<>();
    d.staging().forEach((n, s) -> out.put(n, s.state()));
    return out;
  }

  static long count(RolloutDecision d, NodeStaging.State state) {
    return d.staging().values().stream().filter(s -> s.state() == state).count();
  }

  @Test
  void eachNodeNotYetUpdatedSaysWhereItStandsWithStagingOfflineOverBudgetFailedOrOutsideTheWindows() {
    // 20 nodes on 10 sites, two a site, one pull a site at a time
    World w = stagedInDaytime(20, "2", 1);
    String away = w.plan().waves().get(0).nodes().get(0);
    w.offline(away, true);
    w.now = Instant.parse("2026-12-01T10:00:00Z");
    w.step("r1");
    assertEquals(20, w.last.staging().size(), "every target is listed: " + states(w.last));
    assertEquals(NodeStaging.State.OFFLINE, w.last.staging().get(away).state());
    assertEquals(10, count(w.last, NodeStaging.State.PULLING), states(w.last).toString());
    assertEquals(9, count(w.last, NodeStaging.State.BUDGET), "the other node of each site waits for its budget");
    for (String n : w.stageActions) assertEquals(NodeStaging.State.PULLING, w.last.staging().get(n).state(), n);

    w.pullsDone();
    String bad = w.stageActions.stream().filter(n -> !w.siteOf(away).contains(n)).findFirst().orElseThrow();
    w.staging.put(bad, StageState.failed("reg/app:2.0: manifest unknown", w.now));
    w.now = Instant.parse("2026-12-01T20:00:00Z");
    w.step("r1");
    assertEquals(new NodeStaging(NodeStaging.State.FAILED, "reg/app:2.0: manifest unknown"), w.last.staging().get(bad));
    assertEquals(9, count(w.last, NodeStaging.State.STAGED), states(w.last).toString());
    assertEquals(9, count(w.last, NodeStaging.State.WINDOW), "the budget's late ones now wait for the staging window");
    assertEquals(NodeStaging.State.OFFLINE, w.last.staging().get(away).state());

    w.kubelet();
    w.step("r1");
    for (String n : w.last.staging().keySet()) {
      assertFalse("r1".equals(w.nodes.get(n).revision()), n + " is on the revision: no longer listed");
    }
    assertEquals(11, w.last.staging().size(), "the nine staged ones switched and left the list: " + states(w.last));

    World plain = new World(10, policy(List.of(wave("all", null, Duration.ZERO, "1", false)), OnFailure.Halt,
        OfflineNodes.Skip, List.of()));
    plain.step("r1");
    assertEquals(Map.of(), plain.last.staging(), "without staging, nothing per node");
  }

  @Test
  void stagingWindowsLimitWhenPullsStart() {
    World w = stagedInDaytime(10, "1", 0);
    w.now = Instant.parse("2026-12-01T20:00:00Z");
    w.step("r1");
    assertEquals(List.of(), w.stageActions, "outside the staging window nothing pulls");
    w.now = Instant.parse("2026-12-02T10:00:00Z");
    w.step("r1");
    assertFalse(w.stageActions.isEmpty());
  }

  @Test
  void aShareBelowAllLetsAWaveStartWhileStragglersPullAndSwitchOnceStaged() {
    World w = new World(30, staged(List.of(wave("all", "10", Duration.ZERO, "1", false),
        wave("rest", null, Duration.ZERO, "1", false)), new io.edgewave.operator.plan.StagingPolicy(null, null, 10, null,
        io.edgewave.operator.plan.Amount.parse("80%"), null, null)));
    w.step("r1");
    List<String> first = w.plan().waves().get(0).nodes();
    for (int i = 0; i < 8; i++) w.staging.put(first.get(i), StageState.staged(T0));
    w.step("r1");
    assertEquals(8, w.dispatched(), "8 of 10 staged is 80 %: the wave starts with them");
    w.pullsDone();
    w.step("r1");
    assertEquals(2, w.dispatched(), "the two others switch once their images are there, never for a pull");
  }

  @Test
  void withStagingNoNodeEverSwitchesBeforeItsImagesAreThereNotAStragglerNorACatchUpNorAJoiner() {
    World w = new World(30, staged(List.of(wave("canary", "3", Duration.ZERO, "1", false),
        wave("rest", null, Duration.ZERO, "3", false)), io.edgewave.operator.plan.StagingPolicy.defaults()));
    String away = w.plan().waves().get(1).nodes().get(0);
    w.offline(away, true); // offline while the rest stages and updates: skipped
    RolloutDecision done = w.settle("r1");
    assertEquals(Phase.Succeeded, done.phase());
    assertFalse(w.moves.containsKey(away + "@r1"));
    w.offline(away, false); // back after the rollout: a catch-up
    w.step("r1");
    assertEquals(0, w.dispatched(), "not switched before it is staged");
    assertTrue(w.stageActions.contains(away), "it is staged first, also after the rollout succeeded");
    w.pullsDone();
    w.step("r1");
    assertEquals(1, w.dispatched(), "then switched");
  }

  @Test
  void aWaveOfNodesHeldForProbeFactsIsNotStartedWithNothingStaged() {
    ReleasePolicy p = staged(List.of(wave("all", null, Duration.ZERO, "1", false)),
        io.edgewave.operator.plan.StagingPolicy.defaults());
    p = p.withRules(new io.edgewave.operator.plan.RulePolicy(
        new PreflightPolicy(List.of(new FactRule.MinFreeDisk(1L << 30))), List.of()));
    World w = new World(6, p);
    w.factsSince = T0; // a restart: no facts yet, every member is held
    w.step("r1");
    assertEquals("Staging", w.last.holdReason(), "held members count: the wave waits for their images");
    assertEquals(0, w.dispatched());
  }

  @Test
  void aFailedStagingKeepsItsNodeOnItsOldPodAfterTheRolloutSucceeded() {
    World w = new World(30, staged(List.of(wave("all", null, Duration.ZERO, "1", false)),
        io.edgewave.operator.plan.StagingPolicy.defaults()));
    w.step("r1");
    String bad = w.plan().waves().get(0).nodes().get(0);
    w.pullsDone();
    w.staging.put(bad, StageState.failed("reg/app:2.0: no matching manifest for linux/arm64", T0));
    RolloutDecision done = w.settle("r1");
    assertEquals(Phase.Succeeded, done.phase(), "one failure within maxFailures 1");
    for (int i = 0; i < 3; i++) w.step("r1");
    assertFalse(w.moves.containsKey(bad + "@r1"), "its running pod was never stopped");
  }

  static final io.edgewave.operator.plan.StagingPolicy ONE_PULL_PER_SITE =
      new io.edgewave.operator.plan.StagingPolicy(null, null, 1, null, null, null, null);

  /** The nodes pulling now. */
  static List<String> pulling(World w) {
    return w.staging.entrySet().stream().filter(e -> e.getValue().kind() == StageState.Kind.PULLING)
        .map(Map.Entry::getKey).sorted().toList();
  }

  @Test
  void aBoxThatDiesMidPullHoldsItsSitesPullOnlyUntilThePullTimesOut() {
    World w = new World(30, staged(List.of(wave("all", null, Duration.ZERO, "1", false)), ONE_PULL_PER_SITE));
    w.step("r1");
    List<String> dead = pulling(w);
    assertEquals(10, dead.size(), "one pull per site: " + w.pullingBySite());
    w.now = w.now.plusSeconds(60);
    dead.forEach(n -> w.offline(n, true)); // power cut at every site, mid-pull
    w.step("r1");
    assertEquals(10, w.stageActions.size(), "the budget is a bound: a box gone quiet may still be pulling");
    // its pull's timeout passes (the node never came back, so it counts from the pod's creation): the observer's word
    w.now = T0.plus(Duration.ofMinutes(31));
    dead.forEach(n -> w.staging.put(n, StageState.failed("images not pulled within 30m (spec.strategy.staging.timeout)",
        T0)));
    w.step("r1");
    assertEquals(20, w.stageActions.size(), "then each site's next node pulls: " + w.last.message());
    assertEquals(List.of(), w.last.failures(), "the dead boxes are offline, not failed");
    RolloutDecision done = w.settle("r1");
    assertEquals(Phase.Succeeded, done.phase(), done.message());
    assertEquals(20, w.moves.size(), "every reachable node switched");
    assertTrue(dead.stream().noneMatch(n -> w.moves.containsKey(n + "@r1")), "no dead box was touched");
    assertTrue(w.moves.values().stream().allMatch(m -> m == 1), "each once: " + w.moves);
  }

  @Test
  void whileHeartbeatsCannotBeTrustedPullsRunningGoOnButNoneStartsAndNoNodeSwitches() {
    World w = new World(30, staged(List.of(wave("canary", "3", Duration.ZERO, "0", false),
        wave("rest", null, Duration.ZERO, "1", false)), io.edgewave.operator.plan.StagingPolicy.defaults()));
    w.step("r1");
    assertEquals(20, w.stageActions.size(), "two pulls at each of the ten sites");
    w.blind = "broker connection down";
    w.pullsDone(); // the running pulls end during the outage
    w.now = w.now.plus(Duration.ofHours(2));
    w.step("r1");
    assertEquals(20, w.stageActions.size(), "no new pull starts while node health cannot be seen");
    assertEquals(0, w.moves.size(), "no node switches");
    assertEquals(List.of(), w.last.failures(), "none fails for the outage");
    assertTrue(w.last.message().startsWith("holding: heartbeat ingest degraded"), w.last.message());
    w.blind = null;
    w.step("r1");
    assertEquals(3, w.dispatched(), "back: the staged canary starts at once");
    assertEquals(30, w.stageActions.size(), "and the rest pull");
    assertEquals(Phase.Succeeded, w.settle("r1").phase());
    assertEquals(30, w.stageActions.stream().distinct().count(), "no node pulled twice");
  }

  @Test
  void aReleaseWaitingForItsStartTimeStaysPendingAndPullsNothingThroughABrokerOutage() {
    ReleasePolicy p = staged(List.of(wave("canary", "3", Duration.ZERO, "0", false),
        wave("rest", null, Duration.ZERO, "1", false)), io.edgewave.operator.plan.StagingPolicy.defaults());
    World w = new World(30, p.withSchedule(new SchedulePolicy(T0.plus(Duration.ofDays(1)), List.of())));
    w.blind = "broker connection down"; // applied during the outage
    assertEquals(Phase.Pending, w.decideOnce("r1").phase(), "its first round (the attempt written) is Pending too");
    w.step("r1");
    assertEquals(Phase.Pending, w.last.phase(), "not started by an outage: " + w.last.message());
    assertEquals(T0.plus(Duration.ofDays(1)), w.last.nextStepAt(), "counting down to its start");
    w.blind = null;
    w.step("r1");
    assertEquals(Phase.Pending, w.last.phase());
    w.blind = "broker connection down";
    w.step("r1");
    assertEquals(Phase.Pending, w.last.phase(), "and through the next one: " + w.last.message());
    assertEquals(List.of(), w.stageActions, "nothing pulled before spec.schedule.notBefore");
    w.blind = null;
    w.now = T0.plus(Duration.ofDays(1));
    w.step("r1");
    assertEquals(20, w.stageActions.size(), "from its start time on, staging begins");
  }

  @Test
  void aNodeOfflineDuringItsPullIsOfflineNotFailed() {
    World w = new World(30, staged(List.of(wave("canary", "3", Duration.ZERO, "0", false),
        wave("rest", null, Duration.ZERO, "1", false)), io.edgewave.operator.plan.StagingPolicy.defaults()));
    w.step("r1");
    String gone = w.plan().waves().get(0).nodes().get(0);
    w.offline(gone, true);
    w.staging.put(gone, StageState.failed("images not pulled within 30m (spec.strategy.staging.timeout)", T0));
    w.step("r1");
    assertFalse(w.last.phase() == Phase.Halted, "an offline node is skipped or waited for, not a failure: "
        + w.last.failures());
    assertEquals(List.of(), w.last.failures());
  }

  @Test
  void aMemberThatCannotPullBeforeTheNextStagingWindowDoesNotHoldItsWaveAllNight() {
    World w = stagedInDaytime(10, "1", 10);
    String late = w.plan().waves().get(0).nodes().get(0);
    w.offline(late, true); // away all day
    w.now = Instant.parse("2026-12-01T10:00:00Z");
    w.step("r1");
    assertEquals(9, w.stageActions.size());
    w.pullsDone();
    w.now = Instant.parse("2026-12-01T20:00:00Z");
    w.offline(late, false); // back in the evening: online, unstaged, and no staging window until tomorrow 10:00
    w.step("r1");
    assertEquals(9, w.dispatched(), "the nine staged members switch tonight: " + w.last.message());
    assertTrue(w.last.transitions().stream().anyMatch(t -> t.message().equals(
        "wave 1/1 all started with 10 nodes (9 staged)")),
        w.last.transitions().toString());
    assertFalse(w.stageActions.contains(late), "the late one still pulls only inside the staging windows");
    w.kubelet();
    w.step("r1"); // marks the nine Ready
    w.step("r1");
    assertEquals(Phase.Progressing, w.last.phase(), "the wave waits for its late member before it completes");
    assertEquals("Staging", w.last.holdReason());
    assertEquals("wave all started; 1 of its members switch once their images are there; not pulling: 1 outside "
        + "the staging windows", w.last.message());
    assertFalse(w.moves.containsKey(late + "@r1"), "and never switches it before its images are there");
    w.now = Instant.parse("2026-12-02T10:00:00Z");
    w.step("r1");
    assertTrue(w.stageActions.contains(late));
    w.pullsDone();
    w.step("r1");
    assertEquals(1, w.dispatched(), "switched once staged");
    w.kubelet();
    w.step("r1");
    assertEquals(Phase.Succeeded, w.last.phase());
  }

  @Test
  void aWaveWhoseMembersAllWaitForTheStagingWindowDoesNotStartWithNothingStaged() {
    World w = stagedInDaytime(10, "1", 0);
    w.now = Instant.parse("2026-12-01T20:00:00Z");
    w.step("r1");
    w.step("r1");
    assertEquals("Staging", w.last.holdReason());
    assertTrue(w.last.progress().marks().stream().allMatch(m -> m.startedAt() == null), "no wave marked started");
    assertEquals(Duration.ofHours(14), w.last.requeueAfter(), "it wakes when the staging window opens");
  }

  @Test
  void anUndoToTheRevisionTheNodesRanBeforePullsAtOnceOutsideTheStagingWindows() {
    World w = new World(10, staged(List.of(wave("all", null, Duration.ZERO, "1", false)),
        new io.edgewave.operator.plan.StagingPolicy(io.edgewave.operator.api.v1alpha1.StagingStart.BeforeWindow,
            Duration.ofHours(1), 10, List.of(DAYTIME), null, null, null)));
    w.now = Instant.parse("2026-12-01T10:00:00Z");
    assertEquals(Phase.Succeeded, w.settle("r1").phase());
    w.staging.clear(); // pre-pull records are per revision
    assertEquals(Phase.Succeeded, w.settle("r2").phase());
    w.now = Instant.parse("2026-12-01T20:00:00Z");
    w.staging.clear();
    w.stageActions.clear();
    w.step("r3");
    assertEquals(List.of(), w.stageActions, "a new revision waits for the staging window");
    assertEquals(0, w.dispatched());
    w.step("r1");
    assertEquals(10, w.stageActions.size(), "going back to r1, which every node ran before, pulls at once");
    w.pullsDone();
    w.step("r1");
    assertEquals(10, w.dispatched(), "and switches at once");
  }

  @Test
  void withOfflineNodesFailABlipLongAfterTheWaveStartedIsNoFailureOnlyAWholeDeadlineOfflineIs() {
    ReleasePolicy p = policy(List.of(wave("all", null, Duration.ZERO, "0", false)), OnFailure.Halt,
        OfflineNodes.Fail, List.of());
    World w = new World(10, p);
    String late = w.plan().waves().get(0).nodes().get(0);
    w.offline(late, true); // away when the wave starts: it waits
    w.step("r1");
    w.kubelet();
    w.step("r1");
    w.offline(late, false); // back, and it blips before the next look: never dispatched
    // hours after the wave started, before it was dispatched, the node blips
    w.now = w.now.plus(Duration.ofHours(5));
    w.offline(late, true);
    w.step("r1");
    assertFalse(w.last.phase() == Phase.Halted, "a blip hours after the start is not a failure: " + w.last.message());
    assertEquals(List.of(), w.last.failures());
    // offline a whole progress deadline: a failure
    w.now = w.now.plus(p.strategy().progressDeadline());
    w.step("r1");
    assertEquals(Phase.Halted, w.last.phase(), w.last.message());
    assertEquals("NodeOffline", w.last.failures().get(0).reason());
  }

  @Test
  void membersBeforeTheirLeadTimeInALaterTimeZoneDoNotHoldAnEarlierSitesWindow() {
    // midnight to 04:00 local; Shanghai (UTC+8) opens at 16:00Z, New York (UTC-5) at 05:00Z the next day
    var nights = new WindowPolicy("0 0 0 * * ?", Duration.ofHours(4), java.time.ZoneOffset.UTC,
        "edgewave.io/timezone");
    ReleasePolicy p = policy(List.of(wave("all", null, Duration.ZERO, "1", false)), OnFailure.Halt, OfflineNodes.Skip,
        List.of(nights));
    p = p.withStrategy(p.strategy().withStaging(new io.edgewave.operator.plan.StagingPolicy(
        io.edgewave.operator.api.v1alpha1.StagingStart.BeforeWindow, Duration.ofHours(2), 10, null, null, null, null)));
    World w = new World(10, p);
    List<String> shanghai = new java.util.ArrayList<>();
    for (int i = 0; i < w.targets.size(); i++) {
      TargetNode t = w.targets.get(i);
      Map<String, String> labels = new HashMap<>(t.labels());
      String zone = i % 2 == 0 ? "Asia/Shanghai" : "America/New_York";
      labels.put("edgewave.io/timezone", zone);
      if (i % 2 == 0) shanghai.add(t.name());
      w.targets.set(i, new TargetNode(t.name(), labels));
      w.nodes.put(t.name(), NodeView.fresh(t.name(), labels, true));
    }
    w.now = Instant.parse("2026-12-01T14:00:00Z"); // Shanghai's lead time begins; New York's is 13 h away
    w.step("r1");
    assertEquals(new java.util.TreeSet<>(shanghai), new java.util.TreeSet<>(w.stageActions));
    w.pullsDone();
    w.now = Instant.parse("2026-12-01T16:00:00Z");
    w.step("r1");
    assertEquals(shanghai.size(), w.dispatched(), "Shanghai switches in its own window, not a day later: "
        + w.last.message());
  }

  @Test
  void afterCleanupTheHaltStillNamesTheWaveThatBreachedNotATolerableFailureBeforeIt() {
    World w = new World(30, staged(List.of(wave("canary", "3", Duration.ZERO, "1", false),
        wave("rest", null, Duration.ZERO, "0", false)), io.edgewave.operator.plan.StagingPolicy.defaults()));
    w.step("r1");
    String tolerated = w.plan().waves().get(0).nodes().get(0);
    String bad = w.plan().waves().get(1).nodes().get(5);
    w.pullsDone();
    w.staging.put(tolerated, StageState.failed("reg/app:2.0: no matching manifest for linux/arm64", T0));
    w.staging.put(bad, StageState.failed("reg/app:2.0: unauthorized", T0));
    RolloutDecision halted = w.settle("r1");
    assertEquals(Phase.Halted, halted.phase());
    w.staging.clear(); // the pre-pull objects are cleaned up once halted
    w.step("r1");
    assertTrue(w.last.message().startsWith("wave rest failed, first " + bad + ": StagingFailed: reg/app:2.0: "
        + "unauthorized; halted"), w.last.message());
  }

  @Test
  void theBreachingWavesFailuresComeFirstInTheBoundedSamplesSoTheCauseOutlivesCleanup() {
    World w = new World(100, staged(List.of(wave("big", "60", Duration.ZERO, "25", false),
        wave("rest", null, Duration.ZERO, "0", false)), io.edgewave.operator.plan.StagingPolicy.defaults()));
    w.step("r1");
    List<String> big = w.plan().waves().get(0).nodes();
    String bad = w.plan().waves().get(1).nodes().get(3);
    w.pullsDone();
    for (int i = 0; i < 25; i++) w.staging.put(big.get(i), StageState.failed("reg/app:2.0: no space left", T0));
    w.staging.put(bad, StageState.failed("reg/app:2.0: unauthorized", T0));
    assertEquals(Phase.Halted, w.settle("r1").phase());
    assertEquals(bad, w.last.failures().get(0).node(), "the breaching wave's failure first of the 20 samples");
    assertEquals(bad, w.status.getFailures().get(0).getNode(), "and in status, where notifications read them");
    w.staging.clear();
    w.step("r1");
    assertEquals(bad, w.status.getFailures().get(0).getNode(), "still first after cleanup: " + w.status.getFailures());
    assertTrue(w.last.message().startsWith("wave rest failed, first " + bad + ": StagingFailed: reg/app:2.0: "
        + "unauthorized"), w.last.message());
  }

  @Test
  void anOfflineTimeAheadOfNowIsNoEvidenceAndTheWavesStartCounts() {
    ReleasePolicy p = policy(List.of(wave("all", null, Duration.ZERO, "0", false)), OnFailure.Halt,
        OfflineNodes.Fail, List.of());
    World w = new World(10, p);
    String late = w.plan().waves().get(0).nodes().get(0);
    w.offline(late, true);
    w.step("r1");
    w.now = w.now.plus(Duration.ofHours(5));
    // its Node says offline since an hour from now (an edge clock running ahead): not a time to count from
    w.nodes.put(late, w.nodes.get(late).withSince(w.now.plus(Duration.ofHours(1))));
    w.step("r1");
    assertEquals(Phase.Halted, w.last.phase(), "offline past the deadline from the wave's start: " + w.last.message());
  }
}
