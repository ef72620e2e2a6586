package io.edgewave.operator.rollout;

import io.edgewave.operator.api.v1alpha1.OfflineNodes;
import io.edgewave.operator.api.v1alpha1.OnFailure;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.plan.Wave;
import io.edgewave.operator.plan.WindowCalendar;
import io.edgewave.operator.rollout.NodeClassifier.Judgement;
import io.edgewave.operator.rollout.NodeClassifier.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rollout state machine, as a pure function of what was observed and what status (and the wave roster)
 * remembers. Nodes are judged by {@link NodeClassifier}; this class applies the rules of the rollout to them.
 *
 * <p>Invariants it keeps: a node is only ever moved to the current revision when its Deployment is on another
 * one (so never twice); a wave starts only after the previous one completed, baked and (if asked) was approved;
 * wave marks only move forward; a wave's membership is fixed when it starts (the roster); a wave can fail the
 * rollout only until its bake has ended (then its verdicts are final), so a Succeeded release never halts or rolls
 * back by itself; Halted and RolledBack are final for their rollout attempt. Nodes of earlier waves that were
 * skipped while offline are caught up as soon as they are back and inside a window; nodes that join after every
 * wave started are caught up once the rollout succeeded.
 */
public final class RolloutDecider {
  /** Facts do not raise events: nodes waiting on them are looked at again this often. */
  static final Duration FACTS_RECHECK = NodeClassifier.FACTS_RECHECK;
  /** While heartbeat ingest is degraded, look again this often, so the rollout goes on soon after it recovers. */
  static final Duration BLIND_RECHECK = Duration.ofSeconds(2);
  /** The wave name written on the Deployments of nodes caught up after the rollout. */
  public static final String JOINED = "joined";

  private final RolloutInput in;
  private final WindowCalendar calendar;
  private final List<Wave> waves;
  private final List<WaveMark> marks = new ArrayList<>();
  private final Map<String, Judgement> verdicts = new HashMap<>();
  private final List<Transition> transitions = new ArrayList<>();
  private final List<NodeAction> actions = new ArrayList<>();
  private final NodeClassifier.Rules rules;
  /** spec.strategy.staging, or null when off; its windows, when pulls may start. */
  private final io.edgewave.operator.plan.StagingPolicy staging;
  private final WindowCalendar stagingCalendar;
  /**
   * Why a waiting node was not sent to pull this round (BUDGET, WINDOW or LEAD_TIME): counts for the hold message,
   * per node for the dashboard, never a list in status.
   */
  private final Map<String, NodeStaging.State> notStaged = new HashMap<>();
  /** Each node's next maintenance window opening, once looked up this round (BeforeWindow staging). */
  private final Map<String, java.util.Optional<Instant>> openings = new HashMap<>();
  private WaveRoster roster;
  private boolean rosterChanged;
  private String holdReason;
  private String holdMessage;
  private Instant wake;
  /** When the rollout moves on by itself: a bake's end, a window's opening, notBefore; for countdowns. */
  private Instant nextStep;

  private RolloutDecider(RolloutInput in) {
    this.in = in;
    this.calendar = new WindowCalendar(in.policy().schedule().windows());
    this.waves = in.plan().waves();
    this.rules = new NodeClassifier.Rules(in.policy().strategy().progressDeadline(), in.policy().rules().preflight(),
        in.policy().rules().gates());
    this.staging = in.policy().strategy().staging();
    this.stagingCalendar = new WindowCalendar(staging == null ? List.of() : staging.windows());
  }

  public static RolloutDecision decide(RolloutInput in) {
    return new RolloutDecider(in).run();
  }

