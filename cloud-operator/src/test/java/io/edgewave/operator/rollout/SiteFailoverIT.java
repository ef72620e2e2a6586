package io.edgewave.operator.rollout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgewave.operator.api.CrdYaml;
import io.edgewave.operator.app.Assembly;
import io.edgewave.operator.config.OperatorConfig;
import io.edgewave.operator.demo.AuditedApi;
import io.edgewave.operator.demo.EmbeddedApiServer;
import io.edgewave.operator.demo.SimulatedFleet;
import io.edgewave.operator.fleet.MosquittoBroker;
import io.edgewave.operator.fleet.NodeReadiness;
import io.edgewave.operator.fleet.ProbeProcess;
import io.edgewave.operator.ingest.HeartbeatSubscriber;
import io.fabric8.kubernetes.api.model.Node;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Site incidents through a leader change, with three replicas, real Mosquitto and nine real probe JVMs over three
 * sites. One site goes dark and is paged by the leader; a second goes dark a second before the leader is killed, so
 * only a standby's warm detector saw it. The new leader continues the first incident (no second page, and its
 * "site back" when it returns) and pages the second as one site, not box by box; no node of either site is ever
 * written {@code EdgeProbeLost}. Timings compressed tenfold: h = 1 s, T = 3.5 s, Lease 3 s.
 */
class SiteFailoverIT {
  static final Duration T = SiteFreezeIT.FAST.tolerance(Duration.ofSeconds(1));

