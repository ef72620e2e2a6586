package io.edgewave.bench;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.demo.EmbeddedApiServer;
import io.edgewave.operator.demo.SimulatedFleet;
import io.edgewave.operator.demo.SimulatedKubelet;
import io.edgewave.operator.fleet.FailureDetector;
import io.edgewave.operator.fleet.FleetFacts;
import io.edgewave.operator.fleet.NodeFacts;
import io.edgewave.operator.rollout.NodeView;
import io.edgewave.protocol.Heartbeat;
import io.fabric8.kubernetes.api.model.Node;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Operator memory.
 * <ul>
 *   <li>{@code operator N}: the real operator jar in its own JVM against an embedded API server holding N nodes
 *       (in this JVM, with the simulated kubelet), a rollout running; heap live after a full GC (jcmd), RSS, CPU.</li>
 *   <li>{@code model}: what grows with tracked nodes, at 1,000 / 10,000 / 100,000: the Node objects the informer
 *       holds plus the detector's and the probe facts' state per node, then also one release's Deployment and pod
 *       per node. Measured as heap after full GC, here, with the same classes the operator uses.</li>
 * </ul>
 */
public final class MemoryBench {
  private MemoryBench() {}

  public static void main(String[] args) throws Exception {
    Stats.exitAfter(() -> run(args));
  }

  static void run(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("operator")) {
      operator(args.length > 1 ? Integer.parseInt(args[1]) : 10_000);
    } else {
      model();
    }
  }

  static long liveHeap() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static void model() throws Exception {
    System.out.println("| tracked nodes | Nodes + detector + facts MiB | per node KiB | + one release (Deployment + pod per node) MiB | per node KiB |");
    System.out.println("| --- | --- | --- | --- | --- |");
    EdgeRelease er = Fixtures.scanUpload();
    for (int n : new int[] {1_000, 10_000, 100_000}) {
      long base = liveHeap();
      List<Node> nodes = SimulatedFleet.nodes(n, 0, Math.max(1, n / 4));
      FailureDetector d = new FailureDetector(FailureDetector.Settings.DEFAULTS, Fixtures.T0);
      FleetFacts facts = new FleetFacts();
      Instant now = Fixtures.T0;
      for (Node node : nodes) {
        String name = node.getMetadata().getName();
        d.onHeartbeat(name, "boot-" + name.hashCode(), 10_000, now);
        Heartbeat h = new Heartbeat(Heartbeat.VERSION, name, 1, "boot", now.toEpochMilli(), 10_000, 1000.0, 0.3,
            8L << 30, 5L << 30, 80L << 30, List.of(), List.of(), Map.of());
        facts.put(name, NodeFacts.of(h, now));
      }
      long tracked = liveHeap() - base;
      Map<String, NodeView> views = new HashMap<>();
      for (Node node : nodes) {
        String name = node.getMetadata().getName();
        views.put(name, new NodeView(name, node.getMetadata().getLabels(), true, "3cb6d91fde",
            NodeView.PodState.READY, null, now, null));
      }
      var deployments = Fixtures.deployments(er, views, new HashMap<>());
      var pods = Fixtures.pods(er, views);
      views = null;
      long withRelease = liveHeap() - base;
      System.out.printf("| %,d | %.1f | %.2f | %.1f | %.2f |%n", n, tracked / 1048576.0, tracked / 1024.0 / n,
          withRelease / 1048576.0, withRelease / 1024.0 / n);
      // keep everything reachable until measured
      if (nodes.size() + deployments.size() + pods.size() + d.size() + facts.view().size() < 0) System.out.println();
    }
  }

  static void operator(int n) throws Exception {
    Path jar = Path.of("cloud-operator/target/edgewave.jar");
    if (!Files.exists(jar)) throw new IllegalStateException(jar + " missing: mvn package first (run from the repo root)");
    try (EmbeddedApiServer api = new EmbeddedApiServer(io.edgewave.operator.api.CrdYaml.generate())) {
      api.createNamespace("logistics");
      long t0 = System.nanoTime();
      SimulatedFleet.create(api.client(), SimulatedFleet.nodes(n, 0, Math.max(1, n / 4)));
      System.out.printf("%,d Nodes created in %.0f s%n", n, (System.nanoTime() - t0) / 1e9);
      Path kubeconfig = Files.createTempFile("bench-kubeconfig", ".yaml");
      Files.writeString(kubeconfig, """
          apiVersion: v1
          kind: Config
          clusters: [{name: mock, cluster: {server: "%s"}}]
          users: [{name: bench, user: {token: bench}}]
          contexts: [{name: bench, context: {cluster: mock, user: bench, namespace: logistics}}]
          current-context: bench
          """.formatted(api.url()));
      try (SimulatedKubelet kubelet = new SimulatedKubelet(api.client(), Clock.systemUTC(), 1, 300, 2500, 0).start()) {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-jar", jar.toString(), "run", "--leader-election", "false",
            "--port", "0").redirectErrorStream(true).redirectOutput(Path.of("/tmp/edgewave-bench-operator.log").toFile());
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        Process op = pb.start();
        try {
          EdgeRelease er = Fixtures.scanUpload();
          er.getSpec().getStrategy().getWaves().forEach(w -> w.setApproval(null));
          er.getSpec().getStrategy().getWaves().forEach(w -> w.setBakeTime(null));
          api.client().resource(er).create();
          Instant deadline = Instant.now().plus(Duration.ofMinutes(30));
          int updated = 0;
          while (updated < n / 5) {
            Thread.sleep(2000);
            if (!op.isAlive()) throw new IllegalStateException("operator exited; see /tmp/edgewave-bench-operator.log");
            if (Instant.now().isAfter(deadline)) throw new IllegalStateException("rollout too slow: " + updated);
            var s = api.client().resources(EdgeRelease.class).inNamespace("logistics").withName("scan-upload").get().getStatus();
            updated = s == null || s.getTotals() == null ? 0 : s.getTotals().getUpdated();
          }
          exec("jcmd", String.valueOf(op.pid()), "GC.run");
          String info = exec("jcmd", String.valueOf(op.pid()), "GC.heap_info");
          Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
          long usedK = m.find() ? Long.parseLong(m.group(1)) : -1;
          long rssK = -1;
          for (String line : Files.readAllLines(Path.of("/proc/" + op.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) rssK = Long.parseLong(line.replaceAll("[^0-9]", ""));
          }
          System.out.println("| nodes tracked | nodes updated when measured | heap live after full GC MiB | RSS MiB | operator CPU s so far |");
          System.out.println("| --- | --- | --- | --- | --- |");
          System.out.printf("| %,d | %,d | %.0f | %.0f | %.1f |%n", n, updated, usedK / 1024.0, rssK / 1024.0,
              Mosquitto.cpuSeconds(op.pid()));
        } finally {
          op.destroy();
          op.waitFor();
        }
      }
    }
  }

  static String exec(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }
}
