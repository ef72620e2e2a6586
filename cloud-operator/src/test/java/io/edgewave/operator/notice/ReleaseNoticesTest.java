package io.edgewave.operator.notice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.v1alpha1.Condition;
import io.edgewave.operator.api.v1alpha1.Counts;
import io.edgewave.operator.api.v1alpha1.EdgeReleaseStatus;
import io.edgewave.operator.api.v1alpha1.FailureSample;
import io.edgewave.operator.api.v1alpha1.Notice;
import io.edgewave.operator.api.v1alpha1.Notices;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.api.v1alpha1.WaveStatus;
import io.edgewave.operator.notice.ReleaseNotices.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** One scenario per event kind: a status before a write, the status the write makes, the events between them. */
class ReleaseNoticesTest {
  static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
  static final String DING = "logistics/ops-dingtalk";
  static final String SLACK = "logistics/ops-slack";

  /** A rollout of three waves (canary, early, rest) in {@code phase}; {@code change} adjusts it. */
  static EdgeReleaseStatus status(Phase phase, Consumer<EdgeReleaseStatus> change) {
    EdgeReleaseStatus s = new EdgeReleaseStatus();
    s.setPhase(phase);
    s.setRevision("3f2a9c1b7e");
    s.setRollout("3f2a9c1b7e-20261201t0800");
    List<WaveStatus> waves = new ArrayList<>();
    for (String name : List.of("canary", "early", "rest")) {
      WaveStatus w = new WaveStatus();
      w.setName(name);
      w.setTargets(name.equals("canary") ? 3 : 9);
      waves.add(w);
    }
    s.setWaves(waves);
    Counts totals = new Counts();
    totals.setTargets(21);
    s.setTotals(totals);
    s.setCurrentWave(1);
    change.accept(s);
    return s;
  }

  static void started(EdgeReleaseStatus s, int... waves) {
    for (int w : waves) s.getWaves().get(w).setStartedAt(T0.toString());
  }

  static void completed(EdgeReleaseStatus s, int... waves) {
    for (int w : waves) {
      s.getWaves().get(w).setStartedAt(T0.toString());
      s.getWaves().get(w).setCompletedAt(T0.toString());
      s.getWaves().get(w).setReady(s.getWaves().get(w).getTargets());
    }
  }

  static List<NoticeKind> kinds(List<Event> events) {
    return events.stream().map(Event::kind).toList();
  }

  @Test
  void aNewRolloutStartsWithItsFirstWave() {
    List<Event> e = ReleaseNotices.between(null, status(Phase.Progressing, s -> started(s, 0)));
    assertEquals(List.of(NoticeKind.ROLLOUT_STARTED, NoticeKind.WAVE_STARTED), kinds(e));
    assertEquals("revision 3f2a9c1b7e to 21 nodes in 3 waves", e.get(0).detail());
    assertEquals("canary", e.get(1).wave());
    assertEquals("1/3 canary: 3 nodes", e.get(1).detail());
  }

  @Test
  void aWaveThatCompletesAndTheNextThatStartsAreTwoEventsInWaveOrder() {
    var before = status(Phase.Progressing, s -> started(s, 0));
    var after = status(Phase.Progressing, s -> {
      completed(s, 0);
      started(s, 1);
    });
    List<Event> e = ReleaseNotices.between(before, after);
    assertEquals(List.of(NoticeKind.WAVE_COMPLETED, NoticeKind.WAVE_STARTED), kinds(e));
    assertEquals("1/3 canary: 3 ready, 0 failed", e.get(0).detail());
    assertEquals("early", e.get(1).wave());
  }

  @Test
  void nothingChangedIsNoEvent() {
    var s = status(Phase.Baking, x -> completed(x, 0));
    assertEquals(List.of(), ReleaseNotices.between(s, status(Phase.Baking, x -> completed(x, 0))));
  }

  @Test
  void aWaveWaitingForApprovalNamesTheWaitingWave() {
    var before = status(Phase.Baking, s -> completed(s, 0));
    var after = status(Phase.AwaitingApproval, s -> {
      completed(s, 0);
      s.setCurrentWave(2);
      s.setMessage("wave early waits for approval");
    });
    List<Event> e = ReleaseNotices.between(before, after);
    assertEquals(List.of(NoticeKind.AWAITING_APPROVAL), kinds(e));
    assertEquals("early", e.get(0).wave());
  }

