package io.edgewave.operator.spec;

import io.edgewave.operator.rollout.Labels;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.Serialization;

/** A revision is the first 10 hex digits of the SHA-256 of the workload template in canonical JSON. */
public final class WorkloadRevision {
  private static final ObjectMapper CANONICAL = Serialization.jsonMapper().copy()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private WorkloadRevision() {}

  public static String of(PodTemplateSpec template) {
    try {
      JsonNode tree = CANONICAL.valueToTree(template);
      Object sorted = CANONICAL.treeToValue(tree, Object.class);
      return Labels.sha256(CANONICAL.writeValueAsString(sorted)).substring(0, 10);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("workload template cannot be serialised: " + e.getMessage(), e);
    }
  }
}