  private RolloutDecision run() {
    Progress p = in.progress();
    boolean starting = p == null || !in.revision().equals(p.revision());
    if (starting) p = fresh(p);
    roster = in.roster() != null && in.roster().attempt().equals(p.attempt()) ? in.roster()
        : new WaveRoster(p.attempt(), Map.of());
    Map<String, WaveMark> byName = new HashMap<>();
    for (WaveMark m : p.marks()) byName.put(m.name(), m);
    for (Wave w : waves) marks.add(byName.getOrDefault(w.name(), WaveMark.none(w.name())));
    int current = firstIncomplete();
    // a wave marked started whose members were never recorded (lost roster, older operator) is frozen as it is now
    for (Wave w : waves) {
      List<String> recorded = roster.waves().get(w.name());
      // a started wave whose members were never recorded (a lost roster, an older operator), or that had none (or
      // lost them all) and now has some (a fixed selector filled an empty canary), is frozen as it is now
      boolean unrecorded = recorded == null || (!w.nodes().isEmpty() && java.util.Collections.disjoint(recorded, w.nodes()));
      if (started(w.index(), current) && unrecorded) freeze(w);
    }
    classifyAll(current);
    if (starting) {
      // the attempt (revision and start) goes to status before any node is moved, so every Deployment written for
      // it names an attempt that outlives a crash or a failed status write
      wakeAt(in.now());
      Instant notBefore = in.policy().schedule().notBefore();
      return finish(p, in.policy().paused() ? Phase.Paused
          : notBefore != null && in.now().isBefore(notBefore) ? Phase.Pending : Phase.Progressing, current, null,
          "starting the rollout of revision " + in.revision());
    }

    Phase was = p.phase();
    if (was == Phase.RolledBack || (was == Phase.Halted && in.abort() != RolloutInput.Abort.ROLLBACK)) {
      int still = firstBreach(current);
      String why = still >= 0 ? breachMessage(still) + "; "
          : in.abort() != RolloutInput.Abort.NONE ? "aborted by the " + Labels.ABORT + " annotation; "
          : recordedFailure(p);
      String message = was == Phase.Halted ? why + "halted: change spec.workload to roll out a fix, or roll back"
          : why + "rolled back: change spec.workload to roll out again"
              + (p.stranded() > 0 ? "; " + p.stranded() + " nodes could not be returned" : "");
      return finish(p, was, current, p.finishedAt(), message);
    }
    if (was == Phase.RollingBack) return rollBackStep(p, current);
    if (in.abort() == RolloutInput.Abort.ROLLBACK || (in.abort() == RolloutInput.Abort.HALT && was != Phase.Succeeded)) {
      return onAbort(p, current);
    }
    int breach;
    if (was != Phase.Succeeded && (breach = firstBreach(current)) >= 0) return onBreach(p, breach, current);
    // evidence first: within the write budget, recording Ready nodes goes before starting new ones
    markReady();

    Phase phase;
    Instant finishedAt = p.finishedAt();
    String message;
    String late;
    if (was == Phase.Succeeded) {
      // a finished rollout stays finished: no wave starts (a wave that appeared since, e.g. from a grown fleet under
      // exponential, is caught up like joiners), nothing it sees can halt it; only pause, start time and windows
      // still hold the catch-ups
      phase = Phase.Succeeded;
      message = "all waves completed";
      if (!in.policy().paused() && in.blind() == null
          && (in.policy().schedule().notBefore() == null || !in.now().isBefore(in.policy().schedule().notBefore()))) {
        dispatchUpTo(waves.size() - 1, waves.size());
        dispatchJoiners();
        stage(waves.size());
      }
    } else if (in.policy().paused()) {
      phase = Phase.Paused;
      message = "paused by spec.paused";
    } else if (in.policy().schedule().notBefore() != null && in.now().isBefore(in.policy().schedule().notBefore())) {
      // before a broker outage's hold: a release waiting for its start time stays Pending, counting down to it
      phase = Phase.Pending;
      wakeAt(in.policy().schedule().notBefore());
      nextStep = in.policy().schedule().notBefore();
      message = "waiting for spec.schedule.notBefore " + in.policy().schedule().notBefore();
    } else if (in.blind() != null) {
      // lost boxes cannot be seen while heartbeats are not coming in: start nothing until they are
      phase = was == Phase.Pending || was == Phase.Invalid || was == Phase.Paused ? Phase.Progressing : was;
      wakeAt(in.now().plus(BLIND_RECHECK));
      // nor does a pull start: whom to stage is judged on node health, which cannot be seen now (pulls running go on)
      message = "holding: heartbeat ingest degraded (" + in.blind() + "); no node starts until heartbeats are back";
    } else {
      Step step = advance(current);
      current = step.current;
      phase = step.phase;
      message = step.message;
      if (phase != Phase.Succeeded && (breach = firstBreach(current)) >= 0) return onBreach(p, breach, current);
      if (phase == Phase.Succeeded && finishedAt == null) {
        finishedAt = in.now();
        transitions.add(new Transition("Succeeded", "all " + waves.size() + " waves completed", false));
      }
      dispatchUpTo(step.dispatchThrough, waves.size());
      if (phase == Phase.Succeeded) dispatchJoiners();
      else stage(current);
      if ("Staging".equals(holdReason) && current < waves.size()) message = message + whyNotStaged(waves.get(current));
      if (phase == Phase.Progressing && holdMessage == null && !actions.isEmpty()) {
        message = "updating wave " + waves.get(current).name();
      } else if (phase == Phase.Progressing && holdMessage == null && waitingOnlyForWindow(current)) {
        phase = Phase.WaitingForWindow;
        message = "wave " + waves.get(current).name() + " waits for a maintenance window";
        nextStep = wake;
      } else if (phase == Phase.Progressing && holdMessage == null && (late = lateStaging(current)) != null) {
        holdReason = "Staging";
        message = late + whyNotStaged(waves.get(current));
      }
    }
    return finish(p, phase, current, finishedAt, message);
  }

  /** A new rollout attempt: what the one before it proved is carried over (a failed revision, the last good one). */
  private Progress fresh(Progress old) {
    List<String> failed = new ArrayList<>(old == null ? List.of() : old.failedRevisions());
    String lastGood = old == null ? null : old.lastGood();
    if (old != null) {
      switch (old.phase()) {
        case Halted, RollingBack, RolledBack -> {
          failed.remove(old.revision());
          failed.add(old.revision());
        }
        case Succeeded -> {
          failed.remove(old.revision());
          lastGood = old.revision();
        }
        default -> { }
      }
    }
    while (failed.size() > Progress.FAILED_REVISIONS_KEPT) failed.remove(0);
    Progress p = new Progress(in.revision(), old == null ? null : old.revision(), Phase.Progressing, List.of(),
        in.now(), null, List.of(), failed, lastGood, 0);
    transitions.add(new Transition("RolloutStarted", "rolling out revision " + in.revision() + " to "
        + in.plan().size() + " nodes in " + waves.size() + " waves", false));
    return p;
  }

