package io.edgewave.operator.demo;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.EdgeReleaseSpec;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.api.v1alpha1.Strategy;
import io.edgewave.operator.app.Assembly;
import io.edgewave.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One rollout of a big image without staging and one with, each in a world of its own (embedded API server,
 * simulated fleet whose nodes all run the previous image, simulated kubelets that model images and site uplinks,
 * the real operator), so neither borrows the other's pulled images or bandwidth. Measures what issue 15 is about:
 * each node's downtime (old pod gone to new pod Ready, simulated seconds), the rollout's wall time, and the most
 * pulls that ran at once at a site, which with staging must stay within the plan's
 * {@code strategy.staging.maxPullsPerSite}.
 *
 * <p>Each world first brings every node to the previous revision (one wave, no staging: its image is already on
 * every node), then applies the plan as written but for the demo's compressions ({@link DemoPlans#compress}).
 * Bake times and deadlines are divided by the time scale, the same factor that speeds up pulls, so the whole world
 * runs at one speed. No probes and no broker: heartbeats are not what this compares.
 */
public final class StagingComparison {
  static final String NS = "logistics";

  /**
   * @param imageBytes the size of every image the plans bring (the previous one is on every node already)
   * @param timeScale simulated seconds per real second, for pulls, bakes and deadlines alike
   */
  public record Config(int centers, int sites, long imageBytes, int uplinkMbps, double timeScale, long seed,
      Duration timeout) {}

