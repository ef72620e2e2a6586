package io.edgewave.operator.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertBatcherTest {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  static Alert a(String node, Alert.Kind kind, long atS) {
    return new Alert(node, kind, T0.plusSeconds(atS), Duration.ofSeconds(33), null);
  }

  @Test
  void hundredBoxesLostTogetherMakeOneMessage() {
    AlertBatcher b = new AlertBatcher(Duration.ofSeconds(20), Duration.ofMinutes(10));
    for (int i = 0; i < 100; i++) b.add(a("gpu-" + i, Alert.Kind.LOST, i / 10));
    assertEquals(List.of(), b.due(T0.plusSeconds(19)));
    assertEquals(100, b.due(T0.plusSeconds(20)).size());
    assertEquals(List.of(), b.due(T0.plusSeconds(60)));
  }

  @Test
  void aFlappingNodePagesOncePerDampingInterval() {
    AlertBatcher b = new AlertBatcher(Duration.ofSeconds(5), Duration.ofMinutes(10));
    int sent = 0;
    for (int m = 0; m < 30; m++) {
      b.add(a("gpu-1", m % 2 == 0 ? Alert.Kind.LOST : Alert.Kind.BACK_ONLINE, m * 60L));
      sent += b.due(T0.plusSeconds(m * 60L + 5)).size();
    }
    // lost at 0, 10 and 20 minutes: three pages in 30 minutes of flapping every minute
    assertEquals(3, sent);
    assertTrue(b.dropped() > 20);
  }

  @Test
  void backOnlineIsSentOnlyForANodeWhoseLossWasSent() {
    AlertBatcher b = new AlertBatcher(Duration.ofSeconds(5), Duration.ofSeconds(30));
    b.add(a("tc-1", Alert.Kind.BACK_ONLINE, 0));
    assertEquals(List.of(), b.due(T0.plusSeconds(10)));
    b.add(a("tc-2", Alert.Kind.LOST, 0));
    assertEquals(Alert.Kind.LOST, b.due(T0.plusSeconds(6)).get(0).kind());
    b.add(a("tc-2", Alert.Kind.BACK_ONLINE, 40));
    assertEquals(Alert.Kind.BACK_ONLINE, b.due(T0.plusSeconds(50)).get(0).kind());
  }

  @Test
  void aSiteIsOnePageListingItsNodesAndReplacesTheirOwnLossesInTheWindow() {
    AlertBatcher b = new AlertBatcher(Duration.ofSeconds(20), Duration.ofMinutes(10));
    b.add(a("hz-0", Alert.Kind.LOST, 0));
    b.add(a("other", Alert.Kind.LOST, 1));
    b.add(Alert.site("hangzhou-01", Alert.Kind.SITE_UNREACHABLE, T0.plusSeconds(3), List.of("hz-0", "hz-1")));
    b.add(Alert.site("hangzhou-01", Alert.Kind.SITE_UNREACHABLE, T0.plusSeconds(6), List.of("hz-0", "hz-1", "hz-2")));
    List<Alert> batch = b.due(T0.plusSeconds(20));
    assertEquals(List.of("other", "hangzhou-01"), batch.stream().map(Alert::node).toList());
    assertEquals("site hangzhou-01 unreachable: 3 nodes went silent together (hz-0, hz-1, hz-2)", batch.get(1).line());
    assertEquals("edgewave: 1 site unreachable, 1 node lost", AlertText.title(batch));
    // a node joining after the page is not paged again, nor are the nodes' own returns
    b.add(Alert.site("hangzhou-01", Alert.Kind.SITE_UNREACHABLE, T0.plusSeconds(40), List.of("hz-0", "hz-1", "hz-2", "hz-3")));
    b.add(a("hz-0", Alert.Kind.BACK_ONLINE, 100));
    assertEquals(List.of(), b.due(T0.plusSeconds(200)));
    b.add(Alert.site("hangzhou-01", Alert.Kind.SITE_BACK, T0.plusSeconds(101), List.of("hz-0", "hz-1", "hz-2")));
    b.add(Alert.site("hangzhou-01", Alert.Kind.SITE_BACK, T0.plusSeconds(102), List.of("hz-0", "hz-1", "hz-2")));
    List<Alert> back = b.due(T0.plusSeconds(200));
    assertEquals(1, back.size(), "site back once, although inside the damping interval");
    assertEquals("site hangzhou-01 back: 3 nodes beat again", back.get(0).line());
  }

  @Test
  void aLossSaysWhatWasSeen() {
    Alert dropped = new Alert("gpu-1", Alert.Kind.LOST, T0, Duration.ofSeconds(3), null,
        io.edgewave.operator.fleet.FailureDetector.Cause.CONNECTION_DROPPED, List.of());
    assertEquals("gpu-1 lost (connection dropped without a goodbye: power, network or the probe process; "
        + "no heartbeat for 3s)", dropped.line());
    Alert silent = new Alert("gpu-1", Alert.Kind.LOST, T0, Duration.ofSeconds(33), null,
        io.edgewave.operator.fleet.FailureDetector.Cause.SILENT, List.of());
    assertEquals("gpu-1 lost (no heartbeat for 33s with its connection open: a hung box or a cut cable)", silent.line());
  }

  @Test
  void aSiteFlappingWithinTheDampingIntervalIsNotPagedAgainNorItsReturn() {
    AlertBatcher b = new AlertBatcher(Duration.ofSeconds(2), Duration.ofMinutes(10));
    b.add(Alert.site("hangzhou-01", Alert.Kind.SITE_UNREACHABLE, T0, List.of("hz-0", "hz-1")));
    assertEquals(1, b.due(T0.plusSeconds(2)).size());
    b.add(Alert.site("hangzhou-01", Alert.Kind.SITE_BACK, T0.plusSeconds(30), List.of("hz-0", "hz-1")));
    // the thaw's burst of reconnects: lost again a moment later, back again
    b.add(Alert.site("hangzhou-01", Alert.Kind.SITE_UNREACHABLE, T0.plusSeconds(31), List.of("hz-0", "hz-1")));
    b.add(Alert.site("hangzhou-01", Alert.Kind.SITE_BACK, T0.plusSeconds(32), List.of("hz-0", "hz-1")));
    List<Alert> batch = b.due(T0.plusSeconds(40));
    assertEquals(List.of(Alert.Kind.SITE_BACK), batch.stream().map(Alert::kind).toList());
    b.add(Alert.site("hangzhou-01", Alert.Kind.SITE_UNREACHABLE, T0.plusSeconds(700), List.of("hz-0", "hz-1")));
    assertEquals(1, b.due(T0.plusSeconds(702)).size(), "after the damping interval it pages again");
  }

  @Test
  void aBackWithinTheDampingIntervalIsHeldAndSentWhenItEndsUnlessTheNodeWasLostAgain() {
    AlertBatcher b = new AlertBatcher(Duration.ofSeconds(5), Duration.ofMinutes(10));
    b.add(a("gpu-1", Alert.Kind.LOST, 0));
    assertEquals(1, b.due(T0.plusSeconds(5)).size());
    b.add(a("gpu-1", Alert.Kind.BACK_ONLINE, 60));
    assertEquals(List.of(), b.due(T0.plusSeconds(120)), "held: the damping interval runs to 10 min");
    List<Alert> later = b.due(T0.plusSeconds(600));
    assertEquals(1, later.size(), "sent when the interval ends: ops hear the box is back");
    assertEquals(Alert.Kind.BACK_ONLINE, later.get(0).kind());

    b.add(a("gpu-2", Alert.Kind.LOST, 0));
    b.due(T0.plusSeconds(5));
    b.add(a("gpu-2", Alert.Kind.BACK_ONLINE, 60));
    b.add(a("gpu-2", Alert.Kind.LOST, 120));
    assertEquals(List.of(), b.due(T0.plusSeconds(700)), "lost again: the page stands, no back");
  }

  @Test
  void aNewLeaderSendsTheBackOfPagesItsPredecessorSent() {
    AlertBatcher b = new AlertBatcher(Duration.ofSeconds(5), Duration.ofMinutes(10));
    b.adopt("hangzhou-01", T0, true);
    b.adopt("gpu-1", T0, false);
    b.add(Alert.site("hangzhou-01", Alert.Kind.SITE_UNREACHABLE, T0.plusSeconds(30), List.of("a", "b")));
    assertEquals(List.of(), b.due(T0.plusSeconds(40)), "the site is paged already");
    b.add(Alert.site("hangzhou-01", Alert.Kind.SITE_BACK, T0.plusSeconds(900), List.of("a", "b")));
    b.add(a("gpu-1", Alert.Kind.BACK_ONLINE, 900));
    List<Alert> out = b.due(T0.plusSeconds(905));
    assertEquals(List.of(Alert.Kind.SITE_BACK, Alert.Kind.BACK_ONLINE), out.stream().map(Alert::kind).toList());
  }
}
