package io.edgewave.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** What an updated node must show, besides a Ready pod, before it counts as done. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Gates {
  @Size(max = Limits.MAX_CHECKS)
  @JsonPropertyDescription("Names of probe checks that must pass in a heartbeat sent after the update, e.g. camera.")
  private List<String> checks;

  public List<String> getChecks() { return checks; }
  public void setChecks(List<String> checks) { this.checks = checks; }
}
