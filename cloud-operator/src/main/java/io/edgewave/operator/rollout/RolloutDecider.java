package io.edgewave.operator.rollout;

import io.edgewave.operator.api.v1alpha1.OfflineNodes;
import io.edgewave.operator.api.v1alpha1.OnFailure;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.plan.Wave;
import io.edgewave.operator.plan.WindowCalendar;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rollout state machine, as a pure function of what was observed and what status remembers.
 *
 * <p>Invariants it keeps: a node is only ever moved to the current revision when its Deployment is on another
 * one (so never twice); a wave starts only after the previous one completed, baked and (if asked) was approved;
 * wave marks only move forward. Nodes of earlier waves that were skipped while offline are caught up as soon as
 * they are back and inside a window.
 */
public final class RolloutDecider {
  private enum State { READY, UPDATING, FAILED, WAITING, OFFLINE, SKIPPED }
  /** Facts do not raise events: nodes waiting on them are looked at again this often. */
  static final Duration FACTS_RECHECK = Duration.ofSeconds(5);
  /** While heartbeat ingest is degraded, look again this often, so the rollout goes on soon after it recovers. */
  static final Duration BLIND_RECHECK = Duration.ofSeconds(2);

  private final RolloutInput in;
  private final WindowCalendar calendar;
  private final List<Wave> waves;
  private final List<WaveMark> marks = new ArrayList<>();
  private final Map<String, State> states = new HashMap<>();
  private final Map<String, String> reasons = new HashMap<>();
  private final Map<String, String> skipReasons = new HashMap<>();
  private final List<Transition> transitions = new ArrayList<>();
  private final List<NodeAction> actions = new ArrayList<>();
  private Instant wake;

  private RolloutDecider(RolloutInput in) {
    this.in = in;
    this.calendar = new WindowCalendar(in.policy().windows());
    this.waves = in.plan().waves();
  }

  public static RolloutDecision decide(RolloutInput in) {
    return new RolloutDecider(in).run();
  }

  private RolloutDecision run() {
    Progress p = in.progress();
    if (p == null || !in.revision().equals(p.revision())) {
      p = new Progress(in.revision(), p == null ? null : p.revision(), Phase.Progressing, List.of(), in.now(), null);
      transitions.add(new Transition("RolloutStarted", "rolling out revision " + in.revision() + " to "
          + in.plan().size() + " nodes in " + waves.size() + " waves", false));
    }
    Map<String, WaveMark> byName = new HashMap<>();
    for (WaveMark m : p.marks()) byName.put(m.name(), m);
    for (Wave w : waves) marks.add(byName.getOrDefault(w.name(), WaveMark.none(w.name())));
    int current = firstIncomplete();
    classifyAll(current);

    Phase phase;
    Instant finishedAt = p.finishedAt();
    String message;
    int breach;
    if (p.phase() == Phase.RolledBack || (p.phase() == Phase.Halted && in.abort() != RolloutInput.Abort.ROLLBACK)) {
      phase = p.phase();
      int still = firstBreach(current);
      String why = still >= 0 ? breachMessage(still) + "; "
          : in.abort() != RolloutInput.Abort.NONE ? "aborted by the " + Labels.ABORT + " annotation; " : "";
      message = phase == Phase.Halted ? why + "halted: change spec.workload to roll out a fix, or roll back"
          : why + "rolled back: change spec.workload to roll out again";
    } else if (p.phase() == Phase.RollingBack) {
      return rollBackStep(p, current);
    } else if (in.abort() != RolloutInput.Abort.NONE && p.phase() != Phase.Succeeded) {
      return onAbort(p, current);
    } else if ((breach = firstBreach(current)) >= 0) {
      return onBreach(p, breach, current);
    } else if (in.policy().paused()) {
      phase = Phase.Paused;
      message = "paused by spec.paused";
    } else if (in.blind() != null) {
      // lost boxes cannot be seen while heartbeats are not coming in: start nothing until they are
      phase = p.phase() == Phase.Pending || p.phase() == Phase.Invalid ? Phase.Progressing : p.phase();
      wakeAt(in.now().plus(BLIND_RECHECK));
      message = "holding: heartbeat ingest degraded (" + in.blind() + "); no node starts until heartbeats are back";
    } else if (in.policy().notBefore() != null && in.now().isBefore(in.policy().notBefore())) {
      phase = Phase.Pending;
      wakeAt(in.policy().notBefore());
      message = "waiting for spec.schedule.notBefore " + in.policy().notBefore();
    } else {
      Step step = advance(current);
      current = step.current;
      phase = step.phase;
      message = step.message;
      if ((breach = firstBreach(current)) >= 0) return onBreach(p, breach, current);
      if (phase == Phase.Succeeded && finishedAt == null) {
        finishedAt = in.now();
        transitions.add(new Transition("Succeeded", "all " + waves.size() + " waves completed", false));
      }
      dispatchUpTo(step.dispatchThrough);
      if (phase == Phase.Progressing && !actions.isEmpty()) message = "updating wave " + waves.get(current).name();
      else if (phase == Phase.Progressing && waitingOnlyForWindow(current)) {
        phase = Phase.WaitingForWindow;
        message = "wave " + waves.get(current).name() + " waits for a maintenance window";
      }
    }
    return finish(p, phase, current, finishedAt, message);
  }

