package io.edgewave.operator.plan;

import java.util.Map;
import java.util.Set;

/**
 * spec.targets, validated: nodes the selector matches plus the named ones, minus the excluded. No selector and no
 * names select nothing (the validator rejects such a spec).
 */
public record TargetPolicy(NodeSelector selector, Set<String> nodes, Set<String> excluded) {
  public static final TargetPolicy NONE = new TargetPolicy(null, Set.of(), Set.of());

  public TargetPolicy {
    nodes = nodes == null ? Set.of() : Set.copyOf(nodes);
    excluded = excluded == null ? Set.of() : Set.copyOf(excluded);
  }

  public static TargetPolicy labels(Map<String, String> matchLabels) {
    return new TargetPolicy(NodeSelector.labels(matchLabels), Set.of(), Set.of());
  }

  public boolean selects(TargetNode n) {
    boolean selected = (selector != null && selector.matches(n.labels())) || nodes.contains(n.name());
    return selected && !excluded.contains(n.name());
  }
}
