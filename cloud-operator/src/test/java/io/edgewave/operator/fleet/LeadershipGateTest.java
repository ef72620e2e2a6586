package io.edgewave.operator.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.fleet.FailureDetector.State;
import io.edgewave.operator.fleet.FailureDetector.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeadershipGateTest {
  static final Instant T0 = Instant.parse("2026-12-03T00:00:00Z");
  final List<Transition> told = new ArrayList<>();
  final List<String> converged = new ArrayList<>();
  final FleetSink writers = new FleetSink() {
    @Override public void transitions(List<Transition> t) { told.addAll(t); }

    @Override public void converge(Map<String, FailureDetector.Verdict> v, Feedback f) { converged.add("pass"); }
  };
  final LeadershipGate gate = new LeadershipGate(writers, Duration.ofSeconds(20));

  static Transition t(String node, State from, State to, int second) {
    return new Transition(node, from, to, T0.plusSeconds(second), T0.plusSeconds(second - 3), Duration.ofSeconds(3), false);
  }

  @Test
  void aStandbyWritesNothing() {
    gate.transitions(List.of(t("a", State.ONLINE, State.LOST, 1)));
    gate.converge(Map.of(), null);
    assertEquals(List.of(), told);
    assertEquals(List.of(), converged);
  }

  @Test
  void takingTheLeaseHandsOverEachNodesRecentLossOnceInOrder() {
    gate.transitions(List.of(t("b", State.ONLINE, State.OFFLINE, 50), t("a", State.ONLINE, State.LOST, 45)));
    gate.transitions(List.of(t("old", State.ONLINE, State.LOST, 10)));          // older than the window
    gate.transitions(List.of(t("c", State.ONLINE, State.LOST, 46)));
    gate.transitions(List.of(t("c", State.LOST, State.ONLINE, 48)));            // came back: nothing to hand over
    assertEquals(2, gate.lead(T0.plusSeconds(55)));
    assertEquals(List.of("a", "b"), told.stream().map(Transition::node).toList(), "by time, not by arrival");
    assertEquals(0, gate.lead(T0.plusSeconds(56)), "leadership is taken once");
    assertEquals(0, gate.pending());
  }

  @Test
  void aLeaderPassesEverythingOnAtOnce() {
    gate.lead(T0);
    gate.transitions(List.of(t("a", State.ONLINE, State.LOST, 1), t("a", State.LOST, State.ONLINE, 2)));
    gate.converge(Map.of(), null);
    assertEquals(2, told.size());
    assertEquals(List.of("pass"), converged);
    assertTrue(gate.leading());
  }

  @Test
  void whatIsHeldIsBoundedByTheNodes() {
    for (int i = 0; i < 1000; i++) gate.transitions(List.of(t("n" + (i % 10), State.ONLINE, State.LOST, i)));
    assertEquals(10, gate.pending());
  }
}
