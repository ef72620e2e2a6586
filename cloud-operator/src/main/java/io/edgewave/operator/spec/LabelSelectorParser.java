package io.edgewave.operator.spec;

import io.edgewave.operator.api.v1alpha1.LabelSelector;
import io.edgewave.operator.api.v1alpha1.LabelSelectorRequirement;
import io.edgewave.operator.plan.NodeSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Label selectors and label keys, wherever the spec has them (targets, waves, coverage, time zone labels). */
final class LabelSelectorParser {
  private static final Pattern LABEL_KEY =
      Pattern.compile("^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$");

  private LabelSelectorParser() {}

  static boolean isLabelKey(String key) {
    return key != null && LABEL_KEY.matcher(key).matches();
  }

  /** The selector at {@code f}, or null when absent. */
  static NodeSelector parse(String f, LabelSelector s, FieldErrors errors) {
    if (s == null) return null;
    Map<String, String> labels = s.getMatchLabels() == null ? Map.of() : new LinkedHashMap<>(s.getMatchLabels());
    for (String k : labels.keySet()) {
      if (!isLabelKey(k)) errors.add(f + ".matchLabels", "\"" + k + "\" is not a label key");
    }
    List<NodeSelector.Requirement> reqs = new ArrayList<>();
    List<LabelSelectorRequirement> exprs = s.getMatchExpressions() == null ? List.of() : s.getMatchExpressions();
    for (int i = 0; i < exprs.size(); i++) {
      LabelSelectorRequirement r = exprs.get(i);
      String rf = f + ".matchExpressions[" + i + "]";
      if (!isLabelKey(r.getKey())) {
        errors.add(rf + ".key", "\"" + r.getKey() + "\" is not a label key");
      }
      if (r.getOperator() == null) {
        errors.add(rf + ".operator", "is missing; use In, NotIn, Exists or DoesNotExist");
        continue;
      }
      List<String> values = r.getValues() == null ? List.of() : r.getValues();
      boolean needsValues = switch (r.getOperator()) {
        case In, NotIn -> true;
        case Exists, DoesNotExist -> false;
      };
      if (needsValues && values.isEmpty()) errors.add(rf + ".values", "is empty; " + r.getOperator() + " needs values");
      if (!needsValues && !values.isEmpty()) errors.add(rf + ".values", "must be empty with " + r.getOperator());
      reqs.add(new NodeSelector.Requirement(r.getKey(), NodeSelector.Operator.valueOf(r.getOperator().name()),
          Set.copyOf(values)));
    }
    return new NodeSelector(labels, reqs);
  }
}
