package io.edgewave.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Schedule {
  @JsonPropertyDescription("RFC 3339 time before which no node is started, e.g. 2026-12-01T00:00:00+08:00.")
  private String notBefore;

  @Size(max = Limits.MAX_WINDOWS)
  @JsonPropertyDescription("Maintenance windows; a node is started only while one of them is open. None: always open.")
  private List<Window> windows;

  public String getNotBefore() { return notBefore; }
  public void setNotBefore(String notBefore) { this.notBefore = notBefore; }
  public List<Window> getWindows() { return windows; }
  public void setWindows(List<Window> windows) { this.windows = windows; }
}
