package io.edgewave.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class LabelSelectorRequirement {
  @Required
  private String key;
  @Required
  private SelectorOperator operator;
  private List<String> values;

  public String getKey() { return key; }
  public void setKey(String key) { this.key = key; }
  public SelectorOperator getOperator() { return operator; }
  public void setOperator(SelectorOperator operator) { this.operator = operator; }
  public List<String> getValues() { return values; }
  public void setValues(List<String> values) { this.values = values; }
}
