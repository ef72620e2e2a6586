package io.edgewave.operator.rollout;

import io.edgewave.operator.api.v1alpha1.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What to write and what to report. {@code currentWave} is 0-based and equals the number of waves once all
 * are complete. {@code requeueAfter} is null when only an event can change the outcome. {@code roster} is the new
 * wave membership to persist before any action, or null when it did not change. {@code holdReason} is a CamelCase
 * reason when the rollout holds for something ops must see (no canary signal, a paused rollback), else null.
 * {@code joined} counts the targets that joined after every wave had started. {@code nextStepAt}: when the rollout
 * moves on by itself (a bake ends, a window opens, notBefore), or null. {@code staging}: with spec.strategy.staging, where
 * each target not yet on the revision stands (staged, pulling, failed, or why it is not pulling), for the dashboard
 * only, never for status (it grows with the fleet); empty when staging is off or the rollout has stopped.
 */
public record RolloutDecision(
    Phase phase, Progress progress, int currentWave, List<NodeAction> actions, Duration requeueAfter,
    String message, List<WaveTally> tallies, List<NodeFailure> failures, List<NodeFailure> skips,
    List<Transition> transitions, WaveRoster roster, String holdReason, WaveTally joined, Instant nextStepAt,
    Map<String, NodeStaging> staging) {
  public RolloutDecision {
    staging = staging == null ? Map.of() : Map.copyOf(staging);
  }

  public RolloutDecision(Phase phase, Progress progress, int currentWave, List<NodeAction> actions,
      Duration requeueAfter, String message, List<WaveTally> tallies, List<NodeFailure> failures,
      List<NodeFailure> skips, List<Transition> transitions, WaveRoster roster, String holdReason, WaveTally joined,
      Instant nextStepAt) {
    this(phase, progress, currentWave, actions, requeueAfter, message, tallies, failures, skips, transitions, roster,
        holdReason, joined, nextStepAt, Map.of());
  }

  public RolloutDecision(Phase phase, Progress progress, int currentWave, List<NodeAction> actions,
      Duration requeueAfter, String message, List<WaveTally> tallies, List<NodeFailure> failures,
      List<NodeFailure> skips, List<Transition> transitions, WaveRoster roster, String holdReason, WaveTally joined) {
    this(phase, progress, currentWave, actions, requeueAfter, message, tallies, failures, skips, transitions, roster,
        holdReason, joined, null);
  }

  public RolloutDecision(Phase phase, Progress progress, int currentWave, List<NodeAction> actions,
      Duration requeueAfter, String message, List<WaveTally> tallies, List<NodeFailure> failures,
      List<NodeFailure> skips, List<Transition> transitions) {
    this(phase, progress, currentWave, actions, requeueAfter, message, tallies, failures, skips, transitions, null,
        null, null);
  }
}
