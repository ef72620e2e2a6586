package io.edgewave.operator.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.fleet.FailureDetector.Cause;
import io.edgewave.operator.fleet.FailureDetector.State;
import io.edgewave.operator.fleet.FailureDetector.Transition;
import io.edgewave.operator.fleet.FailureDetector.Verdict;
import io.edgewave.operator.fleet.SiteDetector.Change;
import io.edgewave.operator.fleet.SiteDetector.SiteTransition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SiteDetectorTest {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  static final Duration T = Duration.ofSeconds(32);

  /** Sites "hz" (nodes hz-0..hz-{hz-1}) and "sh" (sh-0..), every node online. */
  static SiteDetector fleet(int hz, int sh) {
    SiteDetector d = new SiteDetector(0.6, T);
    Map<String, String> sites = new HashMap<>();
    Map<String, Verdict> verdicts = new HashMap<>();
    for (int i = 0; i < hz; i++) sites.put("hz-" + i, "hz");
    for (int i = 0; i < sh; i++) sites.put("sh-" + i, "sh");
    sites.keySet().forEach(n -> verdicts.put(n, new Verdict(State.ONLINE, true, false, T0)));
    verdicts.put("lonely", new Verdict(State.ONLINE, true, false, T0));
    d.sites(sites);
    d.verdicts(verdicts);
    return d;
  }

  static Transition lost(String node, long lastSeenS, long atS, Cause cause) {
    return new Transition(node, State.ONLINE, State.LOST, T0.plusSeconds(atS), T0.plusSeconds(lastSeenS),
        Duration.ofSeconds(atS - lastSeenS), false, cause);
  }

  static Transition back(String node, long atS) {
    return new Transition(node, State.LOST, State.ONLINE, T0.plusSeconds(atS), T0, Duration.ofSeconds(atS), false,
        Cause.HEARTBEAT);
  }

  @Test
  void aWholeSiteGoingSilentWithinOneTIsOneIncidentListingItsNodes() {
    SiteDetector d = fleet(3, 3);
    List<SiteTransition> sites = new ArrayList<>();
    List<Transition> out = new ArrayList<>();
    // frozen at 100 s: their last heartbeats lie within one interval, so their losses come a few seconds apart
    for (int i = 0; i < 3; i++) {
      var r = d.transitions(List.of(lost("hz-" + i, 95 + i * 3, 127 + i * 3, Cause.SILENT)));
      sites.addAll(r.sites());
      out.addAll(r.transitions());
    }
    assertEquals(Cause.SILENT, out.get(0).cause(), "one box silent is a box until its site follows");
    assertEquals(Cause.SITE_UNREACHABLE, out.get(1).cause());
    assertEquals(Cause.SITE_UNREACHABLE, out.get(2).cause());
    assertEquals(2, sites.size());
    assertEquals(new SiteTransition("hz", Change.UNREACHABLE, List.of("hz-0", "hz-1"), 3, T0.plusSeconds(130)),
        sites.get(0));
    assertEquals(List.of("hz-0", "hz-1", "hz-2"), sites.get(1).nodes(), "the list grows as the site's nodes follow");
    assertEquals(java.util.Set.of("hz"), d.unreachable());
  }

  @Test
  void aSingleBoxThatDiesStaysABox() {
    SiteDetector d = fleet(3, 3);
    var r = d.transitions(List.of(lost("hz-0", 95, 127, Cause.CONNECTION_DROPPED)));
    assertEquals(List.of(), r.sites());
    assertEquals(Cause.CONNECTION_DROPPED, r.transitions().get(0).cause());
    var lonely = d.transitions(List.of(lost("lonely", 95, 127, Cause.SILENT), lost("unlabelled", 95, 127, Cause.SILENT)));
    assertEquals(List.of(), lonely.sites(), "nodes without a site are boxes");
  }

  @Test
  void lossesFartherApartThanOneTAreSeparateBoxes() {
    SiteDetector d = fleet(3, 3);
    d.transitions(List.of(lost("hz-0", 0, 32, Cause.SILENT)));
    var r = d.transitions(List.of(lost("hz-1", 40, 72, Cause.SILENT)));
    assertEquals(List.of(), r.sites(), "the first box died 40 s before the second: two boxes, not a site");
  }

  @Test
  void twoOfFiveIsNotASite() {
    SiteDetector d = fleet(5, 0);
    d.transitions(List.of(lost("hz-0", 95, 127, Cause.SILENT)));
    assertEquals(List.of(), d.transitions(List.of(lost("hz-1", 96, 128, Cause.SILENT))).sites(), "40 % < 60 %");
    assertEquals(1, d.transitions(List.of(lost("hz-2", 97, 129, Cause.SILENT))).sites().size(), "60 %");
  }

  @Test
  void nodesLostLongAgoAreNotWatchedAndDoNotCount() {
    SiteDetector d = fleet(5, 0);
    d.transitions(List.of(lost("hz-0", 0, 32, Cause.SILENT), lost("hz-1", 0, 32, Cause.SILENT)));
    // hz-0 and hz-1 went together: 2 of 5 is not a site; an hour later two of the three left go together
    d.transitions(List.of(lost("hz-2", 3600, 3632, Cause.SILENT)));
    var r = d.transitions(List.of(lost("hz-3", 3601, 3633, Cause.SILENT)));
    assertEquals(1, r.sites().size());
    assertEquals(List.of("hz-2", "hz-3"), r.sites().get(0).nodes(), "2 of the 3 watched: the old losses are not in it");
    assertEquals(3, r.sites().get(0).watched());
  }

  @Test
  void theSiteIsBackAtOnceWhenEveryNodeBeatsAgainAndSaysSoOnce() {
    SiteDetector d = fleet(3, 0);
    d.transitions(List.of(lost("hz-0", 95, 127, Cause.SILENT), lost("hz-1", 96, 128, Cause.SILENT),
        lost("hz-2", 97, 129, Cause.SILENT)));
    assertEquals(List.of(), d.transitions(List.of(back("hz-0", 300))).sites(), "2 of 3 still silent: unreachable");
    assertEquals(List.of(), d.transitions(List.of(back("hz-1", 300))).sites(), "hz-2 may be a second slower");
    var last = d.transitions(List.of(back("hz-2", 301)));
    assertEquals(List.of(new SiteTransition("hz", Change.BACK, List.of("hz-0", "hz-1", "hz-2"), 3, T0.plusSeconds(301))),
        last.sites());
    assertEquals(1, last.transitions().size(), "nobody is left behind");
    assertTrue(d.unreachable().isEmpty());
    assertEquals(List.of(), d.transitions(List.of(lost("hz-0", 400, 432, Cause.SILENT))).sites(), "a box again");
  }

  @Test
  void aStragglerStillLostTwoConvergencePassesAfterItsSiteReturnedIsABoxAgain() {
    SiteDetector d = fleet(3, 0);
    d.transitions(List.of(lost("hz-0", 95, 127, Cause.SILENT), lost("hz-1", 96, 128, Cause.SILENT),
        lost("hz-2", 97, 129, Cause.SILENT)));
    d.transitions(List.of(back("hz-0", 300), back("hz-1", 300)));
    Map<String, Verdict> now = new HashMap<>();
    for (String n : List.of("hz-0", "hz-1")) now.put(n, new Verdict(State.ONLINE, true, false, T0.plusSeconds(301)));
    now.put("hz-2", new Verdict(State.LOST, true, true, T0.plusSeconds(97)));
    assertEquals(List.of(), d.verdicts(now).sites(), "one pass: it may still come");
    var second = d.verdicts(now);
    assertEquals(List.of(new SiteTransition("hz", Change.BACK, List.of("hz-0", "hz-1"), 3, T0.plusSeconds(301))),
        second.sites());
    Transition straggler = second.transitions().get(0);
    assertEquals("hz-2", straggler.node());
    assertEquals(State.LOST, straggler.to());
    assertEquals(Cause.SILENT, straggler.cause(), "still lost after its site came back: a box again");
    assertEquals(List.of(), d.transitions(List.of(back("hz-2", 400))).sites(), "back is said once");
  }

  @Test
  void aNodeLostAgainWhileItsSiteReturnsKeepsTheSiteUnreachable() {
    SiteDetector d = fleet(3, 0);
    d.transitions(List.of(lost("hz-0", 95, 127, Cause.SILENT), lost("hz-1", 96, 128, Cause.SILENT),
        lost("hz-2", 97, 129, Cause.SILENT)));
    d.transitions(List.of(back("hz-0", 300), back("hz-1", 300)));
    Map<String, Verdict> now = new HashMap<>();
    for (String n : List.of("hz-0", "hz-1")) now.put(n, new Verdict(State.ONLINE, true, false, T0.plusSeconds(301)));
    now.put("hz-2", new Verdict(State.LOST, true, true, T0.plusSeconds(97)));
    d.verdicts(now);
    var again = d.transitions(List.of(lost("hz-1", 300, 304, Cause.CONNECTION_DROPPED)));
    assertEquals(Cause.SITE_UNREACHABLE, again.transitions().get(0).cause());
    now.put("hz-1", new Verdict(State.LOST, true, true, T0.plusSeconds(300)));
    assertEquals(List.of(), d.verdicts(now).sites());
    assertEquals(List.of(), d.verdicts(now).sites(), "2 of 3 silent again: still unreachable");
    assertEquals(java.util.Set.of("hz"), d.unreachable());
  }

  @Test
  void twoSitesFailingTogetherAreTwoIncidentsAndTheOtherSiteIsUntouched() {
    SiteDetector d = fleet(2, 2);
    List<SiteTransition> sites = new ArrayList<>();
    sites.addAll(d.transitions(List.of(lost("hz-0", 95, 127, Cause.SILENT), lost("hz-1", 95, 127, Cause.SILENT)))
        .sites());
    assertEquals(1, sites.size());
    assertEquals("hz", sites.get(0).site());
    var other = d.transitions(List.of(lost("sh-0", 95, 127, Cause.CONNECTION_DROPPED)));
    assertEquals(List.of(), other.sites(), "one of sh's two nodes is a box");
  }

  @Test
  void withoutASiteMapNothingIsGrouped() {
    SiteDetector d = new SiteDetector();
    var r = d.transitions(List.of(lost("hz-0", 95, 127, Cause.SILENT), lost("hz-1", 95, 127, Cause.SILENT)));
    assertEquals(List.of(), r.sites());
    assertEquals(Cause.SILENT, r.transitions().get(1).cause());
  }
}