  private RolloutDecision onBreach(Progress p, int breach, int current) {
    String why = breachMessage(breach);
    boolean rollback = in.policy().strategy().onFailure() == OnFailure.Rollback;
    transitions.add(new Transition(rollback ? "RollingBack" : "Halted", why, true));
    // the breaching wave's failures first: the samples are bounded, and they are what names the cause later
    Progress halted = p.with(p.phase(), marks, p.finishedAt(), samples(failures(), breach), p.stranded());
    return rollback ? rollingBack(halted, current, why) : finish(halted, Phase.Halted, current, in.now(), why);
  }

  /**
   * The round that decides to roll back only records it (phase, failure samples): no node moves until status says
   * RollingBack, so a lost status write can never leave reverted nodes looking like ones waiting for the bad revision.
   */
  private RolloutDecision rollingBack(Progress p, int current, String why) {
    wakeAt(in.now());
    return finish(p, Phase.RollingBack, current, p.finishedAt(), "rolling back: " + why);
  }

  /** Ops asked to stop: no node is started after this; with rollback, updated nodes go back as after a failure. */
  private RolloutDecision onAbort(Progress p, int current) {
    boolean rollback = in.abort() == RolloutInput.Abort.ROLLBACK;
    String why = "aborted by the " + Labels.ABORT + " annotation";
    transitions.add(new Transition("Aborted", why + (rollback ? "; rolling updated nodes back" : "; halted"), true));
    Progress stopped = p.with(p.phase(), marks, p.finishedAt(), samples(failures()), p.stranded());
    return rollback ? rollingBack(stopped, current, why) : finish(stopped, Phase.Halted, current, in.now(), why);
  }

  /**
   * Returns the nodes this rollout moved, each to the revision it ran before (recorded when it was dispatched),
   * targets or not any more. A node whose earlier revision failed goes to the last good one instead; a node with
   * no revision to go to (failed and no good one, or its template gone from the history) is counted as stranded
   * and left alone, not retried. Only spec.paused holds a rollback.
   */
  private RolloutDecision rollBackStep(Progress p, int current) {
    if (in.policy().paused()) {
      holdReason = "RollbackPaused";
      return finish(p, Phase.RollingBack, current, p.finishedAt(), "rollback paused by spec.paused");
    }
    Map<String, NodeView> moved = new TreeMap<>();
    in.outside().forEach(moved::put);
    in.nodes().forEach(moved::put);
    int stranded = 0;
    boolean remaining = false;
    for (NodeView v : moved.values()) {
      if (v == null || !in.revision().equals(v.revision())) continue;
      if (!movedBy(v, p)) continue;
      String to = v.previousRevision();
      if (to != null && p.failedRevisions().contains(to)) {
        to = p.lastGood() != null && !p.failedRevisions().contains(p.lastGood()) && !p.lastGood().equals(p.revision())
            ? p.lastGood() : null;
        if (to == null) {
          stranded++;
          continue;
        }
      }
      if (to != null && in.knownRevisions() != null && !in.knownRevisions().contains(to)) {
        stranded++;
        continue;
      }
      remaining = true;
      if (actions.size() < in.writeBudget()) actions.add(new NodeAction.Revert(v.name(), to));
      else wakeAt(in.now());
    }
    if (!remaining) {
      String message = (in.abort() == RolloutInput.Abort.ROLLBACK ? "rolled back on abort" : "rolled back after failures")
          + (stranded > 0 ? "; " + stranded + " nodes could not be returned (no good revision in the history)" : "");
      transitions.add(new Transition("RolledBack", "every node this rollout moved is back on its previous revision"
          + (stranded > 0 ? ", but for " + stranded + " with no good revision to return to" : ""), true));
      return finish(p.with(p.phase(), marks, p.finishedAt(), p.failures(), stranded), Phase.RolledBack, current,
          in.now(), message);
    }
    return finish(p.with(p.phase(), marks, p.finishedAt(), p.failures(), stranded), Phase.RollingBack, current,
        p.finishedAt(), "rolling back the nodes this rollout moved");
  }

  /**
   * Whether this attempt moved the node: its Deployment names the attempt. One written by an operator from before
   * attempts were recorded names none; it counts when it was dispatched after this attempt started. A node reverted
   * by a rollback names the attempt it reverted ({@code reverted:<attempt>}), never this one.
   */
  private static boolean movedBy(NodeView v, Progress p) {
    if (v.rollout() != null) return v.rollout().equals(p.attempt()); // also false for "reverted:<attempt>"
    return v.dispatchedAt() != null && p.startedAt() != null && !v.dispatchedAt().isBefore(p.startedAt());
  }

  private record Step(int current, Phase phase, String message, int dispatchThrough) {}

