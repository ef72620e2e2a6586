package io.edgewave.operator.plan;

import io.edgewave.operator.api.v1alpha1.OfflineNodes;
import io.edgewave.operator.api.v1alpha1.OnFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

  public static ReleasePolicy policy(List<WavePolicy> waves) {
    return new ReleasePolicy(NodeSelector.labels(Map.of("edgewave.io/class", "transit-center")), Set.of(), Set.of(),
        waves, null, Duration.ofMinutes(15), OnFailure.Halt, OfflineNodes.Skip, null, List.of(), false, null, null);
  }

  public static WavePolicy sized(String name, String size) {
    return new WavePolicy(name, Amount.parse(size), null, List.of(), Duration.ZERO, null, false);
  }
}
