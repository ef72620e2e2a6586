package io.edgewave.operator.rollout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.app.Assembly;
import io.edgewave.operator.demo.SimulatedFleet;
import io.edgewave.operator.fleet.MosquittoBroker;
import io.edgewave.operator.fleet.SiteNamespace;
import io.edgewave.operator.ingest.HeartbeatSubscriber;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A site's uplink is cut, for real: the site's four probe JVMs (an edge node and three GPU boxes) run in a network namespace of their own, joined to
 * the broker's host by a veth pair, and the host's end of the link goes down. Packets vanish: the broker sees
 * silence first and fires the wills only when keep-alive runs out, as with a cut cable or a dead router at a
 * transit center. Same expectations as {@link SiteFreezeIT}: one site page listing its nodes, no per-node page,
 * conditions SiteUnreachable, no rollout failure at that site, one "site back" when the link returns. Skipped,
 * saying why, where network namespaces cannot be made (not root); {@link SiteFreezeIT} covers those machines.
 */
class SiteLinkCutIT {
  static final Path PROBE_JAR = Path.of("..", "edge-probe", "target", "edgewave-probe.jar");

  @Test
  void aCutUplinkIsOneSitePageNoPerNodePagesNoFailuresAndOneSiteBack() throws Exception {
    String why = SiteNamespace.problem();
    Assumptions.assumeTrue(why == null, why);
    assertTrue(Files.exists(PROBE_JAR), PROBE_JAR + " is missing: build edge-probe first");
    List<Process> probes = new ArrayList<>();
    try (WebhookRobot robot = new WebhookRobot();
         SiteNamespace site = SiteNamespace.create();
         MosquittoBroker broker = new MosquittoBroker().alsoListeningOn(siteHostIp(site)).start();
         OperatorHarness h = OperatorHarness.sites(3, 9, 3)) {
      String first = SimulatedFleet.site(0);
      String second = SimulatedFleet.site(2);
      String dark = SimulatedFleet.site(1);
      // a transit center's edge node and three GPU boxes: the release updates the boxes only, so when the edge node
      // goes silent with them the release cannot be the cause
      List<String> darkNodes = h.nodeNames(n -> OperatorHarness.inSite(n, dark));
      assertEquals(4, darkNodes.size());
      robot.secretIn(h.client);
      for (String node : h.nodeNames(n -> true)) {
        boolean inside = darkNodes.contains(node);
        probes.add(probe(inside ? broker.url(siteHostIp(site)) : broker.url(), node, inside ? site : null));
      }
      darkNodes.forEach(n -> h.kubelet.setDown(n, true)); // its pods will not start: the site goes dark mid-update
      h.startOperator(Map.of("mqtt-broker", broker.url(), "alert-webhooks", WebhookRobot.SECRET,
          "alert-window", "2s"), Assembly.Wiring.on(h.client, h.clock).sharing(h.metrics, h.facts)
          .heartbeats(new HeartbeatSubscriber.Settings(broker.url(), "operator-it", null, null, Duration.ofMillis(100),
              Duration.ofMillis(100), Duration.ofSeconds(1), SiteFreezeIT.FAST)));
      await("every probe heard, the site's through its link").atMost(Duration.ofSeconds(60))
          .until(() -> h.facts.view().size() == 12);
      await("conditions True").atMost(Duration.ofSeconds(20)).until(() -> h.nodeNames(n -> true).stream()
          .allMatch(n -> "True".equals(SiteFreezeIT.status(h, n))));
      h.apply("camera-inference", OperatorHarness.spec(SiteFreezeIT.SPEC.formatted(first, second)));
      h.awaitRelease("camera-inference", er -> er.getStatus() != null && er.getStatus().getWaves() != null
          && er.getStatus().getWaves().size() == 3 && er.getStatus().getWaves().get(2).getStartedAt() != null,
          Duration.ofSeconds(60), "the dark site's wave started");

      Instant cut = Instant.now();
      site.cut();
      await("site page").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> !robot.alerts("SITE_UNREACHABLE").isEmpty());
      double paged = Duration.between(cut, Instant.now()).toMillis() / 1000.0;
      await("conditions SiteUnreachable").atMost(Duration.ofSeconds(10)).until(() -> darkNodes.stream()
          .allMatch(n -> "SiteUnreachable".equals(SiteFreezeIT.reason(h, n))));
      EdgeRelease done = h.awaitPhase("camera-inference", Phase.Succeeded, Duration.ofSeconds(60));
      assertEquals(0, done.getStatus().getTotals().getFailed(), "a cut uplink is not the release's doing");
      assertEquals(3, done.getStatus().getWaves().get(2).getOffline());
      var sitePages = robot.alerts("SITE_UNREACHABLE");
      assertEquals(1, sitePages.size(), robot.posted().toString());
      assertEquals(dark, sitePages.get(0).get("site").asText());
      assertTrue(robot.alerts("LOST").stream().noneMatch(a -> darkNodes.contains(a.get("node").asText())),
          "no per-node page for a node behind the cut link: " + robot.posted());
      assertTrue(robot.alerts("OFFLINE").stream().noneMatch(a -> darkNodes.contains(a.get("node").asText())),
          "the wills that come later are not pages of their own: " + robot.posted());

      Instant restored = Instant.now();
      site.restore();
      await("site back").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> !robot.alerts("SITE_BACK").isEmpty());
      double back = Duration.between(restored, Instant.now()).toMillis() / 1000.0;
      try {
        await("conditions True again").atMost(Duration.ofSeconds(20)).until(() -> darkNodes.stream()
            .allMatch(n -> "True".equals(SiteFreezeIT.status(h, n))));
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        for (String n : darkNodes) {
          System.out.println("SiteLinkCutIT: " + n + " " + SiteFreezeIT.status(h, n) + " " + SiteFreezeIT.reason(h, n)
              + " facts " + h.facts.view().get(n));
        }
        System.out.println("SiteLinkCutIT: posted " + robot.posted());
        throw e;
      }
      assertEquals(1, robot.alerts("SITE_BACK").size(), robot.posted().toString());
      System.out.printf("SiteLinkCutIT: uplink of %s (4 of 12 nodes) cut: paged %.1f s after the cut (T = %.1f s,"
          + " alert window 2 s); back %.1f s after the link returned%n", dark, paged,
          SiteFreezeIT.FAST.tolerance(Duration.ofSeconds(1)).toMillis() / 1000.0, back);
    } finally {
      for (Process p : probes) p.destroyForcibly().waitFor();
    }
  }

  /** The host's end of the site's link: where the site's probes find the broker. */
  static String siteHostIp(SiteNamespace site) {
    return site.hostIp();
  }

  /** The real probe jar, inside the site's namespace when one is given. */
  static Process probe(String broker, String node, SiteNamespace site) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = List.of(java, "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar",
        PROBE_JAR.toAbsolutePath().toString(), "--broker", broker, "--node", node, "--interval", "1s",
        "--backoff-min", "200ms", "--backoff-max", "1s", "--connect-timeout", "2s");
    Path log = Path.of(System.getProperty("java.io.tmpdir"), "sitelinkcut-probe-" + node + ".log");
    return new ProcessBuilder(site == null ? cmd : site.exec(cmd)).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
  }
}
