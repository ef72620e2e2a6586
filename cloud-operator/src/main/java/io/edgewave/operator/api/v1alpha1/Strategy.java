package io.edgewave.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Strategy {
  @Size(max = Limits.MAX_WAVES)
  @JsonPropertyDescription("Ordered waves. Targets left over after the last wave form a final wave named 'rest'.")
  private List<WaveSpec> waves;

  @JsonPropertyDescription("Shorthand for waves that grow geometrically; use instead of waves.")
  private Exponential exponential;

  @Pattern(Patterns.DURATION)
  @JsonPropertyDescription("How long an updated node may take to become Ready before it counts as failed (default 15m).")
  private String progressDeadline;

  @JsonPropertyDescription("What to do when a wave exceeds maxFailures: Halt (default) or Rollback.")
  private OnFailure onFailure;

  @JsonPropertyDescription("What to do with NotReady or lost nodes: Skip (default, caught up later), Wait, or Fail.")
  private OfflineNodes offlineNodes;

  @JsonPropertyDescription("Rules over edge-probe facts a node must meet before it is started; failing nodes are skipped.")
  private Preflight preflight;

  @JsonPropertyDescription("Probe checks an updated node must pass, besides a Ready pod, to count as done.")
  private Gates gates;

  @JsonPropertyDescription("Pull each wave's images onto its nodes ahead, within a per-site budget, before the wave "
      + "may start; off when absent.")
  private Staging staging;

  public Staging getStaging() { return staging; }
  public void setStaging(Staging staging) { this.staging = staging; }

  public Preflight getPreflight() { return preflight; }
  public void setPreflight(Preflight preflight) { this.preflight = preflight; }
  public Gates getGates() { return gates; }
  public void setGates(Gates gates) { this.gates = gates; }
  public List<WaveSpec> getWaves() { return waves; }
  public void setWaves(List<WaveSpec> waves) { this.waves = waves; }
  public Exponential getExponential() { return exponential; }
  public void setExponential(Exponential exponential) { this.exponential = exponential; }
  public String getProgressDeadline() { return progressDeadline; }
  public void setProgressDeadline(String progressDeadline) { this.progressDeadline = progressDeadline; }
  public OnFailure getOnFailure() { return onFailure; }
  public void setOnFailure(OnFailure onFailure) { this.onFailure = onFailure; }
  public OfflineNodes getOfflineNodes() { return offlineNodes; }
  public void setOfflineNodes(OfflineNodes offlineNodes) { this.offlineNodes = offlineNodes; }
}
