package io.edgewave.operator;

import io.edgewave.operator.fleet.FleetFacts;
import io.edgewave.operator.metrics.EdgewaveMetrics;
import io.edgewave.operator.kube.EdgeReleaseReconciler;
import io.edgewave.operator.rollout.FleetCache;
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

  /**
   * How the operator runs.
   *
   * @param leaseNamespace where the leader-election Lease lives; null runs without leader election
   * @param exitOnLostLease a replica that loses the Lease exits at once, so it cannot write as a deposed leader;
   *     only tests that run several replicas in one JVM turn this off
   * @param onLeading work only the leader does (heartbeat ingest); runs at once without leader election
   * @param facts filled by the heartbeat subscriber, read for preflight rules and gates
   */
  public record Options(EdgeReleaseReconciler.Settings settings, String leaseNamespace, String identity,
      boolean exitOnLostLease, Runnable onLeading, EdgewaveMetrics metrics, FleetFacts facts, LeaseTimings lease) {
    public Options(EdgeReleaseReconciler.Settings settings, String leaseNamespace, String identity,
        boolean exitOnLostLease, Runnable onLeading, EdgewaveMetrics metrics, FleetFacts facts) {
      this(settings, leaseNamespace, identity, exitOnLostLease, onLeading, metrics, facts, LeaseTimings.DEFAULTS);
    }

    /** One replica without leader election, with its own metrics and facts. */
    public static Options single(EdgeReleaseReconciler.Settings settings) {
      return new Options(settings, null, null, true, () -> { }, new EdgewaveMetrics(), new FleetFacts());
    }

    public Options leaderElection(String namespace, String id, boolean exitOnLost, Runnable whenLeading) {
      return new Options(settings, namespace, id, exitOnLost, whenLeading, metrics, facts, lease);
    }

    public Options sharing(EdgewaveMetrics m, FleetFacts f) {
      return new Options(settings, leaseNamespace, identity, exitOnLostLease, onLeading, m, f, lease);
    }

    public Options leaseTimings(LeaseTimings t) {
      return new Options(settings, leaseNamespace, identity, exitOnLostLease, onLeading, metrics, facts, t);
    }
  }

  /**
   * How long a Lease lasts without renewal, how long a leader keeps trying to renew before it steps down (and, in
   * production, exits), and how often candidates try. renewDeadline < leaseDuration is what keeps two leaders from
   * overlapping: a leader that could not renew stops before anyone else may take over.
   */
  public record LeaseTimings(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    public static final LeaseTimings DEFAULTS = new LeaseTimings(Duration.ofSeconds(15), Duration.ofSeconds(10),
        Duration.ofSeconds(2));

    public LeaseTimings {
      if (renewDeadline.compareTo(leaseDuration) >= 0 || retryPeriod.compareTo(renewDeadline) >= 0) {
        throw new IllegalArgumentException("lease timings need retry period < renew deadline < lease duration");
      }
    }
  }

  /** A started operator and the caches it reads. */
  public record Running(Operator operator, FleetCache cache) {
    public void stop() { operator.stop(); }

    /** Why this replica is not healthy (not started, an informer failing), or null when it is. */
    public String problem() {
      var info = operator.getRuntimeInfo();
      if (!info.isStarted()) return "operator not started";
      if (!info.allEventSourcesAreHealthy()) return "unhealthy informers: " + info.unhealthyEventSources().keySet();
      return null;
    }
  }

  public static Running start(KubernetesClient client, Clock clock, Options options) {
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withUseSSAToPatchPrimaryResource(false)
          .withSSABasedCreateUpdateMatchForDependentResources(false)
          .withCloseClientOnStop(false)
          .withStopOnInformerErrorDuringStartup(true)
          .withCacheSyncTimeout(Duration.ofSeconds(60));
      if (options.leaseNamespace() != null) {
        o.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(LEASE)
            .withLeaseNamespace(options.leaseNamespace()).withIdentity(options.identity())
            .withLeaseDuration(options.lease().leaseDuration()).withRenewDeadline(options.lease().renewDeadline())
            .withRetryPeriod(options.lease().retryPeriod())
            .withExitOnStopLeading(options.exitOnLostLease())
            .withLeaderCallbacks(new LeaderCallbacks(options.onLeading(), () -> { }, leader -> { })).build());
      }
    });
    var reconciler = new EdgeReleaseReconciler(client, clock, options.settings(), options.metrics(), options.facts());
    operator.register(reconciler);
    operator.start();
    if (options.leaseNamespace() == null) options.onLeading().run();
    return new Running(operator, reconciler.cache());
  }
}
