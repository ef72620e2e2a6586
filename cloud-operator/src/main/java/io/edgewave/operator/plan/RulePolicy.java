package io.edgewave.operator.plan;

import java.util.List;

/**
 * The rules over probe facts of spec.strategy: {@code preflight} before a node is started (a node breaking one is
 * skipped), {@code gates} after its update (it is done only once a heartbeat sent after the update meets them; today
 * gates.checks, as {@link FactRule.CheckPasses}).
 */
public record RulePolicy(PreflightPolicy preflight, List<FactRule> gates) {
  public static final RulePolicy NONE = new RulePolicy(PreflightPolicy.NONE, List.of());

  public RulePolicy {
    preflight = preflight == null ? PreflightPolicy.NONE : preflight;
    gates = gates == null ? List.of() : List.copyOf(gates);
  }
}
