package io.edgewave.operator.rollout;

import io.edgewave.operator.fleet.FleetSink;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.demo.SimulatedProbes;
import io.edgewave.operator.fleet.FailureDetector;
import io.edgewave.operator.ingest.HeartbeatSubscriber;
import io.edgewave.operator.fleet.MosquittoBroker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The broker goes away for 60 s (time compressed ten times: 6 s at h = 1 s) in the middle of a wave: no node is
 * declared lost, none fails, no node starts while heartbeats cannot be seen, and the rollout goes on within 10 s
 * of the broker's return.
 */
class BrokerOutageIT {
  static final String SPEC = """
      workload:
        template:
          metadata: {labels: {app: camera-inference}}
          spec: {containers: [{name: inference, image: "reg/camera-inference:%s"}]}
      targets:
        selector: {matchLabels: {edgewave.io/class: gpu-box}}
      strategy:
        waves:
        - {name: canary, size: "2", bakeTime: 3s}
        - {name: batch-1, size: "30%%", bakeTime: 3s}
        - {name: batch-2, size: "30%%", bakeTime: 3s}
        - {name: rest}
        gates: {checks: [camera]}
        progressDeadline: 5m
      """;

  @Test
  void aBrokerOutageMidWaveLosesNoNodeFailsNoneAndTheRolloutWaitsThenGoesOn() throws Exception {
    List<FailureDetector.Transition> transitions = new CopyOnWriteArrayList<>();
    try (MosquittoBroker broker = new MosquittoBroker().start();
         OperatorHarness h = new OperatorHarness(0, 20)) {
      var names = h.nodeNames(n -> true);
      var detector = new FailureDetector.Settings(Duration.ofSeconds(1), 2, Duration.ofMillis(200), 0.2, 10);
      FleetSink seen = new FleetSink() {
        @Override public void transitions(List<FailureDetector.Transition> t) { transitions.addAll(t); }
      };
      try (SimulatedProbes probes = new SimulatedProbes(broker.url(), names, Set.copyOf(names), Duration.ofSeconds(1),
               Clock.systemUTC(), 3)) {
        h.startOperator(new HeartbeatSubscriber.Settings(broker.url(), "operator-it", null, null, Duration.ofMillis(100),
            Duration.ofMillis(100), Duration.ofSeconds(1), detector), seen);
        await().atMost(Duration.ofSeconds(20)).until(() -> h.facts.view().size() == names.size());
        h.apply("camera-inference", OperatorHarness.spec(SPEC.formatted("1.8.0")));
        // mid-rollout: the first batch has started
        h.awaitRelease("camera-inference", er -> er.getStatus() != null && er.getStatus().getWaves().size() == 4
            && er.getStatus().getWaves().get(1).getStartedAt() != null, Duration.ofSeconds(60), "batch-1 started");

        broker.stop();
        Instant down = Instant.now();
        await().atMost(Duration.ofSeconds(5)).until(() -> h.facts.ingestDegraded() != null);
        EdgeRelease holding = h.awaitRelease("camera-inference", er -> er.getStatus().getMessage() != null
            && er.getStatus().getMessage().startsWith("holding"), Duration.ofSeconds(10), "the rollout holds");
        int dispatchedWhileBlind = h.kubelet.dispatches().size();
        // the outage itself lasts 6 s (60 s at h = 10 s); then two reconciles that saw it, so "nothing started" is
        // evidence about decisions that were made, not about a quiet moment
        Thread.sleep(Duration.ofSeconds(6).minus(Duration.between(down, Instant.now())).toMillis());
        h.pokeAndAwaitReconciles("camera-inference");
        assertEquals(dispatchedWhileBlind, h.kubelet.dispatches().size(), "no node started while the broker was away");
        assertEquals(0, h.get("camera-inference").getStatus().getTotals().getFailed());
        assertTrue(holding.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("HeartbeatIngestDegraded")
            && c.getStatus().equals("True")), "the release says why it holds");

        broker.start();
        Instant back = Instant.now();
        // resumed: the hold is lifted (the rollout then goes on at its own pace: gates, bakes, the next waves)
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
          String m = h.get("camera-inference").getStatus().getMessage();
          return m == null || !m.startsWith("holding");
        });
        double resumedAfter = Duration.between(back, Instant.now()).toMillis() / 1000.0;
        assertTrue(resumedAfter <= 10, "resumed " + resumedAfter + " s after the broker came back");
        await().atMost(Duration.ofSeconds(30)).until(() -> h.kubelet.dispatches().size() > dispatchedWhileBlind);
        System.out.printf("BrokerOutageIT: held %d s with %d nodes dispatched before; resumed %.1f s after the broker"
            + " came back; next node started %.1f s after%n", 6, dispatchedWhileBlind, resumedAfter,
            Duration.between(back, Instant.now()).toMillis() / 1000.0);

        EdgeRelease done = h.awaitPhase("camera-inference", Phase.Succeeded, Duration.ofSeconds(90));
        assertEquals(20, done.getStatus().getTotals().getReady());
        assertEquals(0, done.getStatus().getTotals().getFailed());
        assertTrue(transitions.stream().noneMatch(t -> t.to() == FailureDetector.State.LOST), transitions.toString());
        assertEquals(java.util.Map.of(), h.duplicateDispatches());
      }
    }
  }
}
