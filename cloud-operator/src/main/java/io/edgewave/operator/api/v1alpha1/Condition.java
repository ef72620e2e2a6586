package io.edgewave.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A standard Kubernetes condition; status is the string True, False or Unknown. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {
  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";
  public static final String INVALID = "Invalid";
  public static final String HEARTBEAT_INGEST_DEGRADED = "HeartbeatIngestDegraded";
  public static final String ROLLBACK_INCOMPLETE = "RollbackIncomplete";
  public static final String WRITE_REJECTED = "DeploymentWriteRejected";
  public static final String RECONCILE_ERROR = "ReconcileError";

  private String type;
  private String status;
  private String reason;
  private String message;
  private String lastTransitionTime;
  private Long observedGeneration;

  public Condition() {}

  public Condition(String type, boolean status, String reason, String message) {
    this.type = type;
    this.status = status ? "True" : "False";
    this.reason = reason;
    this.message = message;
  }

  public String getType() { return type; }
  public void setType(String type) { this.type = type; }
  public String getStatus() { return status; }
  public void setStatus(String status) { this.status = status; }
  public String getReason() { return reason; }
  public void setReason(String reason) { this.reason = reason; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public String getLastTransitionTime() { return lastTransitionTime; }
  public void setLastTransitionTime(String lastTransitionTime) { this.lastTransitionTime = lastTransitionTime; }
  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
}
