package io.edgewave.operator.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.fleet.FailureDetector.State;
import io.edgewave.operator.fleet.FailureDetector.Verdict;
import io.edgewave.operator.fleet.NodeConditionPlanner.Condition;
import io.edgewave.operator.fleet.NodeConditionPlanner.ObservedNode;
import io.edgewave.operator.fleet.NodeConditionPlanner.Plan;
import io.edgewave.operator.fleet.NodeConditionPlanner.Write;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeConditionPlannerTest {
  static final Instant SEEN = Instant.parse("2026-12-01T00:00:00Z");
  static final Condition TRUE = new Condition("True", NodeConditionPlanner.HEARTBEAT);
  static final Condition FALSE = new Condition("False", NodeConditionPlanner.LOST);
  static final Verdict BEATING = new Verdict(State.ONLINE, true, false, SEEN);
  static final Verdict LOST = new Verdict(State.LOST, true, true, SEEN);

  static Plan plan(Map<String, Condition> nodes, Map<String, Verdict> verdicts) {
    return plan(nodes, verdicts, Set.of(), Set.of());
  }

  static Plan plan(Map<String, Condition> nodes, Map<String, Verdict> verdicts, Set<String> previous, Set<String> backingOff) {
    List<ObservedNode> observed = new ArrayList<>();
    nodes.forEach((n, c) -> observed.add(new ObservedNode(n, c)));
    return NodeConditionPlanner.plan(observed, verdicts, previous, backingOff);
  }

  static Map<String, Condition> nodes(Object... nameThenCondition) {
    Map<String, Condition> out = new HashMap<>();
    for (int i = 0; i < nameThenCondition.length; i += 2) out.put((String) nameThenCondition[i], (Condition) nameThenCondition[i + 1]);
    return out;
  }

  @Test
  void clearsAStaleFalseLeftByAPreviousLeaderOnceTheNodeBeats() {
    Plan p = plan(nodes("a", FALSE), Map.of("a", BEATING));
    assertEquals(List.of("a"), p.writes().stream().map(Write::node).toList());
    assertEquals("True", p.writes().get(0).status());
    assertEquals(NodeConditionPlanner.HEARTBEAT, p.writes().get(0).reason());
  }

  @Test
  void leavesANodeTheDetectorHasNotHeardFromAlone() {
    assertTrue(plan(nodes("a", FALSE, "b", null), Map.of()).empty(), "no verdict: no write, no watch");
    var willOnly = new Verdict(State.ONLINE, false, true, SEEN);
    assertEquals(List.of(), plan(nodes("a", FALSE, "b", null), Map.of("a", willOnly, "b", willOnly)).writes(),
        "online without a heartbeat is a presumption, not evidence");
  }

  @Test
  void watchesANodeAnotherLeaderMarkedHealthyButNotOneItMarkedLost() {
    Plan p = plan(nodes("healthy", TRUE, "paged", FALSE, "bare", null), Map.of());
    assertEquals(List.of("healthy"), p.expect());
    assertEquals(List.of(), p.writes());
  }

  @Test
  void writesAgainAConditionAnotherWriterRemoved() {
    Plan p = plan(nodes("up", null, "down", null), Map.of("up", BEATING, "down", LOST));
    Map<String, String> written = new HashMap<>();
    p.writes().forEach(w -> written.put(w.node(), w.status() + "/" + w.reason()));
    assertEquals(Map.of("up", "True/EdgeProbeHeartbeat", "down", "False/EdgeProbeLost"), written);
  }

  @Test
  void writesNothingWhenTheStatusAlreadyAgreesWhateverTheReason() {
    Plan p = plan(nodes("a", new Condition("True", "EdgeProbeRebooted"), "b", FALSE, "c", new Condition("False", "EdgeProbeOffline")),
        Map.of("a", BEATING, "b", LOST, "c", LOST));
    assertTrue(p.empty(), p.toString());
  }

  @Test
  void writesFalseForLostAndOfflineNodesMarkedHealthy() {
    Plan p = plan(nodes("lost", TRUE, "gone", TRUE),
        Map.of("lost", LOST, "gone", new Verdict(State.OFFLINE, true, false, SEEN)));
    Map<String, String> written = new HashMap<>();
    p.writes().forEach(w -> written.put(w.node(), w.status() + "/" + w.reason()));
    assertEquals(Map.of("lost", "False/EdgeProbeLost", "gone", "False/EdgeProbeOffline"), written);
  }

  @Test
  void doesNotClearAFalseForANodeThatIsSilentWhileTheGuardHoldsIt() {
    var heldSilent = new Verdict(State.ONLINE, true, true, SEEN);
    assertTrue(plan(nodes("a", FALSE, "b", null), Map.of("a", heldSilent, "b", heldSilent)).empty());
  }

  @Test
  void skipsANodeWhoseWritesAreBackingOff() {
    Plan p = plan(nodes("a", FALSE, "b", FALSE), Map.of("a", BEATING, "b", BEATING), Set.of(), Set.of("a"));
    assertEquals(List.of("b"), p.writes().stream().map(Write::node).toList());
  }

  @Test
  void forgetsOnlyNodesWhoseNodeExistedAtThePreviousPassAndIsGone() {
    Map<String, Verdict> v = Map.of("deleted", LOST, "kept", BEATING, "neverANode", BEATING);
    Plan first = plan(nodes("kept", TRUE), v, Set.of(), Set.of());
    assertEquals(List.of(), first.forget(), "the first pass has nothing to compare with");
    Plan next = plan(nodes("kept", TRUE), v, Set.of("kept", "deleted"), Set.of());
    assertEquals(List.of("deleted"), next.forget());
  }

  /** Random worlds: one pass, its writes applied, leaves nothing to write; nothing is written without evidence. */
  @Test
  void onePassConvergesAndNeverWritesWithoutEvidence() {
    Random r = new Random(7);
    Condition[] conditions = {null, TRUE, FALSE, new Condition("Unknown", "x")};
    Verdict[] verdicts = {null, BEATING, LOST, new Verdict(State.OFFLINE, true, false, SEEN),
        new Verdict(State.ONLINE, false, false, SEEN), new Verdict(State.ONLINE, true, true, SEEN)};
    for (int world = 0; world < 2_000; world++) {
      Map<String, Condition> nodes = new HashMap<>();
      Map<String, Verdict> v = new HashMap<>();
      for (int i = 0; i < 20; i++) {
        nodes.put("n" + i, conditions[r.nextInt(conditions.length)]);
        Verdict x = verdicts[r.nextInt(verdicts.length)];
        if (x != null) v.put("n" + i, x);
      }
      Plan p = plan(nodes, v);
      for (Write w : p.writes()) {
        Verdict x = v.get(w.node());
        assertTrue(x != null && (x.state() != State.ONLINE || x.heard() && !x.silent()), w + " from " + x);
        assertEquals(x.state() == State.ONLINE, w.healthy());
        nodes.put(w.node(), new Condition(w.status(), w.reason()));
      }
      assertEquals(List.of(), plan(nodes, v).writes(), "world " + world);
    }
  }

  @Test
  void aLostNodeOfAnUnreachableSiteSaysSoEvenWhenItsConditionIsFalseAlready() {
    List<ObservedNode> observed = List.of(new ObservedNode("hz-0", FALSE), new ObservedNode("hz-1", null),
        new ObservedNode("hz-2", new Condition("False", NodeConditionPlanner.SITE_UNREACHABLE)),
        new ObservedNode("box", FALSE));
    Map<String, Verdict> verdicts = Map.of("hz-0", LOST, "hz-1", LOST, "hz-2", LOST, "box", LOST);
    Plan p = NodeConditionPlanner.plan(observed, verdicts, Set.of(), Set.of(), Set.of("hz-0", "hz-1", "hz-2"));
    Map<String, String> written = new HashMap<>();
    for (Write w : p.writes()) written.put(w.node(), w.status() + "/" + w.reason());
    // hz-0 was written EdgeProbeLost before its site followed; cloudcore wiped hz-1's; hz-2 and the box are right
    assertEquals(Map.of("hz-0", "False/SiteUnreachable", "hz-1", "False/SiteUnreachable"), written);
  }

  @Test
  void aLostConditionSaysWhatWasSeen() {
    Plan p = plan(nodes("a", null), Map.of("a", new Verdict(State.LOST, true, true, SEEN,
        FailureDetector.Cause.CONNECTION_DROPPED)));
    assertTrue(p.writes().get(0).message().startsWith("connection dropped without a goodbye"), p.writes().get(0).message());
  }
}
