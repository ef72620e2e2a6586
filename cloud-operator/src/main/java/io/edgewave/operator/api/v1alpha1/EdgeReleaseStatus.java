package io.edgewave.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the operator needs to resume a rollout after a restart. Its size depends on the number of
 * waves, never on the number of nodes: per-node state lives in each node's Deployment.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EdgeReleaseStatus {
  private Phase phase;
  private Long observedGeneration;
  @JsonPropertyDescription("Hash of spec.workload that the rollout is moving nodes to.")
  private String revision;
  @JsonPropertyDescription("The revision before this one; `undo` rolls back to it.")
  private String previousRevision;
  @JsonPropertyDescription("1-based index of the wave being rolled out.")
  private Integer currentWave;
  private String currentWaveName;
  private List<WaveStatus> waves = new ArrayList<>();
  private Counts totals;
  @JsonPropertyDescription("At most 20 failed nodes, sorted by wave, node and reason.")
  private List<FailureSample> failures = new ArrayList<>();
  @JsonPropertyDescription("At most 20 nodes skipped by preflight, sorted by wave, node and reason.")
  private List<FailureSample> skips = new ArrayList<>();
  private List<Condition> conditions = new ArrayList<>();
  private String startedAt;
  private String finishedAt;
  private String message;
  @JsonPropertyDescription("The rollout attempt: revision and start. Approvals and aborts name it: "
      + "edgewave.io/approve=<wave>@<rollout>, edgewave.io/abort=<rollout>[/rollback].")
  private String rollout;
  @JsonPropertyDescription("While Invalid: the phase the invalid spec interrupted, resumed once the spec is valid.")
  private Phase phaseBeforeInvalid;
  @JsonPropertyDescription("The last revisions (at most 10) that halted or were rolled back: a rollback never "
      + "returns a node to one of them.")
  private List<String> failedRevisions;
  @JsonPropertyDescription("The last revision that succeeded: where a rollback returns nodes whose earlier revision failed.")
  private String lastGoodRevision;
  @JsonPropertyDescription("Nodes a rollback could not return (no good revision left in the history).")
  private Integer strandedNodes;
  @JsonPropertyDescription("Targets that joined after every wave had started, caught up once the rollout succeeded.")
  private Counts joined;
  @JsonPropertyDescription("How images are pulled ahead (spec.strategy.staging): Pod (a pre-pull pod per node) or "
      + "ImagePrePullJob (KubeEdge's); absent when staging is off.")
  private String stagingMethod;
  @JsonPropertyDescription("When the rollout takes its next step by itself (a bake ends, a window opens, "
      + "schedule.notBefore), at second precision; absent when it waits for nodes or for a person.")
  private String nextStepAt;

  public String getNextStepAt() { return nextStepAt; }
  public void setNextStepAt(String nextStepAt) { this.nextStepAt = nextStepAt; }

  public String getStagingMethod() { return stagingMethod; }
  public void setStagingMethod(String stagingMethod) { this.stagingMethod = stagingMethod; }
  @JsonPropertyDescription("Release notifications: the outbox of events not yet delivered everywhere and, per "
      + "destination, how far delivery got (edgewave.io/notify).")
  private Notices notices;

  public Phase getPhase() { return phase; }
  public void setPhase(Phase phase) { this.phase = phase; }
  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public String getRevision() { return revision; }
  public void setRevision(String revision) { this.revision = revision; }
  public String getPreviousRevision() { return previousRevision; }
  public void setPreviousRevision(String previousRevision) { this.previousRevision = previousRevision; }
  public Integer getCurrentWave() { return currentWave; }
  public void setCurrentWave(Integer currentWave) { this.currentWave = currentWave; }
  public String getCurrentWaveName() { return currentWaveName; }
  public void setCurrentWaveName(String currentWaveName) { this.currentWaveName = currentWaveName; }
  public List<WaveStatus> getWaves() { return waves; }
  public void setWaves(List<WaveStatus> waves) { this.waves = waves; }
  public Counts getTotals() { return totals; }
  public void setTotals(Counts totals) { this.totals = totals; }
  public List<FailureSample> getFailures() { return failures; }
  public void setFailures(List<FailureSample> failures) { this.failures = failures; }
  public List<FailureSample> getSkips() { return skips; }
  public void setSkips(List<FailureSample> skips) { this.skips = skips; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public String getStartedAt() { return startedAt; }
  public void setStartedAt(String startedAt) { this.startedAt = startedAt; }
  public String getFinishedAt() { return finishedAt; }
  public void setFinishedAt(String finishedAt) { this.finishedAt = finishedAt; }
  public String getRollout() { return rollout; }
  public void setRollout(String rollout) { this.rollout = rollout; }
  public Phase getPhaseBeforeInvalid() { return phaseBeforeInvalid; }
  public void setPhaseBeforeInvalid(Phase phaseBeforeInvalid) { this.phaseBeforeInvalid = phaseBeforeInvalid; }
  public List<String> getFailedRevisions() { return failedRevisions; }
  public void setFailedRevisions(List<String> failedRevisions) { this.failedRevisions = failedRevisions; }
  public String getLastGoodRevision() { return lastGoodRevision; }
  public void setLastGoodRevision(String lastGoodRevision) { this.lastGoodRevision = lastGoodRevision; }
  public Integer getStrandedNodes() { return strandedNodes; }
  public void setStrandedNodes(Integer strandedNodes) { this.strandedNodes = strandedNodes; }
  public Counts getJoined() { return joined; }
  public void setJoined(Counts joined) { this.joined = joined; }
  public Notices getNotices() { return notices; }
  public void setNotices(Notices notices) { this.notices = notices; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
}
