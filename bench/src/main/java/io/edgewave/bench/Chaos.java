package io.edgewave.bench;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.EdgeReleaseSpec;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.demo.AuditedApi;
import io.edgewave.operator.demo.EmbeddedApiServer;
import io.edgewave.operator.demo.SimulatedFleet;
import io.edgewave.operator.demo.SimulatedKubelet;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The operator as real processes (the shipped jar) against an embedded API server with a simulated kubelet, killed
 * with kill -9 again and again during a rollout:
 * <ul>
 *   <li>{@code crash}: one operator, killed at random points (every 2 to 6 s) and restarted at once;</li>
 *   <li>{@code leaders}: two operators with leader election (Lease 3 s, renew deadline 2 s, retry 0.5 s); the
 *       leader, whoever it is, is killed every 3 to 5 s and a new replica started.</li>
 * </ul>
 * The API server records who wrote what (each replica has its own bearer token) and every Lease change. Checked at
 * the end: the rollout succeeds; no node got the same revision twice; no wave started before the previous one's
 * last pod was Ready plus its bake time; no write by a replica while another held the Lease.
 * Usage: Chaos crash|leaders [nodes]
 */
public final class Chaos {
  static final String SPEC = """
      workload:
        template:
          metadata: {labels: {app: scan-upload}}
          spec: {containers: [{name: app, image: "reg/scan-upload:2.4.1"}]}
      targets:
        selector: {matchLabels: {edgewave.io/class: transit-center}}
      strategy:
        waves:
        - {name: canary, size: "1%%", bakeTime: 2s}
        - {name: early, size: "9%%", bakeTime: 2s}
        - {name: broad, size: "40%%", bakeTime: 2s}
        - {name: rest}
        progressDeadline: 10m
      """;
  static final Path JAR = Path.of("cloud-operator/target/edgewave.jar");

  private Chaos() {}

  public static void main(String[] args) throws Exception {
    Stats.exitAfter(() -> run(args));
  }

