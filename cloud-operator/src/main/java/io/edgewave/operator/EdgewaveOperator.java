package io.edgewave.operator;

import io.edgewave.operator.rollout.EdgeReleaseReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Clock;
import java.time.Duration;

/**
 * Builds the JOSDK operator the same way for a cluster, the demo and the tests. Server-side apply is off: status is
 * written with a merge patch of the status subresource and Deployments with optimistic-locked updates, which work on
 * every API server (and on the mock one, which has no SSA).
 */
public final class EdgewaveOperator {
  private EdgewaveOperator() {}

  /** @param leaseNamespace where the leader-election Lease lives; null runs without leader election */
  public static Operator start(KubernetesClient client, Clock clock, EdgeReleaseReconciler.Settings settings,
      String leaseNamespace, String identity) {
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withUseSSAToPatchPrimaryResource(false)
          .withSSABasedCreateUpdateMatchForDependentResources(false)
          .withCloseClientOnStop(false)
          .withStopOnInformerErrorDuringStartup(true)
          .withCacheSyncTimeout(Duration.ofSeconds(60));
      if (leaseNamespace != null) {
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration("edgewave-operator", leaseNamespace, identity));
      }
    });
    operator.register(new EdgeReleaseReconciler(client, clock, settings));
    operator.start();
    return operator;
  }
}
