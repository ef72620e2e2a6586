package io.edgewave.operator.spec;

import io.edgewave.operator.api.v1alpha1.Patterns;
import io.edgewave.operator.api.v1alpha1.Workload;
import io.fabric8.kubernetes.api.model.Container;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * spec.workload: the pod template the schema leaves open (its full schema would make the CRD too large to apply),
 * so its containers, images, node name and labels are checked here. It yields no policy: the template itself is the
 * workload, hashed into a {@link WorkloadRevision}.
 */
public final class WorkloadSection {
  private static final Pattern CONTAINER_NAME = Pattern.compile(Patterns.DNS_LABEL);

  private WorkloadSection() {}

  public static void check(Workload workload, FieldErrors errors) {
    if (workload == null || workload.getTemplate() == null) {
      errors.add("spec.workload.template", "is missing; give a pod template with at least one container");
      return;
    }
    var podSpec = workload.getTemplate().getSpec();
    if (podSpec == null || podSpec.getContainers() == null || podSpec.getContainers().isEmpty()) {
      errors.add("spec.workload.template.spec.containers", "is empty; add a container with a name and an image");
      return;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < podSpec.getContainers().size(); i++) {
      Container c = podSpec.getContainers().get(i);
      String f = "spec.workload.template.spec.containers[" + i + "]";
      if (c.getName() == null || !CONTAINER_NAME.matcher(c.getName()).matches()) {
        errors.add(f + ".name", "\"" + c.getName() + "\" is not a DNS label; use lower-case letters, digits and '-'");
      } else if (!seen.add(c.getName())) {
        errors.add(f + ".name", "\"" + c.getName() + "\" is used twice; container names must be unique");
      }
      if (c.getImage() == null || c.getImage().isBlank()) {
        errors.add(f + ".image", "is empty; set an image such as registry.example.com/scan-upload:2.4.1");
      } else if (c.getImage().chars().anyMatch(Character::isWhitespace)) {
        errors.add(f + ".image", "\"" + c.getImage() + "\" contains white space");
      }
    }
    if (podSpec.getNodeName() != null) {
      errors.add("spec.workload.template.spec.nodeName", "must be empty; edgewave pins each copy to its node itself");
    }
    Map<String, String> labels = workload.getTemplate().getMetadata() == null ? null
        : workload.getTemplate().getMetadata().getLabels();
    if (labels != null) {
      for (String k : labels.keySet()) {
        if (k.startsWith("edgewave.io/")) {
          errors.add("spec.workload.template.metadata.labels", "\"" + k + "\" is reserved for the operator; remove it");
        }
      }
    }
  }
}
