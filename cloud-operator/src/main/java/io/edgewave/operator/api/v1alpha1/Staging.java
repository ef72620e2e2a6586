package io.edgewave.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** spec.strategy.staging: pull each wave's images onto its nodes before the wave may start. Off when absent. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Staging {
  @JsonPropertyDescription("When to pull: Immediately (default: as soon as the release is applied) or BeforeWindow "
      + "(leadTime before the wave's maintenance window opens).")
  private StagingStart start;

  @Pattern(Patterns.DURATION)
  @JsonPropertyDescription("With start: BeforeWindow, how long before a wave's window opens its nodes start pulling, "
      + "e.g. 6h.")
  private String leadTime;

  @Min(1)
  @Max(Limits.MAX_PULLS_PER_SITE)
  @JsonPropertyDescription("At most this many nodes of one site pull at the same time (default 2): a site's uplink is "
      + "shared.")
  private Integer maxPullsPerSite;

  @Size(max = Limits.MAX_WINDOWS)
  @JsonPropertyDescription("When pulls may start, e.g. daytime hours when links are idle; per node time zone as "
      + "spec.schedule.windows. Default: any time.")
  private List<Window> windows;

  @Pattern(Patterns.SIZE)
  @JsonPropertyDescription("Share (or count) of a wave's online members that must be staged before the wave may "
      + "start (default 100%).")
  private String requiredShare;

  @JsonPropertyDescription("Auto (default: KubeEdge ImagePrePullJob where served, else a pre-pull pod), "
      + "ImagePrePullJob or Pod.")
  private StagingMethod method;

  @Pattern(Patterns.DURATION)
  @JsonPropertyDescription("How long one node may take to pull before its staging fails (default 30m).")
  private String timeout;

  public StagingStart getStart() { return start; }
  public void setStart(StagingStart start) { this.start = start; }
  public String getLeadTime() { return leadTime; }
  public void setLeadTime(String leadTime) { this.leadTime = leadTime; }
  public Integer getMaxPullsPerSite() { return maxPullsPerSite; }
  public void setMaxPullsPerSite(Integer maxPullsPerSite) { this.maxPullsPerSite = maxPullsPerSite; }
  public List<Window> getWindows() { return windows; }
  public void setWindows(List<Window> windows) { this.windows = windows; }
  public String getRequiredShare() { return requiredShare; }
  public void setRequiredShare(String requiredShare) { this.requiredShare = requiredShare; }
  public StagingMethod getMethod() { return method; }
  public void setMethod(StagingMethod method) { this.method = method; }
  public String getTimeout() { return timeout; }
  public void setTimeout(String timeout) { this.timeout = timeout; }
}
