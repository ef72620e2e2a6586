package io.edgewave.operator.rollout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.api.v1alpha1.WaveStatus;
import io.edgewave.operator.demo.SimulatedKubelet;
import io.edgewave.operator.fleet.NodeFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real operator against the mock API server in CRUD mode, with simulated kubelets. */
class EdgeReleaseRolloutIT {
  static final Duration T = Duration.ofSeconds(60);
  OperatorHarness h;

  static final String THREE_WAVES = """
      workload:
        template:
          metadata: {labels: {app: scan-upload}}
          spec: {containers: [{name: app, image: "reg/scan-upload:%s"}]}
      targets:
        selector: {matchLabels: {edgewave.io/class: transit-center}}
      strategy:
        waves:
        - {name: canary, selector: {matchLabels: {edgewave.io/site: hangzhou-01}}, bakeTime: 2s}
        - {name: early, size: "30%%", coverage: [edgewave.io/site-type], maxFailures: "1"}
        - {name: rest, maxFailures: "%s"}
        progressDeadline: 5m
        onFailure: %s
      """;

  @AfterEach
  void close() {
    if (h != null) h.close();
  }

  @Test
  void threeWaveRolloutOverThirtyNodesCompletesInOrder() throws Exception {
    h = new OperatorHarness(30, 5).startOperator();
    h.apply("scan-upload", OperatorHarness.spec(THREE_WAVES.formatted("2.4.1", "0", "Halt")));
    EdgeRelease done = h.awaitPhase("scan-upload", Phase.Succeeded, T);

    var s = done.getStatus();
    assertEquals(List.of(3, 9, 18), s.getWaves().stream().map(WaveStatus::getTargets).toList());
    assertEquals(30, s.getTotals().getReady());
    assertEquals(0, s.getTotals().getFailed());
    assertEquals("3/3 rest", s.getCurrentWaveName());
    assertEquals("True", s.getConditions().stream().filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow().getStatus());
    Map<String, String> revs = h.revisions("scan-upload");
    assertEquals(30, revs.size(), "GPU boxes are not targets");
    assertTrue(revs.values().stream().allMatch(s.getRevision()::equals));
    assertEquals(Map.of(), h.duplicateDispatches());
    assertWavesInOrder(done, h.kubelet.dispatches(), Duration.ofSeconds(2));
    long started = h.client.v1().events().inNamespace(OperatorHarness.NS).list().getItems().stream()
        .filter(e -> "RolloutStarted".equals(e.getReason())).count();
    assertEquals(1, started, "a reconcile that read a stale status would start the rollout again");
  }

  @Test
  void haltsWhenAWaveExceedsMaxFailuresAndStartsNoFurtherWave() throws Exception {
    h = new OperatorHarness(30, 0);
    h.nodeNames(n -> !OperatorHarness.inSite(n, "hangzhou-01")).forEach(h.kubelet::failNode);
    h.startOperator();
    h.apply("scan-upload", OperatorHarness.spec(THREE_WAVES.formatted("2.4.1", "0", "Halt")));
    EdgeRelease halted = h.awaitPhase("scan-upload", Phase.Halted, T);

    var s = halted.getStatus();
    assertTrue(s.getMessage().startsWith("wave early has "), s.getMessage());
    assertTrue(s.getTotals().getFailed() >= 2);
    assertTrue(s.getFailures().size() <= 20);
    assertEquals("CrashLoopBackOff", s.getFailures().get(0).getReason());
    assertEquals("early", s.getFailures().get(0).getWave());
    assertEquals(0, s.getWaves().get(2).getUpdated(), "the rest wave must not start");
    var degraded = s.getConditions().stream().filter(c -> c.getType().equals("Degraded")).findFirst().orElseThrow();
    assertEquals("True", degraded.getStatus());
    assertEquals("Halted", degraded.getReason());
    h.pokeAndAwaitReconciles("scan-upload");
    assertEquals(12, h.revisions("scan-upload").size(), "canary 3 + early 9, nothing more after the halt");
  }

