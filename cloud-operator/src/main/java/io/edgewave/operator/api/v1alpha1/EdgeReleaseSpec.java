package io.edgewave.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class EdgeReleaseSpec {
  @Required
  @JsonPropertyDescription("What to run on every target node: a pod template. Changing it creates a new revision.")
  private Workload workload;

  @Required
  @JsonPropertyDescription("Which Nodes receive the workload.")
  private Targets targets;

  @JsonPropertyDescription("How the rollout proceeds: waves, bake times, failure thresholds.")
  private Strategy strategy;

  @JsonPropertyDescription("When nodes may be started: a start time and maintenance windows.")
  private Schedule schedule;

  @JsonPropertyDescription("Stops starting nodes until set back to false. Nodes already started finish.")
  private Boolean paused;

  public Workload getWorkload() { return workload; }
  public void setWorkload(Workload workload) { this.workload = workload; }
  public Targets getTargets() { return targets; }
  public void setTargets(Targets targets) { this.targets = targets; }
  public Strategy getStrategy() { return strategy; }
  public void setStrategy(Strategy strategy) { this.strategy = strategy; }
  public Schedule getSchedule() { return schedule; }
  public void setSchedule(Schedule schedule) { this.schedule = schedule; }
  public Boolean getPaused() { return paused; }
  public void setPaused(Boolean paused) { this.paused = paused; }
}
