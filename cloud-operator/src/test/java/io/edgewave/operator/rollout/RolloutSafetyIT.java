package io.edgewave.operator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.demo.SimulatedFleet;
import io.edgewave.operator.fleet.NodeFacts;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hostile events of docs/architecture.md "Rollout safety" with the real operator on the mock API server and
 * simulated kubelets.
 */
class RolloutSafetyIT {
  static final Duration T = Duration.ofSeconds(60);
  OperatorHarness h;
  ScheduledExecutorService probes;

  @AfterEach
  void close() {
    if (probes != null) probes.shutdownNow();
    if (h != null) h.close();
  }

  static String spec(String image, String strategy) {
    return """
        workload:
          template: {spec: {containers: [{name: app, image: "reg/camera:%s"}]}}
        targets: {selector: {matchLabels: {edgewave.io/class: transit-center}}}
        strategy:
        %s
        """.formatted(image, strategy.indent(2));
  }

  @Test
  void aBlipAfterSuccessNeitherHaltsNorRollsBackTheFleet() throws Exception {
    h = new OperatorHarness(12, 0).startOperator();
    h.apply("camera", OperatorHarness.spec(spec("1", """
        waves: [{name: canary, size: "1"}, {name: rest, maxFailures: "0"}]
        onFailure: Rollback
        progressDeadline: 1m""")));
    String r1 = h.awaitPhase("camera", Phase.Succeeded, T).getStatus().getRevision();
    h.edit("camera", er -> {
      er.getSpec().getWorkload().getTemplate().getSpec().getContainers().get(0).setImage("reg/camera:2");
      return er;
    });
    EdgeRelease done = h.awaitRelease("camera", er -> er.getStatus().getPhase() == Phase.Succeeded
        && !r1.equals(er.getStatus().getRevision()), T, "revision 2 succeeded");
    String r2 = done.getStatus().getRevision();
    String box = h.nodeNames(OperatorHarness::isCenter).get(3);
    // a 15-second blip, seen long after: the Node NotReady and its pod not Ready, past every deadline
    SimulatedFleet.setReady(h.client, box, false);
    for (Pod p : h.client.pods().inNamespace(OperatorHarness.NS).withLabel(Labels.NODE, Labels.nodeValue(box)).list().getItems()) {
      p.getStatus().setConditions(List.of(new PodCondition(null, h.clock.instant().toString(), null, null, null, "False", "Ready")));
      h.client.pods().inNamespace(OperatorHarness.NS).resource(p).updateStatus();
    }
    h.clock.advance(Duration.ofMinutes(30));
    h.poke("camera");
    EdgeRelease seen = h.awaitRelease("camera", er -> er.getStatus().getTotals().getUnhealthy() == 1, T,
        "the blip counted as fleet health");
    assertEquals(Phase.Succeeded, seen.getStatus().getPhase());
    assertEquals(0, seen.getStatus().getTotals().getFailed());
    h.pokeAndAwaitReconciles("camera");
    assertEquals(Phase.Succeeded, h.get("camera").getStatus().getPhase(), "a Succeeded release never rolls back by itself");
    assertTrue(h.revisions("camera").values().stream().allMatch(r2::equals), "every box stays on revision 2");
    assertEquals(Map.of(), h.duplicateDispatches());
  }

  @Test
  void nodesJoiningWhileAWaveAwaitsApprovalStartOnlyOnceItIsApproved() throws Exception {
    h = new OperatorHarness(20, 0).startOperator();
    h.apply("scan", OperatorHarness.spec(spec("1", """
        waves: [{name: canary, size: "1"}, {name: broad, approval: true}]""")));
    EdgeRelease waiting = h.awaitPhase("scan", Phase.AwaitingApproval, T);
    String rollout = waiting.getStatus().getRollout();
    assertTrue(waiting.getStatus().getMessage().contains("edgewave.io/approve=broad@" + rollout));
    Node template = h.nodes.get(0);
    for (int i = 0; i < 30; i++) {
      Node n = new NodeBuilder(template).editMetadata().withName("late-" + i).withResourceVersion(null)
          .withUid(null).endMetadata().build();
      h.client.nodes().resource(n).create();
    }
    h.awaitRelease("scan", er -> er.getStatus().getWaves().get(1).getTargets() == 49, T, "broad takes the 30 joiners");
    h.pokeAndAwaitReconciles("scan");
    assertEquals(1, h.revisions("scan").size(), "no node starts before the approval");
    assertEquals(1, h.get("scan").getStatus().getWaves().get(0).getTargets(), "the started canary keeps its member");
    h.edit("scan", er -> {
      er.getMetadata().getAnnotations().put(Labels.APPROVE, "broad@" + rollout);
      return er;
    });
    h.awaitPhase("scan", Phase.Succeeded, T);
    assertEquals(50, h.revisions("scan").size());
    assertEquals(Map.of(), h.duplicateDispatches());
  }

