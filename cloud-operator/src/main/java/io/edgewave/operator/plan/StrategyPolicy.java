package io.edgewave.operator.plan;

import io.edgewave.operator.api.v1alpha1.OfflineNodes;
import io.edgewave.operator.api.v1alpha1.OnFailure;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * spec.strategy, validated, apart from its rules over probe facts (those are {@link RulePolicy}).
 *
 * @param staging pulling images ahead, or null when off (the default)
 */
public record StrategyPolicy(WaveSizing sizing, Duration progressDeadline, OnFailure onFailure,
    OfflineNodes offlineNodes, StagingPolicy staging) {
  public static final Duration DEFAULT_PROGRESS_DEADLINE = Duration.ofMinutes(15);

  /** What a spec without spec.strategy gets: one wave of every target, 15m deadline, Halt, Skip. */
  public static final StrategyPolicy DEFAULTS = new StrategyPolicy(new WaveSizing.Listed(List.of()),
      DEFAULT_PROGRESS_DEADLINE, OnFailure.Halt, OfflineNodes.Skip);

  public StrategyPolicy(WaveSizing sizing, Duration progressDeadline, OnFailure onFailure, OfflineNodes offlineNodes) {
    this(sizing, progressDeadline, onFailure, offlineNodes, null);
  }

  public StrategyPolicy {
    Objects.requireNonNull(sizing, "sizing");
    progressDeadline = progressDeadline == null ? DEFAULT_PROGRESS_DEADLINE : progressDeadline;
    onFailure = onFailure == null ? OnFailure.Halt : onFailure;
    offlineNodes = offlineNodes == null ? OfflineNodes.Skip : offlineNodes;
  }

  public StrategyPolicy withSizing(WaveSizing s) {
    return new StrategyPolicy(s, progressDeadline, onFailure, offlineNodes, staging);
  }

  public StrategyPolicy withStaging(StagingPolicy s) {
    return new StrategyPolicy(sizing, progressDeadline, onFailure, offlineNodes, s);
  }

  public StrategyPolicy withWaves(List<WavePolicy> waves) {
    return withSizing(new WaveSizing.Listed(waves));
  }

  public StrategyPolicy withOnFailure(OnFailure f) {
    return new StrategyPolicy(sizing, progressDeadline, f, offlineNodes, staging);
  }

  public StrategyPolicy withOfflineNodes(OfflineNodes o) {
    return new StrategyPolicy(sizing, progressDeadline, onFailure, o, staging);
  }
}
