package io.edgewave.operator.demo;

import io.edgewave.operator.fleet.FleetSink;
import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.app.Assembly;
import io.edgewave.operator.config.OperatorConfig;
import io.edgewave.protocol.Durations;
import io.edgewave.operator.api.v1alpha1.EdgeReleaseStatus;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.api.v1alpha1.WaveStatus;
import io.edgewave.operator.fleet.FailureDetector;
import io.edgewave.operator.fleet.NodeReadiness;
import io.edgewave.operator.ingest.HeartbeatSubscriber;
import io.edgewave.operator.plan.TargetNode;
import io.edgewave.operator.plan.WavePlanner;
import io.edgewave.operator.spec.EdgeReleaseValidator;
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
 * The whole product on one machine: embedded API server and MQTT broker, a simulated fleet with kubelets and
 * probes that send real heartbeats, the real operator and failure detector, the shipped plans. Prints a line per
 * status change and ends with a one-line JSON summary.
 */
public final class Demo {
  /**
   * Demo settings; see {@code edgewave demo --help}. {@code imageBytes} null: images are not modelled (a pod
   * starts after a short random delay); else every image the plans bring has this size and pulls share each
   * site's {@code uplinkMbps}, on the time scale of the bakes. {@code compareStaging}: run
   * {@link DemoPlans#COMPARISON} instead, see {@link StagingComparison}.
   */
  public record Config(int nodes, int gpuBoxes, double failRate, int kill, Duration duration, double timeScale,
      Path plans, boolean autoApprove, long seed, Duration heartbeatInterval, int port, boolean linger,
      Long imageBytes, int uplinkMbps, boolean compareStaging) {
    /** 500 MiB: what --compare-staging pulls unless --image-size says otherwise. */
    public static final long COMPARISON_IMAGE_BYTES = 500L * 1024 * 1024;

    /** Without the image model, as before it existed. */
    public Config(int nodes, int gpuBoxes, double failRate, int kill, Duration duration, double timeScale,
        Path plans, boolean autoApprove, long seed, Duration heartbeatInterval, int port, boolean linger) {
      this(nodes, gpuBoxes, failRate, kill, duration, timeScale, plans, autoApprove, seed, heartbeatInterval, port,
          linger, null, 10, false);
    }

    /** 2 s; 5 s above 2,000 nodes, so the embedded broker (about 2,000 heartbeats/s then) keeps up on 2 cores. */
    public Duration interval() {
      if (heartbeatInterval != null) return heartbeatInterval;
      return Duration.ofSeconds(nodes + gpuBoxes > 2000 ? 5 : 2);
    }
  }

  static final Set<Phase> TERMINAL = Set.of(Phase.Succeeded, Phase.Halted, Phase.RolledBack, Phase.Invalid);
  static final String NS = "logistics";
  private final Config config;
  private final PrintStream out;
  private final java.util.concurrent.CompletableFuture<String> dashboard = new java.util.concurrent.CompletableFuture<>();
  private final WaveLines lines;

  public Demo(Config config, PrintStream out) {
    this.config = config;
    this.out = out;
    this.lines = new WaveLines(out, out == System.out && System.console() != null);
  }

  /** The dashboard's URL once it is served. */
  public java.util.concurrent.CompletableFuture<String> dashboard() { return dashboard; }

