package io.edgewave.operator.kube;

import io.edgewave.operator.fleet.FleetSink;
import io.edgewave.operator.rollout.Labels;
import io.edgewave.operator.fleet.NodeReadiness;
import io.edgewave.operator.fleet.FailureDetector;
import io.edgewave.operator.ingest.HeartbeatSubscriber;
import io.edgewave.operator.fleet.NodeConditionPlanner;
import io.edgewave.operator.fleet.SiteDetector;
import io.edgewave.operator.config.OperatorConfig;
import io.edgewave.protocol.DaemonThreads;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes node health to Kubernetes, as node-problem-detector does: the Node condition {@code EdgeProbeHealthy}
 * (True online; False lost or offline) on the Node's status, and an Event on the Node for each transition. Only
 * transitions and convergence passes reach it, never heartbeats.
 *
 * <p>Each convergence pass reads every Node, lets {@link NodeConditionPlanner} decide, and writes only the
 * differences: that clears a False a previous leader left on a node that beats, retries a write that failed, and
 * puts back a condition another writer removed. A node whose write fails is retried on later passes, skipping
 * 1, 2, 4 ... up to 16 passes between attempts. Nothing thrown in a pass escapes it.
 *
 * <p>Writes run on their own thread, in the order handed over, so a slow API server never stalls heartbeat
 * ingest; the status update carries the Node's resourceVersion and is retried on conflict, so the kubelet's
 * conditions are kept.
 */
