package io.edgewave.operator.rollout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.demo.SimulatedFleet;
import io.edgewave.operator.fleet.FailureDetector;
import io.edgewave.operator.fleet.MosquittoBroker;
import io.edgewave.operator.fleet.NodeReadiness;
import io.edgewave.operator.fleet.ProbeProcess;
import io.edgewave.operator.ingest.HeartbeatSubscriber;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A whole site freezes in the middle of its wave: every probe JVM of the site is stopped (SIGSTOP: the TCP
 * connections stay open, nothing arrives, as when a site's uplink is cut behind a NAT that keeps them), with real
 * Mosquitto, nine real probe processes over three sites (three GPU boxes each, all updated by the release) and the
 * product. Timings compressed tenfold: h = 1 s, k = 2, J = 0.5 s, T = 3.5 s. The frozen site's pods never start (its
 * wave is mid-update when it goes dark).
 *
 * <p>Expected: one webhook message for the site listing its three nodes and no per-node loss message for them;
 * their Node conditions say SiteUnreachable; every silent node there runs the release, so nothing excuses them as
 * offline, and nothing fails them either: their wave waits, with no failure also once their progress deadline has
 * passed; after SIGCONT one "site back" message, and once their pods run the release succeeds with no failure.
 * {@link SiteLinkCutIT} has the other case: an edge node the release never touched goes silent with the boxes, so
 * they are offline and the release goes on without them.
 *
 * <p>And the other side of the rule: one updated box frozen during its bake while the not-updated boxes of its site
 * keep beating is the release's suspect, and halts it at once.
 */
class SiteFreezeIT {
  static final FailureDetector.Settings FAST = new FailureDetector.Settings(Duration.ofSeconds(1), 2,
      Duration.ofMillis(500), 0.2, 10);
  static final String SPEC = """
      workload:
        template:
          metadata: {labels: {app: camera-inference}}
          spec: {containers: [{name: inference, image: "reg/camera-inference:2.0.0"}]}
      targets:
        selector: {matchLabels: {edgewave.io/class: gpu-box}}
      strategy:
        waves:
        - {name: first, selector: {matchLabels: {edgewave.io/site: %s}}}
        - {name: second, selector: {matchLabels: {edgewave.io/site: %s}}}
        - {name: rest}
        progressDeadline: 2m
      """;

