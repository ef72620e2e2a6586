package io.edgewave.operator.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.fleet.FailureDetector.State;
import io.edgewave.operator.fleet.FailureDetector.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FailureDetectorTest {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  static final long H = 10_000;

  /** n nodes heartbeating every 10 s from T0 until 'until' (exclusive); node 0 stops at 'stop0'. */
  static FailureDetector fleet(int n) {
    FailureDetector d = new FailureDetector(FailureDetector.Settings.DEFAULTS, T0);
    d.brokerConnection(true, T0);
    for (int i = 0; i < n; i++) d.onHeartbeat("n" + i, "boot", H, T0);
    return d;
  }

  static List<Transition> run(FailureDetector d, int n, long fromMs, long toMs, java.util.function.IntPredicate alive) {
    List<Transition> out = new ArrayList<>();
    for (long t = fromMs; t <= toMs; t += 500) {
      clockMs = t;
      Instant now = T0.plusMillis(t);
      if (t % H == 0) for (int i = 0; i < n; i++) if (alive.test(i)) out.addAll(d.onHeartbeat("n" + i, "boot", H, now));
      out.addAll(d.tick(now));
    }
    return out;
  }

  @Test
  void silentNodeIsLostAfterThirtyTwoSecondsAtTheDefaults() {
    FailureDetector d = fleet(20);
    List<Transition> t = run(d, 20, 500, 120_000, i -> i != 0 || false);
    // node 0 never beats after T0: lost once its silence exceeds 3*10s + 2s
    assertEquals(1, t.size());
    assertEquals("n0", t.get(0).node());
    assertEquals(State.LOST, t.get(0).to());
    assertTrue(t.get(0).silence().compareTo(Duration.ofSeconds(32)) > 0 && t.get(0).silence().compareTo(Duration.ofSeconds(33)) <= 0,
        t.get(0).silence().toString());
    assertEquals(State.LOST, d.state("n0"));
    assertEquals(List.of(), run(d, 20, 120_500, 200_000, i -> i != 0), "a verdict is given once");
  }

  @Test
  void nextHeartbeatBringsALostNodeBackOnlineAndAGoodbyeIsOfflineAtOnce() {
    FailureDetector d = fleet(20);
    run(d, 20, 500, 60_000, i -> i != 0);
    var back = d.onHeartbeat("n0", "boot-2", H, T0.plusSeconds(61));
    assertEquals(State.ONLINE, back.get(0).to());
    assertTrue(back.get(0).rebooted());
    var bye = d.onStatus("n1", FailureDetector.Status.SHUTDOWN, T0.plusSeconds(62));
    assertEquals(State.OFFLINE, bye.get(0).to());
    assertEquals(List.of(), d.onStatus("n1", FailureDetector.Status.SHUTDOWN, T0.plusSeconds(63)));
    assertEquals(List.of(), run(d, 20, 62_000, 200_000, i -> i != 1), "an offline node is not also declared lost");
  }

  @Test
  void aWillMeansLostAtTheNextTickNotAfterTheWholeTolerance() {
    FailureDetector d = fleet(20);
    run(d, 20, 500, 40_000, i -> true);
    assertEquals(List.of(), d.onStatus("n3", FailureDetector.Status.WILL, T0.plusMillis(40_100)));
    assertEquals(List.of(), d.tick(T0.plusMillis(41_500)), "not within the will's grace of 1.5 s");
    var lost = d.tick(T0.plusMillis(41_700));
    assertEquals(1, lost.size());
    assertEquals(State.LOST, lost.get(0).to());
    assertEquals(List.of(), d.onStatus("n4", FailureDetector.Status.ONLINE, T0.plusMillis(40_600)));
  }

  @Test
  void willsDeliveredAsTheBrokerShutsDownAreWithdrawnByOurOwnDisconnect() {
    FailureDetector d = fleet(20);
    run(d, 20, 500, 40_000, i -> true);
    d.onStatus("n3", FailureDetector.Status.WILL, T0.plusMillis(40_100));
    d.onStatus("n4", FailureDetector.Status.WILL, T0.plusMillis(40_150));
    assertEquals(List.of(), d.tick(T0.plusMillis(41_300)), "a will waits 1.5 s before it counts");
    d.brokerConnection(false, FailureDetector.mono(T0.plusMillis(41_350)));
    d.brokerConnection(true, FailureDetector.mono(T0.plusMillis(42_000)));
    assertEquals(List.of(), d.tick(T0.plusMillis(42_500)), "the broker went away: its wills say nothing");
  }

  @Test
  void aStormOfWillsIsMassSilenceNotAFleetOfLostNodes() {
    FailureDetector d = fleet(100);
    run(d, 100, 500, 40_000, i -> true);
    for (int i = 0; i < 40; i++) d.onStatus("n" + i, FailureDetector.Status.WILL, T0.plusMillis(40_100));
    assertEquals(List.of(), d.tick(T0.plusMillis(41_700)));
    assertTrue(d.degraded());
  }

  @Test
  void noVerdictBeforeOneFullToleranceAfterStart() {
    FailureDetector d = new FailureDetector(FailureDetector.Settings.DEFAULTS, T0);
    d.brokerConnection(true, T0);
    d.onHeartbeat("n0", "b", H, T0.minusSeconds(600)); // an old timestamp cannot cut the grace short
    assertEquals(List.of(), d.tick(T0.plusSeconds(31)));
    assertEquals(1, d.tick(T0.plusSeconds(33)).size());
  }

  @Test
  void brokerOutageDeclaresNobodyLostAndRaisesDegradedThenRecovers() {
    FailureDetector d = fleet(50);
    run(d, 50, 500, 20_000, i -> true);
    d.brokerConnection(false, T0.plusSeconds(20));
    List<Transition> during = new ArrayList<>();
    for (int s = 21; s <= 80; s++) during.addAll(d.tick(T0.plusSeconds(s)));
    assertEquals(List.of(), during);
    assertTrue(d.degraded());
    d.brokerConnection(true, T0.plusSeconds(80));
    List<Transition> after = run(d, 50, 80_000, 200_000, i -> i != 7);
    assertFalse(d.degraded());
    assertEquals(1, after.size(), "only the node that stayed silent after the outage");
    assertEquals("n7", after.get(0).node());
  }

  @Test
  void aProbeStillBackingOffAfterABrokerRestartIsNotLost() {
    FailureDetector d = fleet(50);
    run(d, 50, 500, 20_000, i -> true);
    d.brokerConnection(false, T0.plusSeconds(20));
    for (int s = 21; s <= 80; s++) d.tick(T0.plusSeconds(s));
    d.brokerConnection(true, T0.plusSeconds(80));
    // n3 comes back 55 s after the broker (its backoff), past T = 32 s but inside T + the 60 s grace
    List<Transition> t = run(d, 50, 80_000, 135_000, i -> i != 3);
    t.addAll(run(d, 50, 135_000, 200_000, i -> true));
    assertEquals(List.of(), t.stream().filter(x -> x.to() == State.LOST).toList());
  }

  @Test
  void massSilenceAboveTheShareDeclaresNobodyLost() {
    FailureDetector d = fleet(100);
    List<Transition> t = run(d, 100, 500, 50_000, i -> i >= 30);
    assertEquals(List.of(), t);
    assertTrue(d.degraded());
    assertTrue(d.degradedReason().startsWith("30 of 100 nodes silent"), d.degradedReason());
    List<Transition> later = run(d, 100, 50_500, 200_000, i -> i >= 5);
    assertEquals(5, later.size(), "once most are back, the 5 really silent ones are lost");
    assertFalse(d.degraded());
  }

  @Test
  void aMassSilenceHoldsVerdictsForOneWindowThenTheStillSilentAreLost() {
    FailureDetector d = fleet(100);
    // 30 silent from T0: silent past T at 32 s, held while they went silent within the last T (to 64 s)
    assertEquals(List.of(), run(d, 100, 500, 64_000, i -> i >= 30));
    assertTrue(d.degraded());
    List<Transition> after = run(d, 100, 64_500, 70_000, i -> i >= 30);
    assertEquals(30, after.size(), after.toString());
    assertTrue(after.stream().allMatch(x -> x.to() == State.LOST && x.at().equals(T0.plusMillis(64_500))));
    assertFalse(d.degraded(), "nodes already lost are no mass silence");
  }

  @Test
  void tenRetiredBoxesInAFortyNodeFleetDoNotHoldRollouts() {
    FailureDetector d = fleet(40);
    // one box retired a minute: each is Lost on its own; before the fix the tenth tipped the share for good
    List<Transition> t = run(d, 40, 500, 900_000, i -> i >= 10 || runningAt(i));
    assertEquals(10, t.stream().filter(x -> x.to() == State.LOST).count(), t.toString());
    assertFalse(d.degraded(), d.degradedReason());
    // and detection still works for the thirty left: the eleventh to die is Lost on its own, not held
    List<Transition> next = run(d, 40, 900_500, 1_000_000, i -> i >= 11);
    assertEquals(List.of("n10"), next.stream().map(Transition::node).toList());
    assertEquals(10 + 1, d.counts().get(State.LOST));
  }

  static long clockMs;

  /** Box i runs until minute i + 1 (the predicate is read with the current simulated time). */
  static boolean runningAt(int i) {
    return clockMs < (i + 1) * 60_000L;
  }

  @Test
  void tenBoxesRetiredTogetherAreHeldOneWindowThenLostAndTheGuardLifts() {
    FailureDetector d = fleet(40);
    List<Transition> t = run(d, 40, 500, 200_000, i -> i >= 10);
    assertEquals(10, t.size());
    assertTrue(t.get(0).silence().compareTo(Duration.ofSeconds(65)) <= 0, t.get(0).toString());
    assertFalse(d.degraded());
  }

  @Test
  void aWallClockStepForwardOfAnHourFlagsNobodyLost() {
    FailureDetector d = new FailureDetector(FailureDetector.Settings.DEFAULTS, 0L);
    d.brokerConnection(true, 0L);
    List<Transition> out = new ArrayList<>();
    for (long ms = 0; ms <= 300_000; ms += 500) {
      long mono = ms * 1_000_000L;
      // NTP steps the wall clock an hour ahead at 100 s; the monotonic clock does not move with it
      Instant wall = T0.plusMillis(ms).plus(ms >= 100_000 ? Duration.ofHours(1) : Duration.ZERO);
      if (ms % H == 0) for (int i = 0; i < 3; i++) out.addAll(d.onHeartbeat("n" + i, "b", H, mono, wall));
      out.addAll(d.tick(mono, wall));
    }
    assertEquals(List.of(), out);
    assertFalse(d.degraded());
  }

  @Test
  void aWallClockStepBackwardDoesNotFreezeDetection() {
    FailureDetector d = new FailureDetector(FailureDetector.Settings.DEFAULTS, 0L);
    d.brokerConnection(true, 0L);
    List<Transition> out = new ArrayList<>();
    for (long ms = 0; ms <= 200_000; ms += 500) {
      long mono = ms * 1_000_000L;
      Instant wall = T0.plusMillis(ms).minus(ms >= 100_000 ? Duration.ofHours(1) : Duration.ZERO);
      // n0 beats last at 100 s, just before the wall clock goes back an hour
      if (ms % H == 0) for (int i = 0; i < 3; i++) if (i != 0 || ms <= 100_000) out.addAll(d.onHeartbeat("n" + i, "b", H, mono, wall));
      out.addAll(d.tick(mono, wall));
    }
    assertEquals(1, out.size(), out.toString());
    assertEquals("n0", out.get(0).node());
    assertEquals(State.LOST, out.get(0).to());
    assertEquals(Duration.ofMillis(32_500), out.get(0).silence(), "measured on the monotonic clock");
    assertEquals(T0.plusMillis(132_500).minus(Duration.ofHours(1)), out.get(0).at(), "reported on the wall clock");
  }

  @Test
  void forgetsANodeWhoseNodeWasDeletedAndItsLostCountGoes() {
    FailureDetector d = fleet(5);
    run(d, 5, 500, 60_000, i -> i != 4);
    assertEquals(1, d.counts().get(State.LOST));
    assertTrue(d.forget("n4"));
    assertEquals(null, d.state("n4"));
    assertEquals(0, d.counts().get(State.LOST));
    assertEquals(4, d.size());
    assertFalse(d.forget("n4"), "forgetting twice is harmless");
    assertEquals(List.of(), d.onHeartbeat("n4", "boot", H, T0.plusSeconds(61)), "its probe beating again is a new node");
    assertEquals(State.ONLINE, d.state("n4"));
  }

  @Test
  void anExpectedNodeThatNeverBeatsIsLostAfterOneToleranceAndAKnownOneIsLeftAlone() {
    FailureDetector d = fleet(3);
    d.expect("n9", FailureDetector.mono(T0.plusSeconds(5)), T0.plusSeconds(5));
    d.expect("n0", FailureDetector.mono(T0.plusSeconds(5)), T0.plusSeconds(5));
    assertFalse(d.verdicts(T0.plusSeconds(5)).get("n9").heard(), "watched, not heard");
    assertTrue(d.verdicts(T0.plusSeconds(5)).get("n0").heard());
    List<Transition> t = run(d, 3, 500, 60_000, i -> true);
    assertEquals(List.of("n9"), t.stream().map(Transition::node).toList());
    assertTrue(t.get(0).at().isAfter(T0.plusSeconds(37)), t.get(0).toString());
  }

  @Test
  void verdictsSayWhichNodesAreSilentEvenWhileTheGuardHoldsThem() {
    FailureDetector d = fleet(100);
    run(d, 100, 500, 40_000, i -> i >= 30);
    assertTrue(d.degraded());
    var v = d.verdicts(T0.plusSeconds(40));
    assertEquals(State.ONLINE, v.get("n0").state());
    assertTrue(v.get("n0").silent());
    assertFalse(v.get("n50").silent());
    assertEquals(T0, v.get("n0").lastSeen());
  }

  @Test
  void aDetectorThatStoodStillLongerThanOneToleranceGivesTheFleetOneToleranceBeforeJudging() {
    FailureDetector d = fleet(20);
    run(d, 20, 500, 20_000, i -> true);
    // the process was paused for 2 minutes; heartbeats are still in the inbox when the first tick runs
    assertEquals(List.of(), d.tick(T0.plusSeconds(140)));
    for (int i = 0; i < 20; i++) d.onHeartbeat("n" + i, "boot", H, T0.plusMillis(140_100));
    assertEquals(List.of(), run(d, 20, 140_500, 300_000, i -> true));
  }

  @Test
  void smallFleetsStillDetectASingleLostNode() {
    FailureDetector d = fleet(3);
    assertEquals(1, run(d, 3, 500, 60_000, i -> i != 2).size());
  }

  @Test
  void jitteredHeartbeatsAndLossNeverGiveAFalsePositive() {
    Random r = new Random(1);
    FailureDetector d = fleet(200);
    long[] next = new long[200];
    int verdicts = 0;
    for (long t = 0; t <= 3_600_000; t += 250) {
      Instant now = T0.plusMillis(t);
      for (int i = 0; i < 200; i++) {
        if (t >= next[i]) {
          next[i] = t + H;
          if (r.nextDouble() >= 0.01) {
            verdicts += d.onHeartbeat("n" + i, "boot", H, now.plusMillis(r.nextInt(1500))).size();
          }
        }
      }
      verdicts += d.tick(now).size();
    }
    assertEquals(0, verdicts);
  }

  @Test
  void eachLossSaysWhatWasSeen() {
    FailureDetector d = fleet(20);
    // n1's connection dies (the broker publishes its will) at 15 s; n0 just stops beating with its connection open
    List<Transition> t = new ArrayList<>();
    t.addAll(run(d, 20, 500, 14_500, i -> i != 0));
    t.addAll(d.onStatus("n1", FailureDetector.Status.WILL, T0.plusSeconds(15)));
    t.addAll(run(d, 20, 15_000, 40_000, i -> i > 1));
    t.addAll(d.onStatus("n2", FailureDetector.Status.SHUTDOWN, T0.plusSeconds(41)));
    java.util.Map<String, FailureDetector.Cause> causes = new java.util.TreeMap<>();
    for (Transition x : t) causes.put(x.node(), x.cause());
    assertEquals(java.util.Map.of("n0", FailureDetector.Cause.SILENT, "n1", FailureDetector.Cause.CONNECTION_DROPPED,
        "n2", FailureDetector.Cause.PROBE_STOPPED), causes);
    assertEquals(FailureDetector.Cause.CONNECTION_DROPPED, d.verdicts(T0.plusSeconds(42)).get("n1").cause(),
        "the verdict keeps the cause for the convergence pass");
    var back = d.onHeartbeat("n1", "boot", H, T0.plusSeconds(50));
    assertEquals(FailureDetector.Cause.HEARTBEAT, back.get(0).cause());
  }
}
