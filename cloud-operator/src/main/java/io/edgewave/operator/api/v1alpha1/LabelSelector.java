package io.edgewave.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** The Kubernetes label selector shape, kept as our own type so the API stays free of client classes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LabelSelector {
  private Map<String, String> matchLabels;
  private List<LabelSelectorRequirement> matchExpressions;

  public LabelSelector() {}

  public LabelSelector(Map<String, String> matchLabels) { this.matchLabels = matchLabels; }

  public Map<String, String> getMatchLabels() { return matchLabels; }
  public void setMatchLabels(Map<String, String> matchLabels) { this.matchLabels = matchLabels; }
  public List<LabelSelectorRequirement> getMatchExpressions() { return matchExpressions; }
  public void setMatchExpressions(List<LabelSelectorRequirement> matchExpressions) { this.matchExpressions = matchExpressions; }
}
