package io.edgewave.operator.cli;

import io.edgewave.operator.demo.Demo;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", sortOptions = false,
    description = {"The whole product on an embedded API server and a simulated fleet.",
        "Without --duration the demo ends when every release has finished and every killed box was detected; on a "
            + "terminal it then keeps serving the dashboard until Ctrl-C."})
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--nodes", paramLabel = "N", defaultValue = "100",
      description = "transit-center nodes (default ${DEFAULT-VALUE})")
  int nodes;
  @Option(names = "--gpu-boxes", paramLabel = "N", defaultValue = "30",
      description = "GPU camera boxes (default ${DEFAULT-VALUE})")
  int gpuBoxes;
  @Option(names = "--fail-rate", paramLabel = "F", defaultValue = "0",
      description = "share of pods that crash-loop, 0 to 1 (default ${DEFAULT-VALUE})")
  double failRate;
  @Option(names = "--kill", paramLabel = "N", defaultValue = "3",
      description = "GPU boxes killed once a rollout reaches its second wave (default ${DEFAULT-VALUE})")
  int kill;
  @Option(names = "--duration", paramLabel = "D",
      description = "run this long, e.g. 90s (default: until every release has finished)")
  Duration duration;
  @Option(names = "--time-scale", paramLabel = "X", defaultValue = "120",
      description = "divide bake times and deadlines by X (default ${DEFAULT-VALUE}: 30m bakes for 15s)")
  double timeScale;
  @Option(names = "--plans", paramLabel = "DIR", defaultValue = "rollout-plans",
      description = "rollout plans to apply (default ${DEFAULT-VALUE}, else the ones in the jar)")
  Path plans;
  @Option(names = "--auto-approve", paramLabel = "true|false", arity = "1", defaultValue = "true",
      description = "approve waves that wait for approval after 2s (default ${DEFAULT-VALUE})")
  boolean autoApprove;
  @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
      description = "seed of the simulated kubelet (default ${DEFAULT-VALUE})")
  int seed;
  @Option(names = "--heartbeat-interval", paramLabel = "D",
      description = "simulated probes' interval h (default 2s; 5s above 2,000 nodes)")
  Duration heartbeatInterval;
  @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
      description = "serve the dashboard and /metrics on this port, 0 for any free one (default ${DEFAULT-VALUE})")
  int port;
  @Option(names = "--image-size", paramLabel = "Q",
      description = "model images: every image the plans bring is this big, e.g. 500Mi, and a pod waits for its "
          + "pull (default: images are not modelled, a pod starts after a short delay)")
  String imageSize;
  @Option(names = "--uplink", paramLabel = "N", defaultValue = "10",
      description = "Mbit/s of each site's uplink, shared by the site's concurrent pulls (default ${DEFAULT-VALUE})")
  int uplink;
  @Option(names = "--compare-staging",
      description = "roll out rollout-plans/scan-upload-unstaged.yaml, then scan-upload-staged.yaml, each on a "
          + "fresh fleet whose nodes run the previous image, and print each node's downtime (p50, p99, max, in "
          + "simulated seconds) and the wall time of each (image 500Mi unless --image-size; pulls, bakes and "
          + "deadlines sped up by --time-scale)")
  boolean compareStaging;

  /** A Kubernetes quantity (500Mi, 1G, 734003200) as bytes; null when the flag is absent. */
  static Long bytes(String name, String v) {
    if (v == null) return null;
    try {
      long b = Quantity.getAmountInBytes(new Quantity(v)).longValueExact();
      if (b <= 0) throw new IllegalArgumentException();
      return b;
    } catch (RuntimeException e) {
      throw new UsageException("--" + name + " \"" + v + "\" must be a size such as 500Mi or 1G");
    }
  }

  Demo.Config config() {
    return new Demo.Config(Main.within("--nodes", nodes, 0, 100_000), Main.within("--gpu-boxes", gpuBoxes, 0, 100_000),
        Main.within("--fail-rate", failRate, 0, 1), Main.within("--kill", kill, 0, 100_000), duration,
        Main.within("--time-scale", timeScale, 1, 100_000), plans, autoApprove,
        Main.within("--seed", seed, 0, Integer.MAX_VALUE), heartbeatInterval, Main.within("--port", port, 0, 65535),
        System.console() != null, bytes("image-size", imageSize), Main.within("--uplink", uplink, 1, 100_000),
        compareStaging);
  }

  @Override
  public Integer call() {
    Demo.Config config = config();
    try {
      var summary = new Demo(config, System.out).run();
      System.out.println(Demo.json(summary));
      return Main.OK;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Main.FAILED;
    } catch (Exception e) {
      System.err.println("edgewave demo: " + e);
      return Main.FAILED;
    }
  }
}
