package io.edgewave.operator.dashboard;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.rollout.FleetCache;
import io.edgewave.operator.rollout.NodeStaging;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Caches as plain lists, for dashboard tests that need no API server. */
final class FakeCache implements FleetCache {
  final List<EdgeRelease> releases = new ArrayList<>();
  final List<Node> nodes = new ArrayList<>();
  /** Per-node staging by release name, as the reconciler would have left it. */
  final Map<String, Map<String, NodeStaging>> staging = new HashMap<>();

  @Override public List<EdgeRelease> releases() { return releases; }

  @Override public List<Node> nodes() { return nodes; }

  @Override public List<Deployment> deployments(EdgeRelease er) { return List.of(); }

  @Override public List<Pod> pods(EdgeRelease er) { return List.of(); }

  @Override public Map<String, NodeStaging> staging(EdgeRelease er) {
    return staging.getOrDefault(er.getMetadata().getName(), Map.of());
  }
}
