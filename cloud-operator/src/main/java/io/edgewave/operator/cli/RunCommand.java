package io.edgewave.operator.cli;

import io.edgewave.operator.app.Assembly;
import io.edgewave.operator.config.OperatorConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The operator against a real cluster. picocli reads the flags (names, help, defaults shown); {@link OperatorConfig}
 * turns them and the environment into the immutable config, with every check and message it had: the values stay
 * text here so that a bad one is reported by the config in its words, naming the flag and the fix.
 *
 * <p>The options are exactly {@link OperatorConfig#FLAGS}, in order, and each default here is the config's
 * (OperatorConfigTest checks both, and the table in docs/install.md).
 */
@Command(name = "run", sortOptions = false,
    description = {"Run the operator against a cluster (kubeconfig or in-cluster config).",
        "A flag wins over its environment variable, which wins over the default; durations are written 500ms, "
            + "15s, 10m, 1h30m or 2d."})
final class RunCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--leader-election", paramLabel = "true|false", defaultValue = "true",
      description = "use a Lease so only one replica acts (default ${DEFAULT-VALUE})")
  String leaderElection;
  @Option(names = "--lease-namespace", paramLabel = "NS",
      description = "namespace of the Lease (env POD_NAMESPACE; default edgewave-system)")
  String leaseNamespace;
  @Option(names = "--lease-duration", paramLabel = "D", defaultValue = "15s",
      description = "a Lease not renewed for this long may be taken over (default ${DEFAULT-VALUE})")
  String leaseDuration;
  @Option(names = "--renew-deadline", paramLabel = "D", defaultValue = "10s",
      description = "a leader that cannot renew for this long exits (default ${DEFAULT-VALUE})")
  String renewDeadline;
  @Option(names = "--retry-period", paramLabel = "D", defaultValue = "2s",
      description = "how often replicas try to take or renew the Lease (default ${DEFAULT-VALUE})")
  String retryPeriod;
  @Option(names = "--write-budget", paramLabel = "N", defaultValue = "200",
      description = "Deployment writes per reconcile before yielding, 1 to 10000 (default ${DEFAULT-VALUE})")
  String writeBudget;
  @Option(names = "--resync", paramLabel = "D", defaultValue = "5m",
      description = "reconcile every release at least this often (default ${DEFAULT-VALUE})")
  String resync;
  @Option(names = "--mqtt-broker", paramLabel = "URL",
      description = "subscribe to edge-probe heartbeats, tcp://host:1883 or ssl://host:8883 "
          + "(env EDGEWAVE_MQTT_BROKER; default: off)")
  String mqttBroker;
  @Option(names = "--mqtt-username", paramLabel = "U", description = "broker user of the operator")
  String mqttUsername;
  @Option(names = "--mqtt-password-file", paramLabel = "FILE", description = "file holding that user's password")
  String mqttPasswordFile;
  @Option(names = "--mqtt-ca-file", paramLabel = "FILE",
      description = "PEM CA that signed the broker's certificate (ssl://); default: the JDK's CAs")
  String mqttCaFile;
  @Option(names = "--heartbeat-interval", paramLabel = "D", defaultValue = "10s",
      description = "the probes' interval h (default ${DEFAULT-VALUE}); a node is lost after 3 intervals + 2s of "
          + "silence")
  String heartbeatInterval;
  @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
      description = "serve the dashboard, /metrics and /-/healthy on this port, 0 for any free one "
          + "(default ${DEFAULT-VALUE})")
  String port;
  @Option(names = "--site-label", paramLabel = "KEY", defaultValue = "edgewave.io/site",
      description = "Node label that names a node's site (default ${DEFAULT-VALUE})")
  String siteLabel;
  @Option(names = "--site-unreachable-share", paramLabel = "P", defaultValue = "60",
      description = "percent of a site's nodes silent within one T that make it unreachable (default ${DEFAULT-VALUE})")
  String siteUnreachableShare;
  @Option(names = "--alert-webhooks", paramLabel = "NS/NAME,...",
      description = "Secrets of webhooks for lost-node alerts (keys url, format, secret)")
  String alertWebhooks;
  @Option(names = "--alert-window", paramLabel = "D", defaultValue = "20s",
      description = "batch alerts arriving within this window into one message (default ${DEFAULT-VALUE})")
  String alertWindow;
  @Option(names = "--alert-damping", paramLabel = "D", defaultValue = "10m",
      description = "page a node at most once per this interval (default ${DEFAULT-VALUE})")
  String alertDamping;
  @Option(names = "--notify-webhooks", paramLabel = "NS/NAME,...",
      description = "Secrets of webhooks for the release notifications of releases without the annotation "
          + "edgewave.io/notify (keys url, format, secret)")
  String notifyWebhooks;
  @Option(names = "--notify-window", paramLabel = "D", defaultValue = "5s",
      description = "batch one release's events within this window into one message (default ${DEFAULT-VALUE})")
  String notifyWindow;

  /** The flags as OperatorConfig reads them: by long name without dashes, absent when neither given nor defaulted. */
  Map<String, String> flags() {
    Map<String, String> given = new LinkedHashMap<>();
    for (OptionSpec o : spec.options()) {
      if (o.usageHelp() || o.versionHelp() || o.getValue() == null) continue;
      given.put(o.longestName().substring(2), o.getValue());
    }
    return given;
  }

  /** The command line as an {@link OperatorConfig}, with the environment; a bad value is a usage error. */
  static OperatorConfig config(String[] args, Map<String, String> env) {
    CommandLine cl;
    try {
      cl = Main.parse("run", args);
    } catch (CommandLine.ParameterException e) {
      throw new UsageException(Main.message(e));
    }
    return ((RunCommand) cl.getCommand()).config(env);
  }

  OperatorConfig config(Map<String, String> env) {
    try {
      return OperatorConfig.parse(flags(), env);
    } catch (OperatorConfig.Invalid e) {
      throw new UsageException(e.getMessage());
    }
  }

  @Override
  public Integer call() {
    OperatorConfig config = config(System.getenv());
    Assembly product;
    try {
      product = Assembly.start(config, Assembly.Wiring.production());
    } catch (Assembly.PortTaken e) {
      throw new UsageException(e.getMessage());
    }
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      product.close();
      stop.countDown();
    }));
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Main.OK;
  }
}
