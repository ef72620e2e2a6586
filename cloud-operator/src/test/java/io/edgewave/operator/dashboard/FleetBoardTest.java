package io.edgewave.operator.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.edgewave.operator.api.v1alpha1.EdgeReleaseStatus;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.dashboard.FleetBoard.Liveness;
import io.edgewave.operator.dashboard.FleetBoard.NodeRow;
import io.edgewave.operator.fleet.NodeFacts;
import io.edgewave.operator.rollout.NodeStaging;
import io.edgewave.operator.rollout.NodeView;
import io.edgewave.operator.rollout.NodeView.PodState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FleetBoardTest {
  static final Instant NOW = Instant.parse("2026-11-25T02:00:00Z");

  static NodeRow online(String name, String site) {
    return new NodeRow(name, site, Liveness.ONLINE, null, null, null, 0);
  }

  static NodeView on(String node, String revision, PodState pod) {
    // a failed pod here is one that crash-looped for good: the classifier the board shares with the rollout
    // does not call a pod failed on a first restart
    boolean failed = pod == PodState.FAILED;
    return new NodeView(node, Map.of(), true, revision, pod, failed ? "CrashLoopBackOff" : null, NOW, null, null,
        pod == PodState.READY ? NOW : null, failed ? 3 : 0, null);
  }

  static EdgeReleaseStatus status(Phase phase, String revision) {
    EdgeReleaseStatus s = new EdgeReleaseStatus();
    s.setPhase(phase);
    s.setRevision(revision);
    return s;
  }

  @Test
  void nodesAreOrderedBySiteThenNameAndEachSiteIsOneRun() {
    var board = FleetBoard.build(new FleetBoard.Input(List.of(), List.of(online("b-2", "beijing"), online("h-1", "hangzhou"),
        online("b-1", "beijing"), online("a-1", "anqing")), Map.of(), null, NOW));
    assertEquals(List.of("a-1", "b-1", "b-2", "h-1"), board.nodes());
    assertEquals(List.of(new FleetBoard.Site("anqing", 0, 1), new FleetBoard.Site("beijing", 1, 2),
        new FleetBoard.Site("hangzhou", 3, 1)), board.sites());
    assertEquals("....", board.liveness());
  }

  @Test
  void eachReleaseGivesOneCellPerNodeInFleetOrder() {
    List<NodeRow> nodes = List.of(online("n1", "s"), online("n2", "s"), online("n3", "s"), online("n4", "s"),
        online("n5", "s"), online("n6", "s"));
    Map<String, NodeView> views = new HashMap<>();
    views.put("n1", on("n1", "r2", PodState.READY));
    views.put("n2", on("n2", "r2", PodState.PENDING));
    views.put("n3", on("n3", "r2", PodState.FAILED));
    views.put("n4", on("n4", "r1", PodState.READY));
    views.put("n5", NodeView.fresh("n5", Map.of(), true));
    var release = new FleetBoard.ReleaseInput("ns", "app", status(Phase.Progressing, "r2"),
        Set.of("n1", "n2", "n3", "n4", "n5"), views);
    var board = FleetBoard.build(new FleetBoard.Input(List.of(release), nodes, Map.of(), null, NOW));
    assertEquals("UPFWW-", board.releases().get(0).cells());
  }

  @Test
  void anUpdatedBoxOfAnUnreachableSiteIsInProgressPastItsDeadlineWitnessedOrNot() {
    Map<String, String> site = Map.of("edgewave.io/site", "hangzhou-01");
    NodeView.Probe unreachable = new NodeView.Probe("False", "SiteUnreachable", NOW.minusSeconds(7200));
    // dispatched three hours ago: far past the default progress deadline, its pod never started
    NodeView box = new NodeView("box", site, false, "r2", PodState.PENDING, null, NOW.minusSeconds(10800), null, null,
        null, 0, null).withProbe(unreachable);
    NodeView edge = NodeView.fresh("edge", site, false).withProbe(unreachable);
    Map<String, NodeView> views = Map.of("box", box, "edge", edge);
    var rows = List.of(online("box", "hangzhou-01"), online("edge", "hangzhou-01"));
    var witnessed = new FleetBoard.ReleaseInput("ns", "app", status(Phase.Progressing, "r2"), Set.of("box"), views,
        io.edgewave.operator.rollout.NodeClassifier.siteEvidence(views.values(), Map.of(), "r2", "edgewave.io/site"));
    assertEquals("P-", FleetBoard.build(new FleetBoard.Input(List.of(witnessed), rows, Map.of(), null, NOW))
        .releases().get(0).cells(), "offline with its site, as the rollout counts it");
    var alone = new FleetBoard.ReleaseInput("ns", "app", status(Phase.Progressing, "r2"), Set.of("box"),
        Map.of("box", box), io.edgewave.operator.rollout.NodeClassifier.siteEvidence(List.of(box), Map.of(), "r2",
            "edgewave.io/site"));
    assertEquals("P-", FleetBoard.build(new FleetBoard.Input(List.of(alone), rows, Map.of(), null, NOW))
        .releases().get(0).cells(), "nothing but the release's own boxes went silent: held, never failed");
    // the same under another --site-label: the board reads sites where the rollout does
    Map<String, String> other = Map.of("example.com/site", "hangzhou-01");
    NodeView box2 = new NodeView("box", other, false, "r2", PodState.PENDING, null, NOW.minusSeconds(10800), null, null,
        null, 0, null).withProbe(unreachable);
    NodeView edge2 = NodeView.fresh("edge", other, false).withProbe(unreachable);
    Map<String, NodeView> views2 = Map.of("box", box2, "edge", edge2);
    var labelled = new FleetBoard.ReleaseInput("ns", "app", status(Phase.Progressing, "r2"), Set.of("box"), views2,
        io.edgewave.operator.rollout.NodeClassifier.siteEvidence(views2.values(), Map.of(), "r2", "example.com/site"),
        "example.com/site");
    assertEquals("P-", FleetBoard.build(new FleetBoard.Input(List.of(labelled), rows, Map.of(), null, NOW))
        .releases().get(0).cells());
  }

  @Test
  void withStagingTheCardCountsNodesByStateWithAtMostTwentySortedSamplesEachButNoneOfTheStaged() throws Exception {
    Map<String, NodeStaging> staging = new HashMap<>();
    for (int i = 29; i >= 0; i--) staging.put(String.format("budget-%02d", i), new NodeStaging(NodeStaging.State.BUDGET, null));
    for (int i = 0; i < 40; i++) staging.put("ok-" + i, new NodeStaging(NodeStaging.State.STAGED, null));
    staging.put("f-2", new NodeStaging(NodeStaging.State.FAILED, "reg/app:2.0: unauthorized"));
    staging.put("f-1", new NodeStaging(NodeStaging.State.FAILED, "reg/app:2.0: manifest unknown"));
    staging.put("away", new NodeStaging(NodeStaging.State.OFFLINE, null));
    var release = new FleetBoard.ReleaseInput("ns", "app", status(Phase.Progressing, "r2"), Set.of(), Map.of(), null,
        null, staging);
    var card = FleetBoard.build(new FleetBoard.Input(List.of(release), List.of(), Map.of(), null, NOW)).releases().get(0);

    assertEquals(73, card.staging().nodes());
    assertEquals(List.of("staged 40 []", "failed 2 [f-1, f-2]", "budget 30 [budget-00, budget-01, budget-02, budget-03, "
        + "budget-04, budget-05, budget-06, budget-07, budget-08, budget-09, budget-10, budget-11, budget-12, budget-13, "
        + "budget-14, budget-15, budget-16, budget-17, budget-18, budget-19]", "offline 1 [away]"),
        card.staging().states().stream().map(c -> c.state() + " " + c.count() + " "
            + c.samples().stream().map(FleetBoard.StagingSample::node).toList()).toList());
    assertEquals(new FleetBoard.StagingSample("f-1", "reg/app:2.0: manifest unknown"),
        card.staging().states().get(1).samples().get(0), "a failed node comes with its image and error");
    var json = BoardReader.JSON.readTree(BoardReader.JSON.writeValueAsBytes(card));
    assertEquals("reg/app:2.0: unauthorized", json.at("/staging/states/1/samples/1/detail").asText());

    var plain = new FleetBoard.ReleaseInput("ns", "app", status(Phase.Progressing, "r2"), Set.of(), Map.of());
    assertNull(FleetBoard.build(new FleetBoard.Input(List.of(plain), List.of(), Map.of(), null, NOW)).releases().get(0)
        .staging(), "without staging the card has no staging summary");
  }

  @Test
  void nodesBackOnThePreviousRevisionShowRolledBack() {
    var views = Map.of("n1", on("n1", "r1", PodState.READY), "n2", on("n2", "r2", PodState.FAILED));
    var release = new FleetBoard.ReleaseInput("ns", "app", status(Phase.RolledBack, "r2"), Set.of("n1", "n2"), views);
    var board = FleetBoard.build(new FleetBoard.Input(List.of(release), List.of(online("n1", "s"), online("n2", "s")),
        Map.of(), null, NOW));
    assertEquals("RF", board.releases().get(0).cells());
  }

  @Test
  void anInvalidReleaseTargetsNothingAndShowsAsPending() {
    var release = new FleetBoard.ReleaseInput("ns", "bad", null, null, Map.of());
    var board = FleetBoard.build(new FleetBoard.Input(List.of(release), List.of(online("n1", "s")), Map.of(), null, NOW));
    assertEquals("-", board.releases().get(0).cells());
    assertEquals("Pending", board.releases().get(0).phase());
  }

  @Test
  void lostTableListsLostBeforeOfflineNewestFirstWithLastHeartbeatAndGpuFacts() {
    List<NodeRow> nodes = List.of(
        new NodeRow("gpu-1", "s", Liveness.LOST, NOW.minusSeconds(300), "EdgeProbeLost", "m", 1),
        new NodeRow("gpu-2", "s", Liveness.LOST, NOW.minusSeconds(60), "EdgeProbeLost", "m", 2),
        new NodeRow("tc-1", "s", Liveness.OFFLINE, NOW.minusSeconds(10), "EdgeProbeOffline", "m", 0),
        online("tc-2", "s"));
    var facts = Map.of("gpu-1", new NodeFacts(NOW.minusSeconds(330), null, null, 1, List.of("535.104.05"), Map.of()));
    var board = FleetBoard.build(new FleetBoard.Input(List.of(), nodes, facts, null, NOW));
    assertEquals(List.of("gpu-2", "gpu-1", "tc-1"), board.lost().stream().map(FleetBoard.LostNode::node).toList());
    var gpu1 = board.lost().get(1);
    assertEquals(NOW.minusSeconds(330), gpu1.lastSeen());
    assertEquals(330L, gpu1.silentSeconds());
    assertEquals(List.of("535.104.05"), gpu1.gpuDrivers());
    var gpu2 = board.lost().get(0);
    assertNull(gpu2.lastSeen(), "no heartbeat seen by this replica");
    assertEquals(2, gpu2.gpus(), "falls back to the Node's nvidia.com/gpu capacity");
    assertEquals("LLO.", board.liveness());
    assertEquals(Map.of("nodes", 4, "online", 1, "lost", 2, "offline", 1), board.counts());
  }

  @Test
  void lostTableIsCappedButCountsEveryLostNode() {
    List<NodeRow> nodes = new ArrayList<>();
    for (int i = 0; i < FleetBoard.LOST_ROWS + 37; i++) {
      nodes.add(new NodeRow(String.format("n-%04d", i), "s", Liveness.LOST, NOW.minusSeconds(i), "EdgeProbeLost", null, 0));
    }
    var board = FleetBoard.build(new FleetBoard.Input(List.of(), nodes, Map.of(), null, NOW));
    assertEquals(FleetBoard.LOST_ROWS, board.lost().size());
    assertEquals(FleetBoard.LOST_ROWS + 37, board.lostTotal());
    assertEquals("n-0000", board.lost().get(0).node());
  }

  @Test
  void theSiteViewPutsUnreachableSitesFirstWithTheirLostNodes() {
    Instant t = NOW.minusSeconds(60);
    var board = FleetBoard.build(new FleetBoard.Input(List.of(), List.of(online("a-1", "anqing"),
        new NodeRow("hz-1", "hangzhou", Liveness.LOST, t, "SiteUnreachable", "site hangzhou unreachable", 0),
        new NodeRow("hz-2", "hangzhou", Liveness.LOST, t, "SiteUnreachable", "site hangzhou unreachable", 0),
        online("hz-3", "hangzhou"),
        new NodeRow("bj-1", "beijing", Liveness.LOST, t, "EdgeProbeLost", "connection dropped without a goodbye", 0),
        online("bj-2", "beijing")), java.util.Map.of(), null, NOW));
    assertEquals(List.of(new FleetBoard.SiteHealth("hangzhou", 3, 2, true), new FleetBoard.SiteHealth("beijing", 2, 1, false),
        new FleetBoard.SiteHealth("anqing", 1, 0, false)), board.siteHealth());
    assertEquals("connection dropped without a goodbye", board.lost().stream().filter(l -> l.node().equals("bj-1"))
        .findFirst().orElseThrow().message(), "the lost table says what was seen");
  }
}
