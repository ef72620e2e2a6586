package io.edgewave.operator.app;

import io.edgewave.operator.fleet.FleetSink;
import io.edgewave.operator.alert.AlertSink;
import io.edgewave.operator.alert.NoticePoster;
import io.edgewave.operator.alert.RolloutContext;
import io.edgewave.operator.config.OperatorConfig;
import io.edgewave.operator.dashboard.BoardReader;
import io.edgewave.operator.dashboard.DashboardHandler;
import io.edgewave.operator.fleet.FailureDetector;
import io.edgewave.operator.fleet.FleetFacts;
import io.edgewave.operator.fleet.LeadershipGate;
import io.edgewave.operator.fleet.SiteDetector;
import io.edgewave.operator.ingest.HeartbeatSubscriber;
import io.edgewave.operator.kube.EdgeReleaseReconciler;
import io.edgewave.operator.kube.NodeHealthWriter;
import io.edgewave.operator.kube.ReleaseOutbox;
import io.edgewave.operator.kube.WebhookSecrets;
import io.edgewave.operator.metrics.EdgewaveMetrics;
import io.edgewave.operator.rollout.FleetCache;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that builds the running product from an {@link OperatorConfig}: the API client, the heartbeat
 * subscriber with its detector (on every replica: a standby stays warm), the Node condition writer and the alert
 * sink (which write only while this replica leads), the JOSDK operator with its informers and reconciler; then the
 * HTTP server (dashboard, /metrics, /-/healthy). {@code edgewave
 * run}, the demo, the ITs and the benchmarks all start the product here; what differs between them is only the
 * {@link Wiring} (which API server, which clock, extra sinks). {@link #close} stops everything in reverse order of
 * start, so nothing writes through a closed client.
 *
 * <p>Server-side apply is off: status is written with a fenced update of the status subresource and Deployments with
 * optimistic-locked updates, which work on every API server (and on the mock one, which has no SSA).
 */
public final class Assembly implements AutoCloseable {
  public static final String LEASE = "edgewave-operator";
  private static final Logger log = LoggerFactory.getLogger(Assembly.class);

  /**
   * Where the product runs, which the config does not say. {@link #production()} for {@code edgewave run}.
   *
   * @param client the API client; null builds one from kubeconfig or the in-cluster config (then closed by us)
   * @param exitOnLostLease a replica that loses the Lease exits at once, so it cannot write as a deposed leader;
   *     only tests that run several replicas in one JVM turn this off
   * @param heartbeats how the subscriber is tuned (tick, reconnect backoff, detector); null derives it from the
   *     config (its heartbeat interval and the detector's defaults)
   * @param extraSinks also told of every transition and verdict, after the product's own sinks (the demo prints)
   * @param alertRetry the first retry delay of a failed webhook post
   */
  public record Wiring(KubernetesClient client, Clock clock, boolean exitOnLostLease,
      HeartbeatSubscriber.Settings heartbeats, List<FleetSink> extraSinks, EdgewaveMetrics metrics,
      FleetFacts facts, Duration alertRetry) {
    public static Wiring production() {
      return new Wiring(null, Clock.systemUTC(), true, null, List.of(), new EdgewaveMetrics(), new FleetFacts(),
          Duration.ofSeconds(1));
    }

    /** On a given API server (the demo's, a test's). */
    public static Wiring on(KubernetesClient client, Clock clock) {
      return new Wiring(client, clock, true, null, List.of(), new EdgewaveMetrics(), new FleetFacts(),
          Duration.ofSeconds(1));
    }

    public Wiring sharing(EdgewaveMetrics m, FleetFacts f) {
      return new Wiring(client, clock, exitOnLostLease, heartbeats, extraSinks, m, f, alertRetry);
    }

    public Wiring stayOnLostLease() {
      return new Wiring(client, clock, false, heartbeats, extraSinks, metrics, facts, alertRetry);
    }

    public Wiring heartbeats(HeartbeatSubscriber.Settings s) {
      return new Wiring(client, clock, exitOnLostLease, s, extraSinks, metrics, facts, alertRetry);
    }

    public Wiring alsoTelling(FleetSink sink) {
      List<FleetSink> all = new ArrayList<>(extraSinks);
      all.add(sink);
      return new Wiring(client, clock, exitOnLostLease, heartbeats, List.copyOf(all), metrics, facts, alertRetry);
    }

    public Wiring alertRetry(Duration first) {
      return new Wiring(client, clock, exitOnLostLease, heartbeats, extraSinks, metrics, facts, first);
    }
  }

  private final OperatorConfig config;
  private final Wiring wiring;
  private final KubernetesClient client;
  /** What to close, last started first. */
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private Operator operator;
  private FleetCache cache;
  private HTTPServer http;
  private volatile HeartbeatSubscriber subscriber;
  private LeadershipGate gate;
  private ReleaseOutbox outbox;
  private NoticePoster poster;
  private volatile boolean closing;
  private boolean led;

  private Assembly(OperatorConfig config, Wiring wiring) {
    this.config = config;
    this.wiring = wiring;
    if (wiring.client() == null) {
      this.client = new KubernetesClientBuilder().build();
      started.push(client::close);
    } else {
      this.client = wiring.client();
    }
  }

  /**
   * Starts the product and returns once the informers have synced and the HTTP server listens.
   *
   * @throws PortTaken naming the flag when the port is taken, before any Lease was taken or informer started;
   *     whatever had started is closed again
   */
  public static Assembly start(OperatorConfig config, Wiring wiring) {
    Assembly a = new Assembly(config, wiring);
    try {
      a.startHeartbeats();
      a.buildOperator();
      a.serve(); // before the operator starts: a taken port fails before this replica can take the Lease
      a.startOperator();
      return a;
    } catch (RuntimeException e) {
      a.close();
      throw e;
    }
  }

  /** The subscriber's settings from the config alone: what {@code edgewave run} uses. */
  public static HeartbeatSubscriber.Settings heartbeatSettings(OperatorConfig c) {
    var d = FailureDetector.Settings.DEFAULTS;
    var defaults = HeartbeatSubscriber.Settings.of(c.mqttBroker());
    return new HeartbeatSubscriber.Settings(c.mqttBroker(), "edgewave-operator-" + c.identity(), c.mqttUsername(),
        c.mqttPassword(), defaults.tick(), defaults.backoffMin(), defaults.backoffMax(),
        new FailureDetector.Settings(c.heartbeatInterval(), d.k(), d.jitter(), d.massSilenceShare(),
            d.massSilenceMinNodes()), c.mqttCaFile());
  }

  /**
   * Heartbeats on every replica, leader or standby, each with its own client id: the standby's detector and probe
   * facts stay warm, so a replica that takes the Lease judges at once. What writes (the Node condition writer, the
   * alerts) sits behind the {@link LeadershipGate} and hears nothing until this replica leads.
   */
  private void startHeartbeats() {
    if (!config.mqttEnabled() && wiring.heartbeats() == null) return;
    var settings = wiring.heartbeats() != null ? wiring.heartbeats() : heartbeatSettings(config);
    var health = new NodeHealthWriter(client, wiring.clock(), () -> client.nodes().list().getItems(),
        config.siteLabel());
    register(health::close);
    var alerts = new AlertSink(new WebhookSecrets(client), wiring.clock(), config.alertWebhooks(), config.alertWindow(),
        config.alertDamping(), wiring.alertRetry(), RolloutContext.fromCache(() -> cache));
    register(alerts::close);
    // news older than a Lease plus one T the old leader had time to deliver itself
    // the writers, the alerts and the paging series, grouped by site, behind the gate: a standby writes and pages
    // nothing; extra sinks (a demo's printer) hear every node transition as it comes, ungrouped
    var detector = settings.detector();
    var sites = new SiteDetector(config.siteUnreachablePercent() / 100.0, detector.tolerance(detector.defaultInterval()));
    gate = new LeadershipGate(FleetSink.all(List.of(health, alerts, wiring.metrics().siteSink()), sites),
        config.leaseDuration().plus(settings.detector().tolerance(settings.detector().defaultInterval())));
    List<FleetSink> sinks = new ArrayList<>(List.of(gate));
    sinks.addAll(wiring.extraSinks());
    subscriber = new HeartbeatSubscriber(settings, wiring.clock(), FleetSink.fanOut(sinks), wiring.metrics(),
        wiring.facts()).start();
    wiring.facts().watched(true);
    register(subscriber::close);
    log.info("heartbeats from {} as {}", settings.broker(), settings.clientId());
  }

  /** The HTTP port is taken; the message names the flag. */
  public static final class PortTaken extends IllegalStateException {
    PortTaken(String message, Throwable cause) { super(message, cause); }
  }

  private synchronized void register(AutoCloseable part) {
    started.push(part);
  }

  private void buildOperator() {
    operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withUseSSAToPatchPrimaryResource(false)
          .withSSABasedCreateUpdateMatchForDependentResources(false)
          .withCloseClientOnStop(false)
          .withStopOnInformerErrorDuringStartup(true)
          .withCacheSyncTimeout(Duration.ofSeconds(60));
      if (config.leaderElection()) {
        o.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(LEASE)
            .withLeaseNamespace(config.leaseNamespace()).withIdentity(config.identity())
            .withLeaseDuration(config.leaseDuration()).withRenewDeadline(config.renewDeadline())
            .withRetryPeriod(config.retryPeriod())
            // our callback exits, not JOSDK's: it knows when the stop is our own close (a shutdown hook that called
            // System.exit would wait forever)
            .withExitOnStopLeading(false)
            .withLeaderCallbacks(new LeaderCallbacks(this::lead, this::lostLease, leader -> { })).build());
      }
    });
    var reconciler = new EdgeReleaseReconciler(client, wiring.clock(),
        new EdgeReleaseReconciler.Settings(config.writeBudget(), config.resync(), config.siteLabel(),
            config.notifyDefaults()), wiring.metrics(), wiring.facts());
    operator.register(reconciler);
    cache = reconciler.cache();
    // delivers release notifications while this replica leads
    poster = new NoticePoster(new WebhookSecrets(client), wiring.clock(), wiring.alertRetry());
    outbox = new ReleaseOutbox(client, wiring.clock(), cache::releases, poster, wiring.metrics(),
        config.notifyDefaults(), config.notifyWindow(), config.identity() + "/" + Long.toString(
            ProcessHandle.current().pid(), 36) + "-" + Long.toString(wiring.clock().millis() % 1_000_000L, 36));
  }

  private void startOperator() {
    register(operator::stop);
    // stopped while this replica still holds the Lease: posts in flight are acknowledged before a successor can
    // take over and send what it finds claimed but unacknowledged
    register(poster::close);
    register(outbox::close);
    operator.start();
    if (!config.leaderElection()) lead();
  }

  /**
   * The Lease is lost. Unless we are closing, a replica that lost it exits at once so that it cannot write as a
   * deposed leader; tests that run several replicas in one JVM stay and close it themselves.
   */
  private void lostLease() {
    if (closing) return;
    outbox.stop(); // no new claim; not waiting for posts in flight: a deposed leader exits at once
    if (wiring.exitOnLostLease()) {
      log.error("lost the Lease {} as {}: exiting so that nothing is written by a deposed leader", LEASE,
          config.identity());
      System.exit(1);
    }
    log.warn("lost the Lease {} as {}; staying (tests only)", LEASE, config.identity());
  }

  /**
   * This replica leads. Without heartbeats configured, probe facts are absent: their absence is no evidence for a
   * grace period from now. With them, the subscriber has been listening since this replica started (its connection
   * set the facts' grace), so a warm standby judges at once: the gate hands the writers what the detector concluded
   * meanwhile, and a convergence pass sets every Node condition right now instead of within one T.
   */
  private synchronized void lead() {
    if (closing || led) return;
    led = true;
    outbox.lead();
    if (subscriber == null) {
      wiring.facts().listening(wiring.clock().instant());
      return;
    }
    io.edgewave.operator.fleet.Takeover recorded = null;
    try {
      recorded = NodeHealthWriter.recorded(client.nodes().list().getItems(), config.siteLabel(),
          wiring.clock().instant(), config.alertWindow().plusSeconds(2));
    } catch (RuntimeException e) {
      log.warn("could not read the Nodes at takeover ({}); recent losses are handed over ungrouped", e.toString());
    }
    int replayed = gate.lead(wiring.clock().instant(), recorded);
    subscriber.convergeNow();
    log.info("leading: heartbeats warm since {}; {} site incidents continued; {} recent losses not yet recorded"
        + " handed to the writers", wiring.facts().since(), recorded == null ? 0 : recorded.siteIncidents().size(),
        replayed);
  }

  private void serve() {
    try {
      http = wiring.metrics().serve(config.port(), new DashboardHandler(new BoardReader(cache, wiring.facts(),
          wiring.clock(), config.siteLabel(), Duration.ofSeconds(1)), this::problem));
    } catch (IOException e) {
      throw new PortTaken("--port: cannot listen on " + config.port() + ": " + e.getMessage(),
          new UncheckedIOException(e));
    }
    register(http::close);
  }

  public KubernetesClient client() { return client; }

  public FleetCache cache() { return cache; }

  public FleetFacts facts() { return wiring.facts(); }

  public EdgewaveMetrics metrics() { return wiring.metrics(); }

  /** The port the dashboard and /metrics are served on (the config's, or the one chosen for port 0). */
  public int port() { return http.getPort(); }

  /** The heartbeat subscriber when a broker is configured (on every replica, leader or standby), else null. */
  public HeartbeatSubscriber subscriber() { return subscriber; }

  /** Why this replica is not healthy (not started, an informer failing), or null when it is. */
  public String problem() {
    var info = operator.getRuntimeInfo();
    if (!info.isStarted()) return "operator not started";
    if (!info.allEventSourcesAreHealthy()) return "unhealthy informers: " + info.unhealthyEventSources().keySet();
    return null;
  }

  /** Stops everything, last started first; a part that fails to stop does not keep the others running. */
  @Override
  public void close() {
    closing = true; // first, and outside the lock: a leadership callback waiting for it then does nothing
    synchronized (this) {
      closeParts();
    }
  }

  private void closeParts() {
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        log.warn("stopping a part failed: {}", e.toString());
      }
    }
  }
}
