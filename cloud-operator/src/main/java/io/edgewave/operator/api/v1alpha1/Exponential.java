package io.edgewave.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Exponential {
  @Min(Limits.MIN_CANARY)
  @Max(Limits.MAX_CANARY)
  @JsonPropertyDescription("Nodes in the first wave (default 1).")
  private Integer canary;

  @Min(Limits.MIN_FACTOR)
  @Max(Limits.MAX_FACTOR)
  @JsonPropertyDescription("Each wave is this many times the previous one (default 2).")
  private Double factor;

  @Pattern(Patterns.SIZE)
  @JsonPropertyDescription("Largest wave: a count or a percentage of all targets (default no limit).")
  private String maxBatch;

  @Pattern(Patterns.DURATION)
  @JsonPropertyDescription("Bake time after every wave.")
  private String bakeTime;

  @Pattern(Patterns.MAX_FAILURES)
  @JsonPropertyDescription("Failed nodes tolerated in every wave: a count or a percentage of the wave.")
  private String maxFailures;

  public Integer getCanary() { return canary; }
  public void setCanary(Integer canary) { this.canary = canary; }
  public Double getFactor() { return factor; }
  public void setFactor(Double factor) { this.factor = factor; }
  public String getMaxBatch() { return maxBatch; }
  public void setMaxBatch(String maxBatch) { this.maxBatch = maxBatch; }
  public String getBakeTime() { return bakeTime; }
  public void setBakeTime(String bakeTime) { this.bakeTime = bakeTime; }
  public String getMaxFailures() { return maxFailures; }
  public void setMaxFailures(String maxFailures) { this.maxFailures = maxFailures; }
}