  @Test
  void aSecondApprovalGateInARowIsItsOwnEvent() {
    var before = status(Phase.AwaitingApproval, s -> s.setCurrentWave(2));
    var after = status(Phase.AwaitingApproval, s -> s.setCurrentWave(3));
    assertEquals(List.of(new Event(NoticeKind.AWAITING_APPROVAL, "rest", null)), ReleaseNotices.between(before, after));
  }

  @Test
  void pauseAndResumeAreEvents() {
    var running = status(Phase.Progressing, s -> started(s, 0));
    var paused = status(Phase.Paused, s -> {
      started(s, 0);
      s.setMessage("paused by spec.paused");
    });
    assertEquals(List.of(NoticeKind.PAUSED), kinds(ReleaseNotices.between(running, paused)));
    assertEquals(List.of(NoticeKind.RESUMED), kinds(ReleaseNotices.between(paused, running)));
  }

  @Test
  void aHaltCarriesTheMessageAndTheFirstFailureReasons() {
    var before = status(Phase.Progressing, s -> started(s, 0, 1));
    var after = status(Phase.Halted, s -> {
      started(s, 0, 1);
      s.setMessage("wave early has 2 failed nodes, more than maxFailures 1");
      s.setFailures(List.of(new FailureSample("tc-hz-004", "early", "CrashLoopBackOff"),
          new FailureSample("tc-sh-002", "early", "ImagePullBackOff"),
          new FailureSample("tc-sh-003", "early", "CrashLoopBackOff"),
          new FailureSample("tc-wh-001", "early", "CrashLoopBackOff")));
    });
    List<Event> e = ReleaseNotices.between(before, after);
    assertEquals(List.of(NoticeKind.HALTED), kinds(e));
    assertEquals("wave early has 2 failed nodes, more than maxFailures 1; first failures: tc-hz-004 (early): "
        + "CrashLoopBackOff, tc-sh-002 (early): ImagePullBackOff, tc-sh-003 (early): CrashLoopBackOff, ...",
        e.get(0).detail());
  }

  @Test
  void aHaltMessageThatNamesItsFirstFailureIsNotRepeatedInTheReasons() {
    var before = status(Phase.Progressing, s -> started(s, 0, 1));
    var after = status(Phase.Halted, s -> {
      started(s, 0, 1);
      s.setMessage("wave all has 1 failed nodes, more than maxFailures 0 (0 of 12); first tc-hz-001: StagingFailed: "
          + "reg/camera:2: manifest unknown");
      s.setFailures(List.of(new FailureSample("tc-hz-001", "all", "StagingFailed: reg/camera:2: manifest unknown")));
    });
    assertEquals("wave all has 1 failed nodes, more than maxFailures 0 (0 of 12); first tc-hz-001: StagingFailed: "
        + "reg/camera:2: manifest unknown", ReleaseNotices.between(before, after).get(0).detail());
  }

  @Test
  void rollingBackAndRolledBackAreTwoEvents() {
    var before = status(Phase.Progressing, s -> started(s, 0));
    var rolling = status(Phase.RollingBack, s -> {
      started(s, 0);
      s.setFailures(List.of(new FailureSample("tc-hz-001", "canary", "CrashLoopBackOff")));
    });
    var back = status(Phase.RolledBack, s -> started(s, 0));
    assertEquals(List.of(NoticeKind.ROLLING_BACK), kinds(ReleaseNotices.between(before, rolling)));
    assertTrue(ReleaseNotices.between(before, rolling).get(0).detail().contains("tc-hz-001 (canary): CrashLoopBackOff"));
    assertEquals(List.of(NoticeKind.ROLLED_BACK), kinds(ReleaseNotices.between(rolling, back)));
  }

  @Test
  void theLastWaveCompletingIsSuccess() {
    var before = status(Phase.Progressing, s -> {
      completed(s, 0, 1);
      started(s, 2);
    });
    var after = status(Phase.Succeeded, s -> {
      completed(s, 0, 1, 2);
      s.getTotals().setReady(21);
    });
    List<Event> e = ReleaseNotices.between(before, after);
    assertEquals(List.of(NoticeKind.WAVE_COMPLETED, NoticeKind.SUCCEEDED), kinds(e));
    assertEquals("21 of 21 nodes ready", e.get(1).detail());
  }

