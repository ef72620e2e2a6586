package io.edgewave.operator.fleet;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;

/** Whether a Node can take new work: Ready, schedulable, and not flagged by the edge probe. */
public final class NodeReadiness {
  /** Condition the probe detector patches on Nodes (see docs/protocol.md); False means lost or offline. */
  public static final String PROBE_CONDITION = "EdgeProbeHealthy";

  private NodeReadiness() {}

  public static boolean online(Node n) {
    if (n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable())) return false;
    boolean ready = false;
    if (n.getStatus() != null && n.getStatus().getConditions() != null) {
      for (NodeCondition c : n.getStatus().getConditions()) {
        if ("Ready".equals(c.getType())) ready = "True".equals(c.getStatus());
        if (PROBE_CONDITION.equals(c.getType()) && "False".equals(c.getStatus())) return false;
      }
    }
    return ready;
  }
}
