package io.edgewave.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Window {
  @Required
  @JsonPropertyDescription("Quartz cron expression for when the window opens, e.g. \"0 0 0 * * ?\" (midnight).")
  private String cron;

  @Required
  @Pattern(Patterns.DURATION)
  @JsonPropertyDescription("How long the window stays open, e.g. 6h.")
  private String duration;

  @JsonPropertyDescription("IANA time zone of the cron expression, e.g. Asia/Shanghai (default UTC).")
  private String timeZone;

  @JsonPropertyDescription("Node label holding each node's IANA time zone, e.g. edgewave.io/timezone; "
      + "nodes without it use timeZone.")
  private String timeZoneLabel;

  public String getCron() { return cron; }
  public void setCron(String cron) { this.cron = cron; }
  public String getDuration() { return duration; }
  public void setDuration(String duration) { this.duration = duration; }
  public String getTimeZone() { return timeZone; }
  public void setTimeZone(String timeZone) { this.timeZone = timeZone; }
  public String getTimeZoneLabel() { return timeZoneLabel; }
  public void setTimeZoneLabel(String timeZoneLabel) { this.timeZoneLabel = timeZoneLabel; }
}
