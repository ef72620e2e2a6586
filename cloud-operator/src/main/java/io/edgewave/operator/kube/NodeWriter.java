package io.edgewave.operator.kube;

import io.edgewave.operator.rollout.Labels;
import io.edgewave.operator.rollout.NodeAction;
import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The act step: one Deployment write per action. Updates carry the resourceVersion that was observed, so a stale
 * cache or a second operator instance gets a 409 instead of moving a node twice; conflicts are counted and the
 * release is reconciled again from fresh state.
 */
public final class NodeWriter {
  private static final Logger log = LoggerFactory.getLogger(NodeWriter.class);
  private final KubernetesClient client;
  private final RevisionHistory history;
  private final FleetSources sources;
  private final PrePullPods prePulls;
  private final PrePullJobs prePullJobs;
  private final java.time.Clock clock;

  NodeWriter(KubernetesClient client, RevisionHistory history, FleetSources sources, java.time.Clock clock) {
    this.client = client;
    this.history = history;
    this.sources = sources;
    this.prePulls = new PrePullPods(client, sources);
    this.prePullJobs = new PrePullJobs(client, clock);
    this.clock = clock;
  }

  NodeWriter(KubernetesClient client, RevisionHistory history, FleetSources sources) {
    this(client, history, sources, java.time.Clock.systemUTC());
  }

  PrePullPods prePulls() { return prePulls; }

  PrePullJobs prePullJobs() { return prePullJobs; }

  /**
   * What one act step did: writes that hit a conflict (retried from fresh state), writes the API refused, and the
   * nodes whose Ready mark was written (each once per rollout attempt: the mark is the record).
   */
  record Outcome(int conflicts, int rejected, String firstRejection, List<String> markedReady) {}

  /** Staging, if any, with pre-pull pods. */
  Outcome apply(EdgeRelease er, String revision, String attempt, PodTemplateSpec template, List<NodeAction> actions,
      Map<String, Deployment> existing, Instant now) {
    return apply(er, revision, attempt, template, actions, existing, now, false);
  }

  /**
   * @param jobs stage with one ImagePrePullJob for all the Stage actions (the decider kept the per-site budget), not a
   *     pre-pull pod per node
   * @return how many writes hit a conflict or were refused; a refusal never stops the rest of the fleet
   */
  Outcome apply(EdgeRelease er, String revision, String attempt, PodTemplateSpec template, List<NodeAction> actions,
      Map<String, Deployment> existing, Instant now, boolean jobs) {
    return apply(er, revision, attempt, template, actions, existing, now, jobs, Map.of());
  }

