package io.edgewave.operator.plan;

import java.util.List;

/**
 * A planned wave: its policy and its member nodes, in dispatch order. {@code departed} are nodes that were members
 * when the wave started and are no longer targets: they keep their workload and are reported, but no longer count.
 */
public record Wave(int index, WavePolicy policy, List<String> nodes, List<String> departed) {
  public Wave {
    nodes = List.copyOf(nodes);
    departed = departed == null ? List.of() : List.copyOf(departed);
  }

  public Wave(int index, WavePolicy policy, List<String> nodes) {
    this(index, policy, nodes, List.of());
  }

  public String name() { return policy.name(); }

  public int maxFailures() { return policy.maxFailures().budgetOf(nodes.size()); }
}
