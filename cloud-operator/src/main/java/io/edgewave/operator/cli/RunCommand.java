package io.edgewave.operator.cli;

import io.edgewave.operator.EdgewaveOperator;
import io.edgewave.operator.dashboard.BoardReader;
import io.edgewave.operator.dashboard.DashboardHandler;
import io.edgewave.operator.rollout.EdgeReleaseReconciler;
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
import io.edgewave.operator.fleet.NodeHealthWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.CountDownLatch;

/** The operator against a real cluster. Leader election is on unless --leader-election false. */
final class RunCommand {
  /** The flags Flags accepts are those of {@link Verb#RUN}: a flag documented here goes there too (VerbTest checks). */
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

  static HeartbeatSubscriber.Settings mqttSettings(Flags f, String broker, String identity) {
    if (!broker.matches("(tcp|ssl)://[^/\\s]+:[0-9]{1,5}")) {
      throw new Flags.UsageException("--mqtt-broker \"" + broker + "\" must look like tcp://host:1883");
    }
    String password = null;
    String file = f.string("mqtt-password-file", null);
    if (file != null) {
      try {
        password = Files.readString(Path.of(file)).strip();
      } catch (IOException e) {
        throw new Flags.UsageException("--mqtt-password-file: cannot read " + file + ": " + e.getMessage());
      }
    }
    Duration h = f.duration("heartbeat-interval", Duration.ofSeconds(10));
    var d = FailureDetector.Settings.DEFAULTS;
    var defaults = HeartbeatSubscriber.Settings.of(broker);
    String ca = f.string("mqtt-ca-file", null);
    if (ca != null) {
      try {
        io.edgewave.probe.mqtt.ProbeConnection.trusting(Path.of(ca));
      } catch (RuntimeException e) {
        throw new Flags.UsageException("--mqtt-ca-file: " + e.getMessage());
      }
    }
    return new HeartbeatSubscriber.Settings(broker, "edgewave-operator-" + identity, f.string("mqtt-username", null),
        password, defaults.tick(), defaults.backoffMin(), defaults.backoffMax(),
        new FailureDetector.Settings(h, d.k(), d.jitter(), d.massSilenceShare(), d.massSilenceMinNodes()), ca);
  }

  static int run(String[] args) {
    Flags f = Verb.RUN.parse(args);
    boolean election = !"false".equals(f.string("leader-election", "true"));
    String podNs = System.getenv().getOrDefault("POD_NAMESPACE", "edgewave-system");
    String leaseNs = f.string("lease-namespace", podNs);
    String identity = System.getenv().getOrDefault("POD_NAME", System.getenv().getOrDefault("HOSTNAME", "edgewave-operator"));
    var settings = new EdgeReleaseReconciler.Settings(f.integer("write-budget", 200, 1, 10_000),
        f.duration("resync", EdgeReleaseReconciler.Settings.DEFAULTS.resync()));
    String broker = f.string("mqtt-broker", System.getenv("EDGEWAVE_MQTT_BROKER"));
    HeartbeatSubscriber.Settings mqtt = broker == null ? null : mqttSettings(f, broker, identity);
    List<AlertSink.WebhookSecret> webhooks = new ArrayList<>();
    for (String w : f.string("alert-webhooks", "").split(",")) {
      if (w.isBlank()) continue;
      try {
        webhooks.add(AlertSink.WebhookSecret.parse(w.strip()));
      } catch (IllegalArgumentException e) {
        throw new Flags.UsageException("--alert-webhooks: " + e.getMessage());
      }
    }
    Duration alertWindow = f.duration("alert-window", Duration.ofSeconds(20));
    Duration alertDamping = f.duration("alert-damping", Duration.ofMinutes(10));
    EdgewaveMetrics metrics = new EdgewaveMetrics();
    FleetFacts facts = new FleetFacts();
    int port = f.integer("port", 8080, 0, 65535);
    String siteLabel = f.string("site-label", "edgewave.io/site");
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
    EdgewaveOperator.LeaseTimings lease;
    try {
      var d = EdgewaveOperator.LeaseTimings.DEFAULTS;
      lease = new EdgewaveOperator.LeaseTimings(f.duration("lease-duration", d.leaseDuration()),
          f.duration("renew-deadline", d.renewDeadline()), f.duration("retry-period", d.retryPeriod()));
    } catch (IllegalArgumentException e) {
      throw new Flags.UsageException("--lease-duration, --renew-deadline, --retry-period: " + e.getMessage());
    }
    var options = EdgewaveOperator.Options.single(settings).sharing(metrics, facts).leaseTimings(lease);
    var operator = EdgewaveOperator.start(client, Clock.systemUTC(), election
        ? options.leaderElection(leaseNs, identity, true, onLeading)
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
