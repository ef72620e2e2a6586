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

  /**
   * Since when an offline Node has been offline: the earliest transition of the conditions that make it offline
   * (Ready not True, the probe's condition False), each of which has held since. Null when it is online by those, or
   * their times are unknown (a cordon carries no time).
   */
  public static java.time.Instant offlineSince(Node n) {
    if (n.getStatus() == null || n.getStatus().getConditions() == null) return null;
    java.time.Instant since = null;
    for (NodeCondition c : n.getStatus().getConditions()) {
      boolean down = ("Ready".equals(c.getType()) && !"True".equals(c.getStatus()))
          || (PROBE_CONDITION.equals(c.getType()) && "False".equals(c.getStatus()));
      java.time.Instant t = down ? transition(c) : null;
      if (t != null && (since == null || t.isBefore(since))) since = t;
    }
    return since;
  }

  /**
   * Since when an online Node has been reachable without a break: the latest transition of the conditions that make
   * it online (Ready True, and the probe's condition True where it has one). Null when it is offline or the times are
   * unknown.
   */
  public static java.time.Instant onlineSince(Node n) {
    if (!online(n) || n.getStatus() == null || n.getStatus().getConditions() == null) return null;
    java.time.Instant since = null;
    for (NodeCondition c : n.getStatus().getConditions()) {
      boolean up = ("Ready".equals(c.getType()) || PROBE_CONDITION.equals(c.getType())) && "True".equals(c.getStatus());
      java.time.Instant t = up ? transition(c) : null;
      if (t != null && (since == null || t.isAfter(since))) since = t;
    }
    return since;
  }

  /** The condition's last transition time; null when missing or unreadable (no evidence). */
  private static java.time.Instant transition(NodeCondition c) {
    if (c.getLastTransitionTime() == null) return null;
    try {
      return java.time.Instant.parse(c.getLastTransitionTime());
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
