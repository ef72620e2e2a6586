package io.edgewave.operator.rollout;

import io.edgewave.operator.fleet.NodeFacts;
import io.edgewave.operator.plan.FactRule;
import io.edgewave.operator.plan.PreflightPolicy;
import java.util.List;

/**
 * Evaluates fact rules over a node's latest probe facts: the preflight rules before a node is started and its gates
 * after. The one place a list of {@link FactRule}s is run, so a new rule needs nothing here. Pure.
 */
final class PreflightCheck {
  private PreflightCheck() {}

  /** Why the node may not be started, or null when it may. */
  static String failure(PreflightPolicy p, NodeFacts f) {
    if (p.empty()) return null;
    if (f == null) return "Preflight: no heartbeat from the edge probe yet";
    String broken = firstFailure(p.rules(), f);
    return broken == null ? null : "Preflight: " + broken;
  }

  /** Why the first rule the facts break is broken, in list order, or null when they meet every rule. */
  static String firstFailure(List<FactRule> rules, NodeFacts f) {
    for (FactRule rule : rules) {
      String why = rule.failure(f);
      if (why != null) return why;
    }
    return null;
  }
}