public final class NodeHealthWriter implements FleetSink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeHealthWriter.class);
  private static final int MAX_SKIPPED_PASSES = 16;
  private final KubernetesClient client;
  private final Clock clock;
  private final Supplier<List<Node>> nodes;
  private final String siteLabel;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(new DaemonThreads("node-health-writer"));
  private final AtomicBoolean passQueued = new AtomicBoolean();
  // touched on the writer thread only
  private Set<String> previousNodes = Set.of();
  private final Map<String, Retry> retries = new HashMap<>();
  /** Lost nodes of unreachable sites, whose condition says SiteUnreachable. */
  private final Set<String> siteDown = new HashSet<>();
  private long pass;

  private record Retry(int failures, long notBeforePass) {}

  public NodeHealthWriter(KubernetesClient client, Clock clock) {
    this(client, clock, () -> client.nodes().list().getItems());
  }

  /** @param nodes every Node, read once per convergence pass (an informer cache where there is one) */
  public NodeHealthWriter(KubernetesClient client, Clock clock, Supplier<List<Node>> nodes) {
    this(client, clock, nodes, OperatorConfig.DEFAULT_SITE_LABEL);
  }

  /** @param siteLabel the Node label that names a node's site ({@code --site-label}) */
  public NodeHealthWriter(KubernetesClient client, Clock clock, Supplier<List<Node>> nodes, String siteLabel) {
    this.client = client;
    this.clock = clock;
    this.nodes = nodes;
    this.siteLabel = siteLabel;
  }

  @Override
  public void transitions(List<FailureDetector.Transition> transitions) {
    for (FailureDetector.Transition t : transitions) {
      log.info("node {} {} -> {} ({}, silent {} ms)", t.node(), t.from(), t.to(), t.cause(), t.silence().toMillis());
      writer.execute(() -> {
        try {
          if (t.cause() == FailureDetector.Cause.SITE_UNREACHABLE) siteDown.add(t.node());
          else siteDown.remove(t.node());
          write(t);
        } catch (RuntimeException e) {
          // a write that cannot be made (API down, client closed) is logged; the next convergence pass retries it
          log.warn("could not record transition of node {}: {}", t.node(), e.toString());
        }
      });
    }
  }

  /** A site unreachable: each of its lost nodes says so (once), with one Event each; a site back needs no write. */
  @Override
  public void sites(List<SiteDetector.SiteTransition> sites) {
    for (SiteDetector.SiteTransition s : sites) {
      if (s.adopted()) {
        // written by the previous leader: continued, not written again
        log.info("site {} unreachable, as recorded on its nodes: {}", s.site(), s.nodes());
        try {
          writer.execute(() -> siteDown.addAll(s.nodes()));
        } catch (java.util.concurrent.RejectedExecutionException e) {
          // closing
        }
        continue;
      }
      if (s.change() == SiteDetector.Change.BACK) {
        log.info("site {} back: {} of its nodes beat again", s.site(), s.nodes().size());
        continue;
      }
      log.warn("site {} unreachable: {} of {} watched nodes silent together: {}", s.site(), s.nodes().size(),
          s.watched(), s.nodes());
      try {
        writer.execute(() -> {
          String message = "site " + s.site() + " unreachable: " + s.nodes().size() + " of its " + s.watched()
              + " watched nodes went silent together";
          for (String node : s.nodes()) {
            try {
              // a node whose own transition came with the site's cause said so already
              if (siteDown.contains(node)) continue;
              siteDown.add(node);
              record(node, false, NodeConditionPlanner.SITE_UNREACHABLE, message);
            } catch (RuntimeException e) {
              log.warn("could not record site {} on node {}: {}", s.site(), node, e.toString());
            }
          }
        });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }
  }

  @Override
  public void converge(Map<String, FailureDetector.Verdict> verdicts, FleetSink.Feedback feedback) {
    // one pass waiting is enough: a slow API server must not pile them up
    if (!passQueued.compareAndSet(false, true)) return;
    try {
      writer.execute(() -> {
        passQueued.set(false);
        try {
          pass(verdicts, feedback);
        } catch (RuntimeException e) {
          log.warn("node condition pass failed; the next one retries: {}", e.toString());
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      passQueued.set(false); // closing
    }
  }

  private void pass(Map<String, FailureDetector.Verdict> verdicts, FleetSink.Feedback feedback) {
    pass++;
    List<NodeConditionPlanner.ObservedNode> observed = new ArrayList<>();
    Map<String, String> sites = new HashMap<>();
    for (Node n : nodes.get()) {
      observed.add(new NodeConditionPlanner.ObservedNode(n.getMetadata().getName(), condition(n)));
      String site = n.getMetadata().getLabels() == null ? null : n.getMetadata().getLabels().get(siteLabel);
      if (site != null && !site.isEmpty()) sites.put(n.getMetadata().getName(), site);
    }
    feedback.sites(sites);
    Set<String> backingOff = new HashSet<>();
    retries.forEach((node, r) -> {
      if (r.notBeforePass() > pass) backingOff.add(node);
    });
    siteDown.retainAll(verdicts.keySet());
    var plan = NodeConditionPlanner.plan(observed, verdicts, previousNodes, backingOff, siteDown);
    previousNodes = new HashSet<>(observed.stream().map(NodeConditionPlanner.ObservedNode::name).toList());
    retries.keySet().retainAll(previousNodes);
    plan.forget().forEach(feedback::forget);
    plan.expect().forEach(feedback::expect);
    for (NodeConditionPlanner.Write w : plan.writes()) {
      boolean ok;
      try {
        ok = writeCondition(w.node(), w.healthy(), w.reason(), w.message());
      } catch (RuntimeException e) {
        log.debug("writing {} on node {}: {}", NodeReadiness.PROBE_CONDITION, w.node(), e.toString());
        ok = false;
      }
      if (ok) {
        log.info("node {}: {} set to {} ({}) to agree with the detector", w.node(), NodeReadiness.PROBE_CONDITION,
            w.status(), w.reason());
        retries.remove(w.node());
      } else {
        int failures = retries.containsKey(w.node()) ? retries.get(w.node()).failures() + 1 : 1;
        retries.put(w.node(), new Retry(failures, pass + Math.min(1L << Math.min(failures - 1, 4), MAX_SKIPPED_PASSES) + 1));
      }
    }
    if (!plan.empty()) {
      log.debug("node condition pass {}: {} writes, {} expected, {} forgotten", pass, plan.writes().size(),
          plan.expect().size(), plan.forget().size());
    }
  }

  /** What the Nodes record, for a replica taking the Lease: each node's site and its probe condition. */
  public static io.edgewave.operator.fleet.Takeover recorded(List<Node> nodes, String siteLabel, java.time.Instant at,
      java.time.Duration unsent) {
    Map<String, io.edgewave.operator.fleet.Takeover.Recorded> out = new HashMap<>();
    for (Node n : nodes) {
      String site = n.getMetadata().getLabels() == null ? null : n.getMetadata().getLabels().get(siteLabel);
      NodeCondition probe = null;
      if (n.getStatus() != null && n.getStatus().getConditions() != null) {
        for (NodeCondition c : n.getStatus().getConditions()) {
          if (NodeReadiness.PROBE_CONDITION.equals(c.getType())) probe = c;
        }
      }
      java.time.Instant since = null;
      try {
        if (probe != null && probe.getLastTransitionTime() != null) since = java.time.Instant.parse(probe.getLastTransitionTime());
      } catch (java.time.format.DateTimeParseException e) {
        // another writer's odd time: no proof of when, so no proof it was paged
      }
      out.put(n.getMetadata().getName(), new io.edgewave.operator.fleet.Takeover.Recorded(site,
          probe == null ? null : probe.getStatus(), probe == null ? null : probe.getReason(), since));
    }
    return new io.edgewave.operator.fleet.Takeover(out, at, unsent);
  }

  static NodeConditionPlanner.Condition condition(Node n) {
    if (n.getStatus() == null || n.getStatus().getConditions() == null) return null;
    for (NodeCondition c : n.getStatus().getConditions()) {
      if (NodeReadiness.PROBE_CONDITION.equals(c.getType())) return new NodeConditionPlanner.Condition(c.getStatus(), c.getReason());
    }
    return null;
  }

  private void write(FailureDetector.Transition t) {
    boolean healthy = t.to() == FailureDetector.State.ONLINE;
    String reason = switch (t.to()) {
      case ONLINE -> t.rebooted() ? "EdgeProbeRebooted" : NodeConditionPlanner.HEARTBEAT;
      case LOST -> t.cause() == FailureDetector.Cause.SITE_UNREACHABLE ? NodeConditionPlanner.SITE_UNREACHABLE
          : NodeConditionPlanner.LOST;
      case OFFLINE -> NodeConditionPlanner.OFFLINE;
    };
    String message = switch (t.to()) {
      case ONLINE -> "heartbeats received again after " + t.silence().toSeconds() + "s" + (t.rebooted() ? "; the node rebooted" : "");
      case LOST -> NodeConditionPlanner.lostMessage(t.cause()) + "; no heartbeat for " + t.silence().toSeconds()
          + "s (last at " + t.lastSeen() + ")";
      case OFFLINE -> "the edge probe stopped and said goodbye";
    };
    record(t.node(), healthy, reason, message);
  }

  /** The condition and an Event on the Node. */
  private void record(String node, boolean healthy, String reason, String message) {
    writeCondition(node, healthy, reason, message);
    String now = clock.instant().toString();
    try {
      client.v1().events().inNamespace("default").resource(new EventBuilder()
          .withNewMetadata().withGenerateName(node + ".").withNamespace("default").endMetadata()
          .withNewInvolvedObject().withApiVersion("v1").withKind("Node").withName(node).withUid(node).endInvolvedObject()
          .withReason(reason).withMessage(message).withType(healthy ? "Normal" : "Warning")
          .withNewSource("edgewave-operator", null).withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
          .build()).create();
    } catch (RuntimeException e) {
      log.debug("event for node {} not written: {}", node, e.getMessage());
    }
  }

  /** Sets the condition, keeping every other one; false when it could not be written (the Node gone is no failure). */
  private boolean writeCondition(String name, boolean healthy, String reason, String message) {
    String now = clock.instant().toString();
    NodeCondition condition = new NodeConditionBuilder().withType(NodeReadiness.PROBE_CONDITION)
        .withStatus(healthy ? "True" : "False").withReason(reason).withMessage(message)
        .withLastHeartbeatTime(now).withLastTransitionTime(now).build();
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        Node node = client.nodes().withName(name).get();
        if (node == null) {
          log.debug("node {} has no Node object; condition not written", name);
          return true;
        }
        List<NodeCondition> conditions = new ArrayList<>(node.getStatus() == null || node.getStatus().getConditions() == null
            ? List.of() : node.getStatus().getConditions());
        NodeCondition old = conditions.stream().filter(c -> NodeReadiness.PROBE_CONDITION.equals(c.getType()))
            .findFirst().orElse(null);
        // lastTransitionTime moves only when the status does (API conventions)
        if (old != null && condition.getStatus().equals(old.getStatus()) && old.getLastTransitionTime() != null) {
          condition.setLastTransitionTime(old.getLastTransitionTime());
        }
        conditions.removeIf(c -> NodeReadiness.PROBE_CONDITION.equals(c.getType()));
        conditions.add(condition);
        if (node.getStatus() == null) node.setStatus(new NodeStatus());
        node.getStatus().setConditions(conditions);
        client.nodes().resource(node).updateStatus();
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 4) {
          log.warn("could not write {} on node {}: {}", NodeReadiness.PROBE_CONDITION, name, e.getMessage());
          return false;
        }
      }
    }
    return false;
  }

  /** Finishes the writes already handed over (up to 5 s), then stops. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      if (!writer.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) writer.shutdownNow();
    } catch (InterruptedException e) {
      writer.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
