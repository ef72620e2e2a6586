package io.edgewave.operator.rollout;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a node's service was down for its update: from its Deployment's switch ({@link NodeView#dispatchedAt()};
 * with {@code Recreate} the old pod stops at once) to its new pod Ready. The Ready time is the pod's Ready condition
 * when the edge node's clock puts it between the switch and now, else the moment the operator saw it Ready (an edge
 * clock running ahead or behind cannot make it negative or later than it was seen). Pure.
 */
public final class SwitchTime {
  private SwitchTime() {}

  /**
   * The downtime of a node seen Ready now, or null when its switch time is unknown or it ran nothing of the release
   * before (an install, a joiner: no service was down).
   */
  public static Duration of(NodeView v, Instant now) {
    if (v == null || v.dispatchedAt() == null || now.isBefore(v.dispatchedAt())) return null;
    if (v.previousRevision() == null) return null;
    Instant ready = v.podReadySince();
    if (ready == null || ready.isBefore(v.dispatchedAt()) || ready.isAfter(now)) ready = now;
    return Duration.between(v.dispatchedAt(), ready);
  }
}