  static void run(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "crash";
    int nodes = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    boolean leaders = mode.equals("leaders");
    AuditedApi audit = new AuditedApi();
    Random random = new Random(7);
    try (EmbeddedApiServer api = new EmbeddedApiServer(io.edgewave.operator.api.CrdYaml.generate(), audit)) {
      api.createNamespace("logistics");
      SimulatedFleet.create(api.client(), SimulatedFleet.nodes(nodes, 0, Math.max(1, nodes / 4)));
      try (SimulatedKubelet kubelet = new SimulatedKubelet(api.client(), Clock.systemUTC(), 3, 100, 600, 0).start()) {
        List<Process> replicas = new ArrayList<>();
        Map<Process, String> names = new HashMap<>();
        int[] counter = {0};
        java.util.function.Supplier<Process> launch = () -> {
          try {
            String name = "replica-" + (++counter[0]);
            Process p = operator(api.url(), name, leaders);
            names.put(p, name);
            return p;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };
        replicas.add(launch.get());
        if (leaders) replicas.add(launch.get());
        EdgeRelease er = new EdgeRelease();
        er.getMetadata().setName("scan-upload");
        er.getMetadata().setNamespace("logistics");
        er.setSpec(Serialization.unmarshal(SPEC.formatted(), EdgeReleaseSpec.class));
        Instant start = Instant.now();
        api.client().resource(er).create();
        int kills = 0;
        Instant deadline = start.plus(Duration.ofMinutes(30));
        while (true) {
          long pause = leaders ? 3000 + random.nextInt(2000) : 2000 + random.nextInt(4000);
          Thread.sleep(pause);
          var s = api.client().resources(EdgeRelease.class).inNamespace("logistics").withName("scan-upload").get().getStatus();
          if (s != null && s.getPhase() == Phase.Succeeded) break;
          if (Instant.now().isAfter(deadline)) throw new IllegalStateException("no success in 30 minutes: " + (s == null ? null : s.getMessage()));
          Process victim;
          if (leaders) {
            String holder = audit.holderAt(Instant.now());
            victim = replicas.stream().filter(p -> names.get(p).equals(holder)).findFirst().orElse(null);
            if (victim == null) continue; // between leaders: nobody to kill
          } else {
            victim = replicas.get(0);
          }
          victim.destroyForcibly().waitFor();
          kills++;
          replicas.remove(victim);
          replicas.add(launch.get());
          System.out.printf("[%5.1fs] killed %s (kill -9) at %s, %s; started %s%n",
              Duration.between(start, Instant.now()).toMillis() / 1000.0, names.get(victim),
              s == null ? "-" : s.getPhase(), s == null ? "-" : s.getCurrentWaveName(), names.get(replicas.get(replicas.size() - 1)));
        }
        double wall = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        for (Process p : replicas) p.destroyForcibly().waitFor();
        report(mode, nodes, kills, wall, api, kubelet, audit, leaders);
      }
    }
  }

  static void report(String mode, int nodes, int kills, double wall, EmbeddedApiServer api, SimulatedKubelet kubelet,
      AuditedApi audit, boolean leaders) {
    var s = api.client().resources(EdgeRelease.class).inNamespace("logistics").withName("scan-upload").get().getStatus();
    String revision = s.getRevision();
    Map<String, Long> twice = kubelet.dispatches().stream().filter(d -> d.revision().equals(revision))
        .collect(Collectors.groupingBy(SimulatedKubelet.Dispatch::node,
            Collectors.mapping(SimulatedKubelet.Dispatch::dispatchedAt, Collectors.toSet())))
        .entrySet().stream().filter(e -> e.getValue().size() > 1)
        .collect(Collectors.toMap(Map.Entry::getKey, e -> (long) e.getValue().size()));
    WaveTimes times = WaveTimes.of(api, kubelet, "logistics", revision);
    List<String> names = s.getWaves().stream().map(w -> w.getName()).toList();
    int early = 0;
    for (int i = 1; i < names.size(); i++) {
      Instant gate = times.lastReady().get(names.get(i - 1)).plusSeconds(2); // bake 2 s
      if (times.firstSeen().get(names.get(i)).isBefore(gate.minusMillis(50))) early++; // 50 ms: the kubelet's own clock reads
    }
    long deposed = 0;
    long fenced = 0;
    for (AuditedApi.Write w : audit.writes()) {
      if (!w.who().startsWith("replica-") || !w.ofRollout()) continue;
      if (leaders && !w.who().equals(audit.holderAt(w.at()))) {
        if (w.code() < 300) deposed++;
        else fenced++;
      }
    }
    long conflicts = audit.writes().stream().filter(w -> w.who().startsWith("replica-") && w.code() == 409).count();
    System.out.printf("%n| mode | nodes | kills | wall s | phase | ready | same revision twice | waves started before gate + bake | writes by a non-holder (succeeded / refused) | 409s retried |%n");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    System.out.printf("| %s | %,d | %d | %.0f | %s | %d | %d | %d | %s | %d |%n", mode, nodes, kills, wall, s.getPhase(),
        s.getTotals().getReady(), twice.size(), early, leaders ? deposed + " / " + fenced : "n/a (one replica)", conflicts);
    if (!twice.isEmpty() || early > 0 || deposed > 0 || s.getTotals().getReady() != nodes) {
      System.out.println("INVARIANT BROKEN: " + twice + " early=" + early + " deposed=" + deposed);
      System.exit(1);
    }
  }

  static Process operator(String apiUrl, String name, boolean leaders) throws Exception {
    if (!Files.exists(JAR)) throw new IllegalStateException(JAR + " missing: mvn package first (run from the repo root)");
    Path kubeconfig = Files.createTempFile("chaos-" + name, ".yaml");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: mock, cluster: {server: "%s"}}]
        users: [{name: %s, user: {token: %s}}]
        contexts: [{name: c, context: {cluster: mock, user: %s, namespace: logistics}}]
        current-context: c
        """.formatted(apiUrl, name, name, name));
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString(), "run",
        "--port", "0", "--lease-namespace", "edgewave-system"));
    if (leaders) cmd.addAll(List.of("--lease-duration", "3s", "--renew-deadline", "2s", "--retry-period", "500ms"));
    else cmd.addAll(List.of("--leader-election", "false"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("/tmp/edgewave-chaos-" + name + ".log").toFile()));
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().put("POD_NAME", name);
    return pb.start();
  }
}
