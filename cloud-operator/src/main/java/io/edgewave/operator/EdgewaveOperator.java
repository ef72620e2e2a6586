package io.edgewave.operator;

import io.edgewave.operator.fleet.FleetFacts;
import io.edgewave.operator.metrics.EdgewaveMetrics;
import io.edgewave.operator.rollout.EdgeReleaseReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.time.Clock;
import java.time.Duration;

/**
 * Builds the JOSDK operator the same way for a cluster, the demo and the tests. Server-side apply is off: status is
 * written with a merge patch of the status subresource and Deployments with optimistic-locked updates, which work on
 * every API server (and on the mock one, which has no SSA).
 */
public final class EdgewaveOperator {
  public static final String LEASE = "edgewave-operator";

  private EdgewaveOperator() {}

  public static Operator start(KubernetesClient client, Clock clock, EdgeReleaseReconciler.Settings settings,
      String leaseNamespace, String identity) {
    return start(client, clock, settings, leaseNamespace, identity, true);
  }

  /**
   * @param leaseNamespace where the leader-election Lease lives; null runs without leader election
   * @param exitOnLostLease a replica that loses the Lease exits at once, so it cannot write as a deposed leader;
   *     only tests that run several replicas in one JVM turn this off
   */
  public static Operator start(KubernetesClient client, Clock clock, EdgeReleaseReconciler.Settings settings,
      String leaseNamespace, String identity, boolean exitOnLostLease) {
    return start(client, clock, settings, leaseNamespace, identity, exitOnLostLease, () -> { });
  }

  /** @param onLeading work only the leader does (heartbeat ingest); runs at once without leader election */
  public static Operator start(KubernetesClient client, Clock clock, EdgeReleaseReconciler.Settings settings,
      String leaseNamespace, String identity, boolean exitOnLostLease, Runnable onLeading) {
    return start(client, clock, settings, leaseNamespace, identity, exitOnLostLease, onLeading, new EdgewaveMetrics());
  }

  public static Operator start(KubernetesClient client, Clock clock, EdgeReleaseReconciler.Settings settings,
      String leaseNamespace, String identity, boolean exitOnLostLease, Runnable onLeading, EdgewaveMetrics metrics) {
    return start(client, clock, settings, leaseNamespace, identity, exitOnLostLease, onLeading, metrics, new FleetFacts());
  }

  /** @param facts filled by the heartbeat subscriber, read for preflight rules and gates */
  public static Operator start(KubernetesClient client, Clock clock, EdgeReleaseReconciler.Settings settings,
      String leaseNamespace, String identity, boolean exitOnLostLease, Runnable onLeading, EdgewaveMetrics metrics,
      FleetFacts facts) {
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withUseSSAToPatchPrimaryResource(false)
          .withSSABasedCreateUpdateMatchForDependentResources(false)
          .withCloseClientOnStop(false)
          .withStopOnInformerErrorDuringStartup(true)
          .withCacheSyncTimeout(Duration.ofSeconds(60));
      if (leaseNamespace != null) {
        o.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(LEASE)
            .withLeaseNamespace(leaseNamespace).withIdentity(identity).withExitOnStopLeading(exitOnLostLease)
            .withLeaderCallbacks(new LeaderCallbacks(onLeading, () -> { }, leader -> { })).build());
      }
    });
    operator.register(new EdgeReleaseReconciler(client, clock, settings, metrics, facts));
    operator.start();
    if (leaseNamespace == null) onLeading.run();
    return operator;
  }
}
