package io.edgewave.operator.cli;

import io.edgewave.operator.demo.Demo;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Path;

final class DemoCommand {
  /** The flags Flags accepts are those of {@link Verb#DEMO}: a flag documented here goes there too (VerbTest checks). */
  static final String HELP = """
      usage: edgewave demo [flags]
      Without --duration the demo ends when every release has finished and every killed box was detected; on a
      terminal it then keeps serving the dashboard until Ctrl-C.
        --nodes N          transit-center nodes (default 100)
        --gpu-boxes N      GPU camera boxes (default 30)
        --fail-rate F      share of pods that crash-loop, 0 to 1 (default 0)
        --kill N           GPU boxes killed once a rollout reaches its second wave (default 3)
        --duration D       run this long, e.g. 90s (default: until every release has finished)
        --time-scale X     divide bake times and deadlines by X (default 120: 30m bakes for 15s)
        --plans DIR        rollout plans to apply (default rollout-plans, else the ones in the jar)
        --auto-approve B   approve waves that wait for approval after 2s (default true)
        --seed N           seed of the simulated kubelet (default 1)
        --heartbeat-interval D  simulated probes' interval h (default 2s; 5s above 2,000 nodes)
        --port N           serve the dashboard and /metrics on this port, 0 for any free one (default 8080)
        --image-size Q     model images: every image the plans bring is this big, e.g. 500Mi, and a pod waits for
                           its pull (default: images are not modelled, a pod starts after a short delay)
        --uplink N         Mbit/s of each site's uplink, shared by the site's concurrent pulls (default 10)
        --compare-staging  roll out rollout-plans/scan-upload-unstaged.yaml, then scan-upload-staged.yaml, each on
                           a fresh fleet whose nodes run the previous image, and print each node's downtime (p50,
                           p99, max, in simulated seconds) and the wall time of each (image 500Mi unless
                           --image-size; pulls, bakes and deadlines sped up by --time-scale)""";

  private DemoCommand() {}

  /** A Kubernetes quantity (500Mi, 1G, 734003200) as bytes; null when the flag is absent. */
  static Long bytes(Flags f, String name) {
    String v = f.string(name, null);
    if (v == null) return null;
    try {
      long b = Quantity.getAmountInBytes(new Quantity(v)).longValueExact();
      if (b <= 0) throw new IllegalArgumentException();
      return b;
    } catch (RuntimeException e) {
      throw new Flags.UsageException("--" + name + " \"" + v + "\" must be a size such as 500Mi or 1G");
    }
  }

  static int run(String[] args) throws Flags.UsageException {
    Flags f = Verb.DEMO.parse(args);
    Demo.Config config = new Demo.Config(f.integer("nodes", 100, 0, 100_000), f.integer("gpu-boxes", 30, 0, 100_000),
        f.decimal("fail-rate", 0, 0, 1), f.integer("kill", 3, 0, 100_000), f.duration("duration", null),
        f.decimal("time-scale", 120, 1, 100_000), Path.of(f.string("plans", "rollout-plans")),
        !"false".equals(f.string("auto-approve", "true")), f.integer("seed", 1, 0, Integer.MAX_VALUE),
        f.duration("heartbeat-interval", null), f.integer("port", 8080, 0, 65535), System.console() != null,
        bytes(f, "image-size"), f.integer("uplink", 10, 1, 100_000), f.bool("compare-staging"));
    try {
      var summary = new Demo(config, System.out).run();
      System.out.println(Demo.json(summary));
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (Exception e) {
      System.err.println("edgewave demo: " + e);
      return 1;
    }
  }
}
