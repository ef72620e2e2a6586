package io.edgewave.operator.fleet;

import io.edgewave.operator.config.DaemonThreads;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each transition to Kubernetes, as node-problem-detector does: the Node condition {@code EdgeProbeHealthy}
 * (True online; False lost or offline) on the Node's status, and an Event on the Node. Only transitions reach it,
 * never heartbeats. Writes run on their own thread so a slow API server never stalls heartbeat ingest; the status
 * update carries the Node's resourceVersion and is retried on conflict, so the kubelet's conditions are kept.
 */
public final class NodeHealthWriter implements HeartbeatSubscriber.Sink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeHealthWriter.class);
  private final KubernetesClient client;
  private final Clock clock;
  private final ExecutorService writer = Executors.newSingleThreadExecutor(new DaemonThreads("node-health-writer"));

  public NodeHealthWriter(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public void transitions(List<FailureDetector.Transition> transitions) {
    for (FailureDetector.Transition t : transitions) {
      log.info("node {} {} -> {} (silent {} ms)", t.node(), t.from(), t.to(), t.silence().toMillis());
      writer.execute(() -> {
        try {
          write(t);
        } catch (RuntimeException e) {
          // a write that cannot be made (API down, client closed) is logged; it must not kill the writer thread
          log.warn("could not record transition of node {}: {}", t.node(), e.toString());
        }
      });
    }
  }

  private void write(FailureDetector.Transition t) {
    boolean healthy = t.to() == FailureDetector.State.ONLINE;
    String reason = switch (t.to()) {
      case ONLINE -> t.rebooted() ? "EdgeProbeRebooted" : "EdgeProbeHeartbeat";
      case LOST -> "EdgeProbeLost";
      case OFFLINE -> "EdgeProbeOffline";
    };
    String message = switch (t.to()) {
      case ONLINE -> "heartbeats received again after " + t.silence().toSeconds() + "s" + (t.rebooted() ? "; the node rebooted" : "");
      case LOST -> "no heartbeat for " + t.silence().toSeconds() + "s (last at " + t.lastSeen() + ")";
      case OFFLINE -> "the edge probe stopped and said goodbye";
    };
    String now = clock.instant().toString();
    NodeCondition condition = new NodeConditionBuilder().withType(NodeReadiness.PROBE_CONDITION)
        .withStatus(healthy ? "True" : "False").withReason(reason).withMessage(message)
        .withLastHeartbeatTime(now).withLastTransitionTime(now).build();
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        Node node = client.nodes().withName(t.node()).get();
        if (node == null) {
          log.debug("node {} has no Node object; condition not written", t.node());
          break;
        }
        List<NodeCondition> conditions = new ArrayList<>(node.getStatus() == null || node.getStatus().getConditions() == null
            ? List.of() : node.getStatus().getConditions());
        conditions.removeIf(c -> NodeReadiness.PROBE_CONDITION.equals(c.getType()));
        conditions.add(condition);
        if (node.getStatus() == null) node.setStatus(new io.fabric8.kubernetes.api.model.NodeStatus());
        node.getStatus().setConditions(conditions);
        client.nodes().resource(node).updateStatus();
        break;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 4) {
          log.warn("could not write {} on node {}: {}", NodeReadiness.PROBE_CONDITION, t.node(), e.getMessage());
          break;
        }
      }
    }
    try {
      client.v1().events().inNamespace("default").resource(new EventBuilder()
          .withNewMetadata().withGenerateName(t.node() + ".").withNamespace("default").endMetadata()
          .withNewInvolvedObject().withApiVersion("v1").withKind("Node").withName(t.node()).withUid(t.node()).endInvolvedObject()
          .withReason(reason).withMessage(message).withType(healthy ? "Normal" : "Warning")
          .withNewSource("edgewave-operator", null).withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
          .build()).create();
    } catch (RuntimeException e) {
      log.debug("event for node {} not written: {}", t.node(), e.getMessage());
    }
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
