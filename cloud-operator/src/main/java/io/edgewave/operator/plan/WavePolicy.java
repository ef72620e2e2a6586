package io.edgewave.operator.plan;

import java.time.Duration;
import java.util.List;

/**
 * One wave of a validated spec. With neither size nor selector, the wave takes every target not yet in a wave.
 */
public record WavePolicy(
    String name, Amount size, NodeSelector selector, List<String> coverage, Duration bakeTime,
    Amount maxFailures, boolean approval) {
  public WavePolicy {
    coverage = coverage == null ? List.of() : List.copyOf(coverage);
    bakeTime = bakeTime == null ? Duration.ZERO : bakeTime;
    maxFailures = maxFailures == null ? Amount.count(0) : maxFailures;
  }

  public static WavePolicy rest(String name) {
    return new WavePolicy(name, null, null, List.of(), Duration.ZERO, null, false);
  }
}