  @Test
  void aHoldNoOneButAPersonCanClearIsStuckOnce() {
    var before = status(Phase.Progressing, s -> started(s, 0));
    var after = status(Phase.Progressing, s -> {
      started(s, 0);
      s.setConditions(List.of(new Condition(Condition.PROGRESSING, true, "NoCanarySignal",
          "every node of wave canary is offline")));
    });
    assertEquals(List.of(new Event(NoticeKind.STUCK, null, "NoCanarySignal: every node of wave canary is offline")),
        ReleaseNotices.between(before, after));
    assertEquals(List.of(), ReleaseNotices.between(after, after), "the same hold is no new event");
  }

  @Test
  void refusedDeploymentWritesAreStuck() {
    var before = status(Phase.Progressing, s -> started(s, 0));
    var after = status(Phase.Progressing, s -> {
      started(s, 0);
      s.setConditions(List.of(new Condition(Condition.WRITE_REJECTED, true, "DeploymentRejected", "3 refused")));
    });
    assertEquals(List.of(NoticeKind.STUCK), kinds(ReleaseNotices.between(before, after)));
  }

  @Test
  void anInvalidSpecIsStuckAndItsFixReturnsWithoutANewEvent() {
    var halted = status(Phase.Halted, s -> started(s, 0));
    var invalid = status(Phase.Invalid, s -> {
      started(s, 0);
      s.setPhaseBeforeInvalid(Phase.Halted);
      s.setMessage("spec.strategy.waves[1].size: must be a count or a percentage");
    });
    List<Event> e = ReleaseNotices.between(halted, invalid);
    assertEquals(List.of(NoticeKind.STUCK), kinds(e));
    assertTrue(e.get(0).detail().startsWith("the spec is invalid: spec.strategy"));
    assertEquals(List.of(), ReleaseNotices.between(invalid, halted), "the fix returns to the halt: not halted again");
  }

  @Test
  void aSpecThatStaysInvalidIsNoNewsOnEveryReconcileOnlyWhenItIsInvalidInAnotherWay() {
    // every reconcile of an invalid spec rebuilds the same status: an event each time would be a write each time,
    // and each write another reconcile (a loop seen in review: thousands of events a minute)
    var baking = status(Phase.Baking, s -> started(s, 0));
    var invalid = status(Phase.Invalid, s -> {
      started(s, 0);
      s.setPhaseBeforeInvalid(Phase.Baking);
      s.setMessage("spec.strategy.waves[1].size: \"thirty\" is not a count or a percentage");
    });
    assertEquals(List.of(NoticeKind.STUCK), kinds(ReleaseNotices.between(baking, invalid)));
    assertEquals(List.of(), ReleaseNotices.between(invalid, invalid), "the same typo is no new event");
    var other = status(Phase.Invalid, s -> {
      started(s, 0);
      s.setPhaseBeforeInvalid(Phase.Baking);
      s.setMessage("spec.targets: is missing");
    });
    assertEquals(List.of(NoticeKind.STUCK), kinds(ReleaseNotices.between(invalid, other)));
  }

  @Test
  void aHoldWhoseCountsChangeIsTheSameHold() {
    var one = status(Phase.Progressing, s -> s.setConditions(List.of(new Condition(Condition.WRITE_REJECTED, true,
        "DeploymentRejected", "3 refused"))));
    var two = status(Phase.Progressing, s -> s.setConditions(List.of(new Condition(Condition.WRITE_REJECTED, true,
        "DeploymentRejected", "4 refused"))));
    assertEquals(List.of(), ReleaseNotices.between(one, two));
  }

  @Test
  void aNewRevisionStartsANewRolloutWhoseWavesStartAfresh() {
    var done = status(Phase.Succeeded, s -> completed(s, 0, 1, 2));
    var next = status(Phase.Progressing, s -> {
      s.setRollout("9c1b7e3f2a-20261202t0900");
      started(s, 0);
    });
    assertEquals(List.of(NoticeKind.ROLLOUT_STARTED, NoticeKind.WAVE_STARTED),
        kinds(ReleaseNotices.between(done, next)));
  }

  @Test
  void eventsAreRecordedNumberedOnlyWithADestination() {
    var before = status(Phase.Progressing, s -> started(s, 0));
    var after = status(Phase.Progressing, s -> {
      completed(s, 0);
      started(s, 1);
    });
    assertNull(ReleaseNotices.record(before, after, T0, false), "no destination: nothing recorded");
    Notices n = ReleaseNotices.record(before, after, T0, true);
    assertEquals(2L, n.getSeq());
    assertEquals(List.of(1L, 2L), n.getOutbox().stream().map(Notice::getSeq).toList());
    assertEquals(List.of("WAVE_COMPLETED", "WAVE_STARTED"), n.getOutbox().stream().map(Notice::getKind).toList());
    assertEquals(T0.toString(), n.getOutbox().get(0).getAt());
    after.setNotices(n);
    assertSame(n, ReleaseNotices.record(after, status(Phase.Progressing, s -> {
      completed(s, 0);
      started(s, 1);
    }), T0, true), "no event: the outbox is carried over as it is");
  }