  /** Moves wave marks forward as far as gates allow; dispatching is left to the caller. */
  private Step advance(int i) {
    while (true) {
      if (i == waves.size()) {
        Instant bakeEnd = i == 0 ? null : bakeEnd(i - 1);
        if (bakeEnd != null && in.now().isBefore(bakeEnd)) {
          wakeAt(bakeEnd);
          nextStep = bakeEnd;
          return new Step(i - 1, Phase.Baking, "baking wave " + waves.get(i - 1).name() + " until " + seconds(bakeEnd),
              i - 1);
        }
        return new Step(i, Phase.Succeeded, "all waves completed", i - 1);
      }
      Wave w = waves.get(i);
      WaveMark m = marks.get(i);
      if (m.startedAt() == null) {
        Instant bakeEnd = i == 0 ? null : bakeEnd(i - 1);
        if (bakeEnd != null && in.now().isBefore(bakeEnd)) {
          wakeAt(bakeEnd);
          nextStep = bakeEnd;
          // the wave shown while baking is the one being watched, not the one that follows
          return new Step(i - 1, Phase.Baking, "baking wave " + waves.get(i - 1).name() + " until " + seconds(bakeEnd),
              i - 1);
        }
        if (w.policy().approval() && m.approvedAt() == null) {
          if (!in.approvedWaves().contains(w.name())) {
            return new Step(i, Phase.AwaitingApproval, "wave " + w.name() + " waits for approval: annotate "
                + Labels.APPROVE + "=" + w.name() + "@" + roster.attempt(), i - 1);
          }
          m = m.approved(in.now());
          transitions.add(new Transition("WaveApproved", "wave " + w.name() + " approved", false));
        }
        String staged = staging == null ? null : stagingHold(w);
        if (staged != null) {
          holdReason = "Staging";
          holdMessage = staged;
          return new Step(i, Phase.Progressing, staged, i - 1);
        }
        m = m.started(in.now());
        marks.set(i, m);
        freeze(w);
        if (in.policy().strategy().offlineNodes() == OfflineNodes.Fail) {
          wakeAt(in.now().plus(in.policy().strategy().progressDeadline()));
        }
        String unstaged = "";
        if (staging != null) {
          int ready = 0;
          for (String n : w.nodes()) if (staged(n)) ready++;
          unstaged = ready == w.nodes().size() ? " (all staged)" : " (" + ready + " staged)";
        }
        transitions.add(new Transition("WaveStarted", "wave " + (i + 1) + "/" + waves.size() + " " + w.name()
            + " started with " + w.nodes().size() + " nodes" + unstaged, false));
      }
      if (!complete(w)) {
        return new Step(i, Phase.Progressing, holdMessage != null ? holdMessage : "updating wave " + w.name(), i);
      }
      marks.set(i, m.completed(in.now()));
      WaveTally t = tally(w);
      transitions.add(new Transition("WaveCompleted", "wave " + w.name() + " completed: " + t.ready()
          + " ready, " + t.failed() + " failed, " + t.offline() + " offline", false));
      i++;
    }
  }

  private void freeze(Wave w) {
    List<String> recorded = roster.waves().get(w.name());
    if (recorded != null && recorded.equals(w.nodes())) return;
    roster = roster.with(w.name(), w.nodes());
    rosterChanged = true;
  }

  private Instant bakeEnd(int wave) {
    WaveMark prev = marks.get(wave);
    return prev.completedAt() == null ? null : prev.completedAt().plus(waves.get(wave).policy().bakeTime());
  }

  private boolean started(int wave, int current) {
    return wave < current || marks.get(wave).startedAt() != null;
  }

  /** A wave whose bake has ended (or whose successor started): its nodes' verdicts are final for this rollout. */
  private boolean settled(int wave) {
    if (marks.get(wave).completedAt() == null) return false;
    if (wave + 1 < marks.size() && marks.get(wave + 1).startedAt() != null) return true;
    return !in.now().isBefore(bakeEnd(wave));
  }

  private int firstIncomplete() {
    for (int i = 0; i < marks.size(); i++) if (marks.get(i).completedAt() == null) return i;
    return marks.size();
  }

  private void classifyAll(int current) {
    NodeClassifier.Context ctx = new NodeClassifier.Context(in.now(), in.revision(), in.factsSince(), in.blind() != null,
        in.siteLabel(), in.sites(), in.staging());
    for (Wave w : waves) {
      boolean started = started(w.index(), current);
      boolean settled = settled(w.index());
      boolean watched = w.index() <= current;
      Instant completed = marks.get(w.index()).completedAt();
      for (String name : w.nodes()) {
        NodeView v = in.nodes().get(name);
        if (completed != null && v.readyAt() == null && v.rollout() == null && in.revision().equals(v.revision())) {
          // written by an operator from before Ready was recorded: its wave completed, so it was judged then
          v = v.withReadyAt(completed);
        }
        Judgement j = NodeClassifier.judge(v, in.facts().get(name), rules, ctx, settled);
        if (j.verdict() == Verdict.OFFLINE && started && in.policy().strategy().offlineNodes() == OfflineNodes.Fail) {
          // a blip is not an offline node: it fails only once offline a whole progress deadline, counted from its
          // wave's start or from when it went offline (its Node's conditions), whichever is later
          Instant since = marks.get(w.index()).startedAt();
          // (a time ahead of now, from an edge clock running ahead, is no evidence: the wave's start then)
          Instant off = v.offlineSince() == null || v.offlineSince().isAfter(in.now()) ? null : v.offlineSince();
          if (since != null && off != null && off.isAfter(since)) since = off;
          Instant failAt = since == null ? null : since.plus(in.policy().strategy().progressDeadline());
          if (failAt != null && !in.now().isBefore(failAt)) j = new Judgement(Verdict.FAILED, "NodeOffline", null);
          else if (failAt != null) wakeAt(failAt);
        }
        verdicts.put(name, j);
        if (j.recheckAt() != null && (watched || j.verdict() == Verdict.UPDATING)) wakeAt(j.recheckAt());
      }
    }
    for (Wave w : waves) {
      // a member that left the targets mid-wave takes no failure with it: judged from what it still runs
      boolean settled = settled(w.index());
      for (String name : w.departed()) {
        NodeView v = in.outside().get(name);
        if (v != null && in.revision().equals(v.revision())) {
          verdicts.put(name, NodeClassifier.judge(v, in.facts().get(name), rules, ctx, settled));
        }
      }
    }
    for (String name : in.plan().joiners()) {
      verdicts.put(name, NodeClassifier.judge(in.nodes().get(name), in.facts().get(name), rules, ctx, true));
    }
  }

