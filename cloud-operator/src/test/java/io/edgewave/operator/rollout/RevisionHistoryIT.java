package io.edgewave.operator.rollout;

import io.edgewave.operator.kube.RevisionHistory;
import io.edgewave.operator.spec.WorkloadRevision;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.Set;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class RevisionHistoryIT {
  KubernetesClient client;

  static PodTemplateSpec template(String image) {
    return new PodTemplateSpecBuilder().withNewSpec().addNewContainer().withName("app").withImage(image).endContainer()
        .endSpec().build();
  }

  @Test
  void recordsEachRevisionsTemplateAndPrunesOnlyUnusedOldOnes() {
    EdgeRelease er = new EdgeRelease();
    er.getMetadata().setName("scan-upload");
    er.getMetadata().setNamespace("logistics");
    er.getMetadata().setUid("uid-1");
    RevisionHistory history = new RevisionHistory(client);
    for (int i = 1; i <= 5; i++) {
      PodTemplateSpec t = template("reg/app:" + i);
      history.record(er, WorkloadRevision.of(t), t, 2, Set.of(WorkloadRevision.of(template("reg/app:1"))));
    }
    PodTemplateSpec back = history.template(er, WorkloadRevision.of(template("reg/app:1")));
    assertNotNull(back, "revision 1 is in use, so it is kept");
    assertEquals("reg/app:1", back.getSpec().getContainers().get(0).getImage());
    assertNull(history.template(er, WorkloadRevision.of(template("reg/app:2"))), "unused and beyond the limit");
    assertEquals("reg/app:5", history.template(er, WorkloadRevision.of(template("reg/app:5"))).getSpec().getContainers().get(0).getImage());
  }
}
