package io.edgewave.operator.rollout;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;

/**
 * Read-only view of the operator's informer caches, for readers other than the reconciler (the dashboard). The
 * informers run on every replica, leader or not, so a standby replica's view is as fresh as the leader's. Empty
 * until the operator has started.
 */
public interface FleetCache {
  List<EdgeRelease> releases();

  List<Node> nodes();

  List<Deployment> deployments(EdgeRelease er);

  List<Pod> pods(EdgeRelease er);
}
