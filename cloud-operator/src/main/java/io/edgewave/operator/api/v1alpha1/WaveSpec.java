package io.edgewave.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class WaveSpec {
  @Required
  @Size(min = 1, max = Limits.MAX_NAME_LENGTH)
  @Pattern(Patterns.DNS_LABEL)
  @JsonPropertyDescription("Unique name of the wave, a DNS label such as canary.")
  private String name;

  @Pattern(Patterns.SIZE)
  @JsonPropertyDescription("A count (\"3\") or a percentage of all targets (\"10%\", rounded up, at least 1). "
      + "With neither size nor selector the wave takes every target not yet in a wave.")
  private String size;

  @JsonPropertyDescription("Takes the matching targets not already in an earlier wave, e.g. one canary site.")
  private LabelSelector selector;

  @Size(max = Limits.MAX_COVERAGE_KEYS)
  @JsonPropertyDescription("Label keys: the wave holds at least one node of every value of each key.")
  private List<String> coverage;

  @Pattern(Patterns.DURATION)
  @JsonPropertyDescription("How long to watch the wave after its nodes are done before the next starts.")
  private String bakeTime;

  @Pattern(Patterns.MAX_FAILURES)
  @JsonPropertyDescription("Failed nodes tolerated in this wave: a count or a percentage of the wave (default 0).")
  private String maxFailures;

  @JsonPropertyDescription("Wait before this wave until approved with the annotation "
      + "edgewave.io/approve=<wave>@<status.rollout> (edgewave approve does it).")
  private Boolean approval;

  @JsonPropertyDescription("Let the waves after this one start even when no node of it was updated and Ready "
      + "(no match, all offline or skipped). Off by default: such a wave holds the rollout with NoCanarySignal.")
  private Boolean allowEmpty;

  public Boolean getAllowEmpty() { return allowEmpty; }
  public void setAllowEmpty(Boolean allowEmpty) { this.allowEmpty = allowEmpty; }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getSize() { return size; }
  public void setSize(String size) { this.size = size; }
  public LabelSelector getSelector() { return selector; }
  public void setSelector(LabelSelector selector) { this.selector = selector; }
  public List<String> getCoverage() { return coverage; }
  public void setCoverage(List<String> coverage) { this.coverage = coverage; }
  public String getBakeTime() { return bakeTime; }
  public void setBakeTime(String bakeTime) { this.bakeTime = bakeTime; }
  public String getMaxFailures() { return maxFailures; }
  public void setMaxFailures(String maxFailures) { this.maxFailures = maxFailures; }
  public Boolean getApproval() { return approval; }
  public void setApproval(Boolean approval) { this.approval = approval; }
}
