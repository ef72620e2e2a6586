package io.edgewave.operator.rollout;

import io.edgewave.operator.api.v1alpha1.Condition;
import io.edgewave.operator.api.v1alpha1.Counts;
import io.edgewave.operator.api.v1alpha1.EdgeReleaseStatus;
import io.edgewave.operator.api.v1alpha1.FailureSample;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.api.v1alpha1.WaveStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Builds the whole status from a decision: the one place status is shaped. Its size is bounded by the number of
 * waves and {@link #MAX_FAILURE_SAMPLES}, never by the number of nodes.
 */
public final class EdgeReleaseStatusAggregator {
  public static final int MAX_FAILURE_SAMPLES = 20;

  private EdgeReleaseStatusAggregator() {}

  public static EdgeReleaseStatus aggregate(RolloutDecision d, EdgeReleaseStatus previous, long generation,
      Instant now) {
    return aggregate(d, previous, generation, now, null);
  }

  /** @param ingestDegraded why heartbeat ingest is degraded, or null: node health may then be stale */
  public static EdgeReleaseStatus aggregate(RolloutDecision d, EdgeReleaseStatus previous, long generation,
      Instant now, String ingestDegraded) {
    return aggregate(d, previous, generation, now, ingestDegraded, null);
  }

  /** @param rejected what the API server refused in the last act step (condition DeploymentWriteRejected), or null */
  public static EdgeReleaseStatus aggregate(RolloutDecision d, EdgeReleaseStatus previous, long generation,
      Instant now, String ingestDegraded, String rejected) {
    return aggregate(d, previous, generation, now, ingestDegraded, rejected, true);
  }

  /**
   * @param heartbeatsWatched whether a broker is configured at all: without one, the heartbeat condition says so
   *     instead of claiming heartbeats arrive
   */
  public static EdgeReleaseStatus aggregate(RolloutDecision d, EdgeReleaseStatus previous, long generation,
      Instant now, String ingestDegraded, String rejected, boolean heartbeatsWatched) {
    EdgeReleaseStatus s = new EdgeReleaseStatus();
    Progress p = d.progress();
    s.setPhase(d.phase());
    s.setObservedGeneration(generation);
    s.setRevision(p.revision());
    s.setPreviousRevision(p.previousRevision());
    int waveCount = d.tallies().size();
    int shown = Math.min(d.currentWave(), waveCount - 1);
    s.setCurrentWave(waveCount == 0 ? 0 : shown + 1);
    s.setCurrentWaveName(waveCount == 0 ? null : (shown + 1) + "/" + waveCount + " " + d.tallies().get(shown).name());
    Counts totals = new Counts();
    for (int i = 0; i < waveCount; i++) {
      WaveTally t = d.tallies().get(i);
      WaveMark m = p.marks().get(i);
      WaveStatus w = new WaveStatus();
      w.setName(t.name());
      w.setTargets(t.targets());
      w.setUpdated(t.updated());
      w.setReady(t.ready());
      w.setFailed(t.failed());
      w.setOffline(t.offline());
      w.setSkipped(t.skipped());
      w.setUnhealthy(t.lapsed());
      w.setHeld(t.held());
      w.setDeparted(t.departed());
      w.setStaged(t.staged() > 0 ? t.staged() : null);
      w.setStaging(t.staging() > 0 ? t.staging() : null);
      w.setStartedAt(text(m.startedAt()));
      w.setCompletedAt(text(m.completedAt()));
      w.setApprovedAt(text(m.approvedAt()));
      s.getWaves().add(w);
      totals.setTargets(totals.getTargets() + t.targets());
      totals.setUpdated(totals.getUpdated() + t.updated());
      totals.setReady(totals.getReady() + t.ready());
      totals.setFailed(totals.getFailed() + t.failed());
      totals.setOffline(totals.getOffline() + t.offline());
      totals.setSkipped(totals.getSkipped() + t.skipped());
      totals.setUnhealthy(totals.getUnhealthy() + t.lapsed());
      totals.setHeld(totals.getHeld() + t.held());
      totals.setDeparted(totals.getDeparted() + t.departed());
      if (t.staged() > 0) totals.setStaged((totals.getStaged() == null ? 0 : totals.getStaged()) + t.staged());
      if (t.staging() > 0) totals.setStaging((totals.getStaging() == null ? 0 : totals.getStaging()) + t.staging());
    }
    s.setTotals(totals);
    s.setRollout(p.attempt());
    s.setFailedRevisions(p.failedRevisions().isEmpty() ? null : p.failedRevisions());
    s.setLastGoodRevision(p.lastGood());
    s.setStrandedNodes(p.stranded() > 0 ? p.stranded() : null);
    if (d.joined() != null) {
      WaveTally j = d.joined();
      Counts c = new Counts(j.targets(), j.updated(), j.ready(), j.failed(), j.offline());
      c.setSkipped(j.skipped());
      c.setUnhealthy(j.lapsed());
      c.setHeld(j.held());
      s.setJoined(c);
    }
    boolean stopped = d.phase().stopped();
    // a stopped rollout's samples keep the decider's order, the breaching wave's first: the cause is what a reader
    // (and a notification's "first failures") should meet first, not a tolerated failure of an earlier wave
    s.setFailures(stopped ? inOrder(d.failures()) : samples(d.failures()));
    s.setSkips(samples(d.skips()));
    s.setStartedAt(text(p.startedAt()));
    s.setFinishedAt(text(p.finishedAt()));
    s.setMessage(d.message());
    s.setConditions(conditions(d, totals, previous, generation, now, ingestDegraded, rejected, heartbeatsWatched));
    s.setNextStepAt(d.nextStepAt() == null ? null : text(d.nextStepAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
    return s;
  }

  /** The status of a spec that failed validation: phase Invalid and the field-level message, nothing else. */
  public static EdgeReleaseStatus invalid(String message, EdgeReleaseStatus previous, long generation, Instant now) {
    EdgeReleaseStatus s = new EdgeReleaseStatus();
    s.setPhase(Phase.Invalid);
    s.setObservedGeneration(generation);
    if (previous != null) {
      // Keep what a later valid spec needs to resume: which revision nodes are on and the wave progress.
      s.setRevision(previous.getRevision());
      s.setPreviousRevision(previous.getPreviousRevision());
      s.setCurrentWave(previous.getCurrentWave());
      s.setCurrentWaveName(previous.getCurrentWaveName());
      s.setWaves(previous.getWaves());
      s.setTotals(previous.getTotals());
      s.setStartedAt(previous.getStartedAt());
      s.setFinishedAt(previous.getFinishedAt());
      s.setFailures(previous.getFailures());
      s.setSkips(previous.getSkips());
      s.setRollout(previous.getRollout());
      s.setFailedRevisions(previous.getFailedRevisions());
      s.setLastGoodRevision(previous.getLastGoodRevision());
      s.setStrandedNodes(previous.getStrandedNodes());
      s.setJoined(previous.getJoined());
      s.setStagingMethod(previous.getStagingMethod()); // the record that the release made jobs: they are still read
      // the phase the typo interrupted comes back with the fix: a halt or rollback is never undone by an edit
      s.setPhaseBeforeInvalid(previous.getPhase() == Phase.Invalid ? previous.getPhaseBeforeInvalid() : previous.getPhase());
    }
    s.setMessage(message);
    List<Condition> c = List.of(
        new Condition(Condition.READY, false, "Invalid", message),
        new Condition(Condition.PROGRESSING, false, "Invalid", "nothing is deployed while the spec is invalid"),
        new Condition(Condition.DEGRADED, false, "Invalid", "no rollout"),
        new Condition(Condition.INVALID, true, "InvalidSpec", message));
    s.setConditions(keepTransitionTimes(c, previous, generation, now));
    return s;
  }

  private static List<FailureSample> inOrder(List<NodeFailure> failures) {
    return failures.stream().limit(MAX_FAILURE_SAMPLES)
        .map(f -> new FailureSample(f.node(), f.waveName(), f.reason())).toList();
  }

  private static List<FailureSample> samples(List<NodeFailure> failures) {
    return failures.stream()
        .sorted(Comparator.comparingInt(NodeFailure::wave).thenComparing(NodeFailure::node)
            .thenComparing(NodeFailure::reason))
        .limit(MAX_FAILURE_SAMPLES)
        .map(f -> new FailureSample(f.node(), f.waveName(), f.reason()))
        .toList();
  }

  private static List<Condition> conditions(RolloutDecision d, Counts totals, EdgeReleaseStatus previous,
      long generation, Instant now, String ingestDegraded, String rejected, boolean heartbeatsWatched) {
    Phase ph = d.phase();
    boolean ready = ph == Phase.Succeeded;
    boolean progressing = switch (ph) {
      case Progressing, Baking, AwaitingApproval, WaitingForWindow, Pending, RollingBack -> true;
      default -> false;
    };
    boolean degraded = ph.stopped() || totals.getFailed() > 0;
    String degradedReason = switch (ph) {
      case Halted -> "Halted";
      case RollingBack, RolledBack -> "RolledBack";
      default -> totals.getFailed() > 0 ? "NodesFailed" : "AsExpected";
    };
    String degradedMessage = totals.getFailed() + " of " + totals.getTargets() + " nodes failed";
    if (ph.stopped()) degradedMessage = d.message();
    List<Condition> c = List.of(
        new Condition(Condition.READY, ready, ready ? "RolloutComplete" : ph.name(),
            ready ? "all " + totals.getTargets() + " targets processed; " + totals.getReady() + " ready" : d.message()),
        new Condition(Condition.PROGRESSING, progressing, d.holdReason() != null ? d.holdReason() : ph.name(), d.message()),
        new Condition(Condition.DEGRADED, degraded, degradedReason, degradedMessage),
        new Condition(Condition.INVALID, false, "Valid", "spec is valid"),
        !heartbeatsWatched ? new Condition(Condition.HEARTBEAT_INGEST_DEGRADED, false, "NotConfigured",
            "no MQTT broker configured (--mqtt-broker): heartbeats are not watched; node health comes from the Node"
                + " Ready condition only, and preflight rules and gates have no probe facts")
            : new Condition(Condition.HEARTBEAT_INGEST_DEGRADED, ingestDegraded != null,
            ingestDegraded != null ? "MassSilence" : "AsExpected", ingestDegraded != null
                ? ingestDegraded + "; no node is declared lost, node health may be stale"
                : "heartbeats are arriving"));
    if (rejected != null) {
      c = new ArrayList<>(c);
      c.add(new Condition(Condition.WRITE_REJECTED, true, "DeploymentRejected", rejected));
    }
    if (d.progress().stranded() > 0) {
      c = new ArrayList<>(c);
      c.add(new Condition(Condition.ROLLBACK_INCOMPLETE, true, "NoGoodRevision", d.progress().stranded()
          + " nodes could not be rolled back: their earlier revision failed or its template is gone from the history"));
    }
    return keepTransitionTimes(c, previous, generation, now);
  }

  /** lastTransitionTime changes only when a condition's status does, as the API conventions ask. */
  private static List<Condition> keepTransitionTimes(List<Condition> next, EdgeReleaseStatus previous,
      long generation, Instant now) {
    List<Condition> out = new ArrayList<>();
    for (Condition c : next) {
      c.setObservedGeneration(generation);
      Condition old = previous == null || previous.getConditions() == null ? null
          : previous.getConditions().stream().filter(o -> c.getType().equals(o.getType())).findFirst().orElse(null);
      c.setLastTransitionTime(old != null && Objects.equals(old.getStatus(), c.getStatus())
          && old.getLastTransitionTime() != null ? old.getLastTransitionTime() : text(now));
      out.add(c);
    }
    return out;
  }

  static String text(Instant t) {
    return t == null ? null : t.toString();
  }

  /** Reads back what {@link #aggregate} wrote: the progress a restarted operator resumes from. */
  public static Progress progressOf(EdgeReleaseStatus s) {
    if (s == null || s.getRevision() == null || s.getPhase() == null) return null;
    List<WaveMark> marks = new ArrayList<>();
    if (s.getWaves() != null) {
      for (WaveStatus w : s.getWaves()) {
        marks.add(new WaveMark(w.getName(), instant(w.getStartedAt()), instant(w.getCompletedAt()),
            instant(w.getApprovedAt())));
      }
    }
    Phase phase = s.getPhase() != Phase.Invalid ? s.getPhase()
        : s.getPhaseBeforeInvalid() != null && s.getPhaseBeforeInvalid() != Phase.Invalid ? s.getPhaseBeforeInvalid()
        : Phase.Progressing;
    List<NodeFailure> kept = new ArrayList<>();
    if (phase != null && phase.stopped() && s.getFailures() != null) {
      for (FailureSample f : s.getFailures()) {
        int wave = 0;
        for (int i = 0; i < marks.size(); i++) if (marks.get(i).name().equals(f.getWave())) wave = i;
        kept.add(new NodeFailure(f.getNode(), wave, f.getWave(), f.getReason()));
      }
    }
    Instant started = instant(s.getStartedAt());
    // status written before attempts were named: the attempt is still revision and start
    return new Progress(s.getRevision(), s.getPreviousRevision(), phase, marks, started, instant(s.getFinishedAt()),
        kept, s.getFailedRevisions(), s.getLastGoodRevision(),
        s.getStrandedNodes() == null ? 0 : s.getStrandedNodes());
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }
}
