package io.edgewave.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class FailureSample {
  private String node;
  private String wave;
  private String reason;

  public FailureSample() {}

  public FailureSample(String node, String wave, String reason) {
    this.node = node;
    this.wave = wave;
    this.reason = reason;
  }

  public String getNode() { return node; }
  public void setNode(String node) { this.node = node; }
  public String getWave() { return wave; }
  public void setWave(String wave) { this.wave = wave; }
  public String getReason() { return reason; }
  public void setReason(String reason) { this.reason = reason; }
}