  @Test
  void rollbackReturnsUpdatedNodesToThePreviousRevision() throws Exception {
    h = new OperatorHarness(30, 0).startOperator();
    h.apply("scan-upload", OperatorHarness.spec(THREE_WAVES.formatted("2.4.1", "0", "Rollback")));
    String good = h.awaitPhase("scan-upload", Phase.Succeeded, T).getStatus().getRevision();

    h.nodeNames(n -> !OperatorHarness.inSite(n, "hangzhou-01")).forEach(h.kubelet::failNode);
    h.edit("scan-upload", er -> {
      er.setSpec(OperatorHarness.spec(THREE_WAVES.formatted("2.5.0", "0", "Rollback")));
      return er;
    });
    EdgeRelease rolledBack = h.awaitPhase("scan-upload", Phase.RolledBack, T);
    String bad = rolledBack.getStatus().getRevision();
    assertTrue(!bad.equals(good));
    assertEquals(good, rolledBack.getStatus().getPreviousRevision());
    Map<String, String> revs = h.revisions("scan-upload");
    assertEquals(30, revs.size());
    assertTrue(revs.values().stream().allMatch(good::equals), "every node back on " + good + ": " + revs);
    long movedToBad = h.kubelet.dispatches().stream().filter(d -> d.revision().equals(bad)).count();
    assertEquals(12, movedToBad, "canary and early moved once each; rest never");
    assertEquals(Map.of(), h.duplicateDispatches().entrySet().stream().filter(e -> e.getKey().endsWith(bad))
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    var image = h.client.apps().deployments().inNamespace(OperatorHarness.NS).list().getItems().get(0)
        .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    assertEquals("reg/scan-upload:2.4.1", image);
  }

  @Test
  void approvalHoldsAWaveUntilTheAnnotationNamesItsRollout() throws Exception {
    h = new OperatorHarness(20, 0).startOperator();
    h.apply("scan-upload", OperatorHarness.spec("""
        workload:
          template: {spec: {containers: [{name: app, image: "reg/scan-upload:2.4.1"}]}}
        targets: {selector: {matchLabels: {edgewave.io/class: transit-center}}}
        strategy:
          waves:
          - {name: canary, size: "2"}
          - {name: broad, approval: true}
        """));
    EdgeRelease waiting = h.awaitPhase("scan-upload", Phase.AwaitingApproval, T);
    String rev = waiting.getStatus().getRevision();
    String rollout = waiting.getStatus().getRollout();
    assertTrue(rollout.startsWith(rev + "."), rollout);
    assertTrue(waiting.getStatus().getMessage().contains("edgewave.io/approve=broad@" + rollout));
    assertEquals(2, h.revisions("scan-upload").size());

    h.edit("scan-upload", er -> {
      er.getMetadata().getAnnotations().put(Labels.APPROVE, "broad@0000000000");
      return er;
    });
    h.pokeAndAwaitReconciles("scan-upload");
    assertEquals(Phase.AwaitingApproval, h.get("scan-upload").getStatus().getPhase(), "another revision's approval");
    h.edit("scan-upload", er -> {
      er.getMetadata().getAnnotations().put(Labels.APPROVE, "broad@" + rev);
      return er;
    });
    h.pokeAndAwaitReconciles("scan-upload");
    assertEquals(Phase.AwaitingApproval, h.get("scan-upload").getStatus().getPhase(),
        "an approval naming only the revision could be one left from an earlier rollout of it");
    h.edit("scan-upload", er -> {
      er.getMetadata().getAnnotations().put(Labels.APPROVE, "broad@" + rollout);
      return er;
    });
    EdgeRelease done = h.awaitPhase("scan-upload", Phase.Succeeded, T);
    assertTrue(done.getStatus().getWaves().get(1).getApprovedAt() != null);
    assertEquals(20, h.revisions("scan-upload").size());
  }

  @Test
  void pauseStartsNothingUntilResumed() throws Exception {
    h = new OperatorHarness(10, 0).startOperator();
    var spec = OperatorHarness.spec(THREE_WAVES.formatted("2.4.1", "0", "Halt"));
    spec.setPaused(true);
    h.apply("scan-upload", spec);
    h.awaitPhase("scan-upload", Phase.Paused, T);
    h.pokeAndAwaitReconciles("scan-upload");
    assertEquals(0, h.revisions("scan-upload").size());
    h.edit("scan-upload", er -> {
      er.getSpec().setPaused(false);
      return er;
    });
    h.awaitPhase("scan-upload", Phase.Succeeded, T);
    assertEquals(10, h.revisions("scan-upload").size());
  }

  @Test
  void maintenanceWindowBlocksAWaveAndLaterAdmitsIt() throws Exception {
    h = new OperatorHarness(10, 0);
    h.clock.setTo(Instant.parse("2026-12-01T04:00:00Z")); // 12:00 in Shanghai
    h.startOperator();
    h.apply("scan-upload", OperatorHarness.spec("""
        workload:
          template: {spec: {containers: [{name: app, image: "reg/scan-upload:2.4.1"}]}}
        targets: {selector: {matchLabels: {edgewave.io/class: transit-center}}}
        strategy: {waves: [{name: all}]}
        schedule:
          windows: [{cron: "0 0 0 * * ?", duration: 6h, timeZone: Asia/Shanghai}]
        """));
    EdgeRelease waiting = h.awaitPhase("scan-upload", Phase.WaitingForWindow, T);
    assertEquals(0, h.revisions("scan-upload").size());
    assertEquals("False", waiting.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready"))
        .findFirst().orElseThrow().getStatus());
    h.clock.setTo(Instant.parse("2026-12-01T16:00:05Z")); // 00:00:05 in Shanghai
    h.poke("scan-upload");
    h.awaitPhase("scan-upload", Phase.Succeeded, T);
    assertEquals(10, h.revisions("scan-upload").size());
  }

  @Test
  void operatorRestartMidWaveResumesWithNoNodeMovedTwiceAndNoWaveSkipped() throws Exception {
    h = new OperatorHarness(60, 0, 300, 1500).startOperator();
    h.apply("scan-upload", OperatorHarness.spec(THREE_WAVES.formatted("2.4.1", "0", "Halt")));
    h.awaitRelease("scan-upload", er -> er.getStatus() != null && Integer.valueOf(2).equals(er.getStatus().getCurrentWave())
        && er.getStatus().getWaves().get(1).getReady() < er.getStatus().getWaves().get(1).getTargets(), T, "mid wave 2");
    h.stopOperator();
    Thread.sleep(2000); // pods keep coming up while no operator runs
    h.startOperator();
    EdgeRelease done = h.awaitPhase("scan-upload", Phase.Succeeded, T);
    assertEquals(60, done.getStatus().getTotals().getReady());
    assertEquals(Map.of(), h.duplicateDispatches());
    assertEquals(60, h.kubelet.dispatches().size(), "each node moved exactly once");
    assertWavesInOrder(done, h.kubelet.dispatches(), Duration.ofSeconds(2));
  }

  @Test
  void preflightSkipsBoxesWithoutAGpuAndGatesWaitForTheCameraCheck() throws Exception {
    h = new OperatorHarness(0, 6).startOperator();
    List<String> boxes = h.nodeNames(n -> true);
    Instant now = h.clock.instant();
    for (int i = 0; i < boxes.size(); i++) {
      h.facts.put(boxes.get(i), new NodeFacts(now, 50L << 30, 4L << 30, i == 0 ? 0 : 1, i == 0 ? List.of() : List.of("535.104.05"),
          Map.of("camera", false)));
    }
    h.apply("camera-inference", OperatorHarness.spec("""
        workload:
          template: {spec: {containers: [{name: inference, image: "reg/camera-inference:1.8.0"}]}}
        targets: {selector: {matchLabels: {edgewave.io/class: gpu-box}}}
        strategy:
          waves: [{name: all}]
          preflight: {gpu: true, minFreeDisk: 10Gi}
          gates: {checks: [camera]}
        """));
    EdgeRelease waiting = h.awaitRelease("camera-inference", er -> er.getStatus() != null && er.getStatus().getTotals() != null
        && er.getStatus().getTotals().getUpdated() == 5, T, "5 boxes updated");
    assertEquals(1, waiting.getStatus().getTotals().getSkipped());
    assertEquals(boxes.get(0), waiting.getStatus().getSkips().get(0).getNode());
    assertEquals("Preflight: no GPU reported", waiting.getStatus().getSkips().get(0).getReason());
    // every updated box's pod Ready, then a reconcile that saw it: still not done without the camera check
    await("5 pods Ready").atMost(T).until(() -> h.kubelet.readyTimes().size() == 5);
    h.pokeAndAwaitReconciles("camera-inference");
    assertEquals(Phase.Progressing, h.get("camera-inference").getStatus().getPhase(), "pods Ready, camera check not yet");
    Instant later = h.clock.instant().plusSeconds(1);
    for (String b : boxes.subList(1, boxes.size())) {
      h.facts.put(b, new NodeFacts(later, 50L << 30, 4L << 30, 1, List.of("535.104.05"), Map.of("camera", true)));
    }
    EdgeRelease done = h.awaitPhase("camera-inference", Phase.Succeeded, T);
    assertEquals(5, done.getStatus().getTotals().getReady());
    assertEquals(false, h.revisions("camera-inference").containsKey(boxes.get(0)));
  }

  @Test
  void invalidSpecIsRejectedWithTheFieldAndNothingIsDeployed() throws Exception {
    h = new OperatorHarness(10, 0).startOperator();
    h.apply("bad", OperatorHarness.spec("""
        workload:
          template: {spec: {containers: [{name: app, image: "reg/scan-upload:2.4.1"}]}}
        targets: {selector: {matchLabels: {edgewave.io/class: transit-center}}}
        strategy:
          waves: [{name: canary, size: "10 %"}, {name: rest}]
        schedule:
          windows: [{cron: "0 0 25 * * ?", duration: 6h, timeZone: Asia/Shangai}]
        """));
    EdgeRelease invalid = h.awaitPhase("bad", Phase.Invalid, T);
    String m = invalid.getStatus().getMessage();
    assertTrue(m.contains("spec.strategy.waves[0].size: \"10 %\" is not a count or a percentage"), m);
    assertTrue(m.contains("spec.schedule.windows[0].cron"), m);
    assertTrue(m.contains("spec.schedule.windows[0].timeZone: \"Asia/Shangai\" is not an IANA time zone"), m);
    var cond = invalid.getStatus().getConditions().stream().filter(c -> c.getType().equals("Invalid")).findFirst().orElseThrow();
    assertEquals("True", cond.getStatus());
    h.pokeAndAwaitReconciles("bad");
    assertEquals(0, h.revisions("bad").size());

    h.edit("bad", er -> {
      er.getSpec().getStrategy().getWaves().get(0).setSize("10%");
      er.getSpec().setSchedule(null);
      return er;
    });
    h.awaitPhase("bad", Phase.Succeeded, T);
  }

  /** Every node was started after its wave started, and each wave started after the previous one completed and baked. */
  static void assertWavesInOrder(EdgeRelease er, List<SimulatedKubelet.Dispatch> dispatches, Duration canaryBake) {
    List<WaveStatus> waves = er.getStatus().getWaves();
    for (int i = 1; i < waves.size(); i++) {
      Instant prevDone = Instant.parse(waves.get(i - 1).getCompletedAt());
      Instant started = Instant.parse(waves.get(i).getStartedAt());
      assertFalse(started.isBefore(prevDone), "wave " + i + " started before wave " + (i - 1) + " completed");
      if (i == 1) assertFalse(started.isBefore(prevDone.plus(canaryBake)), "canary bake was cut short");
    }
    Instant firstStart = Instant.parse(waves.get(0).getStartedAt());
    for (SimulatedKubelet.Dispatch d : dispatches) {
      if (!er.getStatus().getRevision().equals(d.revision())) continue;
      assertFalse(Instant.parse(d.dispatchedAt()).isBefore(firstStart));
    }
  }
}
