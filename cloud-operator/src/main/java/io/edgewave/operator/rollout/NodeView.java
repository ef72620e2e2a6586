package io.edgewave.operator.rollout;

import java.time.Instant;
import java.util.Map;

/**
 * One target node as observed: whether it can take work, which revision its Deployment carries, and how that
 * revision's pod is doing. {@code revision} is null when the node has no Deployment of this release yet.
 */
public record NodeView(
    String name, Map<String, String> labels, boolean online, String revision, PodState pod, String podReason,
    Instant dispatchedAt, String previousRevision) {
  public enum PodState { NONE, PENDING, READY, FAILED }

  public static NodeView fresh(String name, Map<String, String> labels, boolean online) {
    return new NodeView(name, labels, online, null, PodState.NONE, null, null, null);
  }
}
