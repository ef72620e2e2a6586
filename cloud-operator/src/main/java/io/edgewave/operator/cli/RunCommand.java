package io.edgewave.operator.cli;

import io.edgewave.operator.EdgewaveOperator;
import io.edgewave.operator.rollout.EdgeReleaseReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** The operator against a real cluster. Leader election is on unless --leader-election false. */
final class RunCommand {
  static final String HELP = """
      usage: edgewave run [flags]
        --leader-election true|false   use a Lease so only one replica acts (default true)
        --lease-namespace NS           namespace of the Lease (default: POD_NAMESPACE, else edgewave-system)
        --write-budget N               Deployment writes per reconcile before yielding (default 200)
        --resync DURATION              reconcile every release at least this often (default 5m)""";

  private RunCommand() {}

  static int run(String[] args) {
    if (args.length > 0 && args[0].equals("--help")) {
      System.out.println(HELP);
      return 0;
    }
    Flags f = new Flags(args, 0, Set.of("leader-election", "lease-namespace", "write-budget", "resync"));
    boolean election = !"false".equals(f.string("leader-election", "true"));
    String podNs = System.getenv().getOrDefault("POD_NAMESPACE", "edgewave-system");
    String leaseNs = f.string("lease-namespace", podNs);
    String identity = System.getenv().getOrDefault("POD_NAME", System.getenv().getOrDefault("HOSTNAME", "edgewave-operator"));
    var settings = new EdgeReleaseReconciler.Settings(f.integer("write-budget", 200, 1, 10_000),
        f.duration("resync", EdgeReleaseReconciler.Settings.DEFAULTS.resync()));
    KubernetesClient client = new KubernetesClientBuilder().build();
    var operator = EdgewaveOperator.start(client, Clock.systemUTC(), settings, election ? leaseNs : null, identity);
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      operator.stop();
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
