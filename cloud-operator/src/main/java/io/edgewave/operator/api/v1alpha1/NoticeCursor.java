package io.edgewave.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How far one destination got: {@code acked} is the last event it confirmed (HTTP 2xx), {@code claimed} the last
 * event a leader wrote down before posting. claimed > acked after a leader change means the old leader may have
 * posted those events and died before acknowledging: they are sent again, marked as a possible repeat.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NoticeCursor {
  private String destination;
  private Long acked;
  private Long claimed;
  private String claimedBy;

  public NoticeCursor() {}

  public NoticeCursor(String destination, Long acked, Long claimed, String claimedBy) {
    this.destination = destination;
    this.acked = acked;
    this.claimed = claimed;
    this.claimedBy = claimedBy;
  }

  public String getDestination() { return destination; }
  public void setDestination(String destination) { this.destination = destination; }
  public Long getAcked() { return acked; }
  public void setAcked(Long acked) { this.acked = acked; }
  public Long getClaimed() { return claimed; }
  public void setClaimed(Long claimed) { this.claimed = claimed; }
  public String getClaimedBy() { return claimedBy; }
  public void setClaimedBy(String claimedBy) { this.claimedBy = claimedBy; }
}
