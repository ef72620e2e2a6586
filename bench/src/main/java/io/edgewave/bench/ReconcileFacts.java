package io.edgewave.bench;

import io.edgewave.operator.rollout.EdgeReleaseStatusAggregator;
import io.edgewave.operator.rollout.NodeAction;
import io.edgewave.operator.rollout.NodeView;
import io.edgewave.operator.rollout.RolloutDecider;
import io.edgewave.operator.rollout.RolloutDecision;
import io.edgewave.operator.rollout.RolloutInput;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * What one reconcile writes, and how big the status is, at 100 / 1,000 / 10,000 nodes: in the middle of a
 * rollout, and with every pending node of the current wave failed (the status then carries its full 20 failure
 * samples). Exact counts, not timings: one run says it all.
 */
public final class ReconcileFacts {
  private ReconcileFacts() {}

  public static void main(String[] args) {
    System.out.println("| nodes | writes this reconcile (budget 200) | status bytes mid-rollout | status bytes, 20 failure samples | waves |");
    System.out.println("| --- | --- | --- | --- | --- |");
    for (int n : new int[] {100, 1_000, 10_000}) {
      Fixtures.MidRollout m = Fixtures.midRollout(n);
      RolloutDecision d = RolloutDecider.decide(m.input());
      long writes = d.actions().stream().filter(a -> a instanceof NodeAction.Dispatch).count();
      int mid = bytes(EdgeReleaseStatusAggregator.aggregate(d, m.status(), 1, m.now(), null));
      Map<String, NodeView> failing = new HashMap<>(m.input().nodes());
      // a crash loop counts as a failure once it has restarted three times (NodeClassifier)
      failing.replaceAll((k, v) -> v.pod() == NodeView.PodState.PENDING
          ? v.withPod(NodeView.PodState.FAILED, "CrashLoopBackOff", null, 3) : v);
      RolloutInput in = m.input();
      RolloutDecision f = RolloutDecider.decide(new RolloutInput(in.now(), in.revision(), in.policy(), in.plan(),
          failing, in.progress(), in.approvedWaves(), in.writeBudget(), in.facts()));
      int failed = bytes(EdgeReleaseStatusAggregator.aggregate(f, m.status(), 1, m.now(), null));
      System.out.printf("| %,d | %d | %,d | %,d (%s, %d samples) | %d |%n", n, writes, mid, failed, f.phase(),
          Math.min(20, f.failures().size()), m.plan().waves().size());
    }
  }

  static int bytes(Object status) {
    return Serialization.asJson(status).getBytes(StandardCharsets.UTF_8).length;
  }
}
