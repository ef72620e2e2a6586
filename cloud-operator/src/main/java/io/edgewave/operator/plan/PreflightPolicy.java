package io.edgewave.operator.plan;

import java.util.List;

/**
 * Validated preflight rules over a node's probe facts, in the order they are checked (the first broken one is the
 * skip reason). Byte amounts are already converted.
 */
public record PreflightPolicy(List<FactRule> rules) {
  public PreflightPolicy {
    rules = rules == null ? List.of() : List.copyOf(rules);
  }

  public static final PreflightPolicy NONE = new PreflightPolicy(List.of());

  public boolean empty() {
    return rules.isEmpty();
  }
}