  @Test
  void aTypoAfterARollbackNeverSendsTheRolledBackRevisionOutAgain() throws Exception {
    h = new OperatorHarness(10, 0).startOperator();
    h.apply("scan", OperatorHarness.spec(spec("1", """
        waves: [{name: canary, size: "2"}, {name: rest}]
        onFailure: Rollback""")));
    String r1 = h.awaitPhase("scan", Phase.Succeeded, T).getStatus().getRevision();
    h.nodeNames(OperatorHarness::isCenter).forEach(h.kubelet::failNode);
    h.edit("scan", er -> {
      er.getSpec().getWorkload().getTemplate().getSpec().getContainers().get(0).setImage("reg/camera:2-bad");
      return er;
    });
    EdgeRelease rolledBack = h.awaitPhase("scan", Phase.RolledBack, T);
    String r2 = rolledBack.getStatus().getRevision();
    assertTrue(rolledBack.getStatus().getFailures().size() > 0, "the failures survive the rollback");
    long sentR2 = h.kubelet.dispatches().stream().filter(d -> d.revision().equals(r2)).count();
    h.nodeNames(OperatorHarness::isCenter).forEach(h.kubelet::healNode);

    h.edit("scan", er -> {
      var w = new io.edgewave.operator.api.v1alpha1.Window();
      w.setCron("0 0 25 * * ?"); // hour 25: a typo
      w.setDuration("6h");
      er.getSpec().setSchedule(new io.edgewave.operator.api.v1alpha1.Schedule());
      er.getSpec().getSchedule().setWindows(List.of(w));
      return er;
    });
    h.awaitPhase("scan", Phase.Invalid, T);
    h.edit("scan", er -> {
      er.getSpec().setSchedule(null);
      return er;
    });
    EdgeRelease back = h.awaitPhase("scan", Phase.RolledBack, T);
    assertTrue(back.getStatus().getFailures().size() > 0);
    h.pokeAndAwaitReconciles("scan");
    assertEquals(sentR2, h.kubelet.dispatches().stream().filter(d -> d.revision().equals(r2)).count(),
        "the rolled-back revision is not sent again");
    assertTrue(h.revisions("scan").values().stream().allMatch(r1::equals));
  }

  @Test
  void aRestartWithGatesAndPreflightHoldsNodesUntilFactsArriveInsteadOfFailingOrSkippingThem() throws Exception {
    h = new OperatorHarness(6, 0).startOperator();
    startProbes();
    h.apply("camera", OperatorHarness.spec(spec("1", """
        waves: [{name: canary, size: "2", bakeTime: 1h}, {name: rest}]
        preflight: {minFreeDisk: 1Gi}
        gates: {checks: [camera]}
        progressDeadline: 1m""")));
    h.awaitPhase("camera", Phase.Baking, T);
    // the operator restarts while the canary bakes: facts are gone, and an hour passes (every deadline with it)
    h.stopOperator();
    probes.shutdownNow();
    h.facts.forgetAll();
    h.clock.advance(Duration.ofHours(2));
    h.startOperator();
    EdgeRelease held = h.awaitRelease("camera", er -> er.getStatus().getWaves().get(1).getHeld() == 4, T,
        "the rest wave held for facts");
    assertEquals(0, held.getStatus().getTotals().getFailed(), "no gate fails for facts a restart lost");
    assertEquals(0, held.getStatus().getTotals().getSkipped(), "no node is skipped for facts a restart lost");
    assertEquals(2, held.getStatus().getWaves().get(0).getReady(), "the canary was recorded Ready");
    assertEquals(2, h.revisions("camera").size());
    startProbes();
    EdgeRelease done = h.awaitPhase("camera", Phase.Succeeded, T);
    assertEquals(6, done.getStatus().getTotals().getReady());
    assertEquals(0, done.getStatus().getTotals().getSkipped());
  }

  /** Every node's probe reports every 200 ms: 10 GiB free disk and a passing camera check. */
  private void startProbes() {
    probes = Executors.newSingleThreadScheduledExecutor();
    probes.scheduleAtFixedRate(() -> {
      for (String n : h.nodeNames(OperatorHarness::isCenter)) {
        h.facts.put(n, new NodeFacts(h.clock.instant(), 10L << 30, 4L << 30, 0, List.of(), Map.of("camera", true)));
      }
    }, 0, 200, TimeUnit.MILLISECONDS);
  }
}
