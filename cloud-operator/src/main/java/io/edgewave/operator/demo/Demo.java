package io.edgewave.operator.demo;

import io.edgewave.operator.EdgewaveOperator;
import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.EdgeReleaseStatus;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.api.v1alpha1.WaveStatus;
import io.edgewave.operator.rollout.EdgeReleaseReconciler;
import io.edgewave.operator.rollout.Labels;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole core loop on one machine: embedded API server, simulated fleet and kubelets, the real operator, the
 * shipped plans. Prints a line per status change and ends with a one-line JSON summary.
 */
public final class Demo {
  /** Demo settings; see {@code edgewave demo --help}. */
  public record Config(int nodes, int gpuBoxes, double failRate, int kill, Duration duration, double timeScale,
      Path plans, boolean autoApprove, long seed) {}

  static final Set<Phase> TERMINAL = Set.of(Phase.Succeeded, Phase.Halted, Phase.RolledBack, Phase.Invalid);
  static final String NS = "logistics";
  private final Config config;
  private final PrintStream out;

  public Demo(Config config, PrintStream out) {
    this.config = config;
    this.out = out;
  }

  public Map<String, Object> run() throws InterruptedException {
    Instant start = Instant.now();
    try (EmbeddedApiServer api = new EmbeddedApiServer()) {
      KubernetesClient client = api.client();
      api.createNamespace(NS);
      int sites = Math.max(1, (int) Math.ceil(config.nodes() / 4.0));
      List<Node> nodes = SimulatedFleet.nodes(config.nodes(), config.gpuBoxes(), sites);
      SimulatedFleet.create(client, nodes);
      say(start, "embedded API server " + api.url() + ": " + config.nodes() + " transit-center nodes over " + sites
          + " sites and " + config.gpuBoxes() + " GPU boxes");
      try (SimulatedKubelet kubelet = new SimulatedKubelet(client, Clock.systemUTC(), config.seed(), 300, 2500,
          config.failRate()).start()) {
        var operator = EdgewaveOperator.start(client, Clock.systemUTC(), EdgeReleaseReconciler.Settings.DEFAULTS, null, null);
        try {
          List<String> names = new ArrayList<>();
          for (EdgeRelease plan : DemoPlans.load(config.plans())) {
            EdgeRelease er = DemoPlans.compress(plan, config.timeScale());
            er.getMetadata().setNamespace(NS);
            client.resource(er).create();
            names.add(er.getMetadata().getName());
            say(start, "applied " + er.getMetadata().getName() + " (bake times / " + config.timeScale()
                + ", maintenance windows dropped for the demo)");
          }
          List<String> killed = loop(client, kubelet, nodes, names, start);
          return summary(client, names, killed, start);
        } finally {
          operator.stop();
        }
      }
    }
  }

  private List<String> loop(KubernetesClient client, SimulatedKubelet kubelet, List<Node> nodes, List<String> names,
      Instant start) throws InterruptedException {
    Map<String, String> lastLine = new HashMap<>();
    Map<String, Instant> awaiting = new HashMap<>();
    List<String> killed = new ArrayList<>();
    Instant end = config.duration() == null ? null : start.plus(config.duration());
    while (end == null || Instant.now().isBefore(end)) {
      boolean allDone = true;
      for (String name : names) {
        EdgeRelease er = client.resources(EdgeRelease.class).inNamespace(NS).withName(name).get();
        EdgeReleaseStatus s = er == null ? null : er.getStatus();
        if (s == null || s.getPhase() == null) {
          allDone = false;
          continue;
        }
        String line = line(name, s);
        if (!line.equals(lastLine.put(name, line))) say(start, line);
        if (!TERMINAL.contains(s.getPhase())) allDone = false;
        if (s.getPhase() == Phase.AwaitingApproval && config.autoApprove()) approve(client, er, awaiting, start);
        if (killed.isEmpty() && config.kill() > 0 && s.getCurrentWave() != null && s.getCurrentWave() >= 2) {
          killed.addAll(kill(client, kubelet, nodes, start));
        }
      }
      if (allDone && end == null) break;
      Thread.sleep(250);
    }
    return killed;
  }