  /** @param stageAttempts per node, which attempt a pre-pull pod created now is (1 when absent) */
  Outcome apply(EdgeRelease er, String revision, String attempt, PodTemplateSpec template, List<NodeAction> actions,
      Map<String, Deployment> existing, Instant now, boolean jobs, Map<String, Integer> stageAttempts) {
    int conflicts = 0;
    int rejected = 0;
    String first = null;
    Map<String, PodTemplateSpec> templates = new HashMap<>();
    List<String> batch = new java.util.ArrayList<>();
    List<String> marked = new java.util.ArrayList<>();
    java.time.Duration batchTimeout = null;
    for (NodeAction a : actions) {
      if (jobs && a instanceof NodeAction.Stage s) {
        batch.add(a.node());
        batchTimeout = s.timeout();
        continue;
      }
      Deployment current = existing.get(a.node());
      try {
        if (a instanceof NodeAction.Dispatch d) {
          // stamped when this node's write goes out, not when the round began: a wave's writes take a while, and
          // the switch time is where its downtime (edgewave_node_switch_seconds) and its deadline count from
          Instant at = clock.instant();
          Deployment desired = NodeDeployments.desired(er, a.node(), revision, template, d.fromRevision(), d.wave(),
              at.isAfter(now) ? at : now);
          desired.getMetadata().getAnnotations().put(Labels.ROLLOUT, attempt);
          write(er, current, desired);
        } else if (a instanceof NodeAction.MarkReady) {
          if (markReady(er, current, now)) marked.add(a.node());
        } else if (a instanceof NodeAction.Revert r) {
          revert(er, current, r, templates, now, attempt);
        } else if (a instanceof NodeAction.Stage s) {
          prePulls.create(er, a.node(), revision, template, s.timeout(), stageAttempts.getOrDefault(a.node(), 1));
        }
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409 && existing.get(a.node()) == null && a instanceof NodeAction.Dispatch) {
          // a create that finds the name taken: a Deployment this operator cannot recognise as the node's (its
          // labels or annotations were edited by hand, or another tool owns the name); never overwrite it blindly
          rejected++;
          if (first == null) {
            first = "node " + a.node() + ": a Deployment named " + Labels.deploymentName(er.getMetadata().getName(),
                a.node()) + " exists without this release's labels (edited by hand?); restore its labels "
                + Labels.RELEASE + ", " + Labels.MANAGED_BY + " and annotation " + Labels.NODE_NAME + ", or delete it";
          }
        } else if (e.getCode() == 409 || e.getCode() == 404) {
          conflicts++;
          log.debug("{}: conflict writing the Deployment of node {}: {}", er.getMetadata().getName(), a.node(), e.getMessage());
        } else {
          // a template the API server rejects (422), a quota, an admission webhook: say so, go on with the others
          rejected++;
          if (first == null) first = "node " + a.node() + ": " + reason(e);
          log.debug("{}: the API refused the Deployment of node {}: {}", er.getMetadata().getName(), a.node(), e.getMessage());
        }
      }
    }
    if (!batch.isEmpty()) {
      try {
        prePullJobs.create(er, revision, template, batch, batchTimeout);
      } catch (KubernetesClientException e) {
        // not counted as a node's conflict: no node moved, and the next reconcile stages the batch again
        rejected++;
        if (first == null) first = "ImagePrePullJob for " + batch.size() + " nodes: " + reason(e);
        log.debug("{}: the API refused an ImagePrePullJob: {}", er.getMetadata().getName(), e.getMessage());
      }
    }
    return new Outcome(conflicts, rejected, first, marked);
  }

  private static String reason(KubernetesClientException e) {
    String m = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
    m = m == null ? "HTTP " + e.getCode() : m;
    return m.length() > 300 ? m.substring(0, 300) + "..." : m;
  }

  private void revert(EdgeRelease er, Deployment current, NodeAction.Revert r, Map<String, PodTemplateSpec> templates,
      Instant now, String attempt) {
    if (current == null) return;
    if (r.toRevision() == null) {
      client.apps().deployments().inNamespace(er.getMetadata().getNamespace()).resource(current).lockResourceVersion()
          .delete();
      return;
    }
    PodTemplateSpec old = templates.computeIfAbsent(r.toRevision(), rev -> history.template(er, rev));
    if (old == null) {
      log.warn("{}: cannot roll node {} back: revision {} is no longer in the history", er.getMetadata().getName(),
          r.node(), r.toRevision());
      return;
    }
    Deployment desired = NodeDeployments.desired(er, r.node(), r.toRevision(), old, null, null, now);
    desired.getMetadata().getAnnotations().put(Labels.ROLLOUT, Labels.reverted(attempt));
    write(er, current, desired);
  }

  private void write(EdgeRelease er, Deployment current, Deployment desired) {
    var deployments = client.apps().deployments().inNamespace(er.getMetadata().getNamespace());
    Deployment next = null;
    if (current != null) {
      next = NodeDeployments.updated(current, desired);
      // evidence belongs to the revision it was seen on: a new revision starts without it
      next.getMetadata().getAnnotations().remove(Labels.READY_AT);
      if (!desired.getMetadata().getAnnotations().containsKey(Labels.ROLLOUT)) {
        next.getMetadata().getAnnotations().remove(Labels.ROLLOUT);
      }
    }
    Deployment written = current == null ? deployments.resource(desired).create() : deployments.resource(next).update();
    sources.wrote(er, written, current);
  }

  /** Metadata only, with the observed resourceVersion: the pod template is untouched, so nothing restarts. */
  private boolean markReady(EdgeRelease er, Deployment current, Instant now) {
    if (current == null) return false;
    Deployment next = io.fabric8.kubernetes.client.utils.Serialization.clone(current);
    Map<String, String> annotations = new HashMap<>(next.getMetadata().getAnnotations() == null ? Map.of()
        : next.getMetadata().getAnnotations());
    annotations.put(Labels.READY_AT, now.toString());
    next.getMetadata().setAnnotations(annotations);
    Deployment written = client.apps().deployments().inNamespace(er.getMetadata().getNamespace()).resource(next).update();
    sources.wrote(er, written, current);
    return true;
  }
}
