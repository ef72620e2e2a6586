package io.edgewave.operator.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgewave.operator.fleet.FailureDetector.Cause;
import io.edgewave.operator.fleet.FailureDetector.State;
import io.edgewave.operator.fleet.FailureDetector.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SiteStageTest {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  /** What the Node writer does: hands back the site map on a convergence pass; records what it hears. */
  static final class Recorder implements FleetSink {
    final List<FailureDetector.Transition> transitions = new ArrayList<>();
    final List<SiteDetector.SiteTransition> sites = new ArrayList<>();

    @Override public void transitions(List<FailureDetector.Transition> t) { transitions.addAll(t); }

    @Override public void sites(List<SiteDetector.SiteTransition> s) { sites.addAll(s); }

    @Override public void converge(Map<String, Verdict> v, Feedback f) {
      f.sites(Map.of("hz-0", "hz", "hz-1", "hz", "sh-0", "sh"));
    }
  }

  static final FleetSink.Feedback NONE = new FleetSink.Feedback() {
    @Override public void forget(String node) { }

    @Override public void expect(String node) { }
  };

  @Test
  void theFanOutGroupsBySiteOnceASinkHandsBackTheSiteMap() {
    Recorder writer = new Recorder();
    Recorder alerts = new Recorder();
    FleetSink all = FleetSink.all(List.of(writer, alerts));
    var lost = List.of(
        new FailureDetector.Transition("hz-0", State.ONLINE, State.LOST, T0.plusSeconds(40), T0, null, false, Cause.SILENT),
        new FailureDetector.Transition("hz-1", State.ONLINE, State.LOST, T0.plusSeconds(41), T0, null, false, Cause.SILENT));
    all.transitions(lost);
    assertEquals(List.of(), alerts.sites, "no map yet: boxes");
    Verdict up = new Verdict(State.ONLINE, true, false, T0);
    all.converge(Map.of("hz-0", up, "hz-1", up, "sh-0", up), NONE);
    all.transitions(List.of(new FailureDetector.Transition("hz-0", State.LOST, State.ONLINE, T0.plusSeconds(50), T0,
        null, false, Cause.HEARTBEAT), new FailureDetector.Transition("hz-1", State.LOST, State.ONLINE,
        T0.plusSeconds(50), T0, null, false, Cause.HEARTBEAT)));
    all.transitions(lost);
    assertEquals(1, alerts.sites.size());
    assertEquals(alerts.sites, writer.sites, "every sink hears the same incident");
    assertEquals(List.of("hz-0", "hz-1"), alerts.sites.get(0).nodes());
    assertEquals(Cause.SITE_UNREACHABLE, alerts.transitions.get(alerts.transitions.size() - 1).cause());
  }

  static Takeover recorded(Map<String, Takeover.Recorded> nodes) {
    return new Takeover(nodes);
  }

  @Test
  void aNewLeaderContinuesTheIncidentItsPredecessorRecordedWithoutPagingItAgainAndSaysWhenTheSiteIsBack() {
    Recorder writer = new Recorder();
    LeadershipGate gate = new LeadershipGate(FleetSink.all(List.of(writer)), java.time.Duration.ofMinutes(1));
    // the standby's warm detector saw hz-0 and hz-1 go, and hz-2 a moment later, which the old leader never wrote
    gate.transitions(List.of(
        new FailureDetector.Transition("hz-0", State.ONLINE, State.LOST, T0.plusSeconds(35), T0, null, false, Cause.SILENT),
        new FailureDetector.Transition("hz-1", State.ONLINE, State.LOST, T0.plusSeconds(35), T0, null, false, Cause.SILENT),
        new FailureDetector.Transition("hz-2", State.ONLINE, State.LOST, T0.plusSeconds(39), T0.plusSeconds(4), null,
            false, Cause.SILENT),
        new FailureDetector.Transition("gone", State.ONLINE, State.LOST, T0.plusSeconds(39), T0.plusSeconds(4), null,
            false, Cause.SILENT)));
    Takeover nodes = recorded(Map.of(
        "hz-0", new Takeover.Recorded("hz", "False", "SiteUnreachable", T0.plusSeconds(36)),
        "hz-1", new Takeover.Recorded("hz", "False", "SiteUnreachable", T0.plusSeconds(36)),
        "hz-2", new Takeover.Recorded("hz", "True", "EdgeProbeHeartbeat", T0.minusSeconds(600)),
        "hz-3", new Takeover.Recorded("hz", "True", "EdgeProbeHeartbeat", T0.minusSeconds(600)),
        "sh-0", new Takeover.Recorded("sh", "True", "EdgeProbeHeartbeat", T0.minusSeconds(600))));
    assertEquals(1, gate.lead(T0.plusSeconds(45), nodes), "only hz-2 is news: hz-0 and hz-1 were written, 'gone' was"
        + " deleted");
    assertEquals(2, writer.sites.size(), writer.sites.toString());
    assertEquals(true, writer.sites.get(0).adopted(), "the recorded incident is continued, not paged again");
    assertEquals(List.of("hz-0", "hz-1"), writer.sites.get(0).nodes());
    assertEquals(false, writer.sites.get(1).adopted(), "a node the old leader missed joins it, as in any incident");
    assertEquals(List.of("hz-0", "hz-1", "hz-2"), writer.sites.get(1).nodes());
    assertEquals(List.of("hz-2"), writer.transitions.stream().map(FailureDetector.Transition::node).toList());
    assertEquals(Cause.SITE_UNREACHABLE, writer.transitions.get(0).cause(), "with its site, not as a box");

    // a restarted process has no verdict yet for a node it never heard: still lost, not back
    Verdict up = new Verdict(State.ONLINE, true, false, T0.plusSeconds(50));
    Verdict lost = new Verdict(State.LOST, true, false, T0.plusSeconds(4));
    gate.converge(Map.of("hz-2", lost, "hz-3", up, "sh-0", up), NONE);
    assertEquals(2, writer.sites.size(), "no verdict is no evidence the site is back");
    gate.converge(Map.of("hz-0", up, "hz-1", up, "hz-2", up, "hz-3", up, "sh-0", up), NONE);
    assertEquals(3, writer.sites.size());
    assertEquals(SiteDetector.Change.BACK, writer.sites.get(2).change());
    assertEquals(List.of("hz-0", "hz-1", "hz-2"), writer.sites.get(2).nodes());
  }

  @Test
  void withoutTheNodesATakeoverReplaysEveryRecentLoss() {
    Recorder writer = new Recorder();
    LeadershipGate gate = new LeadershipGate(FleetSink.all(List.of(writer)), java.time.Duration.ofMinutes(1));
    gate.transitions(List.of(new FailureDetector.Transition("hz-0", State.ONLINE, State.LOST, T0.plusSeconds(35), T0,
        null, false, Cause.SILENT)));
    assertEquals(1, gate.lead(T0.plusSeconds(45), null));
  }

  @Test
  void twoReplayedLossesOfALargeSiteAreTwoBoxesNotASite() {
    Recorder writer = new Recorder();
    LeadershipGate gate = new LeadershipGate(FleetSink.all(List.of(writer)), java.time.Duration.ofMinutes(1));
    Map<String, Takeover.Recorded> nodes = new java.util.HashMap<>();
    for (int i = 0; i < 10; i++) {
      nodes.put("hz-" + i, new Takeover.Recorded("hz", "True", "EdgeProbeHeartbeat", T0.minusSeconds(600)));
    }
    gate.transitions(List.of(
        new FailureDetector.Transition("hz-0", State.ONLINE, State.LOST, T0.plusSeconds(35), T0, null, false, Cause.SILENT),
        new FailureDetector.Transition("hz-1", State.ONLINE, State.LOST, T0.plusSeconds(35), T0, null, false, Cause.SILENT)));
    assertEquals(2, gate.lead(T0.plusSeconds(40), new Takeover(nodes)));
    assertEquals(List.of(), writer.sites, "2 of 10 healthy nodes is no site outage, before any convergence pass too");
    assertEquals(List.of(Cause.SILENT, Cause.SILENT), writer.transitions.stream().map(FailureDetector.Transition::cause)
        .toList());
  }

  @Test
  void anIncidentWrittenJustBeforeTheTakeoverMayNotHaveBeenPagedSoItIsPagedAgain() {
    Recorder writer = new Recorder();
    LeadershipGate gate = new LeadershipGate(FleetSink.all(List.of(writer)), java.time.Duration.ofMinutes(1));
    gate.transitions(List.of(
        new FailureDetector.Transition("hz-0", State.ONLINE, State.LOST, T0.plusSeconds(35), T0, null, false, Cause.SILENT),
        new FailureDetector.Transition("hz-1", State.ONLINE, State.LOST, T0.plusSeconds(35), T0, null, false, Cause.SILENT)));
    // written 3 s before the takeover; the old leader's alerts wait out a 20 s window before they are posted
    Takeover nodes = new Takeover(Map.of(
        "hz-0", new Takeover.Recorded("hz", "False", "SiteUnreachable", T0.plusSeconds(36)),
        "hz-1", new Takeover.Recorded("hz", "False", "SiteUnreachable", T0.plusSeconds(36)),
        "hz-2", new Takeover.Recorded("hz", "True", "EdgeProbeHeartbeat", T0.minusSeconds(600))),
        T0.plusSeconds(39), java.time.Duration.ofSeconds(22));
    assertEquals(2, gate.lead(T0.plusSeconds(39), nodes), "both losses are handed over again");
    assertEquals(1, writer.sites.size(), writer.sites.toString());
    assertEquals(false, writer.sites.get(0).adopted(), "paged again: a page may repeat, one lost would be worse");
  }
}
