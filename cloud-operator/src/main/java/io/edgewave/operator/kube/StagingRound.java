package io.edgewave.operator.kube;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.plan.StagingPolicy;
import io.edgewave.operator.rollout.Labels;
import io.edgewave.operator.rollout.NodeView;
import io.edgewave.operator.rollout.PrePullJobObserver;
import io.edgewave.operator.rollout.StageState;
import io.edgewave.operator.rollout.StagingObserver;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One reconcile's staging (spec.strategy.staging) on the cluster side: what the pre-pull pods and ImagePrePullJobs
 * say before the decision ({@link #read}), and what is written and cleaned up after it ({@link #afterDecision}). The
 * decider only sees {@link #stages()}.
 */
final class StagingRound {
  private final StagingPolicy staging;
  private final String revision;
  private final List<Pod> pods;
  private final List<GenericKubernetesResource> jobs;
  private final Map<String, Instant> reachableSince;
  private final Map<String, StageState> stages;
  private final Map<String, Integer> attempts;

  private StagingRound(StagingPolicy staging, String revision, List<Pod> pods, List<GenericKubernetesResource> jobs,
      Map<String, Instant> reachableSince, Map<String, StageState> stages, Map<String, Integer> attempts) {
    this.staging = staging;
    this.revision = revision;
    this.pods = pods;
    this.jobs = jobs;
    this.reachableSince = reachableSince;
    this.stages = stages;
    this.attempts = attempts;
  }

  /**
   * @param staging the release's staging, or null when it is off (its jobs may still be there to clean up)
   * @param pods the release's pods (pre-pull pods among them)
   * @param jobs the release's ImagePrePullJobs
   */
  static StagingRound read(PrePullPods prePulls, EdgeRelease er, StagingPolicy staging, String revision, List<Pod> pods,
      List<GenericKubernetesResource> jobs, Map<String, NodeView> views, Instant now) {
    // a pull's timeout counts only time its node could be reached: from the latest return of its Ready and probe
    // conditions (a link to cloudcore lost while heartbeats flow is time away too)
    Map<String, Instant> reachableSince = new HashMap<>();
    if (staging != null) views.forEach((node, v) -> {
      Instant since = v.onlineSince();
      // a Ready time ahead of now (an edge clock) is no evidence; the probe's is this operator's own clock
      if (since != null && since.isAfter(now)) since = null;
      if (since == null && v.online() && v.probe() != null && v.probe().healthy()) since = v.probe().since();
      if (since != null) reachableSince.put(node, since);
    });
    Map<String, StageState> stages = staging == null ? Map.of() : StagingObserver.merge(
        StagingObserver.states(pods, revision, now, staging.timeout(), reachableSince),
        PrePullJobObserver.states(jobs, revision, now, staging.timeout(), reachableSince));
    Map<String, Integer> attempts = PrePullPods.nextAttempts(pods, revision);
    if (staging != null) {
      // our own creates the informer does not show yet: pulling, so the site budget counts them; a node whose pod
      // the informer shows speaks through it (thrown out: it is staged again at once)
      Map<String, StageState> withOwn = new HashMap<>(stages);
      prePulls.recentlyCreated(er, revision).forEach((node, at) -> {
        if (!attempts.containsKey(node)) withOwn.putIfAbsent(node, StageState.pulling(at));
      });
      stages = withOwn;
    }
    return new StagingRound(staging, revision, pods, jobs, reachableSince, stages, attempts);
  }

  /** Each node's staging for the decider. */
  Map<String, StageState> stages() { return stages; }

  /** Which attempt a pre-pull pod created now is, per node. */
  Map<String, Integer> nextAttempts() { return attempts; }

  /** Whether a job still pulls: jobs raise no events here, so the release is looked at again soon. */
  boolean jobsPulling() {
    return !jobs.isEmpty() && stages.values().stream().anyMatch(s -> s.kind() == StageState.Kind.PULLING);
  }

  /**
   * After the decision: records what the kubelets said (within what the round's writes left of the budget), then
   * deletes the pre-pull objects that are done with: those of nodes updated or gone from the targets, and all of them
   * once staging is over (off, halted, rolling back, rolled back; a success keeps what is not done: a failed pull is
   * the record that keeps its node on its old pod, and catch-ups and joiners still stage).
   *
   * @param onRevision nodes whose Deployment is on the revision
   * @return how many of the release's jobs are left
   */
  int afterDecision(NodeWriter writer, EdgeRelease er, Phase phase, Set<String> onRevision, Set<String> targets,
      int budgetLeft) {
    boolean over = staging == null || phase.stopped();
    if (!over) {
      int left = Math.max(0, budgetLeft);
      left -= writer.prePulls().recordReachability(pods, revision, reachableSince, left);
      writer.prePulls().recordPullErrors(pods, revision, left);
    }
    // a pull is done with on a node updated, and on one that left the targets (it will never switch)
    Set<String> done = new HashSet<>(onRevision);
    for (Pod p : pods) {
      String node = Labels.nodeName(p);
      if (node != null && !targets.contains(node)) done.add(node);
    }
    for (var j : jobs) for (String node : PrePullJobObserver.nodes(j)) if (!targets.contains(node)) done.add(node);
    writer.prePulls().cleanUp(er, pods, revision, done, over, reachableSince);
    return jobs.size() - writer.prePullJobs().cleanUp(jobs, revision, done, over);
  }
}
