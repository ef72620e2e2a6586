package io.edgewave.operator.plan;

import io.edgewave.operator.api.v1alpha1.OfflineNodes;
import io.edgewave.operator.api.v1alpha1.OnFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A validated EdgeRelease spec, typed: what the planner and the decider work from. {@code gateChecks} are the rules
 * an updated node must meet in a heartbeat after its update (today only {@code gates.checks}, as
 * {@link FactRule.CheckPasses}).
 */
public record ReleasePolicy(
    NodeSelector targetSelector, Set<String> explicitNodes, Set<String> excludedNodes,
    List<WavePolicy> waves, ExponentialPolicy exponential,
    Duration progressDeadline, OnFailure onFailure, OfflineNodes offlineNodes,
    Instant notBefore, List<WindowPolicy> windows, boolean paused, PreflightPolicy preflight,
    List<FactRule> gateChecks) {
  public static final Duration DEFAULT_PROGRESS_DEADLINE = Duration.ofMinutes(15);

  public ReleasePolicy {
    explicitNodes = Set.copyOf(explicitNodes);
    excludedNodes = Set.copyOf(excludedNodes);
    waves = List.copyOf(waves);
    windows = List.copyOf(windows);
    preflight = preflight == null ? PreflightPolicy.NONE : preflight;
    gateChecks = gateChecks == null ? List.of() : List.copyOf(gateChecks);
  }

}
