package io.edgewave.operator.rollout;

import io.edgewave.operator.api.v1alpha1.Phase;
import java.time.Duration;
import java.util.List;

/**
 * What to write and what to report. {@code currentWave} is 0-based and equals the number of waves once all
 * are complete. {@code requeueAfter} is null when only an event can change the outcome.
 */
public record RolloutDecision(
    Phase phase, Progress progress, int currentWave, List<NodeAction> actions, Duration requeueAfter,
    String message, List<WaveTally> tallies, List<NodeFailure> failures, List<NodeFailure> skips,
    List<Transition> transitions) {}
