package io.edgewave.operator.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.api.v1alpha1.WaveStatus;
import io.edgewave.operator.demo.SimulatedKubelet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real operator against the mock API server in CRUD mode, with simulated kubelets. */
@EnableKubernetesMockClient(crud = true)
class EdgeReleaseRolloutIT {
  static final Duration T = Duration.ofSeconds(60);
  KubernetesMockServer server;
  KubernetesClient client;
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
    h = new OperatorHarness(client, 30, 5).startOperator();
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
