package io.edgewave.operator.rollout;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;

/**
 * Read-only view of the operator's informer caches, for readers other than the reconciler (the dashboard). The
 * informers run on every replica, leader or not, so a standby replica's view is as fresh as the leader's. Empty
 * until the operator has started. Besides, what only the reconcile knows and keeps in memory: per-node staging.
 */
public interface FleetCache {
  List<EdgeRelease> releases();

  List<Node> nodes();

  List<Deployment> deployments(EdgeRelease er);

  List<Pod> pods(EdgeRelease er);

  /**
   * Where each target of the release not yet updated stands with staging, as this replica's last reconcile of it
   * decided. In memory only (status keeps counts): replaced each reconcile, recomputed from the pre-pull objects and
   * the Nodes by the first reconcile after a restart, gone with the release. Empty without staging, and on a standby
   * replica, which does not reconcile.
   */
  default Map<String, NodeStaging> staging(EdgeRelease er) {
    return Map.of();
  }
}
