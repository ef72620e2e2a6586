package io.edgewave.operator.rollout;

import io.edgewave.operator.rollout.NodeView;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.List;
import java.util.Set;

/** Reads a pod's state the way a person would: Ready, stuck for good (and why), or still coming up. */
final class PodHealth {
  /** Waiting reasons that do not clear without a change of spec or image. */
  static final Set<String> FATAL = Set.of("CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "InvalidImageName",
      "CreateContainerConfigError", "CreateContainerError", "RunContainerError");

  private PodHealth() {}

  /**
   * @param readySince when the pod's Ready condition last turned True (null when not Ready or not known)
   * @param restarts the most restarts of any of its containers: a crash loop is judged on it
   */
  record Health(NodeView.PodState state, String reason, java.time.Instant readySince, int restarts) {
    Health(NodeView.PodState state, String reason) {
      this(state, reason, null, 0);
    }
  }

  static Health of(Pod pod) {
    if (pod.getStatus() == null) return new Health(NodeView.PodState.PENDING, null);
    int restarts = 0;
    List<ContainerStatus> statuses = concat(pod.getStatus().getInitContainerStatuses(), pod.getStatus().getContainerStatuses());
    for (ContainerStatus cs : statuses) {
      if (cs.getRestartCount() != null) restarts = Math.max(restarts, cs.getRestartCount());
    }
    if ("Failed".equals(pod.getStatus().getPhase())) {
      return new Health(NodeView.PodState.FAILED, pod.getStatus().getReason() == null ? "PodFailed" : pod.getStatus().getReason(),
          null, restarts);
    }
    for (ContainerStatus cs : statuses) {
      if (cs.getState() != null && cs.getState().getWaiting() != null && FATAL.contains(cs.getState().getWaiting().getReason())) {
        return new Health(NodeView.PodState.FAILED, cs.getState().getWaiting().getReason(), null, restarts);
      }
    }
    List<PodCondition> conditions = pod.getStatus().getConditions();
    if (conditions != null) {
      for (PodCondition c : conditions) {
        if ("Ready".equals(c.getType()) && "True".equals(c.getStatus())) {
          return new Health(NodeView.PodState.READY, null, time(c.getLastTransitionTime()), restarts);
        }
      }
    }
    return new Health(NodeView.PodState.PENDING, null, null, restarts);
  }

  private static java.time.Instant time(String text) {
    try {
      return text == null ? null : java.time.Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  private static List<ContainerStatus> concat(List<ContainerStatus> a, List<ContainerStatus> b) {
    List<ContainerStatus> out = new java.util.ArrayList<>();
    if (a != null) out.addAll(a);
    if (b != null) out.addAll(b);
    return out;
  }
}
