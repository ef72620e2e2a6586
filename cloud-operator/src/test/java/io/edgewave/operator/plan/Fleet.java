package io.edgewave.operator.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test fleets and policies. */
public final class Fleet {
  private Fleet() {}

  /** n transit-center nodes spread over sites; every fifth site is a "hub", the rest "spoke". */
  public static List<TargetNode> centers(int n, int sites) {
    List<TargetNode> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int site = i % sites;
      out.add(new TargetNode(String.format("tc-%05d", i), Map.of(
          "edgewave.io/class", "transit-center",
          "edgewave.io/site", String.format("site-%02d", site),
          "edgewave.io/site-type", site % 5 == 0 ? "hub" : "spoke")));
    }
    return out;
  }

  /** Every transit center is a target; the strategy defaults (Halt, Skip, 15m) with these waves. */
  public static ReleasePolicy policy(List<WavePolicy> waves) {
    return ReleasePolicy.defaults().withTargets(TargetPolicy.labels(Map.of("edgewave.io/class", "transit-center")))
        .withStrategy(StrategyPolicy.DEFAULTS.withWaves(waves));
  }

  /** {@link #policy} with its waves cut by {@code sizing} instead. */
  public static ReleasePolicy policy(WaveSizing sizing) {
    ReleasePolicy p = policy(List.of());
    return p.withStrategy(p.strategy().withSizing(sizing));
  }

  public static WavePolicy sized(String name, String size) {
    return new WavePolicy(name, Amount.parse(size), null, List.of(), Duration.ZERO, null, false);
  }
}
