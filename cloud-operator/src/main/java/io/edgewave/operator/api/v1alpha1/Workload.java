package io.edgewave.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Workload {
  // The full PodTemplateSpec schema would make the CRD several hundred KiB, past the size client-side
  // `kubectl apply` can store; the operator validates the template itself (docs/edgerelease.md).
  @Required
  @PreserveUnknownFields
  @SchemaFrom(type = Object.class)
  @JsonPropertyDescription("A pod template: containers, images, env, resources (e.g. nvidia.com/gpu), tolerations, affinity.")
  private PodTemplateSpec template;

  @Min(1)
  @Max(Limits.MAX_REVISION_HISTORY)
  @JsonPropertyDescription("How many earlier revisions are kept for rollback (default 5).")
  private Integer revisionHistoryLimit;

  public PodTemplateSpec getTemplate() { return template; }
  public void setTemplate(PodTemplateSpec template) { this.template = template; }
  public Integer getRevisionHistoryLimit() { return revisionHistoryLimit; }
  public void setRevisionHistoryLimit(Integer revisionHistoryLimit) { this.revisionHistoryLimit = revisionHistoryLimit; }
}
