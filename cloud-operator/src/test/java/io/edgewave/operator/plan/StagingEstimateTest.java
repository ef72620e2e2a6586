package io.edgewave.operator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StagingEstimateTest {
  static TargetNode node(String name, String site, String mbps) {
    return mbps == null ? new TargetNode(name, Map.of("edgewave.io/site", site))
        : new TargetNode(name, Map.of("edgewave.io/site", site, StagingEstimate.UPLINK_LABEL, mbps));
  }

  static WavePlan plan(List<List<TargetNode>> waves) {
    List<Wave> ws = new ArrayList<>();
    List<TargetNode> all = new ArrayList<>();
    Map<String, Integer> waveOf = new java.util.HashMap<>();
    for (int i = 0; i < waves.size(); i++) {
      List<String> names = waves.get(i).stream().map(TargetNode::name).toList();
      ws.add(new Wave(i, new WavePolicy("w" + i, null, null, List.of(), Duration.ZERO, null, false), names, null));
      all.addAll(waves.get(i));
      for (String n : names) waveOf.put(n, i);
    }
    return new WavePlan(ws, all, waveOf);
  }

  @Test
  void aSitesNodesShareItsUplinkAndLaterWavesWaitForTheOnesInFrontOfThem() {
    long mb500 = 500L * 1000 * 1000; // 4,000 Mbit: 400 s over 10 Mbit/s
    WavePlan p = plan(List.of(
        List.of(node("hz-1", "hz", "10")),
        List.of(node("hz-2", "hz", "10"), node("sh-1", "sh", "100")),
        List.of(node("sh-2", "sh", "100"))));
    List<Duration> staged = StagingEstimate.of(p, "edgewave.io/site", mb500);
    assertEquals(Duration.ofSeconds(400), staged.get(0));
    assertEquals(Duration.ofSeconds(800), staged.get(1), "hz pulls its second node after its first: 2 x 400 s");
    assertEquals(Duration.ofSeconds(800), staged.get(2), "sh is quick (80 s), but never before the wave in front");
  }

  @Test
  void aSiteThatDeclaresNoUplinkCannotBeEstimated() {
    WavePlan p = plan(List.of(List.of(node("hz-1", "hz", "10")), List.of(node("bj-1", "bj", null))));
    List<Duration> staged = StagingEstimate.of(p, "edgewave.io/site", 1_000_000);
    assertEquals(Duration.ofMillis(800), staged.get(0));
    assertNull(staged.get(1));
  }
}