  @Test
  void aFrozenSiteIsOneAlertNoPerNodeAlertsNoRolloutFailuresItsWaveWaitsAndOneSiteBack() throws Exception {
    WebhookRobot robot = new WebhookRobot();
    List<ProbeProcess> probes = new ArrayList<>();
    try (MosquittoBroker broker = new MosquittoBroker().start();
         OperatorHarness h = OperatorHarness.sites(0, 9, 3)) {
      String first = SimulatedFleet.site(0);
      String second = SimulatedFleet.site(2);
      String dark = SimulatedFleet.site(1); // the last wave: a wave in front of others would hold without a Ready node
      List<String> darkNodes = h.nodeNames(n -> OperatorHarness.inSite(n, dark));
      assertEquals(3, darkNodes.size());
      robot.secretIn(h.client);
      for (String node : h.nodeNames(n -> true)) probes.add(new ProbeProcess(broker.url(), node));
      darkNodes.forEach(n -> h.kubelet.setDown(n, true)); // its pods will not start: the site goes dark mid-update
      h.startOperator(Map.of("mqtt-broker", broker.url(), "alert-webhooks", WebhookRobot.SECRET,
          "alert-window", "2s"), io.edgewave.operator.app.Assembly.Wiring.on(h.client, h.clock)
          .sharing(h.metrics, h.facts)
          .heartbeats(new HeartbeatSubscriber.Settings(broker.url(), "operator-it", null, null, Duration.ofMillis(100),
              Duration.ofMillis(100), Duration.ofSeconds(1), FAST)));
      await("every probe heard").atMost(Duration.ofSeconds(60)).until(() -> h.facts.view().size() == 9);
      // the Node writer's convergence passes mark them healthy and hand the site map to the site detector
      await("conditions True").atMost(Duration.ofSeconds(20)).until(() -> h.nodeNames(n -> true).stream()
          .allMatch(n -> "True".equals(status(h, n))));
      h.apply("camera-inference", OperatorHarness.spec(SPEC.formatted(first, second)));
      h.awaitRelease("camera-inference", er -> er.getStatus() != null && er.getStatus().getWaves() != null
          && er.getStatus().getWaves().size() == 3 && er.getStatus().getWaves().get(2).getStartedAt() != null,
          Duration.ofSeconds(60), "the dark site's wave started");
      Thread.sleep(FAST.tolerance(Duration.ofSeconds(1)).toMillis()); // one more convergence pass: the map is in

      Instant frozen = Instant.now();
      for (ProbeProcess p : probes) if (darkNodes.contains(p.node)) p.signal("STOP");
      await("site alert").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
          .until(() -> robot.alerts("SITE_UNREACHABLE").size() > 0);
      double detected = Duration.between(frozen, Instant.now()).toMillis() / 1000.0;
      await("conditions SiteUnreachable").atMost(Duration.ofSeconds(10)).until(() -> darkNodes.stream()
          .allMatch(n -> "SiteUnreachable".equals(reason(h, n))));
      h.pokeAndAwaitReconciles("camera-inference");
      EdgeRelease held = h.get("camera-inference");
      assertEquals(Phase.Progressing, held.getStatus().getPhase(), "the dark site's wave waits for it");
      assertEquals(0, held.getStatus().getTotals().getFailed(), "a dark site fails nothing");
      assertEquals(0, held.getStatus().getWaves().get(2).getOffline(), "not excused either: the release may be the cause");
      h.clock.advance(Duration.ofMinutes(10)); // far past their progress deadline
      h.pokeAndAwaitReconciles("camera-inference");
      assertEquals(0, h.get("camera-inference").getStatus().getTotals().getFailed(), "nor after their deadline");
      assertEquals(Phase.Progressing, h.get("camera-inference").getStatus().getPhase());

      List<JsonNode> site = robot.alerts("SITE_UNREACHABLE");
      assertEquals(1, site.size(), robot.posted().toString());
      assertEquals(dark, site.get(0).get("site").asText());
      List<String> listed = new ArrayList<>();
      site.get(0).get("nodes").forEach(n -> listed.add(n.asText()));
      assertEquals(darkNodes.stream().sorted().toList(), listed, "the page lists the site's nodes");
      assertTrue(robot.alerts("LOST").stream().noneMatch(a -> darkNodes.contains(a.get("node").asText())),
          "no per-node page for a node of the dark site: " + robot.posted());

      Instant thawed = Instant.now();
      for (ProbeProcess p : probes) if (darkNodes.contains(p.node)) p.signal("CONT");
      await("site back").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
          .until(() -> robot.alerts("SITE_BACK").size() > 0);
      double back = Duration.between(thawed, Instant.now()).toMillis() / 1000.0;
      await("conditions True again").atMost(Duration.ofSeconds(10)).until(() -> darkNodes.stream()
          .allMatch(n -> "True".equals(status(h, n))));
      assertEquals(1, robot.alerts("SITE_BACK").size());
      assertTrue(robot.alerts("BACK_ONLINE").isEmpty(), "its nodes were paged with the site: no back of their own");
      darkNodes.forEach(n -> h.kubelet.setDown(n, false)); // back: their pods start
      EdgeRelease done = h.awaitPhase("camera-inference", Phase.Succeeded, Duration.ofSeconds(60));
      assertEquals(0, done.getStatus().getTotals().getFailed(), "judged once back: nothing failed");
      System.out.printf("SiteFreezeIT: site %s (3 of 9 nodes) paged %.1f s after the freeze (T = %.1f s, alert"
          + " window 2 s); back %.1f s after the thaw%n", dark, detected,
          FAST.tolerance(Duration.ofSeconds(1)).toMillis() / 1000.0, back);
    } finally {
      for (ProbeProcess p : probes) p.close();
      robot.close();
    }
  }