  /** As ops would with kubectl: approve a waiting wave after a short look. */
  private void approve(KubernetesClient client, EdgeRelease er, Map<String, Instant> awaiting, Instant start) {
    String name = er.getMetadata().getName();
    WaveStatus w = er.getStatus().getWaves().get(er.getStatus().getCurrentWave() - 1);
    String value = w.getName() + "@" + er.getStatus().getRevision();
    Instant since = awaiting.computeIfAbsent(name + "/" + value, k -> Instant.now());
    if (Duration.between(since, Instant.now()).toMillis() < 2000 || value.equals(er.getMetadata().getAnnotations().get(Labels.APPROVE))) {
      return;
    }
    client.resources(EdgeRelease.class).inNamespace(NS).withName(name).edit(e -> {
      e.getMetadata().getAnnotations().put(Labels.APPROVE, value);
      return e;
    });
    say(start, "ops approves " + name + " wave " + w.getName() + " (annotation " + Labels.APPROVE + "=" + value + ")");
  }

  /**
   * Pulls the plug on GPU boxes no wave has reached yet: the kubelet stops and the Node goes NotReady, so the
   * rollout has to route around them. (A box killed after its update would fail its wave, as it should.)
   */
  private List<String> kill(KubernetesClient client, SimulatedKubelet kubelet, List<Node> nodes, Instant start) {
    Set<String> reached = new java.util.HashSet<>();
    for (var d : client.apps().deployments().inNamespace(NS).list().getItems()) {
      reached.add(d.getMetadata().getAnnotations().get(Labels.NODE_NAME));
    }
    List<String> gpu = nodes.stream().map(n -> n.getMetadata().getName())
        .filter(n -> n.startsWith("gpu-") && !reached.contains(n)).sorted().toList();
    List<String> victims = new ArrayList<>(gpu.subList(Math.max(0, gpu.size() - config.kill()), gpu.size()));
    for (String v : victims) {
      kubelet.setDown(v, true);
      SimulatedFleet.setReady(client, v, false);
    }
    say(start, "killed " + victims.size() + " GPU boxes: " + String.join(", ", victims));
    return victims;
  }

  static String line(String name, EdgeReleaseStatus s) {
    var t = s.getTotals();
    return String.format("%-18s %-17s wave %-14s updated %5d/%-5d ready %5d failed %4d offline %4d",
        name, s.getPhase(), s.getCurrentWaveName() == null ? "-" : s.getCurrentWaveName(),
        t == null ? 0 : t.getUpdated(), t == null ? 0 : t.getTargets(), t == null ? 0 : t.getReady(),
        t == null ? 0 : t.getFailed(), t == null ? 0 : t.getOffline());
  }

  private Map<String, Object> summary(KubernetesClient client, List<String> names, List<String> killed, Instant start) {
    List<Map<String, Object>> releases = new ArrayList<>();
    for (String name : names) {
      EdgeReleaseStatus s = client.resources(EdgeRelease.class).inNamespace(NS).withName(name).get().getStatus();
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("name", name);
      r.put("phase", s == null ? null : String.valueOf(s.getPhase()));
      r.put("wavesCompleted", s == null ? 0 : s.getWaves().stream().filter(w -> w.getCompletedAt() != null).count());
      r.put("nodesUpdated", s == null || s.getTotals() == null ? 0 : s.getTotals().getUpdated());
      r.put("nodesFailed", s == null || s.getTotals() == null ? 0 : s.getTotals().getFailed());
      r.put("nodesOffline", s == null || s.getTotals() == null ? 0 : s.getTotals().getOffline());
      releases.add(r);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("releases", releases);
    out.put("nodesKilled", killed.size());
    out.put("wallSeconds", Duration.between(start, Instant.now()).toMillis() / 1000.0);
    return out;
  }

  private void say(Instant start, String text) {
    out.printf("[%7.1fs] %s%n", Duration.between(start, Instant.now()).toMillis() / 1000.0, text);
    out.flush();
  }

  public static String json(Map<String, Object> summary) {
    return Serialization.asJson(summary);
  }
}