  public Map<String, Object> run() throws Exception {
    if (config.compareStaging()) return compareStaging();
    Instant start = Instant.now();
    Duration h = config.interval();
    var detector = new FailureDetector.Settings(h, 2, h.dividedBy(5), 0.2, 10);
    try (EmbeddedApiServer api = new EmbeddedApiServer(); EmbeddedBroker broker = new EmbeddedBroker()) {
      KubernetesClient client = api.client();
      api.createNamespace(NS);
      int sites = Math.max(1, (int) Math.ceil(config.nodes() / 4.0));
      List<Node> nodes = SimulatedFleet.withUplink(SimulatedFleet.nodes(config.nodes(), config.gpuBoxes(), sites),
          config.uplinkMbps());
      SimulatedFleet.create(client, nodes);
      say(start, "embedded API server " + api.url() + ": " + config.nodes() + " transit-center nodes over " + sites
          + " sites and " + config.gpuBoxes() + " GPU boxes");
      List<String> names = nodes.stream().map(n -> n.getMetadata().getName()).toList();
      Set<String> gpu = names.stream().filter(n -> n.startsWith("gpu-")).collect(java.util.stream.Collectors.toSet());
      // the product as 'edgewave run' starts it; the demo adds only its simulated world and a sink that prints
      OperatorConfig product = OperatorConfig.parse(Map.of("leader-election", "false", "mqtt-broker", broker.url(),
          "heartbeat-interval", Durations.format(h), "port", String.valueOf(config.port()),
          "site-label", SimulatedFleet.SITE_LABEL), Map.of("POD_NAME", "demo"));
      var wiring = Assembly.Wiring.on(client, Clock.systemUTC())
          .heartbeats(new HeartbeatSubscriber.Settings(broker.url(), "edgewave-operator-demo", null, null,
              Duration.ofMillis(250), Duration.ofMillis(200), Duration.ofSeconds(2), detector))
          .alsoTelling(new FleetSink() {
            @Override public void transitions(List<FailureDetector.Transition> t) { transitions.addAll(t); }
          });
      try (SimulatedKubelet kubelet = images(new SimulatedKubelet(client, Clock.systemUTC(), config.seed(), 300, 2500,
               config.failRate())).start();
           SimulatedProbes probes = new SimulatedProbes(broker.url(), names, gpu, h, Clock.systemUTC(), config.seed())) {
        say(start, "embedded MQTT broker " + broker.url() + ": " + names.size() + " simulated probes beat every "
            + h.toSeconds() + "s; a silent box is lost after " + detector.tolerance(h).toMillis() / 1000.0 + "s");
        Assembly operator = Assembly.start(product, wiring);
        String url = "http://localhost:" + operator.port() + "/";
        say(start, "dashboard on " + url + " (metrics on " + url + "metrics)");
        dashboard.complete(url);
        try {
          List<EdgeRelease> applied = new ArrayList<>();
          for (EdgeRelease plan : DemoPlans.load(config.plans())) {
            EdgeRelease er = DemoPlans.compress(plan, config.timeScale(), nodes.size());
            er.getMetadata().setNamespace(NS);
            client.resource(er).create();
            applied.add(er);
            say(start, "applied " + er.getMetadata().getName() + " (bake times / " + config.timeScale()
                + ", maintenance windows dropped for the demo)");
          }
          Killer killer = new Killer(client, kubelet, probes, nodes, applied, start);
          loop(client, killer, applied.stream().map(e -> e.getMetadata().getName()).toList(), start,
              detector.tolerance(h));
          var summary = summary(client, applied.stream().map(e -> e.getMetadata().getName()).toList(), killer, start);
          if (config.imageBytes() != null) {
            summary.put("peakPullsPerSite", kubelet.peakPullsPerSite().values().stream().mapToInt(i -> i).max().orElse(0));
          }
          if (config.linger() && config.duration() == null) {
            out.println(json(summary));
            say(start, "done; the dashboard stays up on " + url + " until Ctrl-C");
            Thread.sleep(Long.MAX_VALUE);
          }
          return summary;
        } finally {
          operator.close();
        }
      }
    }
  }

  private SimulatedKubelet images(SimulatedKubelet kubelet) {
    if (config.imageBytes() == null) return kubelet;
    return kubelet.withImages(ImageModel.of(config.timeScale(), config.imageBytes(), Set.of(), config.uplinkMbps()));
  }