  @Test
  void theOutboxKeepsTheNewestEventsAndCountsWhatItDropped() {
    Notices n = null;
    EdgeReleaseStatus before = null;
    for (int i = 0; i < 20; i++) {
      int round = i;
      EdgeReleaseStatus after = status(i % 2 == 0 ? Phase.Paused : Phase.Progressing, s -> s.setRollout("r"));
      after.setNotices(n);
      n = ReleaseNotices.record(before, after, T0.plusSeconds(round), true);
      after.setNotices(n);
      before = after;
    }
    assertEquals(Notices.MAX_OUTBOX, n.getOutbox().size());
    assertEquals(21L, n.getSeq(), "rollout started, then 20 pauses and resumes");
    assertEquals(5L, n.getDropped());
    assertEquals(6L, n.getOutbox().get(0).getSeq());
  }

  @Test
  void eventsOfOneReleaseWithinTheWindowGoOutAsOneBatch() {
    Notices n = new Notices();
    n.getOutbox().add(new Notice(1, "ROLLOUT_STARTED", T0.toString(), null, null));
    n.getOutbox().add(new Notice(2, "WAVE_STARTED", T0.plusSeconds(3).toString(), "canary", null));
    Duration w = Duration.ofSeconds(5);
    assertEquals(List.of(), ReleaseNotices.due(n, DING, T0.plusSeconds(4), w), "the oldest waited less than the window");
    assertEquals(List.of(1L, 2L), ReleaseNotices.due(n, DING, T0.plusSeconds(5), w).stream().map(Notice::getSeq).toList());
  }

  @Test
  void aClaimThenAnAcknowledgementMovesOneDestinationOnAndTheOutboxDropsWhatAllHave() {
    Notices n = new Notices();
    for (long i = 1; i <= 3; i++) n.getOutbox().add(new Notice(i, "WAVE_STARTED", T0.toString(), "w" + i, null));
    n.setSeq(3L);
    Notices claimed = ReleaseNotices.claim(n, DING, 3, "replica-a");
    assertEquals(3L, ReleaseNotices.cursor(claimed, DING).getClaimed());
    assertEquals(3, ReleaseNotices.pending(claimed, DING).size(), "claimed is not delivered");
    Notices acked = ReleaseNotices.acknowledge(claimed, DING, 3, List.of(DING, SLACK));
    assertEquals(List.of(), ReleaseNotices.pending(acked, DING));
    assertEquals(3, acked.getOutbox().size(), "slack has not had them yet");
    Notices both = ReleaseNotices.acknowledge(acked, SLACK, 2, List.of(DING, SLACK));
    assertEquals(List.of(3L), both.getOutbox().stream().map(Notice::getSeq).toList());
    assertEquals(List.of(3L), ReleaseNotices.pending(both, SLACK).stream().map(Notice::getSeq).toList());
    Notices dropped = ReleaseNotices.acknowledge(both, DING, 3, List.of(DING));
    assertEquals(List.of(DING), dropped.getCursors().stream().map(c -> c.getDestination()).toList(),
        "a destination no longer named loses its cursor");
    assertEquals(List.of(), dropped.getOutbox());
  }

  @Test
  void eventsAnotherReplicaClaimedAndNeverAcknowledgedMayBeARepeat() {
    Notices n = new Notices();
    n.getOutbox().add(new Notice(1, "SUCCEEDED", T0.toString(), null, null));
    Notices claimed = ReleaseNotices.claim(n, DING, 1, "replica-a");
    assertTrue(ReleaseNotices.maybeRepeat(claimed, DING, n.getOutbox(), "replica-b"));
    assertFalse(ReleaseNotices.maybeRepeat(claimed, DING, n.getOutbox(), "replica-a"));
    assertFalse(ReleaseNotices.maybeRepeat(claimed, SLACK, n.getOutbox(), "replica-b"));
    assertFalse(ReleaseNotices.maybeRepeat(n, DING, n.getOutbox(), "replica-b"));
  }
}
