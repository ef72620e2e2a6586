package io.edgewave.operator.rollout;

import io.edgewave.operator.kube.EdgeReleaseReconciler;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.EdgewaveOperator;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two replicas share one Lease; the rollout completes with every node moved once. */
@EnableKubernetesMockClient(crud = true)
class LeaderElectionIT {
  KubernetesClient client;
  KubernetesMockServer server;

  @Test
  void twoReplicasElectOneLeaderAndTheRolloutCompletesOnce() throws Exception {
    // JOSDK asks whether it may use Leases before electing; the mock has no RBAC, so answer as a cluster would.
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewMetadata().endMetadata().withNewStatus()
            .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("*").endResourceRule()
            .withIncomplete(false).endStatus().build()).always();
    try (OperatorHarness h = new OperatorHarness(client, 20, 0)) {
      var settings = new EdgeReleaseReconciler.Settings(200, Duration.ofSeconds(30));
      var a = EdgewaveOperator.start(client, h.clock, EdgewaveOperator.Options.single(settings)
          .leaderElection("edgewave-system", "replica-a", false, () -> { }));
      var b = EdgewaveOperator.start(client, h.clock, EdgewaveOperator.Options.single(settings)
          .leaderElection("edgewave-system", "replica-b", false, () -> { }));
      try {
        await().atMost(Duration.ofSeconds(30)).until(() ->
            client.leases().inNamespace("edgewave-system").withName("edgewave-operator").get() != null);
        h.apply("scan-upload", OperatorHarness.spec(EdgeReleaseRolloutIT.THREE_WAVES.formatted("2.4.1", "0", "Halt")));
        h.awaitPhase("scan-upload", Phase.Succeeded, Duration.ofSeconds(90));
        Lease lease = client.leases().inNamespace("edgewave-system").withName("edgewave-operator").get();
        assertTrue(List.of("replica-a", "replica-b").contains(lease.getSpec().getHolderIdentity()));
        assertEquals(Map.of(), h.duplicateDispatches());
        assertEquals(20, h.kubelet.dispatches().size());
      } finally {
        a.stop();
        b.stop();
      }
    }
  }
}
