package io.edgewave.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Targets {
  @JsonPropertyDescription("Nodes whose labels match are targets, e.g. edgewave.io/class: transit-center.")
  private LabelSelector selector;

  @JsonPropertyDescription("Node names added to the selection.")
  private List<String> nodes;

  @JsonPropertyDescription("Node names left out, even when selected.")
  private List<String> exclude;

  public LabelSelector getSelector() { return selector; }
  public void setSelector(LabelSelector selector) { this.selector = selector; }
  public List<String> getNodes() { return nodes; }
  public void setNodes(List<String> nodes) { this.nodes = nodes; }
  public List<String> getExclude() { return exclude; }
  public void setExclude(List<String> exclude) { this.exclude = exclude; }
}
