package io.edgewave.operator.plan;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** A Kubernetes label selector evaluated in the operator (the mock API server ignores set-based ones). */
public record NodeSelector(Map<String, String> matchLabels, List<Requirement> requirements) {
  public enum Operator { In, NotIn, Exists, DoesNotExist }

  public record Requirement(String key, Operator operator, Set<String> values) {
    boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (operator) {
        case In -> v != null && values.contains(v);
        case NotIn -> v == null || !values.contains(v);
        case Exists -> v != null;
        case DoesNotExist -> v == null;
      };
    }
  }

  public NodeSelector {
    matchLabels = Map.copyOf(matchLabels);
    requirements = List.copyOf(requirements);
  }

  public static NodeSelector labels(Map<String, String> matchLabels) {
    return new NodeSelector(matchLabels, List.of());
  }

  /** As in Kubernetes, an empty selector matches every node. */
  public boolean matches(Map<String, String> labels) {
    for (var e : matchLabels.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) return false;
    }
    for (Requirement r : requirements) {
      if (!r.matches(labels)) return false;
    }
    return true;
  }
}
