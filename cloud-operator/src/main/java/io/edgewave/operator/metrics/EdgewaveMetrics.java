package io.edgewave.operator.metrics;

import io.edgewave.operator.api.v1alpha1.EdgeReleaseStatus;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.api.v1alpha1.WaveStatus;
import io.edgewave.operator.fleet.FailureDetector;
import io.edgewave.operator.fleet.FleetSink;
import io.edgewave.operator.fleet.SiteDetector;
import io.edgewave.protocol.HeartbeatCodec;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Every metric the operator exports, on its own registry. Labels are bounded: reasons and states are enums,
 * releases and waves are bounded by the EdgeReleases that exist, sites by the sites unreachable now, and the only
 * per-node series, {@code edgewave_node_lost}, exists just while that node is lost (and not paged with its site).
 */
public final class EdgewaveMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter received = Counter.builder().name("edgewave_heartbeats_received_total")
      .help("Heartbeats decoded and accepted").register(registry);
  private final Counter rejected = Counter.builder().name("edgewave_heartbeats_rejected_total")
      .help("Heartbeat and status messages dropped, by reason").labelNames("reason").register(registry);
  /**
   * The reject reason for a message our own code threw on: a bug in the operator, not bad input, so it is kept apart
   * from the codec's reasons and never blamed on the sender.
   */
  public static final String INTERNAL_ERROR = "INTERNAL_ERROR";
  private final Gauge fleet = Gauge.builder().name("edgewave_fleet_nodes")
      .help("Nodes known to the failure detector, by state").labelNames("state").register(registry);
  private final Gauge lost = Gauge.builder().name("edgewave_node_lost")
      .help("1 for each node currently lost; the series is removed when the node is back").labelNames("node")
      .register(registry);
  private final Counter transitions = Counter.builder().name("edgewave_node_transitions_total")
      .help("Node state transitions, by the state entered").labelNames("state").register(registry);
  private final Histogram detection = Histogram.builder().name("edgewave_detection_latency_seconds")
      .help("Silence from a node's last heartbeat to its Lost verdict")
      .classicUpperBounds(1, 2, 5, 10, 15, 20, 25, 30, 32, 34, 36, 40, 45, 60, 90, 120).register(registry);
  private final Gauge degraded = Gauge.builder().name("edgewave_heartbeat_ingest_degraded")
      .help("1 while heartbeat ingest is degraded (broker connection down or mass silence) and no node is declared lost")
      .register(registry);
  private final Gauge phase = Gauge.builder().name("edgewave_release_phase")
      .help("1 for the phase each release is in").labelNames("namespace", "release", "phase").register(registry);
  private final Gauge waveNodes = Gauge.builder().name("edgewave_release_wave_nodes")
      .help("Nodes per release and wave, by state (targets, updated, ready, failed, offline)")
      .labelNames("namespace", "release", "wave", "state").register(registry);
  private final Gauge currentWave = Gauge.builder().name("edgewave_release_current_wave")
      .help("1-based index of the wave a release is rolling out").labelNames("namespace", "release").register(registry);

  private final Histogram switchSeconds = Histogram.builder().name("edgewave_node_switch_seconds")
      .help("Per-node downtime of an update: from the node's Deployment switched (Recreate stops the old pod) to its "
          + "new pod Ready; staged=true when its images were pulled ahead (spec.strategy.staging)")
      .labelNames("namespace", "release", "staged")
      .classicUpperBounds(1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600, 900, 1200, 1800, 3600)
      .register(registry);
  private final Gauge siteUnreachable = Gauge.builder().name("edgewave_site_unreachable")
      .help("Nodes silent together at each unreachable site; the series is removed when the site is back")
      .labelNames("site").register(registry);

  private final Counter reconciles = Counter.builder().name("edgewave_reconciles_total")
      .help("EdgeRelease reconciles that reached the status step (any outcome)").register(registry);

  private final Counter notifications = Counter.builder().name("edgewave_release_notifications_total")
      .help("Release notification messages, by outcome (sent, failed after retries, misconfigured destination) and "
          + "webhook format").labelNames("outcome", "format").register(registry);
  private final Counter noticeEvents = Counter.builder().name("edgewave_release_notification_events_total")
      .help("Release events delivered to a destination (one message carries several)").register(registry);

  public EdgewaveMetrics() {
    for (HeartbeatCodec.Reason r : HeartbeatCodec.Reason.values()) rejected.initLabelValues(r.name());
    rejected.initLabelValues(INTERNAL_ERROR);
    for (FailureDetector.State s : FailureDetector.State.values()) {
      fleet.initLabelValues(label(s));
      transitions.initLabelValues(label(s));
    }
    degraded.set(0);
  }

  public PrometheusRegistry registry() { return registry; }

  public void heartbeatReceived() { received.inc(); }

  public void heartbeatRejected(HeartbeatCodec.Reason reason) { rejected.labelValues(reason.name()).inc(); }

  /** A message dropped because decoding or handling it threw: counted under {@link #INTERNAL_ERROR}. */
  public void heartbeatInternalError() { rejected.labelValues(INTERNAL_ERROR).inc(); }

  public void fleet(Map<FailureDetector.State, Integer> counts) {
    counts.forEach((s, n) -> fleet.labelValues(label(s)).set(n));
  }

  public void transition(FailureDetector.Transition t) {
    transitions.labelValues(label(t.to())).inc();
    if (t.to() == FailureDetector.State.LOST) detection.observe(t.silence().toMillis() / 1000.0);
    if (!pagedBySink) lost(t);
  }

  private void lost(FailureDetector.Transition t) {
    if (t.to() == FailureDetector.State.LOST) lost.labelValues(t.node()).set(1);
    else lost.remove(t.node());
  }

  /** Set once {@link #siteSink} is in use: then the per-node lost series follow what that sink hears. */
  private volatile boolean pagedBySink;

  /**
   * Site incidents: a series per unreachable site; its nodes' own {@code edgewave_node_lost} series go, since they
   * page with their site ({@code EdgeSiteUnreachable}, not one {@code EdgeNodeLost} per box).
   */
  public void sites(List<SiteDetector.SiteTransition> sites) {
    for (SiteDetector.SiteTransition s : sites) {
      if (s.change() == SiteDetector.Change.UNREACHABLE) {
        siteUnreachable.labelValues(s.site()).set(s.nodes().size());
        s.nodes().forEach(lost::remove);
      } else {
        siteUnreachable.remove(s.site());
      }
    }
  }

  /**
   * These metrics as a sink of the paging series (node lost, site unreachable), for the fan-out that has the site
   * detector in front; from then on {@link #transition} no longer sets the lost series itself.
   */
  public FleetSink siteSink() {
    pagedBySink = true;
    return new FleetSink() {
      // what pages (edgewave_node_lost, edgewave_site_unreachable) follows the sinks behind the leadership gate: a
      // standby exports none of it, so Prometheus pages each box once and never a site's boxes one by one
      @Override public void transitions(List<FailureDetector.Transition> transitions) {
        transitions.forEach(EdgewaveMetrics.this::lost);
      }

      @Override public void sites(List<SiteDetector.SiteTransition> sites) { EdgewaveMetrics.this.sites(sites); }

      // a new leader (or a restarted operator) pages what the Nodes say is lost, as the old one did; a site's nodes
      // come with their adopted site
      @Override public void takeover(io.edgewave.operator.fleet.Takeover recorded) {
        recorded.nodes().forEach((node, r) -> {
          if ("False".equals(r.status()) && io.edgewave.operator.fleet.NodeConditionPlanner.LOST.equals(r.reason())) {
            lost.labelValues(node).set(1);
          }
        });
      }

      // a node heard again clears its series even when no transition said so (a new detector's first heartbeat)
      @Override public void converge(java.util.Map<String, FailureDetector.Verdict> verdicts, Feedback feedback) {
        verdicts.forEach((node, v) -> { if (v.state() == FailureDetector.State.ONLINE && v.heard()) lost.remove(node); });
      }
    };
  }

  public void ingestDegraded(boolean on) { degraded.set(on ? 1 : 0); }

  /** Replaces a release's series with those of its new status. */
  public void release(String namespace, String name, EdgeReleaseStatus s) {
    phase.removeIf(l -> l.get(0).equals(namespace) && l.get(1).equals(name));
    waveNodes.removeIf(l -> l.get(0).equals(namespace) && l.get(1).equals(name));
    currentWave.removeIf(l -> l.get(0).equals(namespace) && l.get(1).equals(name));
    if (s == null || s.getPhase() == null) return;
    for (Phase p : Phase.values()) phase.labelValues(namespace, name, p.name()).set(p == s.getPhase() ? 1 : 0);
    if (s.getCurrentWave() != null) currentWave.labelValues(namespace, name).set(s.getCurrentWave());
    for (WaveStatus w : s.getWaves() == null ? List.<WaveStatus>of() : s.getWaves()) {
      waveNodes.labelValues(namespace, name, w.getName(), "targets").set(w.getTargets());
      waveNodes.labelValues(namespace, name, w.getName(), "updated").set(w.getUpdated());
      waveNodes.labelValues(namespace, name, w.getName(), "ready").set(w.getReady());
      waveNodes.labelValues(namespace, name, w.getName(), "failed").set(w.getFailed());
      waveNodes.labelValues(namespace, name, w.getName(), "offline").set(w.getOffline());
    }
  }

  public void reconciled() { reconciles.inc(); }

  /**
   * One release notification message: {@code outcome} sent, failed or misconfigured; {@code format} generic,
   * dingtalk, slack, wecom, feishu or unknown; {@code events} delivered with it when sent.
   */
  public void notification(String outcome, String format, int events) {
    notifications.labelValues(outcome, format).inc();
    if (outcome.equals("sent")) noticeEvents.inc(events);
  }

  /** Release events delivered so far: tests wait on it. */
  public long notificationEvents() { return (long) noticeEvents.get(); }

  /** How many reconciles reached the status step: tests wait on it instead of sleeping. */
  public long reconcileCount() { return (long) reconciles.get(); }

  /** Drops the series of releases that no longer exist ("namespace/name" of those that do). */
  public void retainReleases(java.util.Set<String> existing) {
    java.util.function.Function<List<String>, Boolean> gone = l -> !existing.contains(l.get(0) + "/" + l.get(1));
    phase.removeIf(gone);
    waveNodes.removeIf(gone);
    currentWave.removeIf(gone);
    switchSeconds.removeIf(gone);
  }

  /** How many updates of a release were measured and their total downtime in seconds, staged or not. */
  public record SwitchTotals(long count, double seconds) {
    public double mean() { return count == 0 ? 0 : seconds / count; }
  }

  /** The release's measured switch downtimes so far: for the demo's report, next to the simulator's own. */
  public SwitchTotals switchTotals(String namespace, String release, boolean staged) {
    for (var d : switchSeconds.collect().getDataPoints()) {
      var l = d.getLabels();
      if (namespace.equals(l.get("namespace")) && release.equals(l.get("release"))
          && String.valueOf(staged).equals(l.get("staged"))) {
        return new SwitchTotals(d.getCount(), d.getSum());
      }
    }
    return new SwitchTotals(0, 0);
  }

  /** One node's update downtime (see {@link io.edgewave.operator.rollout.SwitchTime}), observed once per update. */
  public void nodeSwitched(String namespace, String release, boolean staged, java.time.Duration downtime) {
    switchSeconds.labelValues(namespace, release, String.valueOf(staged)).observe(downtime.toMillis() / 1000.0);
  }

  /** Serves /metrics (and /-/healthy) on the port; 0 picks a free one. */
  public HTTPServer serve(int port) throws IOException {
    return HTTPServer.builder().port(port).registry(registry).buildAndStart();
  }

  /**
   * Serves /metrics and /-/healthy, and every other path with {@code pages} (the dashboard). The whole server is
   * read-only: any method but GET and HEAD is refused with 405 before it reaches a handler.
   */
  public HTTPServer serve(int port, com.sun.net.httpserver.HttpHandler pages) throws IOException {
    return HTTPServer.builder().port(port).registry(registry).defaultHandler(pages).authenticator(READ_ONLY)
        .buildAndStart();
  }

  static final com.sun.net.httpserver.Authenticator READ_ONLY = new com.sun.net.httpserver.Authenticator() {
    @Override
    public Result authenticate(com.sun.net.httpserver.HttpExchange exchange) {
      String m = exchange.getRequestMethod();
      if (m.equals("GET") || m.equals("HEAD")) {
        return new Success(new com.sun.net.httpserver.HttpPrincipal("anonymous", "edgewave"));
      }
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      return new Failure(405);
    }
  };

  private static String label(FailureDetector.State s) {
    return s.name().toLowerCase();
  }
}
