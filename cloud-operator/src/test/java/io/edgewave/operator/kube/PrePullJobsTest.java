package io.edgewave.operator.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.rollout.Labels;
import io.edgewave.operator.rollout.PrePullJobObserver;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrePullJobsTest {
  @SuppressWarnings("unchecked")
  static Map<String, Object> template(GenericKubernetesResource job) {
    return (Map<String, Object>) ((Map<String, Object>) job.getAdditionalProperties().get("spec"))
        .get("imagePrePullTemplate");
  }

  @Test
  void aJobPullsEachImageOnceOnItsNodesWithTheOnePullSecretAndTheStagingTimeout() {
    GenericKubernetesResource job = PrePullJobs.desired(PrePullPodsTest.release(), "r2", PrePullPodsTest.TEMPLATE,
        List.of("gpu-hz-2", "gpu-hz-1"), Duration.ofMinutes(30));
    assertEquals("operations.kubeedge.io/v1alpha1", job.getApiVersion());
    assertEquals("ImagePrePullJob", job.getKind());
    assertNull(job.getMetadata().getNamespace(), "cluster-scoped");
    assertTrue(job.getMetadata().getOwnerReferences() == null || job.getMetadata().getOwnerReferences().isEmpty(),
        "a cluster-scoped object cannot be owned by a namespaced release");
    Map<String, Object> t = template(job);
    assertEquals(List.of("reg/models:7", "reg/camera-inference:2.1.0"), t.get("images"), "init containers too, each once");
    assertEquals(List.of("gpu-hz-1", "gpu-hz-2"), t.get("nodeNames"));
    assertEquals(List.of("gpu-hz-1", "gpu-hz-2"), PrePullJobObserver.nodes(job));
    assertEquals("logistics/registry-cred", t.get("imageSecrets"));
    assertEquals(1800L, t.get("timeoutSeconds"));
    assertEquals(1800L, t.get("timeoutSecondsOnEachNode"), "the 1.16-1.19 schema's name; the API server prunes one");
    assertEquals(2, t.get("concurrency"), "KubeEdge's default 1 would pull one node at a time");
    assertEquals("1", t.get("failureTolerate"), "a failed node must not stop the others");
    assertFalse(t.containsKey("checkItems"), "KubeEdge's default (disk)");
    assertFalse(t.containsKey("labelSelector"), "nodeNames or labelSelector, one of them");
    assertEquals(Map.of(Labels.MANAGED_BY, "edgewave", Labels.RELEASE, "camera-inference", Labels.RELEASE_NAMESPACE,
        "logistics", Labels.REVISION, "r2", Labels.PREPULL, "true"), job.getMetadata().getLabels());
  }

  @Test
  void nothingOfTheSpecButItsImagesReachesTheJob() {
    GenericKubernetesResource job = PrePullJobs.desired(PrePullPodsTest.release(), "r2", PrePullPodsTest.TEMPLATE,
        List.of("gpu-hz-1"), Duration.ofMinutes(30));
    String json = Serialization.asJson(job);
    for (String fromSpec : List.of("/app/run", "--gpu=0", "cp /m/*", "sh", "command", "args", "camera-inference:2.1.0\"")) {
      if (fromSpec.endsWith("\"")) {
        assertEquals(1, json.split(java.util.regex.Pattern.quote(fromSpec), -1).length - 1, "the image, once: " + json);
      } else {
        assertFalse(json.contains("\"" + fromSpec) || json.contains(fromSpec + "\""), fromSpec + " leaked: " + json);
      }
    }
  }

  @Test
  void namesAreDeterministicPerBatchAndUniqueAcrossBatchesRevisionsAndNamespaces() {
    String a = PrePullJobs.name("logistics", "camera", "r2", List.of("n1", "n2"));
    assertEquals(a, PrePullJobs.name("logistics", "camera", "r2", List.of("n2", "n1")), "order does not matter");
    assertTrue(a.startsWith("edgewave-logistics-camera-"), a);
    assertNotEquals(a, PrePullJobs.name("logistics", "camera", "r2", List.of("n1", "n3")));
    assertNotEquals(a, PrePullJobs.name("logistics", "camera", "r3", List.of("n1", "n2")));
    assertNotEquals(a, PrePullJobs.name("retail", "camera", "r2", List.of("n1", "n2")));
    String longName = PrePullJobs.name("ns", "x".repeat(240), "r", List.of("n"));
    assertTrue(longName.length() <= 253 && longName.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"), longName);
  }

  @Test
  void aTemplateWithoutPullSecretsPassesNone() {
    PodTemplateSpec t = Serialization.unmarshal("spec: {containers: [{name: a, image: reg/a:1}]}", PodTemplateSpec.class);
    assertFalse(template(PrePullJobs.desired(PrePullPodsTest.release(), "r1", t, List.of("n"), Duration.ofMinutes(5)))
        .containsKey("imageSecrets"));
  }
}