  private RolloutDecision onBreach(Progress p, int breach, int current) {
    String why = breachMessage(breach);
    boolean rollback = in.policy().onFailure() == OnFailure.Rollback;
    transitions.add(new Transition(rollback ? "RollingBack" : "Halted", why, true));
    return rollback ? rollBackStep(p, current) : finish(p, Phase.Halted, current, in.now(), why);
  }

  /** Ops asked to stop: no node is started after this; with rollback, updated nodes go back as after a failure. */
  private RolloutDecision onAbort(Progress p, int current) {
    boolean rollback = in.abort() == RolloutInput.Abort.ROLLBACK;
    String why = "aborted by the " + Labels.ABORT + " annotation";
    transitions.add(new Transition("Aborted", why + (rollback ? "; rolling updated nodes back" : "; halted"), true));
    return rollback ? rollBackStep(p, current) : finish(p, Phase.Halted, current, in.now(), why);
  }

  private RolloutDecision rollBackStep(Progress p, int current) {
    if (rollBack()) {
      transitions.add(new Transition("RolledBack", "every updated node is back on its previous revision", true));
      return finish(p, Phase.RolledBack, current, in.now(),
          in.abort() == RolloutInput.Abort.ROLLBACK ? "rolled back on abort" : "rolled back after failures");
    }
    return finish(p, Phase.RollingBack, current, p.finishedAt(), "rolling back updated nodes");
  }

  private record Step(int current, Phase phase, String message, int dispatchThrough) {}

  /** Moves wave marks forward as far as gates allow; dispatching is left to the caller. */
  private Step advance(int i) {
    while (true) {
      if (i == waves.size()) {
        Instant bakeEnd = bakeEnd(i - 1);
        if (bakeEnd != null && in.now().isBefore(bakeEnd)) {
          wakeAt(bakeEnd);
          return new Step(i - 1, Phase.Baking, "baking wave " + waves.get(i - 1).name() + " until " + bakeEnd, i - 1);
        }
        return new Step(i, Phase.Succeeded, "all waves completed", i - 1);
      }
      Wave w = waves.get(i);
      WaveMark m = marks.get(i);
      if (m.startedAt() == null) {
        Instant bakeEnd = i == 0 ? null : bakeEnd(i - 1);
        if (bakeEnd != null && in.now().isBefore(bakeEnd)) {
          wakeAt(bakeEnd);
          // the wave shown while baking is the one being watched, not the one that follows
          return new Step(i - 1, Phase.Baking, "baking wave " + waves.get(i - 1).name() + " until " + bakeEnd, i - 1);
        }
        if (w.policy().approval() && m.approvedAt() == null) {
          if (!in.approvedWaves().contains(w.name())) {
            return new Step(i, Phase.AwaitingApproval, "wave " + w.name() + " waits for approval: annotate "
                + "edgewave.io/approve=" + w.name() + "@" + in.revision(), i - 1);
          }
          m = m.approved(in.now());
          transitions.add(new Transition("WaveApproved", "wave " + w.name() + " approved", false));
        }
        m = m.started(in.now());
        marks.set(i, m);
        if (in.policy().offlineNodes() == OfflineNodes.Fail) {
          for (String n : w.nodes()) if (states.get(n) == State.OFFLINE) states.put(n, fail(n, "NodeOffline"));
        }
        transitions.add(new Transition("WaveStarted", "wave " + (i + 1) + "/" + waves.size() + " " + w.name()
            + " started with " + w.nodes().size() + " nodes", false));
      }
      if (!complete(w)) {
        return new Step(i, Phase.Progressing, "updating wave " + w.name(), i);
      }
      marks.set(i, m.completed(in.now()));
      transitions.add(new Transition("WaveCompleted", "wave " + w.name() + " completed: " + tally(w).ready()
          + " ready, " + tally(w).failed() + " failed, " + tally(w).offline() + " offline", false));
      i++;
    }
  }

