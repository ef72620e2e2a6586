package io.edgewave.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Counts {
  private int targets;
  @JsonPropertyDescription("Nodes whose Deployment is on the revision (started).")
  private int updated;
  @JsonPropertyDescription("Updated nodes whose pod is Ready (done).")
  private int ready;
  private int failed;
  @JsonPropertyDescription("Nodes NotReady or lost and not yet on the revision.")
  private int offline;
  @JsonPropertyDescription("Nodes not started because they fail spec.strategy.preflight.")
  private int skipped;
  @JsonPropertyDescription("Nodes that were Ready on the revision and are not now (a node or pod blip): fleet "
      + "health, not a rollout failure.")
  private int unhealthy;
  @JsonPropertyDescription("Nodes not started yet because their edge probe's facts are not in (after a restart).")
  private int held;
  @JsonPropertyDescription("Members when the wave started that are no longer targets; they keep their workload.")
  private int departed;
  @JsonPropertyDescription("Nodes not yet updated whose images are pulled ahead (spec.strategy.staging); absent when none.")
  private Integer staged;
  @JsonPropertyDescription("Nodes pulling their images ahead now (spec.strategy.staging); absent when none. Nodes whose "
      + "staging failed count as failed.")
  private Integer staging;

  public Counts() {}

  public Counts(int targets, int updated, int ready, int failed, int offline) {
    this.targets = targets;
    this.updated = updated;
    this.ready = ready;
    this.failed = failed;
    this.offline = offline;
  }

  public int getTargets() { return targets; }
  public void setTargets(int targets) { this.targets = targets; }
  public int getUpdated() { return updated; }
  public void setUpdated(int updated) { this.updated = updated; }
  public int getReady() { return ready; }
  public void setReady(int ready) { this.ready = ready; }
  public int getFailed() { return failed; }
  public void setFailed(int failed) { this.failed = failed; }
  public int getOffline() { return offline; }
  public int getSkipped() { return skipped; }
  public void setSkipped(int skipped) { this.skipped = skipped; }
  public void setOffline(int offline) { this.offline = offline; }
  public int getUnhealthy() { return unhealthy; }
  public void setUnhealthy(int unhealthy) { this.unhealthy = unhealthy; }
  public int getHeld() { return held; }
  public void setHeld(int held) { this.held = held; }
  public int getDeparted() { return departed; }
  public Integer getStaged() { return staged; }
  public void setStaged(Integer staged) { this.staged = staged; }
  public Integer getStaging() { return staging; }
  public void setStaging(Integer staging) { this.staging = staging; }
  public void setDeparted(int departed) { this.departed = departed; }
}