  /**
   * One plan's rollout. {@code budget} is the plan's maxPullsPerSite, null when it does not stage;
   * {@code stillDown} the nodes whose old pod is gone and whose new pod is not Ready when the rollout ended (a
   * halt on an image that cannot be pulled leaves them so).
   */
  public record Result(String release, String phase, int nodes, Downtimes.Summary downtime, double wallSeconds,
      double simulatedWallSeconds, int peakPullsPerSite, Integer budget, int stillDown, long measured,
      double measuredMean) {
    /**
     * @param measured updates the operator itself measured (edgewave_node_switch_seconds), {@code measuredMean} their
     *     mean downtime in simulated seconds: the operator's view next to the simulator's
     */
    public Result {}

    public Result(String release, String phase, int nodes, Downtimes.Summary downtime, double wallSeconds,
        double simulatedWallSeconds, int peakPullsPerSite, Integer budget, int stillDown) {
      this(release, phase, nodes, downtime, wallSeconds, simulatedWallSeconds, peakPullsPerSite, budget, stillDown, 0, 0);
    }

    /** True when the plan stages and some site ran more pulls at once than its budget. */
    public boolean overBudget() {
      return budget != null && peakPullsPerSite > budget;
    }

    public Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("release", release);
      m.put("phase", phase);
      m.put("nodes", nodes);
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("p50", downtime.p50());
      d.put("p99", downtime.p99());
      d.put("max", downtime.max());
      d.put("samples", downtime.count());
      m.put("downtimeSeconds", d);
      m.put("wallSeconds", wallSeconds);
      m.put("simulatedWallSeconds", simulatedWallSeconds);
      m.put("peakPullsPerSite", peakPullsPerSite);
      m.put("maxPullsPerSite", budget);
      m.put("stillDown", stillDown);
      m.put("operatorMeasured", Map.of("updates", measured, "meanSeconds", measuredMean));
      return m;
    }
  }

  private final Config config;
  private final PrintStream out;

  public StagingComparison(Config config, PrintStream out) {
    this.config = config;
    this.out = out;
  }

  /** Each plan in its own world, one after the other; the plans' texts as in rollout-plans/. */
  public List<Result> run(List<String> plans) throws Exception {
    List<Result> results = new ArrayList<>();
    for (String plan : plans) results.add(runOne(plan));
    return results;
  }

  /** The plan's strategy.staging.maxPullsPerSite (2 when it stages without saying), null when it does not stage. */
  @SuppressWarnings("unchecked")
  static Integer budget(String planYaml) {
    Map<String, Object> doc = Serialization.unmarshal(planYaml, Map.class);
    Object node = doc;
    for (String key : List.of("spec", "strategy", "staging")) {
      node = node instanceof Map<?, ?> m ? m.get(key) : null;
    }
    if (!(node instanceof Map<?, ?> staging)) return null;
    Object max = staging.get("maxPullsPerSite");
    return max == null ? 2 : Integer.valueOf(max.toString());
  }

  /** The tag an image had before the plan: what every node runs, and has, when the world starts. */
  static String previous(String image) {
    int colon = image.lastIndexOf(':');
    String repository = colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
    return repository + ":previous";
  }

  private Result runOne(String planYaml) throws Exception {
    EdgeRelease plan = Serialization.unmarshal(planYaml, EdgeRelease.class);
    Integer budget = budget(planYaml);
    String name = plan.getMetadata().getName();
    List<Container> containers = plan.getSpec().getWorkload().getTemplate().getSpec().getContainers();
    Set<String> before = new LinkedHashSet<>();
    for (Container c : containers) before.add(previous(c.getImage()));
    try (EmbeddedApiServer api = new EmbeddedApiServer()) {
      KubernetesClient client = api.client();
      api.createNamespace(NS);
      List<Node> nodes = SimulatedFleet.withUplink(SimulatedFleet.nodes(config.centers(), 0, config.sites()),
          config.uplinkMbps());
      SimulatedFleet.create(client, nodes);
      // 50-150 ms to start a container whose image is there: 6-18 simulated seconds at scale 120
      try (SimulatedKubelet kubelet = new SimulatedKubelet(client, Clock.systemUTC(), config.seed(), 50, 150, 0)
          .withImages(ImageModel.of(config.timeScale(), config.imageBytes(), before, config.uplinkMbps())).start()) {
        Assembly operator = Assembly.start(OperatorConfig.parse(Map.of("leader-election", "false", "port", "0",
            "site-label", SimulatedFleet.SITE_LABEL), Map.of("POD_NAME", "staging-comparison")),
            Assembly.Wiring.on(client, Clock.systemUTC()));
        try {
          EdgeRelease er = DemoPlans.compress(plan, config.timeScale(), nodes.size());
          er.getMetadata().setNamespace(NS);
          EdgeReleaseSpec target = er.getSpec();
          client.resource(previousRevision(er)).create();
          String previous = await(client, name, null, "every node on the previous image").getStatus().getRevision();
          say(name + ": every node runs " + String.join(", ", before) + "; applying the plan ("
              + (budget == null ? "no staging" : "staging, at most " + budget + " pulls per site") + ")");
          var measuredBefore = operator.metrics().switchTotals(NS, name, budget != null); // the world before's
          Instant start = Instant.now();
          client.resources(EdgeRelease.class).inNamespace(NS).withName(name).edit(e -> {
            e.setSpec(target);
            return e;
          });
          EdgeRelease done = await(client, name, previous, "the plan's rollout");
          double wall = Duration.between(start, Instant.now()).toMillis() / 1000.0;
          String revision = done.getStatus().getRevision();
          Downtimes.Summary downtime = Downtimes.Summary.of(kubelet.downtimes().of(name, revision));
          int peak = kubelet.peakPullsPerSite().values().stream().mapToInt(Integer::intValue).max().orElse(0);
          var measuredAfter = operator.metrics().switchTotals(NS, name, budget != null);
          long measured = measuredAfter.count() - measuredBefore.count();
          double measuredMean = measured == 0 ? 0
              : (measuredAfter.seconds() - measuredBefore.seconds()) / measured * config.timeScale();
          Result r = new Result(name, String.valueOf(done.getStatus().getPhase()), config.centers(), downtime, wall,
              wall * config.timeScale(), peak, budget, kubelet.downtimes().open(), measured, measuredMean);
          say(line(r));
          return r;
        } finally {
          operator.close();
        }
      }
    }
  }

  /** The release on the previous images, in one wave with no bake and no staging: the world before the plan. */
  private static EdgeRelease previousRevision(EdgeRelease er) {
    EdgeRelease copy = Serialization.clone(er);
    for (Container c : copy.getSpec().getWorkload().getTemplate().getSpec().getContainers()) {
      c.setImage(previous(c.getImage()));
    }
    Strategy one = Serialization.unmarshal("waves: [{name: all}]", Strategy.class);
    one.setProgressDeadline(er.getSpec().getStrategy().getProgressDeadline());
    copy.getSpec().setStrategy(one);
    return copy;
  }

  /** Waits for the release to end a rollout of a revision other than {@code notRevision} (any, when null). */
  private EdgeRelease await(KubernetesClient client, String name, String notRevision, String what)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(config.timeout());
    while (true) {
      EdgeRelease er = client.resources(EdgeRelease.class).inNamespace(NS).withName(name).get();
      Phase phase = er == null || er.getStatus() == null ? null : er.getStatus().getPhase();
      if (phase != null && Demo.TERMINAL.contains(phase) && er.getStatus().getRevision() != null
          && !er.getStatus().getRevision().equals(notRevision)) {
        return er;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(name + ": " + what + " did not finish within " + config.timeout()
            + " (phase " + phase + ")");
      }
      Thread.sleep(200);
    }
  }

  /** One line per plan: downtime p50, p99, max; wall time; the peak against the budget. */
  public static String line(Result r) {
    return String.format("%s: %s, %d nodes, downtime p50 %.0f s, p99 %.0f s, max %.0f s (simulated, %d samples); "
            + "wall %.1f s (%.0f min simulated); peak pulls per site %d%s", r.release(), r.phase(), r.nodes(),
        r.downtime().p50(), r.downtime().p99(), r.downtime().max(), r.downtime().count(), r.wallSeconds(),
        r.simulatedWallSeconds() / 60, r.peakPullsPerSite(),
        r.budget() == null ? " (no staging)" : " (budget " + r.budget() + (r.overBudget()
            ? "; OVER: this operator build does not stage yet, or stages past its budget)" : ")"))
        + (r.stillDown() > 0 ? "; " + r.stillDown() + " nodes left without their service" : "")
        + (r.measured() > 0 ? String.format("; the operator measured %d updates, mean %.0f s", r.measured(),
            r.measuredMean()) : "");
  }

  private void say(String text) {
    out.println(text);
    out.flush();
  }
}