  private Verdict verdict(String node) {
    Judgement j = verdicts.get(node);
    return j == null ? null : j.verdict();
  }

  /**
   * Every member judged (Ready ones get their readyAt mark written in the same act, before status); a wave in front
   * of others must also have given a signal: at least one node updated and Ready, unless it allows being empty.
   */
  private boolean complete(Wave w) {
    boolean skip = in.policy().strategy().offlineNodes() == OfflineNodes.Skip;
    boolean signal = false;
    for (String n : w.nodes()) {
      Verdict v = verdict(n);
      if (v == Verdict.UPDATING || v == Verdict.WAITING || v == Verdict.HELD || (v == Verdict.OFFLINE && !skip)) {
        return false;
      }
      if (v == Verdict.READY || v == Verdict.LAPSED) signal = true;
    }
    if (!signal && !w.policy().allowEmpty() && laterWavesHaveMembers(w)) {
      WaveTally t = tally(w);
      holdReason = "NoCanarySignal";
      holdMessage = "holding: wave " + w.name() + " has no node updated and Ready (" + t.targets() + " targets, "
          + t.failed() + " failed, " + t.offline() + " offline, " + t.skipped() + " skipped), so the waves after it "
          + "would start without its signal; fix its selector or set allowEmpty: true on it";
      wakeAt(in.now().plus(FACTS_RECHECK.multipliedBy(6)));
      return false;
    }
    return true;
  }

  private boolean laterWavesHaveMembers(Wave w) {
    for (int i = w.index() + 1; i < waves.size(); i++) if (!waves.get(i).nodes().isEmpty()) return true;
    return false;
  }

  /**
   * Index of the first started, unsettled wave with more failed nodes than it tolerates, or -1. With staging, also
   * the wave up next before it starts: its members whose images cannot be pulled count, so it halts before any of
   * its running pods was stopped.
   */
  private int firstBreach(int current) {
    for (Wave w : waves) {
      boolean judged = started(w.index(), current) || (staging != null && w.index() == current);
      if (judged && !settled(w.index()) && tally(w).failed() > w.maxFailures()) return w.index();
    }
    return -1;
  }

  /**
   * Why the wave cannot start yet for staging, or null when enough of it is staged: {@code requiredShare} of its
   * members that would start now (not offline, not skipped, not failed) have their images on the node. A member that
   * cannot pull before the next staging window does not hold the others for a whole night: the share is taken of the
   * members that can pull now, the wave starts once at least one member is staged, and the late ones switch once their
   * images are there (as stragglers do).
   */
  private String stagingHold(Wave w) {
    int candidates = 0, staged = 0, pulling = 0, failed = 0, later = 0;
    for (String n : w.nodes()) {
      Verdict v = verdict(n);
      StageState s = in.staging().get(n);
      if (v == Verdict.FAILED && s != null && s.kind() == StageState.Kind.FAILED) failed++;
      // held for probe facts (a restart): it will start once they are in, so it counts as one to stage
      if (v != Verdict.WAITING && v != Verdict.HELD) continue;
      candidates++;
      if (s != null && s.kind() == StageState.Kind.STAGED) staged++;
      if (s != null && s.kind() == StageState.Kind.PULLING) pulling++;
      if (s == null && pullsLater(in.nodes().get(n))) later++;
    }
    int need = staging.required(candidates - later);
    if (need == 0 && candidates > 0) need = 1; // never a wave started with nothing to switch
    if (staged >= need) return null;
    return "staging wave " + w.name() + ": " + staged + " of " + candidates + " nodes staged (" + need + " needed), "
        + pulling + " pulling" + (failed > 0 ? ", " + failed + " failed" : "");
  }

  /**
   * Whether the node may not start pulling yet: outside the staging windows, or (BeforeWindow) before the lead time
   * ahead of its own maintenance window, which differs by site time zone.
   */
  private boolean pullsLater(NodeView v) {
    return !mayPullNow(v) || beforeLeadTime(v) != null;
  }

  /** With BeforeWindow, when the node may start pulling if that is still ahead; null when it may now. */
  private Instant beforeLeadTime(NodeView v) {
    if (staging.start() != io.edgewave.operator.api.v1alpha1.StagingStart.BeforeWindow || goingBack(v)
        || calendar.isOpen(in.now(), v.labels())) return null;
    var opens = nextOpening(v);
    if (opens.isEmpty()) return null;
    Instant from = opens.get().minus(staging.leadTime());
    return in.now().isBefore(from) ? from : null;
  }

  /** When the node's next maintenance window opens; worked out once a round per node (a cron search). */
  private java.util.Optional<Instant> nextOpening(NodeView v) {
    return openings.computeIfAbsent(v.name(), n -> calendar.nextOpening(in.now(), v.labels()));
  }

  /**
   * Whether the staging windows let the node pull now. A node going back to the revision it ran before (an undo) has
   * its images, or had them lately: it is pulled at once, windows or not, so an undo never waits for daytime.
   */
  private boolean mayPullNow(NodeView v) {
    return goingBack(v) || stagingCalendar.isOpen(in.now(), v.labels());
  }

