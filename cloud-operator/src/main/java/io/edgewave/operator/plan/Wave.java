package io.edgewave.operator.plan;

import java.util.List;

/** A planned wave: its policy and its member nodes, in dispatch order. */
public record Wave(int index, WavePolicy policy, List<String> nodes) {
  public Wave {
    nodes = List.copyOf(nodes);
  }

  public String name() { return policy.name(); }

  public int maxFailures() { return policy.maxFailures().budgetOf(nodes.size()); }
}
