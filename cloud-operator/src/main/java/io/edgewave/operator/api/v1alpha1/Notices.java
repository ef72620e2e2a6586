package io.edgewave.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * The release's notification outbox: events are recorded here in the same status write that makes them true, and
 * each destination's cursor says how far it was delivered, so a new leader sends what is recorded and not yet
 * acknowledged. Bounded: at most {@link #MAX_OUTBOX} events and one cursor per destination named.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Notices {
  public static final int MAX_OUTBOX = 16;
  public static final int MAX_DESTINATIONS = 10;

  @JsonPropertyDescription("Sequence number of the last event recorded; event ids are <release uid>/<seq>.")
  private Long seq;
  @JsonPropertyDescription("Events not yet delivered to every destination, oldest first (at most 16).")
  private List<Notice> outbox = new ArrayList<>();
  @JsonPropertyDescription("Per destination (namespace/secret): the last event delivered and the last claimed.")
  private List<NoticeCursor> cursors = new ArrayList<>();
  @JsonPropertyDescription("Events dropped undelivered because the outbox was full (a destination down for long).")
  private Long dropped;

  public Long getSeq() { return seq; }
  public void setSeq(Long seq) { this.seq = seq; }
  public List<Notice> getOutbox() { return outbox; }
  public void setOutbox(List<Notice> outbox) { this.outbox = outbox; }
  public List<NoticeCursor> getCursors() { return cursors; }
  public void setCursors(List<NoticeCursor> cursors) { this.cursors = cursors; }
  public Long getDropped() { return dropped; }
  public void setDropped(Long dropped) { this.dropped = dropped; }
}