  private boolean goingBack(NodeView v) {
    return v.previousRevision() != null && v.previousRevision().equals(in.revision());
  }

  /**
   * Starts pre-pulls (spec.strategy.staging) for nodes of this wave and the ones after it that wait: the waves up
   * next first, at most {@code maxPullsPerSite} pulling per site, inside the staging windows, and with start
   * BeforeWindow only from the lead time before the node's maintenance window opens.
   */
  private void stage(int current) {
    if (staging == null) return;
    Map<String, Integer> pulling = new HashMap<>();
    for (Map.Entry<String, StageState> e : in.staging().entrySet()) {
      NodeView v = in.nodes().get(e.getKey());
      StageState s = e.getValue();
      if (v == null || s.kind() != StageState.Kind.PULLING) continue;
      // a node offline mid-pull still counts: a box whose probe or link went quiet may well be pulling (no pull starts
      // at a site with its budget's worth pulling), and a dead one holds its place only until its pull times out
      pulling.merge(siteOf(v), 1, Integer::sum);
      // a pull raises events as it ends; one that hangs or keeps failing is judged by time, so look again then
      if (s.since() != null) wakeAt(s.since().plus(staging.timeout()));
    }
    List<String> order = new ArrayList<>();
    for (int i = Math.max(current, 0); i < waves.size(); i++) order.addAll(waves.get(i).nodes());
    // then stragglers of started waves (back from offline) and joiners: caught up only once staged, like the rest
    for (int i = 0; i < Math.min(current, waves.size()); i++) order.addAll(waves.get(i).nodes());
    order.addAll(in.plan().joiners());
    for (String n : order) {
        if (verdict(n) != Verdict.WAITING || in.staging().containsKey(n)) continue;
        NodeView v = in.nodes().get(n);
        if (staging.start() == io.edgewave.operator.api.v1alpha1.StagingStart.BeforeWindow && !goingBack(v)
            && !calendar.isOpen(in.now(), v.labels()) && nextOpening(v).isEmpty()) {
          continue; // no window ahead: nothing to stage for
        }
        Instant from = beforeLeadTime(v);
        if (from != null) {
          wakeAt(from);
          notStaged.put(n, NodeStaging.State.LEAD_TIME);
          continue;
        }
        if (!mayPullNow(v)) {
          stagingCalendar.nextOpening(in.now(), v.labels()).ifPresent(this::wakeAt);
          notStaged.put(n, NodeStaging.State.WINDOW);
          continue;
        }
        String site = siteOf(v);
        if (pulling.getOrDefault(site, 0) >= staging.maxPullsPerSite()) {
          notStaged.put(n, NodeStaging.State.BUDGET);
          continue;
        }
        if (actions.size() >= in.writeBudget()) {
          wakeAt(in.now());
          return;
        }
        actions.add(new NodeAction.Stage(n, staging.timeout()));
        pulling.merge(site, 1, Integer::sum);
    }
  }

  /** Why members of the wave are not pulling: offline, the site budget, the windows; empty when all are. */
  private String whyNotStaged(Wave w) {
    Map<String, Integer> counts = new TreeMap<>();
    for (String n : w.nodes()) {
      if (verdict(n) == Verdict.OFFLINE) counts.merge("offline", 1, Integer::sum);
      NodeStaging.State why = notStaged.get(n);
      if (why != null) counts.merge(switch (why) {
        case LEAD_TIME -> "before the lead time";
        case WINDOW -> "outside the staging windows";
        default -> "waiting for their site's pull budget";
      }, 1, Integer::sum);
    }
    if (counts.isEmpty()) return "";
    List<String> parts = new ArrayList<>();
    counts.forEach((why, k) -> parts.add(k + " " + why));
    return "; not pulling: " + String.join(", ", parts);
  }

  /**
   * Where each target not yet on the revision stands with staging, for the dashboard: the pre-pull record says
   * staged, failed or pulling (or it is sent to pull this round); else the verdict (offline, skipped, held) or why it
   * was not sent to pull. An offline node is offline whatever its pull says, as the rollout judges it, unless its
   * images are there.
   */
  private Map<String, NodeStaging> nodeStaging() {
    Map<String, NodeStaging> out = new HashMap<>();
    java.util.Set<String> sent = new java.util.HashSet<>();
    for (NodeAction a : actions) if (a instanceof NodeAction.Stage) sent.add(a.node());
    List<String> targets = new ArrayList<>();
    for (Wave w : waves) targets.addAll(w.nodes());
    targets.addAll(in.plan().joiners());
    for (String n : targets) {
      NodeView v = in.nodes().get(n);
      if (v == null || in.revision().equals(v.revision())) continue;
      StageState s = in.staging().get(n);
      Judgement j = verdicts.get(n);
      Verdict verdict = j == null ? null : j.verdict();
      NodeStaging state;
      if (s != null && s.kind() == StageState.Kind.STAGED) state = NodeStaging.of(NodeStaging.State.STAGED);
      else if (verdict == Verdict.OFFLINE) state = NodeStaging.of(NodeStaging.State.OFFLINE);
      else if (s != null && s.kind() == StageState.Kind.FAILED) state = new NodeStaging(NodeStaging.State.FAILED, s.reason());
      else if (s != null) state = new NodeStaging(NodeStaging.State.PULLING, s.reason());
      else if (sent.contains(n)) state = NodeStaging.of(NodeStaging.State.PULLING);
      else if (verdict == Verdict.FAILED) state = new NodeStaging(NodeStaging.State.FAILED, j.reason());
      else if (verdict == Verdict.SKIPPED) state = new NodeStaging(NodeStaging.State.SKIPPED, j.reason());
      else if (verdict == Verdict.HELD) state = new NodeStaging(NodeStaging.State.HELD, j.reason());
      else if (notStaged.containsKey(n)) state = NodeStaging.of(notStaged.get(n));
      else state = NodeStaging.of(NodeStaging.State.QUEUED);
      out.put(n, state);
    }
    return out;
  }

