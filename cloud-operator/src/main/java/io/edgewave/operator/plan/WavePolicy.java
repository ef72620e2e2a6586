package io.edgewave.operator.plan;

import java.time.Duration;
import java.util.List;

/**
 * One wave of a validated spec. With neither size nor selector, the wave takes every target not yet in a wave.
 * {@code allowEmpty} lets the rollout go past this wave even when no node of it was updated and Ready; without it
 * such a wave holds the rollout, since the waves after it would start without the signal it exists to give.
 */
public record WavePolicy(
    String name, Amount size, NodeSelector selector, List<String> coverage, Duration bakeTime,
    Amount maxFailures, boolean approval, boolean allowEmpty) {
  public WavePolicy {
    coverage = coverage == null ? List.of() : List.copyOf(coverage);
    bakeTime = bakeTime == null ? Duration.ZERO : bakeTime;
    maxFailures = maxFailures == null ? Amount.count(0) : maxFailures;
  }

  public WavePolicy(String name, Amount size, NodeSelector selector, List<String> coverage, Duration bakeTime,
      Amount maxFailures, boolean approval) {
    this(name, size, selector, coverage, bakeTime, maxFailures, approval, false);
  }

  /** The wave that takes the targets no wave of the spec took: it gives no canary signal of its own. */
  public static WavePolicy rest(String name) {
    return new WavePolicy(name, null, null, List.of(), Duration.ZERO, null, false, true);
  }
}
