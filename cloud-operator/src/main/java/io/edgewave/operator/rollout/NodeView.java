package io.edgewave.operator.rollout;

import java.time.Instant;
import java.util.Map;

/**
 * One target node as observed: whether it can take work, which revision its Deployment carries, and how that
 * revision's pod is doing. {@code revision} is null when the node has no Deployment of this release yet.
 *
 * <p>The evidence that outlives a blip is written on the node's Deployment, never kept in memory:
 * {@code readyAt} is when this operator first saw the node Ready on {@code revision} (annotation
 * {@link Labels#READY_AT}), {@code rollout} the rollout attempt that moved it there ({@link Labels#ROLLOUT}).
 * {@code podReadySince} (the pod's Ready condition's transition time) and {@code restarts} (container restarts)
 * come from the pod. {@code probe} is the Node's {@code EdgeProbeHealthy} condition, or null when it has none.
 * {@code stateSince} is since when the node has been in its online state without a break, as its Node's conditions
 * say: for an offline node the earliest transition of the conditions that make it offline, for an online one the
 * latest transition of those that make it online; null when unknown (a cordon says no time).
 */
public record NodeView(
    String name, Map<String, String> labels, boolean online, String revision, PodState pod, String podReason,
    Instant dispatchedAt, String previousRevision, Instant readyAt, Instant podReadySince, int restarts,
    String rollout, Probe probe, Instant stateSince) {
  /** The Node's {@code EdgeProbeHealthy} condition: status "True"/"False", reason, and since when it has that status. */
  public record Probe(String status, String reason, Instant since) {
    public boolean healthy() { return "True".equals(status); }
  }

  public NodeView(String name, Map<String, String> labels, boolean online, String revision, PodState pod,
      String podReason, Instant dispatchedAt, String previousRevision, Instant readyAt, Instant podReadySince,
      int restarts, String rollout, Probe probe) {
    this(name, labels, online, revision, pod, podReason, dispatchedAt, previousRevision, readyAt, podReadySince,
        restarts, rollout, probe, null);
  }

  public NodeView(String name, Map<String, String> labels, boolean online, String revision, PodState pod,
      String podReason, Instant dispatchedAt, String previousRevision, Instant readyAt, Instant podReadySince,
      int restarts, String rollout) {
    this(name, labels, online, revision, pod, podReason, dispatchedAt, previousRevision, readyAt, podReadySince,
        restarts, rollout, null, null);
  }

  /**
   * NONE: no pod of the revision; PENDING: coming up; READY: Ready; FAILED: the pod ended (phase Failed) or waits
   * with a reason that does not clear by itself ({@code podReason}: CrashLoopBackOff, ImagePullBackOff, ...).
   */
  public enum PodState { NONE, PENDING, READY, FAILED }

  public NodeView(String name, Map<String, String> labels, boolean online, String revision, PodState pod,
      String podReason, Instant dispatchedAt, String previousRevision) {
    this(name, labels, online, revision, pod, podReason, dispatchedAt, previousRevision, null, null, 0, null);
  }

  public static NodeView fresh(String name, Map<String, String> labels, boolean online) {
    return new NodeView(name, labels, online, null, PodState.NONE, null, null, null);
  }

  public NodeView withOnline(boolean up) {
    return new NodeView(name, labels, up, revision, pod, podReason, dispatchedAt, previousRevision, readyAt,
        podReadySince, restarts, rollout, probe, up == online ? stateSince : null);
  }

  /** In its online state since {@code t} (see {@link #stateSince}). */
  public NodeView withSince(Instant t) {
    return new NodeView(name, labels, online, revision, pod, podReason, dispatchedAt, previousRevision, readyAt,
        podReadySince, restarts, rollout, probe, t);
  }

  /** When an offline node went offline; null for an online node or when unknown. */
  public Instant offlineSince() { return online ? null : stateSince; }

  /** Since when an online node has been reachable without a break; null for an offline node or when unknown. */
  public Instant onlineSince() { return online ? stateSince : null; }

  public NodeView withPod(PodState state, String reason, Instant readySince, int restartCount) {
    return new NodeView(name, labels, online, revision, state, reason, dispatchedAt, previousRevision, readyAt,
        readySince, restartCount, rollout, probe, stateSince);
  }

  public NodeView withReadyAt(Instant t) {
    return new NodeView(name, labels, online, revision, pod, podReason, dispatchedAt, previousRevision, t,
        podReadySince, restarts, rollout, probe, stateSince);
  }

  public NodeView withProbe(Probe p) {
    return new NodeView(name, labels, online, revision, pod, podReason, dispatchedAt, previousRevision, readyAt,
        podReadySince, restarts, rollout, p, stateSince);
  }
}
