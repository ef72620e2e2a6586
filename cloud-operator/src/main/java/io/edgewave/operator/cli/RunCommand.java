package io.edgewave.operator.cli;

import io.edgewave.operator.EdgewaveOperator;
import io.edgewave.operator.dashboard.BoardReader;
import io.edgewave.operator.dashboard.DashboardHandler;
import io.edgewave.operator.kube.EdgeReleaseReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.edgewave.operator.alert.AlertSink;
import io.edgewave.operator.alert.RolloutContext;
import io.edgewave.operator.rollout.FleetCache;
import io.edgewave.operator.fleet.FailureDetector;
import io.edgewave.operator.fleet.FleetFacts;
import io.edgewave.operator.metrics.EdgewaveMetrics;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.edgewave.operator.fleet.HeartbeatSubscriber;
import io.edgewave.operator.kube.NodeHealthWriter;
import io.edgewave.operator.config.OperatorConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.CountDownLatch;

/**
 * The operator against a real cluster: its {@link OperatorConfig} from the flags and the environment, then the
 * wiring. Leader election is on unless --leader-election false.
 */
final class RunCommand {
  /**
   * The flags Flags accepts are those of {@link Verb#RUN}: a flag documented here goes there too (VerbTest checks),
   * and into OperatorConfig.FLAGS and the table in docs/install.md (OperatorConfigTest checks).
   */
  static final String HELP = """
      usage: edgewave run [flags]
        --leader-election true|false   use a Lease so only one replica acts (default true)
        --lease-namespace NS           namespace of the Lease (default: POD_NAMESPACE, else edgewave-system)
        --lease-duration D             a Lease not renewed for this long may be taken over (default 15s)
        --renew-deadline D             a leader that cannot renew for this long exits (default 10s)
        --retry-period D               how often replicas try to take or renew the Lease (default 2s)
        --write-budget N               Deployment writes per reconcile before yielding (default 200)
        --resync DURATION              reconcile every release at least this often (default 5m)
        --mqtt-broker URL              subscribe to edge-probe heartbeats, e.g. tcp://mosquitto:1883 (default: off)
        --mqtt-username U              broker user of the operator
        --mqtt-password-file F         file holding that user's password
        --mqtt-ca-file F               PEM CA that signed the broker's certificate (ssl://); default: the JDK's CAs
        --alert-webhooks NS/NAME,...   Secrets of webhooks for lost-node alerts (keys url, format, secret)
        --alert-window D               batch alerts arriving within this window into one message (default 20s)
        --alert-damping D              page a node at most once per this interval (default 10m)
        --port N                       serve the dashboard, /metrics and /-/healthy on this port (default 8080)
        --site-label KEY               Node label that names a node's site on the dashboard (default edgewave.io/site)
        --heartbeat-interval D         the probes' interval h (default 10s); a node is lost after 3h + 2s of silence""";

  private RunCommand() {}

  /** The flags given on the command line, checked and read as an {@link OperatorConfig} with the environment. */
  static OperatorConfig config(String[] args, Map<String, String> env) {
    Flags f = Verb.RUN.parse(args);
    Map<String, String> given = new HashMap<>();
    for (String name : Verb.RUN.flagNames()) {
      String v = f.string(name, null);
      if (v != null) given.put(name, v);
    }
    try {
      return OperatorConfig.parse(given, env);
    } catch (OperatorConfig.Invalid e) {
      throw new Flags.UsageException(e.getMessage());
    }
  }

  static HeartbeatSubscriber.Settings mqttSettings(OperatorConfig c) {
    var d = FailureDetector.Settings.DEFAULTS;
    var defaults = HeartbeatSubscriber.Settings.of(c.mqttBroker());
    return new HeartbeatSubscriber.Settings(c.mqttBroker(), "edgewave-operator-" + c.identity(), c.mqttUsername(),
        c.mqttPassword(), defaults.tick(), defaults.backoffMin(), defaults.backoffMax(),
        new FailureDetector.Settings(c.heartbeatInterval(), d.k(), d.jitter(), d.massSilenceShare(),
            d.massSilenceMinNodes()), c.mqttCaFile());
  }

  static int run(String[] args) {
    OperatorConfig config = config(args, System.getenv());
    String identity = config.identity();
    var settings = new EdgeReleaseReconciler.Settings(config.writeBudget(), config.resync());
    HeartbeatSubscriber.Settings mqtt = config.mqttEnabled() ? mqttSettings(config) : null;
    List<AlertSink.WebhookSecret> webhooks = config.alertWebhooks().stream()
        .map(w -> new AlertSink.WebhookSecret(w.namespace(), w.name())).toList();
    Duration alertWindow = config.alertWindow();
    Duration alertDamping = config.alertDamping();
    EdgewaveMetrics metrics = new EdgewaveMetrics();
    FleetFacts facts = new FleetFacts();
    int port = config.port();
    String siteLabel = config.siteLabel();
    KubernetesClient client = new KubernetesClientBuilder().build();
    AtomicReference<HeartbeatSubscriber> subscriber = new AtomicReference<>();
    AtomicReference<FleetCache> cache = new AtomicReference<>(); // set once started; alerts read context from it
    Runnable onLeading = () -> {
      // a new leader has no probe facts yet: their absence is no evidence until it has listened a while
      facts.listening(Clock.systemUTC().instant());
      if (mqtt != null) {
        var sink = HeartbeatSubscriber.Sink.all(List.of(new NodeHealthWriter(client, Clock.systemUTC()),
            new AlertSink(client, Clock.systemUTC(), webhooks, alertWindow, alertDamping, Duration.ofSeconds(1),
                RolloutContext.fromCache(cache::get))));
        subscriber.set(new HeartbeatSubscriber(mqtt, Clock.systemUTC(), sink, metrics, facts).start());
      }
    };
    // OperatorConfig has checked retry period < renew deadline < lease duration, as LeaseTimings requires
    var lease = new EdgewaveOperator.LeaseTimings(config.leaseDuration(), config.renewDeadline(), config.retryPeriod());
    var options = EdgewaveOperator.Options.single(settings).sharing(metrics, facts).leaseTimings(lease);
    var operator = EdgewaveOperator.start(client, Clock.systemUTC(), config.leaderElection()
        ? options.leaderElection(config.leaseNamespace(), identity, true, onLeading)
        : new EdgewaveOperator.Options(settings, null, identity, true, onLeading, metrics, facts));
    cache.set(operator.cache());
    HTTPServer http;
    try {
      http = metrics.serve(port, new DashboardHandler(new BoardReader(operator.cache(), facts, Clock.systemUTC(),
          siteLabel, Duration.ofSeconds(1)), operator::problem));
    } catch (IOException e) {
      operator.stop();
      throw new Flags.UsageException("--port: cannot listen on " + port + ": " + e.getMessage());
    }
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (subscriber.get() != null) subscriber.get().close();
      operator.stop();
      http.close();
      client.close();
      stop.countDown();
    }));
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
