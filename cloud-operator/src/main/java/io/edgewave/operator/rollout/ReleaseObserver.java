package io.edgewave.operator.rollout;

import io.edgewave.operator.rollout.Labels;
import io.edgewave.operator.rollout.NodeView;
import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.fleet.NodeReadiness;
import io.edgewave.operator.plan.TargetNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the informer caches into plain records: the observe step of the reconciler. */
public final class ReleaseObserver {
  /** Nodes, this release's Deployments by node and the health of each node's pod for its Deployment's revision. */
  public record Observed(List<TargetNode> nodes, Map<String, Deployment> deployments,
      Map<String, NodeView> views) {}

  private ReleaseObserver() {}

  public static Observed observe(EdgeRelease er, List<Node> nodes, List<Deployment> deployments, List<Pod> pods) {
    String release = er.getMetadata().getName();
    List<TargetNode> targets = new ArrayList<>(nodes.size());
    Map<String, Boolean> online = new HashMap<>(nodes.size() * 2);
    Map<String, NodeView.Probe> probes = new HashMap<>();
    Map<String, java.time.Instant> offlineSince = new HashMap<>();
    for (Node n : nodes) {
      targets.add(new TargetNode(n.getMetadata().getName(), n.getMetadata().getLabels()));
      boolean up = NodeReadiness.online(n);
      online.put(n.getMetadata().getName(), up);
      // an offline node: since when it is offline; an online one: since when it is reachable (kept in the same map,
      // read by the node's state)
      java.time.Instant since = up ? NodeReadiness.onlineSince(n) : NodeReadiness.offlineSince(n);
      if (since != null) offlineSince.put(n.getMetadata().getName(), since);
      NodeView.Probe p = probe(n);
      if (p != null) probes.put(n.getMetadata().getName(), p);
    }
    Map<String, Deployment> byNode = new HashMap<>();
    for (Deployment d : deployments) {
      Map<String, String> l = d.getMetadata().getLabels();
      String node = d.getMetadata().getAnnotations() == null ? null : d.getMetadata().getAnnotations().get(Labels.NODE_NAME);
      if (l != null && release.equals(l.get(Labels.RELEASE)) && node != null) byNode.put(node, d);
    }
    Map<String, List<Pod>> podsByNodeValue = new HashMap<>();
    for (Pod p : pods) {
      Map<String, String> l = p.getMetadata().getLabels();
      if (l == null || !release.equals(l.get(Labels.RELEASE)) || p.getMetadata().getDeletionTimestamp() != null) continue;
      if (l.containsKey(Labels.PREPULL)) continue; // a pre-pull pod is staging, not the workload
      podsByNodeValue.computeIfAbsent(l.get(Labels.NODE), k -> new ArrayList<>()).add(p);
    }
    Map<String, NodeView> views = new HashMap<>(targets.size() * 2);
    for (TargetNode t : targets) {
      Deployment d = byNode.get(t.name());
      boolean up = online.get(t.name());
      if (d == null) {
        views.put(t.name(), NodeView.fresh(t.name(), t.labels(), up).withProbe(probes.get(t.name()))
            .withSince(offlineSince.get(t.name())));
        continue;
      }
      views.put(t.name(), view(t.name(), t.labels(), up, d, podsByNodeValue).withProbe(probes.get(t.name()))
          .withSince(offlineSince.get(t.name())));
    }
    // a Deployment whose Node is gone: its node is offline, and a rollback must still reach it if it comes back
    for (Map.Entry<String, Deployment> e : byNode.entrySet()) {
      if (!views.containsKey(e.getKey())) views.put(e.getKey(), view(e.getKey(), Map.of(), false, e.getValue(), podsByNodeValue));
    }
    return new Observed(targets, byNode, views);
  }

  /** The Node's EdgeProbeHealthy condition, or null. */
  static NodeView.Probe probe(Node n) {
    if (n.getStatus() == null || n.getStatus().getConditions() == null) return null;
    for (var c : n.getStatus().getConditions()) {
      if (NodeReadiness.PROBE_CONDITION.equals(c.getType())) {
        return new NodeView.Probe(c.getStatus(), c.getReason(), parse(c.getLastTransitionTime()));
      }
    }
    return null;
  }

  private static NodeView view(String node, Map<String, String> labels, boolean up, Deployment d,
      Map<String, List<Pod>> podsByNodeValue) {
    Map<String, String> a = d.getMetadata().getAnnotations();
    String revision = d.getMetadata().getLabels().get(Labels.REVISION);
    if (revision == null && d.getSpec() != null && d.getSpec().getTemplate() != null
        && d.getSpec().getTemplate().getMetadata() != null && d.getSpec().getTemplate().getMetadata().getLabels() != null) {
      // someone edited the Deployment's labels: the pod template still says which revision it runs
      revision = d.getSpec().getTemplate().getMetadata().getLabels().get(Labels.REVISION);
    }
    PodHealth.Health h = revision == null ? new PodHealth.Health(NodeView.PodState.NONE, null)
        : best(podsByNodeValue.getOrDefault(Labels.nodeValue(node), List.of()), revision);
    Instant readyAt = parse(a.get(Labels.READY_AT));
    return new NodeView(node, labels, up, revision, h.state(), h.reason(), parse(a.get(Labels.DISPATCHED_AT)),
        a.get(Labels.PREVIOUS_REVISION), readyAt, h.readySince(), h.restarts(), a.get(Labels.ROLLOUT));
  }

  /** Revisions some Deployment is on or would roll back to: these must stay in the history. */
  public static Set<String> revisionsInUse(Map<String, Deployment> deployments) {
    Set<String> out = new HashSet<>();
    for (Deployment d : deployments.values()) {
      out.add(d.getMetadata().getLabels().get(Labels.REVISION));
      String prev = d.getMetadata().getAnnotations().get(Labels.PREVIOUS_REVISION);
      if (prev != null) out.add(prev);
    }
    return out;
  }

  private static PodHealth.Health best(List<Pod> pods, String revision) {
    PodHealth.Health best = new PodHealth.Health(NodeView.PodState.NONE, null);
    for (Pod p : pods) {
      if (!revision.equals(p.getMetadata().getLabels().get(Labels.REVISION))) continue;
      PodHealth.Health h = PodHealth.of(p);
      if (h.state() == NodeView.PodState.READY) return h;
      // a pod coming up outranks a failed one left behind (evicted, replaced): judge the newest attempt
      if (best.state() == NodeView.PodState.NONE || h.state() == NodeView.PodState.PENDING) best = h;
    }
    return best;
  }

  private static Instant parse(String text) {
    try {
      return text == null ? null : Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

}
