package io.edgewave.operator.rollout;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads each node's staging from KubeEdge's ImagePrePullJobs (operations.kubeedge.io/v1alpha1) of the release: the
 * record that survives an operator restart, as pre-pull pods are for {@link StagingObserver}. Per node, from
 * {@code status.status[]}: every image pulled ({@code state: successful}) is STAGED; an image that failed is FAILED
 * with "image: reason"; a node that failed without a failed image (the disk check, a timeout) is FAILED with KubeEdge's
 * reason; anything else is PULLING until {@code spec.strategy.staging.timeout}, then FAILED.
 *
 * <p>v1alpha1 has two status shapes: KubeEdge 1.16 to 1.19 put {@code nodeName}, {@code state} and {@code reason} on
 * the entry itself, later versions under {@code nodeStatus} (with {@code action} Success/Failure/TimeOut); both are
 * read. A node the job names but reports nothing for stays PULLING until the timeout: cloudcore says nothing of a
 * node it does not know (kubeedge/kubeedge#5531), and a node offline just has not answered yet. A job that ended
 * without a word on a node fails that node at once: nothing says its images are there. Pure.
 */
public final class PrePullJobObserver {
  private PrePullJobObserver() {}

  /** Staging by node for {@code revision}; jobs of other revisions say nothing about it. A newer job's word wins. */
  public static Map<String, StageState> states(List<GenericKubernetesResource> jobs, String revision, Instant now,
      Duration timeout) {
    return states(jobs, revision, now, timeout, Map.of());
  }

  /**
   * @param reachableSince per node, since when it has been reachable without a break: the timeout this operator
   *     judges (no report, not pulled yet) counts from the later of the job's creation and that
   */
  public static Map<String, StageState> states(List<GenericKubernetesResource> jobs, String revision, Instant now,
      Duration timeout, Map<String, Instant> reachableSince) {
    List<GenericKubernetesResource> mine = new ArrayList<>();
    for (GenericKubernetesResource j : jobs) {
      Map<String, String> l = j.getMetadata().getLabels();
      if (l == null || !revision.equals(l.get(Labels.REVISION)) || j.getMetadata().getDeletionTimestamp() != null) continue;
      mine.add(j);
    }
    mine.sort(Comparator.comparing(j -> StagingObserver.created(j, now)));
    Map<String, StageState> out = new HashMap<>();
    for (GenericKubernetesResource j : mine) {
      Instant created = StagingObserver.created(j, now);
      Map<String, Object> status = map(j.getAdditionalProperties().get("status"));
      Map<String, Map<String, Object>> entries = new HashMap<>();
      for (Object o : list(status.get("status"))) {
        Map<String, Object> e = map(o);
        String node = text(e, "nodeName");
        if (node == null) node = text(map(e.get("nodeStatus")), "nodeName");
        if (node != null) entries.put(node, e);
      }
      String jobState = text(status, "state");
      boolean ended = "successful".equalsIgnoreCase(jobState) || "failed".equalsIgnoreCase(jobState);
      for (String node : nodes(j)) {
        Map<String, Object> e = entries.get(node);
        Instant since = StagingObserver.pullSince(created, reachableSince.get(node), now);
        StageState s;
        if (e != null) {
          s = state(e, since, now, timeout);
        } else if (ended) {
          String why = text(status, "reason");
          s = StageState.failed("ImagePrePullJob " + j.getMetadata().getName() + " ended " + jobState
              + " without a report for this node" + (why == null ? "" : ": " + StagingObserver.clip(why)), since);
        } else {
          s = pendingOrTimedOut(since, now, timeout, "no report from KubeEdge for this node within " + minutes(timeout)
              + " (spec.strategy.staging.timeout); is it an edge node cloudcore knows?");
        }
        out.put(node, s);
      }
    }
    return out;
  }

  /** The nodes a job names ({@code spec.imagePrePullTemplate.nodeNames}). */
  public static List<String> nodes(GenericKubernetesResource job) {
    Map<String, Object> template = map(map(job.getAdditionalProperties().get("spec")).get("imagePrePullTemplate"));
    List<String> out = new ArrayList<>();
    for (Object o : list(template.get("nodeNames"))) if (o instanceof String s) out.add(s);
    return out;
  }

  static StageState state(Map<String, Object> e, Instant since, Instant now, Duration timeout) {
    Map<String, Object> task = map(e.get("nodeStatus"));
    String state = text(e, "state");
    if (state == null) state = text(task, "state");
    String action = text(task, "action");
    String reason = text(e, "reason");
    if (reason == null) reason = text(task, "reason");
    List<Object> images = list(e.get("imageStatus"));
    int pulled = 0;
    for (Object o : images) {
      Map<String, Object> i = map(o);
      String s = text(i, "state");
      if ("failed".equalsIgnoreCase(s)) {
        String why = text(i, "reason");
        return StageState.failed(text(i, "image") + ": " + (why == null ? "pull failed" : StagingObserver.clip(why)), since);
      }
      if ("successful".equalsIgnoreCase(s)) pulled++;
    }
    if ("failed".equalsIgnoreCase(state) || "Failure".equalsIgnoreCase(action) || "TimeOut".equalsIgnoreCase(action)) {
      return StageState.failed("KubeEdge: " + (reason == null ? "image pre-pull failed" : StagingObserver.clip(reason)), since);
    }
    boolean done = "successful".equalsIgnoreCase(state) || "Success".equalsIgnoreCase(action);
    if (done && pulled == images.size()) return StageState.staged(since);
    return pendingOrTimedOut(since, now, timeout, "images not pulled within " + minutes(timeout)
        + " (spec.strategy.staging.timeout)");
  }

  private static StageState pendingOrTimedOut(Instant since, Instant now, Duration timeout, String why) {
    return now.isBefore(since.plus(timeout)) ? StageState.pulling(since) : StageState.failed(why, since);
  }

  private static String minutes(Duration d) {
    return d.toMinutes() + "m";
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return o instanceof List<?> l ? (List<Object>) l : List.of();
  }

  private static String text(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof String s && !s.isBlank() ? s : null;
  }
}
