package io.edgewave.operator.plan;

import java.util.List;
import java.util.Map;

/**
 * The ordered waves for one set of targets; every target is in exactly one wave, or, when it joined the targets
 * after every wave had started, in {@code joiners}.
 */
public record WavePlan(List<Wave> waves, List<TargetNode> targets, Map<String, Integer> waveOf, List<String> joiners) {
  public WavePlan {
    waves = List.copyOf(waves);
    targets = List.copyOf(targets);
    waveOf = Map.copyOf(waveOf);
    joiners = joiners == null ? List.of() : List.copyOf(joiners);
  }

  public WavePlan(List<Wave> waves, List<TargetNode> targets, Map<String, Integer> waveOf) {
    this(waves, targets, waveOf, List.of());
  }

  public int size() { return targets.size(); }
}
