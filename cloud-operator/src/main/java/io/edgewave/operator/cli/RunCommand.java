package io.edgewave.operator.cli;

import io.edgewave.operator.app.Assembly;
import io.edgewave.operator.config.OperatorConfig;
import java.util.HashMap;
import java.util.Map;
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
        --notify-webhooks NS/NAME,...  Secrets of webhooks for release notifications of releases without the
                                       annotation edgewave.io/notify (keys url, format, secret)
        --notify-window D              batch one release's events within this window into one message (default 5s)
        --port N                       serve the dashboard, /metrics and /-/healthy on this port (default 8080)
        --site-label KEY               Node label that names a node's site (default edgewave.io/site)
        --site-unreachable-share P     percent of a site's nodes silent within one T that make it unreachable (default 60)
        --heartbeat-interval D         the probes' interval h (default 10s); a node is lost after 3 intervals + 2s of silence""";

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

  static int run(String[] args) {
    OperatorConfig config = config(args, System.getenv());
    Assembly product;
    try {
      product = Assembly.start(config, Assembly.Wiring.production());
    } catch (Assembly.PortTaken e) {
      throw new Flags.UsageException(e.getMessage());
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
    return 0;
  }
}
