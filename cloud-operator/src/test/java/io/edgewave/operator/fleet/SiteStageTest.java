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
}