  static final String CANARY = """
      workload:
        template:
          metadata: {labels: {app: camera-inference}}
          spec: {containers: [{name: inference, image: "reg/camera-inference:2.1.0"}]}
      targets:
        selector: {matchLabels: {edgewave.io/class: gpu-box}}
      strategy:
        waves:
        - {name: canary, size: "1", bakeTime: 30m}
        - {name: rest}
        progressDeadline: 30m
      """;

  @Test
  void anUpdatedBoxFrozenDuringItsBakeWhileItsSiteBeatsHaltsTheReleaseAtOnce() throws Exception {
    List<ProbeProcess> probes = new ArrayList<>();
    try (MosquittoBroker broker = new MosquittoBroker().start();
         OperatorHarness h = OperatorHarness.sites(0, 9, 3)) {
      for (String node : h.nodeNames(n -> true)) probes.add(new ProbeProcess(broker.url(), node));
      h.startOperator(new HeartbeatSubscriber.Settings(broker.url(), "operator-it", null, null, Duration.ofMillis(100),
          Duration.ofMillis(100), Duration.ofSeconds(1), FAST), new io.edgewave.operator.fleet.FleetSink() {
            @Override public void transitions(List<FailureDetector.Transition> t) { }
          });
      await("every probe heard").atMost(Duration.ofSeconds(60)).until(() -> h.facts.view().size() == 9);
      await("conditions True").atMost(Duration.ofSeconds(20)).until(() -> h.nodeNames(n -> true).stream()
          .allMatch(n -> "True".equals(status(h, n))));
      h.apply("camera-inference", OperatorHarness.spec(CANARY));
      EdgeRelease baking = h.awaitPhase("camera-inference", Phase.Baking, Duration.ofSeconds(60));
      String canary = h.revisions("camera-inference").keySet().iterator().next();
      assertEquals(1, h.revisions("camera-inference").size(), "only the canary is updated");
      Instant frozen = Instant.now();
      for (ProbeProcess p : probes) if (p.node.equals(canary)) p.signal("STOP");
      EdgeRelease halted = h.awaitPhase("camera-inference", Phase.Halted, Duration.ofSeconds(30));
      double after = Duration.between(frozen, Instant.now()).toMillis() / 1000.0;
      assertEquals(1, halted.getStatus().getTotals().getFailed());
      String reason = halted.getStatus().getFailures().get(0).getReason();
      assertTrue(reason.startsWith("NodeLostAfterUpdate: silent after the update while 2 of its site's not-updated"
          + " nodes keep beating"), reason);
      assertEquals("EdgeProbeLost", reason(h, canary), "one box of three is a box, not its site");
      System.out.printf("SiteFreezeIT: a frozen canary (its site beating) halted the release %.1f s after the"
          + " freeze, %s into a 30 min bake%n", after, Duration.between(Instant.parse(
              baking.getStatus().getWaves().get(0).getCompletedAt()), Instant.now()).toSeconds() + " s");
    } finally {
      for (ProbeProcess p : probes) p.close();
    }
  }

  static NodeCondition condition(OperatorHarness h, String node) {
    Node n = h.client.nodes().withName(node).get();
    if (n == null || n.getStatus() == null || n.getStatus().getConditions() == null) return null;
    return n.getStatus().getConditions().stream().filter(c -> NodeReadiness.PROBE_CONDITION.equals(c.getType()))
        .findFirst().orElse(null);
  }

  static String status(OperatorHarness h, String node) {
    NodeCondition c = condition(h, node);
    return c == null ? null : c.getStatus();
  }

  static String reason(OperatorHarness h, String node) {
    NodeCondition c = condition(h, node);
    return c == null ? null : c.getReason();
  }
}