  private Instant bakeEnd(int wave) {
    WaveMark prev = marks.get(wave);
    return prev.completedAt() == null ? null : prev.completedAt().plus(waves.get(wave).policy().bakeTime());
  }

  private int firstIncomplete() {
    for (int i = 0; i < marks.size(); i++) if (marks.get(i).completedAt() == null) return i;
    return marks.size();
  }

  private void classifyAll(int current) {
    Duration deadline = in.policy().progressDeadline();
    for (Wave w : waves) {
      boolean started = w.index() < current || (w.index() < marks.size() && marks.get(w.index()).startedAt() != null);
      for (String name : w.nodes()) {
        NodeView v = in.nodes().get(name);
        State s;
        if (in.revision().equals(v.revision())) {
          String gate = v.pod() == NodeView.PodState.READY
              ? PreflightCheck.pendingGate(in.policy().gateChecks(), in.facts().get(name), v.dispatchedAt()) : null;
          if (v.pod() == NodeView.PodState.READY && gate == null) s = State.READY;
          else if (gate != null) {
            // no heartbeat can arrive while ingest is degraded: that is no reason to fail the node
            if (in.blind() == null && v.dispatchedAt() != null && !in.now().isBefore(v.dispatchedAt().plus(deadline))) {
              s = fail(name, "GateCheckFailed: " + gate);
            } else {
              s = State.UPDATING;
              wakeAt(in.now().plus(FACTS_RECHECK));
            }
          }
          else if (v.pod() == NodeView.PodState.FAILED) s = fail(name, v.podReason());
          // lost (NotReady, or flagged by the edge probe) after being updated and before becoming Ready: the update
          // is the first suspect, so it counts against the wave now rather than at the deadline
          else if (!v.online()) s = fail(name, "NodeLostDuringUpdate");
          else if (v.dispatchedAt() != null && !in.now().isBefore(v.dispatchedAt().plus(deadline))) {
            s = fail(name, "ProgressDeadlineExceeded");
          } else {
            s = State.UPDATING;
            if (v.dispatchedAt() != null) wakeAt(v.dispatchedAt().plus(deadline));
          }
        } else if (!v.online()) {
          s = started && in.policy().offlineNodes() == OfflineNodes.Fail ? fail(name, "NodeOffline") : State.OFFLINE;
        } else {
          String skip = PreflightCheck.failure(in.policy().preflight(), in.facts().get(name));
          if (skip == null) {
            s = State.WAITING;
          } else {
            s = State.SKIPPED;
            skipReasons.put(name, skip);
            if (started) wakeAt(in.now().plus(FACTS_RECHECK.multipliedBy(6)));
          }
        }
        states.put(name, s);
      }
    }
  }

  private State fail(String node, String reason) {
    reasons.put(node, reason == null ? "Failed" : reason);
    return State.FAILED;
  }

  private boolean complete(Wave w) {
    boolean skip = in.policy().offlineNodes() == OfflineNodes.Skip;
    for (String n : w.nodes()) {
      State s = states.get(n);
      if (s == State.UPDATING || s == State.WAITING || (s == State.OFFLINE && !skip)) return false;
    }
    return true;
  }

