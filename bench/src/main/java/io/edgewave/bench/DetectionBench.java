package io.edgewave.bench;

import io.edgewave.operator.fleet.FleetSink;
import io.edgewave.operator.app.Assembly;
import io.edgewave.operator.config.OperatorConfig;
import io.edgewave.operator.demo.EmbeddedApiServer;
import io.edgewave.operator.fleet.FailureDetector;
import io.edgewave.operator.fleet.FleetFacts;
import io.edgewave.operator.ingest.HeartbeatSubscriber;
import io.edgewave.operator.metrics.EdgewaveMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Detection latency with real probe JVMs on a real Mosquitto and the operator's subscriber and detector. Time is
 * compressed ten times with the same ratios as the defaults: h = 1 s, k = 2, J = 0.2 s (T = 3.2 s; at h = 10 s,
 * J = 2 s it is 32 s). Each round freezes a probe (SIGSTOP: a hung box or a cut cable, the TCP connection stays
 * open, nothing arrives) or kills it (kill -9: the connection drops, the broker publishes its will), waits for the
 * verdict, then brings the probe back. One node is down at a time, so the mass-silence guard never holds.
 * The detector's tick (how often silence is checked; 1 s in production) is 100 ms for freezes, scaled with h,
 * and 1 s for kills: a will's latency comes from the broker and that tick, not from h, so it is not scaled.
 * Usage: DetectionBench [probes] [rounds] [freeze|kill]
 */
public final class DetectionBench {
  static final Path JAR = Path.of("edge-probe/target/edgewave-probe.jar");

  private DetectionBench() {}

  public static void main(String[] args) throws Exception {
    int probes = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    String mode = args.length > 2 ? args[2] : "freeze";
    Duration tick = mode.equals("kill") ? Duration.ofSeconds(1) : Duration.ofMillis(100);
    if (!Files.exists(JAR)) throw new IllegalStateException(JAR + " missing: mvn package first (run from the repo root)");
    Map<String, Instant> lost = new ConcurrentHashMap<>();
    Map<String, Instant> online = new ConcurrentHashMap<>();
    Map<String, Duration> silence = new ConcurrentHashMap<>();
    var sink = new FleetSink() {
      @Override public void transitions(List<FailureDetector.Transition> ts) {
        for (var t : ts) {
          if (t.to() == FailureDetector.State.LOST) {
            lost.put(t.node(), t.at());
            silence.put(t.node(), t.silence());
          } else if (t.to() == FailureDetector.State.ONLINE) {
            online.put(t.node(), t.at());
          }
        }
      }
    };
    var detector = new FailureDetector.Settings(Duration.ofSeconds(1), 2, Duration.ofMillis(200), 0.2, 10);
    try (Mosquitto broker = new Mosquitto("").start()) {
      FleetFacts facts = new FleetFacts();
      var settings = new HeartbeatSubscriber.Settings(broker.url(), "bench-detector", null, null, tick,
          Duration.ofMillis(100), Duration.ofSeconds(1), detector);
      Map<String, Process> running = new HashMap<>();
      // the product as 'edgewave run --mqtt-broker ...' starts it, on an embedded API server holding the probes'
      // Nodes, so a Lost verdict also writes its Node condition as in production
      try (EmbeddedApiServer api = new EmbeddedApiServer()) {
        for (int i = 0; i < probes; i++) {
          api.client().nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata()
              .withName(node(i)).endMetadata().build()).create();
        }
      try (Assembly sub = Assembly.start(OperatorConfig.parse(Map.of("leader-election", "false", "port", "0",
          "mqtt-broker", broker.url()), Map.of()), Assembly.Wiring.on(api.client(), Clock.systemUTC())
          .sharing(new EdgewaveMetrics(), facts).heartbeats(settings).alsoTelling(sink))) {
        for (int i = 0; i < probes; i++) running.put(node(i), probe(broker.url(), node(i)));
        waitUntil(() -> facts.view().size() == probes, Duration.ofSeconds(60), "every probe heard from");
        Thread.sleep(4000); // past the start-up quiet period of one T
        List<Double> freezeFromKill = new ArrayList<>();
        List<Double> freezeFromLast = new ArrayList<>();
        List<Double> killFromKill = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
          String node = node(r % probes);
          boolean freeze = mode.equals("freeze");
          Process p = running.get(node);
          lost.remove(node);
          Instant at = Instant.now();
          if (freeze) signal(p, "STOP");
          else p.destroyForcibly();
          waitUntil(() -> lost.containsKey(node), Duration.ofSeconds(20), "verdict on " + node);
          double fromKill = Duration.between(at, lost.get(node)).toMillis() / 1000.0;
          if (freeze) {
            freezeFromKill.add(fromKill);
            freezeFromLast.add(silence.get(node).toMillis() / 1000.0);
          } else {
            killFromKill.add(fromKill);
          }
          online.remove(node);
          if (freeze) {
            signal(p, "CONT");
          } else {
            p.waitFor();
            running.put(node, probe(broker.url(), node));
          }
          waitUntil(() -> online.containsKey(node), Duration.ofSeconds(30), node + " back online");
          Thread.sleep(300);
        }
        System.out.printf("probes %d, rounds %d, h = 1 s, k = 2, J = 0.2 s (T = 3.2 s), detector tick %d ms%n%n", probes,
            rounds, tick.toMillis());
        if (mode.equals("freeze")) {
          System.out.println("| failure | samples | p50 s | p99 s | max s | p50 / p99 / max at h = 10 s (x10) |");
          System.out.println("| --- | --- | --- | --- | --- | --- |");
          row("freeze (SIGSTOP): freeze to Lost", freezeFromKill, 10);
          row("freeze (SIGSTOP): last heartbeat to Lost", freezeFromLast, 10);
        } else {
          System.out.println("| failure | samples | p50 s | p99 s | max s | (not scaled: broker-driven) |");
          System.out.println("| --- | --- | --- | --- | --- | --- |");
          row("kill -9: kill to Lost (the broker's will)", killFromKill, 1);
        }
      } finally {
        for (Process p : running.values()) {
          signal(p, "CONT");
          p.destroyForcibly();
        }
      }
      }
    }
  }

  static void row(String what, List<Double> samples, int scale) {
    double[] s = Stats.sorted(samples);
    System.out.printf("| %s | %d | %.2f | %.2f | %.2f | %.1f / %.1f / %.1f |%n", what, s.length, Stats.percentile(s, 0.5),
        Stats.percentile(s, 0.99), s[s.length - 1], scale * Stats.percentile(s, 0.5), scale * Stats.percentile(s, 0.99),
        scale * s[s.length - 1]);
  }

  static String node(int i) { return String.format("bench-%03d", i); }

  static Process probe(String broker, String node) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(java, "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString(),
        "--broker", broker, "--node", node, "--interval", "1s", "--backoff-min", "100ms", "--backoff-max", "1s",
        "--keep-alive", "2s").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }

  static void signal(Process p, String sig) throws Exception {
    new ProcessBuilder("kill", "-" + sig, String.valueOf(p.pid())).start().waitFor();
  }

  interface Check { boolean ok() throws Exception; }

  static void waitUntil(Check c, Duration max, String what) throws Exception {
    Instant end = Instant.now().plus(max);
    while (!c.ok()) {
      if (Instant.now().isAfter(end)) throw new IllegalStateException("timed out waiting for " + what);
      Thread.sleep(20);
    }
  }
}