  /** The same release without staging and with it, each in a world of its own; per-node downtime of each. */
  private Map<String, Object> compareStaging() throws Exception {
    Instant start = Instant.now();
    long bytes = config.imageBytes() == null ? Config.COMPARISON_IMAGE_BYTES : config.imageBytes();
    int sites = Math.max(1, (int) Math.ceil(config.nodes() / 4.0));
    say(start, "staging compared: " + config.nodes() + " transit-center nodes over " + sites + " sites of "
        + config.uplinkMbps() + " Mbit/s, a " + bytes / (1024 * 1024) + " MiB image; pulls, bakes and deadlines run "
        + config.timeScale() + " times faster than real; downtimes in simulated seconds");
    var comparison = new StagingComparison(new StagingComparison.Config(config.nodes(), sites, bytes,
        config.uplinkMbps(), config.timeScale(), config.seed(), Duration.ofMinutes(30)), out);
    List<StagingComparison.Result> results = comparison.run(DemoPlans.comparison(config.plans()));
    if (results.size() == 2 && results.get(1).downtime().p50() >= results.get(0).downtime().p50() / 2) {
      say(start, "staging made little difference: an operator without strategy.staging (issue 15) rolls both "
          + "plans out the same way");
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("comparison", results.stream().map(StagingComparison.Result::json).toList());
    summary.put("imageBytes", bytes);
    summary.put("uplinkMbps", config.uplinkMbps());
    summary.put("timeScale", config.timeScale());
    summary.put("wallSeconds", Duration.between(start, Instant.now()).toMillis() / 1000.0);
    return summary;
  }

  private final List<FailureDetector.Transition> transitions = new java.util.concurrent.CopyOnWriteArrayList<>();

  private void loop(KubernetesClient client, Killer killer, List<String> names, Instant start, Duration tolerance)
      throws InterruptedException {
    Map<String, Instant> awaiting = new HashMap<>();
    Set<String> reported = new java.util.HashSet<>();
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
        lines.update(name, s, Duration.between(start, Instant.now()));
        if (!TERMINAL.contains(s.getPhase())) allDone = false;
        if (s.getPhase() == Phase.AwaitingApproval && config.autoApprove()) approve(client, er, awaiting, start);
        // mid-rollout, after a canary: the boxes killed belong to the last waves, several waves and bakes away;
        // and boxes the operator watches (it has heard them): one dead before its first heartbeat is a box without
        // a probe, which no detector can call lost
        if (!killer.done() && config.kill() > 0 && (s.getPhase() == Phase.Baking
            || (s.getCurrentWave() != null && s.getCurrentWave() >= 2)) && killer.watched(config.kill())) {
          killer.kill(config.kill());
        }
      }
      for (FailureDetector.Transition t : transitions) {
        if (t.to() == FailureDetector.State.LOST && killer.killedAt(t.node()) != null && reported.add(t.node())) {
          say(start, "LOST " + t.node() + " " + Duration.between(killer.killedAt(t.node()), t.at()).toMillis() / 1000.0
              + "s after it was killed; Node condition EdgeProbeHealthy=False written");
        }
      }
      boolean detectedAll = killer.victims().stream().allMatch(reported::contains)
          || (killer.done() && Instant.now().isAfter(killer.at().plus(tolerance.multipliedBy(4))));
      lines.redraw();
      if (allDone && detectedAll && end == null) break;
      Thread.sleep(250);
    }
  }

  /** Pulls the plug on GPU boxes of the camera release's last wave: silent probe, dead kubelet. */
  private final class Killer {
    private final KubernetesClient client;
    private final SimulatedKubelet kubelet;
    private final SimulatedProbes probes;
    private final List<Node> nodes;
    private final List<EdgeRelease> releases;
    private final Instant start;
    private final Map<String, Instant> killed = new java.util.LinkedHashMap<>();
    private Instant at;

    Killer(KubernetesClient client, SimulatedKubelet kubelet, SimulatedProbes probes, List<Node> nodes,
        List<EdgeRelease> releases, Instant start) {
      this.client = client;
      this.kubelet = kubelet;
      this.probes = probes;
      this.nodes = nodes;
      this.releases = releases;
      this.start = start;
    }

    boolean done() { return at != null; }

    Instant at() { return at; }

    List<String> victims() { return List.copyOf(killed.keySet()); }

    Instant killedAt(String node) { return killed.get(node); }

    /** Whether the operator has heard every box {@link #kill} would pick: their Nodes say the probe is healthy. */
    boolean watched(int count) {
      for (String v : candidates(count)) {
        Node n = client.nodes().withName(v).get();
        if (n == null || n.getStatus() == null || n.getStatus().getConditions() == null || n.getStatus().getConditions()
            .stream().noneMatch(c -> NodeReadiness.PROBE_CONDITION.equals(c.getType()) && "True".equals(c.getStatus()))) {
          return false;
        }
      }
      return true;
    }

    void kill(int count) {
      at = Instant.now();
      List<String> candidates = candidates(count);
      for (String v : candidates) {
        probes.kill(v);
        kubelet.setDown(v, true);
        killed.put(v, Instant.now());
      }
      say(start, "killed " + candidates.size() + " GPU boxes (power cut: no heartbeat, no kubelet): "
          + String.join(", ", candidates));
    }

    /** Victims come from the last waves of the GPU release (the planner is pure, so the demo can ask it too). */
    private List<String> candidates(int count) {
      if (chosen == null) chosen = choose(count);
      return chosen;
    }

    private List<String> chosen;

    private List<String> choose(int count) {
      List<String> candidates = new ArrayList<>();
      for (EdgeRelease er : releases) {
        var v = EdgeReleaseValidator.validate(er.getSpec());
        if (!v.valid()) continue;
        var plan = WavePlanner.plan(v.policy(), nodes.stream().map(n -> new TargetNode(n.getMetadata().getName(),
            n.getMetadata().getLabels())).toList(), NS + "/" + er.getMetadata().getName());
        if (plan.targets().stream().noneMatch(t -> t.name().startsWith("gpu-"))) continue;
        for (int w = plan.waves().size() - 1; w > 0 && candidates.size() < count; w--) {
          List<String> members = new ArrayList<>(plan.waves().get(w).nodes());
          java.util.Collections.reverse(members);
          for (String m : members) if (candidates.size() < count) candidates.add(m);
        }
      }
      return candidates;
    }
  }

  /** As ops would with kubectl: approve a waiting wave after a short look. */
  private void approve(KubernetesClient client, EdgeRelease er, Map<String, Instant> awaiting, Instant start) {
    String name = er.getMetadata().getName();
    WaveStatus w = er.getStatus().getWaves().get(er.getStatus().getCurrentWave() - 1);
    String value = w.getName() + "@" + er.getStatus().getRollout();
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

  private Map<String, Object> summary(KubernetesClient client, List<String> names, Killer killer, Instant start) {
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
    List<Double> latencies = new ArrayList<>();
    for (String v : killer.victims()) {
      transitions.stream().filter(t -> t.node().equals(v) && t.to() == FailureDetector.State.LOST).findFirst()
          .ifPresent(t -> latencies.add(Duration.between(killer.killedAt(v), t.at()).toMillis() / 1000.0));
    }
    java.util.Collections.sort(latencies);
    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("p50", latencies.isEmpty() ? null : latencies.get((latencies.size() - 1) / 2));
    latency.put("max", latencies.isEmpty() ? null : latencies.get(latencies.size() - 1));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("releases", releases);
    out.put("nodesKilled", killer.victims().size());
    out.put("lostDetected", latencies.size());
    out.put("detectionLatencySeconds", latency);
    out.put("heartbeatIntervalSeconds", config.interval().toMillis() / 1000.0);
    out.put("wallSeconds", Duration.between(start, Instant.now()).toMillis() / 1000.0);
    out.put("process", ProcessUse.measure());
    return out;
  }

  private void say(Instant start, String text) {
    lines.clear();
    out.printf("[%7.1fs] %s%n", Duration.between(start, Instant.now()).toMillis() / 1000.0, text);
    out.flush();
  }

  public static String json(Map<String, Object> summary) {
    return Serialization.asJson(summary);
  }
}
