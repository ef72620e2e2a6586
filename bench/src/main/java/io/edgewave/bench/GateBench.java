package io.edgewave.bench;

import io.edgewave.operator.app.Assembly;
import io.edgewave.operator.config.OperatorConfig;
import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.EdgeReleaseSpec;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.demo.EmbeddedApiServer;
import io.edgewave.operator.demo.SimulatedFleet;
import io.edgewave.operator.demo.SimulatedKubelet;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Wave gate to next-wave dispatch, end to end on the embedded API server: from the moment the last pod of wave i
 * is written Ready (by the simulated kubelet) to the moment the kubelet sees the first Deployment of wave i + 1.
 * That covers the pod watch event, the reconcile, the Deployment write and its watch event. Five waves, no bake.
 * Usage: GateBench [nodes] [runs]
 */
public final class GateBench {
  static final String SPEC = """
      workload:
        template:
          metadata: {labels: {app: scan-upload}}
          spec: {containers: [{name: app, image: "reg/scan-upload:%s"}]}
      targets:
        selector: {matchLabels: {edgewave.io/class: transit-center}}
      strategy:
        waves:
        - {name: w1, size: "20%%"}
        - {name: w2, size: "20%%"}
        - {name: w3, size: "20%%"}
        - {name: w4, size: "20%%"}
        - {name: w5}
        progressDeadline: 10m
      """;

  private GateBench() {}

  public static void main(String[] args) throws Exception {
    Stats.exitAfter(() -> run(args));
  }

  static void run(String[] args) throws Exception {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    List<Double> gaps = new ArrayList<>();
    List<Double> walls = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      try (EmbeddedApiServer api = new EmbeddedApiServer(io.edgewave.operator.api.CrdYaml.generate())) {
        api.createNamespace("logistics");
        SimulatedFleet.create(api.client(), SimulatedFleet.nodes(nodes, 0, Math.max(1, nodes / 4)));
        try (SimulatedKubelet kubelet = new SimulatedKubelet(api.client(), Clock.systemUTC(), run, 50, 200, 0).start()) {
          // the product as 'edgewave run --leader-election false --port 0' starts it
          var operator = Assembly.start(OperatorConfig.parse(Map.of("leader-election", "false", "port", "0"), Map.of()),
              Assembly.Wiring.on(api.client(), Clock.systemUTC()));
          try {
            EdgeRelease er = new EdgeRelease();
            er.getMetadata().setName("scan-upload");
            er.getMetadata().setNamespace("logistics");
            er.setSpec(Serialization.unmarshal(SPEC.formatted("2.4." + run), EdgeReleaseSpec.class));
            Instant start = Instant.now();
            api.client().resource(er).create();
            Instant deadline = start.plus(Duration.ofMinutes(10));
            EdgeRelease now;
            do {
              Thread.sleep(200);
              now = api.client().resources(EdgeRelease.class).inNamespace("logistics").withName("scan-upload").get();
              if (Instant.now().isAfter(deadline)) throw new IllegalStateException("rollout did not finish");
            } while (now.getStatus() == null || now.getStatus().getPhase() != Phase.Succeeded);
            walls.add(Duration.between(start, Instant.now()).toMillis() / 1000.0);
            String revision = now.getStatus().getRevision();
            WaveTimes times = WaveTimes.of(api, kubelet, "logistics", revision);
            System.out.printf("run %d: %,d nodes rolled out in %.1f s;", run, nodes, walls.get(walls.size() - 1));
            for (int w = 1; w < 5; w++) {
              double gap = Duration.between(times.lastReady().get("w" + w), times.firstSeen().get("w" + (w + 1))).toMillis() / 1000.0;
              gaps.add(gap);
              System.out.printf(" w%d->w%d %.3f s;", w, w + 1, gap);
            }
            System.out.println();
          } finally {
            operator.close();
          }
        }
      }
    }
    double[] s = Stats.sorted(gaps);
    System.out.printf("%n| nodes | boundaries | gate to dispatch p50 s | p99 s | max s | rollout wall s (median) |%n");
    System.out.printf("| --- | --- | --- | --- | --- | --- |%n");
    System.out.printf("| %,d | %d | %.3f | %.3f | %.3f | %.1f |%n", nodes, s.length, Stats.percentile(s, 0.5),
        Stats.percentile(s, 0.99), s[s.length - 1], Stats.median(walls));
  }
}