  private boolean staged(String node) {
    StageState s = in.staging().get(node);
    return s != null && s.kind() == StageState.Kind.STAGED;
  }

  /** A node's site for the pull budget; a node without one shares its uplink with nobody. */
  private String siteOf(NodeView v) {
    String site = v.labels() == null ? null : v.labels().get(in.siteLabel());
    return site == null ? "node:" + v.name() : site;
  }

  /**
   * Why the rollout stopped, from the failures recorded then, for when the evidence itself is gone (a failed pre-pull
   * object is cleaned up once the rollout halted): the first wave whose recorded failures exceed what it tolerates,
   * and its first failed node, as "wave W failed, first node: reason; ", or empty when no recorded wave breached
   * (an abort, or more failures than the samples keep).
   */
  private String recordedFailure(Progress p) {
    Map<String, Integer> perWave = new HashMap<>();
    for (NodeFailure f : p.failures()) perWave.merge(f.waveName(), 1, Integer::sum);
    for (Wave w : waves) {
      if (perWave.getOrDefault(w.name(), 0) <= w.maxFailures()) continue;
      for (NodeFailure f : p.failures()) {
        if (f.waveName().equals(w.name())) return "wave " + w.name() + " failed, first " + f.node() + ": " + f.reason() + "; ";
      }
    }
    return "";
  }

  /** Why the wave breached, with its first failed node (by name) and that node's reason: the image and the error. */
  private String breachMessage(int wave) {
    Wave w = waves.get(wave);
    String first = null;
    for (String n : new java.util.TreeSet<>(concat(w.nodes(), w.departed()))) {
      Judgement j = verdicts.get(n);
      if (j != null && j.verdict() == Verdict.FAILED) {
        first = n + ": " + j.reason();
        break;
      }
    }
    return "wave " + w.name() + " has " + tally(w).failed() + " failed nodes, more than maxFailures "
        + w.maxFailures() + " (" + w.policy().maxFailures() + " of " + w.nodes().size() + ")"
        + (first == null ? "" : "; first " + first);
  }

  /** Starts every waiting node of the waves up to {@code through} that is inside a window. */
  private void dispatchUpTo(int through, int limit) {
    for (int i = 0; i <= through && i < limit; i++) dispatch(waves.get(i).nodes(), waves.get(i).name());
  }

  /** Targets that joined after every wave had started are caught up once the rollout succeeded. */
  private void dispatchJoiners() {
    dispatch(in.plan().joiners(), JOINED);
  }

  private void dispatch(List<String> nodes, String wave) {
    for (String n : nodes) {
      if (verdict(n) != Verdict.WAITING) continue;
      // with staging a node switches only once its images are there, stragglers, catch-ups and joiners too: its
      // running pod is never stopped for a pull
      if (staging != null && !staged(n)) continue;
      NodeView v = in.nodes().get(n);
      if (!calendar.isOpen(in.now(), v.labels())) {
        calendar.nextOpening(in.now(), v.labels()).ifPresent(this::wakeAt);
        continue;
      }
      if (actions.size() >= in.writeBudget()) {
        wakeAt(in.now());
        return;
      }
      actions.add(new NodeAction.Dispatch(n, v.revision(), wave));
      verdicts.put(n, new Judgement(Verdict.UPDATING, null, null));
      wakeAt(in.now().plus(in.policy().strategy().progressDeadline()));
    }
  }

  /** Writes the lasting evidence for nodes first seen Ready, so a later blip is never judged as a failed update. */
  private void markReady() {
    List<String> ready = new ArrayList<>();
    for (Map.Entry<String, Judgement> e : verdicts.entrySet()) {
      NodeView v = in.nodes().get(e.getKey());
      if (e.getValue().verdict() == Verdict.READY && v != null && v.readyAt() == null) ready.add(e.getKey());
    }
    ready.sort(Comparator.naturalOrder());
    for (String n : ready) {
      if (actions.size() >= in.writeBudget()) {
        wakeAt(in.now());
        return;
      }
      actions.add(new NodeAction.MarkReady(n));
    }
  }

  private boolean waitingOnlyForWindow(int current) {
    if (current >= waves.size()) return false;
    boolean waiting = false;
    for (String n : waves.get(current).nodes()) {
      Verdict s = verdict(n);
      if (s == Verdict.UPDATING || s == Verdict.HELD) return false;
      // a member waiting for its images waits for staging, not for a window; the staged ones may wait for one
      if (s == Verdict.WAITING && (staging == null || staged(n))) waiting = true;
    }
    return waiting;
  }