  @Test
  void aNewLeaderContinuesSiteIncidentsItsPredecessorPagedAndGroupsTheOnesOnlyItSaw() throws Exception {
    AuditedApi audit = new AuditedApi();
    List<ProbeProcess> probes = new ArrayList<>();
    Map<String, Assembly> replicas = new LinkedHashMap<>();
    List<KubernetesClient> clients = new ArrayList<>();
    ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
    Set<String> everLost = ConcurrentHashMap.newKeySet();
    java.util.concurrent.atomic.AtomicBoolean takenOver = new java.util.concurrent.atomic.AtomicBoolean();
    try (WebhookRobot robot = new WebhookRobot();
         MosquittoBroker broker = new MosquittoBroker().start();
         EmbeddedApiServer api = new EmbeddedApiServer(Files.readString(Path.of("..", "crds", CrdYaml.FILE_NAME)),
             audit)) {
      SimulatedFleet.create(api.client(), SimulatedFleet.nodes(0, 9, 3));
      robot.secretIn(api.client());
      String paged = SimulatedFleet.site(0);
      String unseen = SimulatedFleet.site(1);
      List<String> pagedNodes = new ArrayList<>();
      List<String> unseenNodes = new ArrayList<>();
      for (Node n : api.client().nodes().list().getItems()) {
        String name = n.getMetadata().getName();
        probes.add(new ProbeProcess(broker.url(), name));
        if (name.contains(paged)) pagedNodes.add(name);
        if (name.contains(unseen)) unseenNodes.add(name);
      }
      assertEquals(3, pagedNodes.size());
      for (String name : List.of("replica-a", "replica-b", "replica-c")) {
        KubernetesClient c = new KubernetesClientBuilder().withConfig(new ConfigBuilder(api.client().getConfiguration())
            .withOauthToken(name).build()).build();
        clients.add(c);
        OperatorConfig config = OperatorConfig.parse(Map.of("lease-namespace", "edgewave-system", "lease-duration", "3s",
            "renew-deadline", "2s", "retry-period", "500ms", "port", "0", "mqtt-broker", broker.url(),
            "alert-webhooks", WebhookRobot.SECRET, "alert-window", "1s"), Map.of("POD_NAME", name));
        replicas.put(name, Assembly.start(config, Assembly.Wiring.on(c, Clock.systemUTC()).stayOnLostLease()
            .heartbeats(new HeartbeatSubscriber.Settings(broker.url(), "edgewave-operator-" + name, null, null,
                Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofSeconds(1), SiteFreezeIT.FAST))));
      }
      await("a leader").atMost(Duration.ofSeconds(30)).until(() -> audit.holderAt(Instant.now()) != null);
      String leader = audit.holderAt(Instant.now());
      await("every replica hears every probe").atMost(Duration.ofSeconds(60)).until(() -> replicas.values().stream()
          .allMatch(r -> r.facts().view().size() == 9));
      await("conditions True").atMost(Duration.ofSeconds(20)).until(() -> api.client().nodes().list().getItems()
          .stream().allMatch(n -> "True".equals(status(n))));
      // from the takeover on, any EdgeProbeLost on a node of either site, however briefly, is a box written alone
      watcher.scheduleWithFixedDelay(() -> {
        if (!takenOver.get()) return;
        for (Node n : api.client().nodes().list().getItems()) {
          NodeCondition c = condition(n);
          if (c != null && "EdgeProbeLost".equals(c.getReason())) everLost.add(n.getMetadata().getName());
        }
      }, 0, 50, TimeUnit.MILLISECONDS);

      for (ProbeProcess p : probes) if (pagedNodes.contains(p.node)) p.signal("STOP");
      await("the leader pages the first site").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
          .until(() -> !sitePages(robot, paged).isEmpty());
      await("its nodes say SiteUnreachable").atMost(Duration.ofSeconds(10)).until(() -> pagedNodes.stream()
          .allMatch(n -> "SiteUnreachable".equals(reason(api.client(), n))));

      for (ProbeProcess p : probes) if (unseenNodes.contains(p.node)) p.signal("STOP");
      Instant frozen = Instant.now();
      Thread.sleep(1000);
      takenOver.set(true);
      replicas.remove(leader).close(); // as if killed: the second site's loss is not yet declared anywhere
      await("another replica took the Lease").atMost(Duration.ofSeconds(15))
          .until(() -> audit.holderAt(Instant.now()) != null && !leader.equals(audit.holderAt(Instant.now())));
      String next = audit.holderAt(Instant.now());
      Instant takeover = Instant.now();
      await("the new leader pages the second site").atMost(T.plusSeconds(10)).pollInterval(Duration.ofMillis(50))
          .until(() -> !sitePages(robot, unseen).isEmpty());
      Instant pagedAt = Instant.now();
      await("its nodes say SiteUnreachable").atMost(Duration.ofSeconds(10)).until(() -> unseenNodes.stream()
          .allMatch(n -> "SiteUnreachable".equals(reason(api.client(), n))));
      System.out.printf("SiteFailoverIT: a site frozen 1 s before the leader was killed paged by the new leader %.1f s"
          + " after its freeze, %.1f s after the takeover (T = %.1f s, Lease 3 s, alert window 1 s)%n",
          Duration.between(frozen, pagedAt).toMillis() / 1000.0, Duration.between(takeover, pagedAt).toMillis() / 1000.0,
          T.toMillis() / 1000.0);
      Thread.sleep(2000); // an alert window and more: a second page, if any, would be out
      assertEquals(1, sitePages(robot, paged).size(), "continued, not paged again: " + robot.posted());
      assertEquals(1, sitePages(robot, unseen).size(), robot.posted().toString());
      assertEquals(unseenNodes.stream().sorted().toList(), nodes(sitePages(robot, unseen).get(0)));
      List<String> dark = new ArrayList<>(pagedNodes);
      dark.addAll(unseenNodes);
      assertTrue(robot.alerts("LOST").stream().noneMatch(a -> dark.contains(a.get("node").asText())),
          "no box of a dark site paged alone: " + robot.posted());

      for (ProbeProcess p : probes) if (dark.contains(p.node)) p.signal("CONT");
      await("both sites back").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> siteBacks(robot, paged) == 1 && siteBacks(robot, unseen) == 1);
      await("conditions True again").atMost(Duration.ofSeconds(20)).until(() -> dark.stream()
          .allMatch(n -> "True".equals(status(api.client().nodes().withName(n).get()))));
      watcher.shutdownNow();
      assertEquals(Set.of(), everLost, "a node of a dark site was written EdgeProbeLost after the takeover");
      assertEquals(1, siteBacks(robot, paged), robot.posted().toString());
      assertTrue(robot.alerts("BACK_ONLINE").stream().noneMatch(a -> dark.contains(a.get("node").asText())),
          "back with their sites, not one by one: " + robot.posted());
      assertNotEquals(leader, next);
      assertEquals(List.of(), audit.byNonHolders("replica-"), "writes by a replica that did not hold the Lease");
    } finally {
      watcher.shutdownNow();
      replicas.values().forEach(Assembly::close);
      clients.forEach(KubernetesClient::close);
      for (ProbeProcess p : probes) p.close();
    }
  }

  static List<JsonNode> sitePages(WebhookRobot robot, String site) {
    return robot.alerts("SITE_UNREACHABLE").stream().filter(a -> site.equals(a.get("site").asText())).toList();
  }

  static long siteBacks(WebhookRobot robot, String site) {
    return robot.alerts("SITE_BACK").stream().filter(a -> site.equals(a.get("site").asText())).count();
  }

  static List<String> nodes(JsonNode alert) {
    List<String> out = new ArrayList<>();
    alert.get("nodes").forEach(n -> out.add(n.asText()));
    return out;
  }

  static NodeCondition condition(Node n) {
    if (n == null || n.getStatus() == null || n.getStatus().getConditions() == null) return null;
    return n.getStatus().getConditions().stream().filter(c -> NodeReadiness.PROBE_CONDITION.equals(c.getType()))
        .findFirst().orElse(null);
  }

  static String status(Node n) {
    NodeCondition c = condition(n);
    return c == null ? null : c.getStatus();
  }

  static String reason(KubernetesClient client, String node) {
    NodeCondition c = condition(client.nodes().withName(node).get());
    return c == null ? null : c.getReason();
  }
}
