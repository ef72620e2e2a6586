package io.edgewave.operator.fleet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.CrdYaml;
import io.edgewave.operator.app.Assembly;
import io.edgewave.operator.config.OperatorConfig;
import io.edgewave.operator.demo.AuditedApi;
import io.edgewave.operator.demo.EmbeddedApiServer;
import io.edgewave.operator.ingest.HeartbeatSubscriber;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two replicas with leader election, both subscribed to a real Mosquitto with real probe JVMs. A probe is frozen a
 * few seconds before the leader goes away; the standby, which kept its detector warm and wrote nothing, takes the
 * Lease and declares the box Lost no later than T plus the takeover after the freeze, instead of sitting out a
 * quiet period first. Timings compressed: h = 1 s, T = 3.5 s, Lease 3 s.
 */
class WarmStandbyIT {
  static final FailureDetector.Settings FAST = HeartbeatDetectionIT.FAST;
  static final Duration T = HeartbeatDetectionIT.T;
  static final Duration LEASE = Duration.ofSeconds(3);

  @Test
  void aStandbyThatTakesTheLeaseJudgesAtOnceFromWhatItHeardAndWroteNothingBefore() throws Exception {
    AuditedApi audit = new AuditedApi();
    List<ProbeProcess> probes = new ArrayList<>();
    Map<String, Assembly> replicas = new HashMap<>();
    List<KubernetesClient> clients = new ArrayList<>();
    try (MosquittoBroker broker = new MosquittoBroker().start();
         EmbeddedApiServer api = new EmbeddedApiServer(Files.readString(Path.of("..", "crds", CrdYaml.FILE_NAME)), audit)) {
      List<String> names = List.of("tc-standby-1", "tc-standby-2", "tc-standby-3");
      for (String n : names) {
        api.client().nodes().resource(new NodeBuilder().withNewMetadata().withName(n).endMetadata().build()).create();
        probes.add(new ProbeProcess(broker.url(), n));
      }
      for (String name : List.of("replica-a", "replica-b")) {
        KubernetesClient c = new KubernetesClientBuilder().withConfig(new ConfigBuilder(api.client().getConfiguration())
            .withOauthToken(name).build()).build();
        clients.add(c);
        OperatorConfig config = OperatorConfig.parse(Map.of("lease-namespace", "edgewave-system", "lease-duration", "3s",
            "renew-deadline", "2s", "retry-period", "500ms", "port", "0", "mqtt-broker", broker.url()),
            Map.of("POD_NAME", name));
        replicas.put(name, Assembly.start(config, Assembly.Wiring.on(c, Clock.systemUTC()).stayOnLostLease()
            .heartbeats(new HeartbeatSubscriber.Settings(broker.url(), "edgewave-operator-" + name, null, null,
                Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofSeconds(1), FAST))));
      }
      await("a leader").atMost(Duration.ofSeconds(30)).until(() -> audit.holderAt(Instant.now()) != null);
      String leader = audit.holderAt(Instant.now());
      String standby = leader.equals("replica-a") ? "replica-b" : "replica-a";
      await("both replicas hear every probe").atMost(Duration.ofSeconds(30)).until(() -> replicas.values().stream()
          .allMatch(r -> r.facts().view().keySet().containsAll(names)));
      // past the start-up quiet period of one T on both, so what follows is the warm path
      Thread.sleep(T.plusSeconds(1).toMillis());

      ProbeProcess frozen = probes.get(0);
      frozen.signal("STOP");
      Instant freeze = Instant.now();
      Thread.sleep(2000);
      replicas.remove(leader).close(); // as if killed: it renews no more
      await("the standby took the Lease").atMost(LEASE.plusSeconds(10))
          .until(() -> standby.equals(audit.holderAt(Instant.now())));
      Instant takeover = Instant.now();
      await("declared Lost by the new leader").atMost(T.plus(LEASE).plusSeconds(10)).pollInterval(Duration.ofMillis(50))
          .until(() -> "False".equals(status(api.client(), frozen.node)));
      Duration toVerdict = Duration.between(freeze, Instant.now());
      System.out.printf("WarmStandbyIT: frozen box declared Lost %.1f s after its freeze (leader gone 2.0 s after it,"
          + " Lease taken over %.1f s after the freeze); bound T + Lease = %.1f s%n", toVerdict.toMillis() / 1000.0,
          Duration.between(freeze, takeover).toMillis() / 1000.0, T.plus(LEASE).toMillis() / 1000.0);
      // the bound of the issue: T plus the takeover (which is itself at most a Lease after the leader's last renewal)
      assertTrue(toVerdict.compareTo(T.plus(Duration.between(freeze, takeover)).plusSeconds(2)) <= 0,
          "Lost " + toVerdict + " after the freeze; takeover " + Duration.between(freeze, takeover));
      assertEquals(List.of(), audit.byNonHolders("replica-"), "writes by a replica that did not hold the Lease");
      assertTrue(audit.writes().stream().anyMatch(w -> w.who().equals(standby) && w.path().startsWith("/api/v1/nodes")),
          "the new leader wrote the Node condition itself");
      frozen.signal("CONT");
    } finally {
      replicas.values().forEach(Assembly::close);
      clients.forEach(KubernetesClient::close);
      for (ProbeProcess p : probes) p.close();
    }
  }

  static String status(KubernetesClient client, String node) {
    Node n = client.nodes().withName(node).get();
    if (n == null || n.getStatus() == null || n.getStatus().getConditions() == null) return null;
    return n.getStatus().getConditions().stream().filter(c -> NodeReadiness.PROBE_CONDITION.equals(c.getType()))
        .map(NodeCondition::getStatus).findFirst().orElse(null);
  }
}
