package io.edgewave.operator.spec;

import io.edgewave.operator.api.v1alpha1.Targets;
import io.edgewave.operator.plan.NodeSelector;
import io.edgewave.operator.plan.TargetPolicy;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** spec.targets: which nodes receive the workload, a selector plus names minus exclusions. */
public final class TargetsSection {
  /** Kubernetes node names are DNS subdomains. */
  private static final int MAX_NODE_NAME = 253;

  private TargetsSection() {}

  public static TargetPolicy parse(Targets targets, FieldErrors errors) {
    if (targets == null) {
      errors.add("spec.targets", "is missing; select nodes with targets.selector or list them in targets.nodes");
      return TargetPolicy.NONE;
    }
    NodeSelector selector = LabelSelectorParser.parse("spec.targets.selector", targets.getSelector(), errors);
    Set<String> nodes = names("spec.targets.nodes", targets.getNodes(), errors);
    Set<String> exclude = names("spec.targets.exclude", targets.getExclude(), errors);
    if (targets.getSelector() == null && nodes.isEmpty()) {
      errors.add("spec.targets", "selects no nodes; set targets.selector (e.g. matchLabels: {edgewave.io/class: "
          + "transit-center}) or targets.nodes");
    }
    return new TargetPolicy(selector, nodes, exclude);
  }

  private static Set<String> names(String f, List<String> names, FieldErrors errors) {
    if (names == null) return Set.of();
    Set<String> out = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      if (n == null || n.isBlank() || n.length() > MAX_NODE_NAME) errors.add(f + "[" + i + "]", "is not a node name");
      else out.add(n);
    }
    return out;
  }
}