  /** Index of the first started wave with more failed nodes than it tolerates, or -1. */
  private int firstBreach(int current) {
    for (Wave w : waves) {
      boolean started = w.index() < current || marks.get(w.index()).startedAt() != null;
      if (started && tally(w).failed() > w.maxFailures()) return w.index();
    }
    return -1;
  }

  private String breachMessage(int wave) {
    Wave w = waves.get(wave);
    return "wave " + w.name() + " has " + tally(w).failed() + " failed nodes, more than maxFailures "
        + w.maxFailures() + " (" + w.policy().maxFailures() + " of " + w.nodes().size() + ")";
  }

  /** Sends every node on the failed revision back; true once none is left on it. */
  private boolean rollBack() {
    boolean done = true;
    for (Wave w : waves) {
      for (String n : w.nodes()) {
        NodeView v = in.nodes().get(n);
        if (!in.revision().equals(v.revision())) continue;
        done = false;
        if (actions.size() < in.writeBudget()) actions.add(new NodeAction.Revert(n, v.previousRevision()));
        else wakeAt(in.now());
      }
    }
    return done;
  }

  /** Starts every waiting node of the waves up to {@code through} that is inside a window. */
  private void dispatchUpTo(int through) {
    for (int i = 0; i <= through && i < waves.size(); i++) {
      for (String n : waves.get(i).nodes()) {
        if (states.get(n) != State.WAITING) continue;
        NodeView v = in.nodes().get(n);
        if (!calendar.isOpen(in.now(), v.labels())) {
          calendar.nextOpening(in.now(), v.labels()).ifPresent(this::wakeAt);
          continue;
        }
        if (actions.size() >= in.writeBudget()) {
          wakeAt(in.now());
          return;
        }
        actions.add(new NodeAction.Dispatch(n, v.revision(), waves.get(i).name()));
        states.put(n, State.UPDATING);
        wakeAt(in.now().plus(in.policy().progressDeadline()));
      }
    }
  }

  private boolean waitingOnlyForWindow(int current) {
    if (current >= waves.size()) return false;
    boolean waiting = false;
    for (String n : waves.get(current).nodes()) {
      State s = states.get(n);
      if (s == State.UPDATING) return false;
      if (s == State.WAITING) waiting = true;
    }
    return waiting;
  }

  private WaveTally tally(Wave w) {
    int updated = 0, ready = 0, failed = 0, offline = 0, skipped = 0;
    for (String n : w.nodes()) {
      State s = states.get(n);
      if (in.revision().equals(in.nodes().get(n).revision())) updated++;
      switch (s) {
        case READY -> ready++;
        case FAILED -> failed++;
        case OFFLINE -> offline++;
        case SKIPPED -> skipped++;
        default -> { }
      }
    }
    return new WaveTally(w.name(), w.nodes().size(), updated, ready, failed, offline, skipped);
  }

  private void wakeAt(Instant t) {
    if (wake == null || t.isBefore(wake)) wake = t;
  }

  private RolloutDecision finish(Progress p, Phase phase, int current, Instant finishedAt, String message) {
    List<WaveTally> tallies = new ArrayList<>();
    List<NodeFailure> failures = new ArrayList<>();
    List<NodeFailure> skips = new ArrayList<>();
    for (Wave w : waves) {
      tallies.add(tally(w));
      for (String n : w.nodes()) {
        if (states.get(n) == State.FAILED) failures.add(new NodeFailure(n, w.index(), w.name(), reasons.get(n)));
        if (states.get(n) == State.SKIPPED) skips.add(new NodeFailure(n, w.index(), w.name(), skipReasons.get(n)));
      }
    }
    Progress next = new Progress(p.revision(), p.previousRevision(), phase, marks, p.startedAt(), finishedAt);
    Duration requeue = null;
    boolean terminal = phase == Phase.Halted || phase == Phase.RolledBack;
    if (wake != null && !terminal) {
      requeue = Duration.between(in.now(), wake);
      if (requeue.isNegative()) requeue = Duration.ZERO;
    }
    return new RolloutDecision(phase, next, current, terminal ? List.of() : List.copyOf(actions), requeue, message,
        tallies, failures, skips, List.copyOf(transitions));
  }
}
