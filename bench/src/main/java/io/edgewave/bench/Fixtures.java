package io.edgewave.bench;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.EdgeReleaseStatus;
import io.edgewave.operator.demo.SimulatedFleet;
import io.edgewave.operator.plan.ReleasePolicy;
import io.edgewave.operator.plan.TargetNode;
import io.edgewave.operator.plan.WavePlan;
import io.edgewave.operator.plan.WavePlanner;
import io.edgewave.operator.rollout.EdgeReleaseStatusAggregator;
import io.edgewave.operator.spec.EdgeReleaseValidator;
import io.edgewave.operator.rollout.Labels;
import io.edgewave.operator.rollout.NodeAction;
import io.edgewave.operator.kube.NodeDeployments;
import io.edgewave.operator.rollout.NodeView;
import io.edgewave.operator.rollout.RolloutDecider;
import io.edgewave.operator.rollout.RolloutDecision;
import io.edgewave.operator.rollout.RolloutInput;
import io.edgewave.operator.spec.WorkloadRevision;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A fleet of N transit-center nodes (4 per site) and the shipped scan-upload plan (windows dropped, every wave
 * approved), driven by the real pure decider to the middle of its third wave: half of that wave dispatched,
 * pods of earlier waves Ready. Everything the benchmarks feed the pure core comes from here.
 */
public final class Fixtures {
  public static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  /** One mid-rollout moment of a release over N nodes, as records and as the Kubernetes objects behind them. */
  public record MidRollout(EdgeRelease release, ReleasePolicy policy, String revision, List<Node> nodes,
      List<TargetNode> targets, WavePlan plan, Map<String, NodeView> views, EdgeReleaseStatus status,
      List<Deployment> deployments, List<Pod> pods, Instant now, Set<String> approved) {
    public RolloutInput input() {
      Map<String, NodeView> byTarget = new HashMap<>(plan.size() * 2);
      for (TargetNode t : plan.targets()) byTarget.put(t.name(), views.get(t.name()));
      return new RolloutInput(now, revision, policy, plan, byTarget, EdgeReleaseStatusAggregator.progressOf(status),
          approved, 200, Map.of());
    }
  }

  private Fixtures() {}

  public static EdgeRelease scanUpload() {
    try (InputStream in = Fixtures.class.getResourceAsStream("/rollout-plans/scan-upload.yaml")) {
      EdgeRelease er = Serialization.unmarshal(new String(in.readAllBytes(), StandardCharsets.UTF_8), EdgeRelease.class);
      er.getSpec().setSchedule(null); // windows would make the moment depend on the time of day
      er.getMetadata().setUid("bench-uid");
      return er;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static MidRollout midRollout(int n) {
    EdgeRelease er = scanUpload();
    var v = EdgeReleaseValidator.validate(er.getSpec());
    if (!v.valid()) throw new IllegalStateException(v.message());
    List<Node> nodes = SimulatedFleet.nodes(n, 0, Math.max(1, n / 4));
    List<TargetNode> targets = new ArrayList<>(n);
    for (Node node : nodes) targets.add(new TargetNode(node.getMetadata().getName(), node.getMetadata().getLabels()));
    String key = er.getMetadata().getNamespace() + "/" + er.getMetadata().getName();
    WavePlan plan = WavePlanner.plan(v.policy(), targets, key);
    String revision = WorkloadRevision.of(er.getSpec().getWorkload().getTemplate());
    Set<String> approved = new java.util.HashSet<>();
    plan.waves().forEach(w -> approved.add(w.name()));
    Map<String, NodeView> views = new HashMap<>();
    for (TargetNode t : targets) views.put(t.name(), NodeView.fresh(t.name(), t.labels(), true));
    Map<String, String> waveOf = new HashMap<>();
    EdgeReleaseStatus status = null;
    Instant now = T0;
    for (int step = 0; step < 10_000; step++) {
      Map<String, NodeView> byTarget = new HashMap<>();
      for (TargetNode t : plan.targets()) byTarget.put(t.name(), views.get(t.name()));
      RolloutDecision d = RolloutDecider.decide(new RolloutInput(now, revision, v.policy(), plan, byTarget,
          EdgeReleaseStatusAggregator.progressOf(status), approved, 1_000_000, Map.of()));
      status = EdgeReleaseStatusAggregator.aggregate(d, status, 1, now, null);
      List<NodeAction.Dispatch> dispatches = new ArrayList<>();
      for (NodeAction a : d.actions()) if (a instanceof NodeAction.Dispatch x) dispatches.add(x);
      if (d.currentWave() == 2 && !dispatches.isEmpty()) {
        // the third wave starts: half of it dispatched and pending, the rest not yet started
        for (int i = 0; i < dispatches.size() / 2; i++) {
          NodeAction.Dispatch x = dispatches.get(i);
          NodeView old = views.get(x.node());
          views.put(x.node(), new NodeView(x.node(), old.labels(), true, revision, NodeView.PodState.PENDING, null, now,
              x.fromRevision()));
          waveOf.put(x.node(), x.wave());
        }
        return new MidRollout(er, v.policy(), revision, nodes, targets, plan, views, status,
            deployments(er, views, waveOf), pods(er, views), now, approved);
      }
      for (NodeAction.Dispatch x : dispatches) {
        NodeView old = views.get(x.node());
        // Ready and recorded so (edgewave.io/ready-at), as the operator's MarkReady write leaves it
        views.put(x.node(), new NodeView(x.node(), old.labels(), true, revision, NodeView.PodState.READY, null, now,
            x.fromRevision()).withReadyAt(now));
        waveOf.put(x.node(), x.wave());
      }
      now = now.plus(dispatches.isEmpty() ? Duration.ofMinutes(5) : Duration.ofSeconds(5));
    }
    throw new IllegalStateException("the rollout never reached its third wave");
  }

  static List<Deployment> deployments(EdgeRelease er, Map<String, NodeView> views, Map<String, String> waveOf) {
    List<Deployment> out = new ArrayList<>();
    for (NodeView v : views.values()) {
      if (v.revision() == null) continue;
      out.add(NodeDeployments.desired(er, v.name(), v.revision(), er.getSpec().getWorkload().getTemplate(),
          v.previousRevision(), waveOf.get(v.name()), v.dispatchedAt()));
    }
    return out;
  }

  static List<Pod> pods(EdgeRelease er, Map<String, NodeView> views) {
    List<Pod> out = new ArrayList<>();
    for (NodeView v : views.values()) {
      if (v.revision() == null) continue;
      Map<String, String> labels = Map.of(Labels.MANAGED_BY, Labels.MANAGER, Labels.RELEASE, er.getMetadata().getName(),
          Labels.NODE, Labels.nodeValue(v.name()), Labels.REVISION, v.revision(), "app", "scan-upload");
      out.add(new PodBuilder().withNewMetadata().withName(Labels.deploymentName(er.getMetadata().getName(), v.name())
          + "-7d9c6b5f4-x2x2x").withNamespace(er.getMetadata().getNamespace()).withLabels(labels).endMetadata()
          .withNewSpec().withNodeName(v.name()).addNewContainer().withName("app")
          .withImage("registry.example.com/logistics/scan-upload:2.4.1").endContainer().endSpec()
          .withNewStatus().withPhase("Running").addNewCondition().withType("Ready")
          .withStatus(v.pod() == NodeView.PodState.READY ? "True" : "False").endCondition().endStatus().build());
    }
    return out;
  }
}
