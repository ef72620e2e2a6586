package io.edgewave.operator.plan;

import java.util.List;
import java.util.Map;

/** The ordered waves for one set of targets; every target is in exactly one wave. */
public record WavePlan(List<Wave> waves, List<TargetNode> targets, Map<String, Integer> waveOf) {
  public WavePlan {
    waves = List.copyOf(waves);
    targets = List.copyOf(targets);
    waveOf = Map.copyOf(waveOf);
  }

  public int size() { return targets.size(); }
}
