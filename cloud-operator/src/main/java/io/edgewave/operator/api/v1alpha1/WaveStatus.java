package io.edgewave.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class WaveStatus extends Counts {
  private String name;
  private String startedAt;
  private String completedAt;
  private String approvedAt;

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getStartedAt() { return startedAt; }
  public void setStartedAt(String startedAt) { this.startedAt = startedAt; }
  public String getCompletedAt() { return completedAt; }
  public void setCompletedAt(String completedAt) { this.completedAt = completedAt; }
  public String getApprovedAt() { return approvedAt; }
  public void setApprovedAt(String approvedAt) { this.approvedAt = approvedAt; }
}