  /**
   * For a started wave whose only members left wait for their images (they could not pull before it started), what
   * it waits for; null when none does.
   */
  private String lateStaging(int current) {
    if (staging == null || current >= waves.size()) return null;
    Wave w = waves.get(current);
    int late = 0;
    for (String n : w.nodes()) {
      Verdict v = verdict(n);
      if (v == Verdict.UPDATING || v == Verdict.HELD) return null;
      if (v == Verdict.WAITING && !staged(n)) late++;
    }
    return late == 0 ? null : "wave " + w.name() + " started; " + late + " of its members switch once their images "
        + "are there";
  }

  private WaveTally tally(Wave w) {
    WaveTally t = tally(w.name(), w.nodes(), w.departed().size());
    int departedFailed = 0;
    for (String n : w.departed()) if (verdict(n) == Verdict.FAILED) departedFailed++;
    return departedFailed == 0 ? t : new WaveTally(t.name(), t.targets(), t.updated(), t.ready(),
        t.failed() + departedFailed, t.offline(), t.skipped(), t.lapsed(), t.held(), t.departed(), t.staged(),
        t.staging());
  }

  private WaveTally tally(String name, List<String> nodes, int departed) {
    int updated = 0, ready = 0, failed = 0, offline = 0, skipped = 0, lapsed = 0, held = 0, staged = 0, pulling = 0;
    for (String n : nodes) {
      NodeView v = in.nodes().get(n);
      if (v != null && in.revision().equals(v.revision())) updated++;
      else if (in.staging().containsKey(n)) {
        StageState.Kind k = in.staging().get(n).kind();
        if (k == StageState.Kind.STAGED) staged++;
        if (k == StageState.Kind.PULLING) pulling++;
      }
      Verdict s = verdict(n);
      if (s == null) continue;
      switch (s) {
        case READY -> ready++;
        case FAILED -> failed++;
        case OFFLINE -> offline++;
        case SKIPPED -> skipped++;
        case LAPSED -> lapsed++;
        case HELD -> held++;
        default -> { }
      }
    }
    return new WaveTally(name, nodes.size(), updated, ready, failed, offline, skipped, lapsed, held, departed, staged,
        pulling);
  }

  private List<NodeFailure> failures() {
    List<NodeFailure> out = new ArrayList<>();
    for (Wave w : waves) {
      for (String n : concat(w.nodes(), w.departed())) {
        Judgement j = verdicts.get(n);
        if (j != null && j.verdict() == Verdict.FAILED) out.add(new NodeFailure(n, w.index(), w.name(), j.reason()));
      }
    }
    return out;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    if (b.isEmpty()) return a;
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static List<NodeFailure> samples(List<NodeFailure> failures) {
    return samples(failures, -1);
  }

  /** Sorted by wave and node, {@code first}'s wave first; bounded. */
  private static List<NodeFailure> samples(List<NodeFailure> failures, int first) {
    return failures.stream().sorted(Comparator.comparing((NodeFailure f) -> f.wave() != first)
            .thenComparingInt(NodeFailure::wave).thenComparing(NodeFailure::node))
        .limit(EdgeReleaseStatusAggregator.MAX_FAILURE_SAMPLES).toList();
  }

  /** A time for people: to the second, in UTC. */
  static String seconds(Instant t) {
    return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  private void wakeAt(Instant t) {
    if (wake == null || t.isBefore(wake)) wake = t;
  }

  private RolloutDecision finish(Progress p, Phase phase, int current, Instant finishedAt, String message) {
    List<WaveTally> tallies = new ArrayList<>();
    List<NodeFailure> skips = new ArrayList<>();
    for (Wave w : waves) {
      tallies.add(tally(w));
      for (String n : w.nodes()) {
        Judgement j = verdicts.get(n);
        if (j != null && j.verdict() == Verdict.SKIPPED) skips.add(new NodeFailure(n, w.index(), w.name(), j.reason()));
      }
    }
    boolean stopped = phase.stopped();
    // a halt keeps the failures it saw: after a rollback the nodes are healthy again and would show none
    List<NodeFailure> failures = stopped && !p.failures().isEmpty() ? p.failures() : failures();
    List<NodeFailure> kept = stopped ? (p.failures().isEmpty() ? samples(failures) : p.failures()) : List.of();
    List<String> failedRevisions = p.failedRevisions();
    if (phase == Phase.Succeeded && failedRevisions.contains(p.revision())) {
      failedRevisions = new ArrayList<>(failedRevisions);
      failedRevisions.remove(p.revision());
    }
    Progress next = new Progress(p.revision(), p.previousRevision(), phase, marks, p.startedAt(), finishedAt, kept,
        failedRevisions, p.lastGood(), p.stranded());
    Duration requeue = null;
    boolean terminal = phase == Phase.Halted || phase == Phase.RolledBack;
    if (wake != null && !terminal) {
      requeue = Duration.between(in.now(), wake);
      if (requeue.isNegative()) requeue = Duration.ZERO;
    }
    WaveTally joined = in.plan().joiners().isEmpty() ? null : tally(JOINED, in.plan().joiners(), 0);
    // a stopped rollout stages nothing more and its pre-pull objects go: nothing to show per node
    Map<String, NodeStaging> perNode = staging == null || stopped ? Map.of() : nodeStaging();
    return new RolloutDecision(phase, next, current, terminal ? List.of() : List.copyOf(actions), requeue, message,
        tallies, failures, skips, List.copyOf(transitions), rosterChanged ? roster : null, holdReason, joined,
        terminal ? null : nextStep, perNode);
  }
}
