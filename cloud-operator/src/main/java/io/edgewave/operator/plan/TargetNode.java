package io.edgewave.operator.plan;

import java.util.Map;

/** A Node as the planner sees it: a name and its labels. */
public record TargetNode(String name, Map<String, String> labels) {
  public TargetNode {
    labels = labels == null ? Map.of() : labels;
  }
}
