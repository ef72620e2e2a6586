package io.edgewave.operator.plan;

import static io.edgewave.operator.plan.Fleet.centers;
import static io.edgewave.operator.plan.Fleet.policy;
import static io.edgewave.operator.plan.Fleet.sized;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WavePlannerTest {
  @Test
  void sizesArePercentagesOfAllTargetsRoundedUpAndTheRestGoesLast() {
    WavePlan plan = WavePlanner.plan(policy(List.of(sized("canary", "1"), sized("early", "10%"),
        sized("broad", "30%"), WavePolicy.rest("rest"))), centers(95, 19), "ns/rel");
    assertEquals(List.of(1, 10, 29, 55), plan.waves().stream().map(w -> w.nodes().size()).toList());
    assertEquals(95, plan.waveOf().size());
  }

  @Test
  void everyTargetLandsInExactlyOneWaveWhateverTheSpec() {
    Random r = new Random(7);
    for (int round = 0; round < 200; round++) {
      int n = r.nextInt(300);
      List<WavePolicy> waves = new ArrayList<>();
      for (int w = 0; w < 1 + r.nextInt(5); w++) {
        waves.add(r.nextBoolean() ? sized("w" + w, (1 + r.nextInt(40)) + "%") : sized("w" + w, "" + (1 + r.nextInt(20))));
      }
      WavePlan plan = WavePlanner.plan(policy(waves), centers(n, 1 + r.nextInt(30)), "seed" + round);
      Set<String> seen = new HashSet<>();
      for (Wave w : plan.waves()) for (String node : w.nodes()) assertTrue(seen.add(node), "twice: " + node);
      assertEquals(n, seen.size(), "round " + round);
    }
  }

  @Test
  void membershipDependsOnlyOnTargetsSpecAndSeedNotOnInputOrder() {
    List<TargetNode> nodes = centers(500, 20);
    var p = policy(List.of(sized("canary", "2"), sized("early", "10%")));
    WavePlan a = WavePlanner.plan(p, nodes, "logistics/scan-upload");
    List<TargetNode> shuffled = new ArrayList<>(nodes);
    Collections.shuffle(shuffled, new Random(3));
    WavePlan b = WavePlanner.plan(p, shuffled, "logistics/scan-upload");
    assertEquals(a.waves(), b.waves());
    WavePlan other = WavePlanner.plan(p, nodes, "logistics/camera-inference");
    assertTrue(!a.waves().get(1).nodes().equals(other.waves().get(1).nodes()), "seed should change the order");
  }

  @Test
  void aPercentageWaveSpreadsOverSitesInsteadOfTakingTheFirstByName() {
    WavePlan plan = WavePlanner.plan(policy(List.of(sized("early", "10%"))), centers(1000, 50), "s");
    long sites = plan.waves().get(0).nodes().stream().map(n -> Integer.parseInt(n.substring(3)) % 50).distinct().count();
    assertTrue(sites > 30, "100 nodes came from only " + sites + " of 50 sites");
  }

  @Test
  void selectorWaveTakesMatchingTargetsNotInAnEarlierWave() {
    WavePolicy canarySite = new WavePolicy("canary", null,
        NodeSelector.labels(Map.of("edgewave.io/site", "site-03")), List.of(), Duration.ofMinutes(30), null, false);
    WavePolicy sameSite = new WavePolicy("again", null,
        NodeSelector.labels(Map.of("edgewave.io/site", "site-03")), List.of(), Duration.ZERO, null, false);
    WavePlan plan = WavePlanner.plan(policy(List.of(canarySite, sameSite)), centers(100, 10), "s");
    assertEquals(10, plan.waves().get(0).nodes().size());
    assertTrue(plan.waves().get(0).nodes().stream().allMatch(n -> Integer.parseInt(n.substring(3)) % 10 == 3));
    assertEquals(0, plan.waves().get(1).nodes().size());
    assertEquals("rest", plan.waves().get(2).name());
    assertEquals(90, plan.waves().get(2).nodes().size());
  }

  @Test
  void coveragePutsEveryLabelValueIntoTheWaveEvenPastItsSize() {
    WavePolicy early = new WavePolicy("early", Amount.parse("1"), null, List.of("edgewave.io/site-type", "edgewave.io/site"),
        Duration.ZERO, null, false);
    WavePlan plan = WavePlanner.plan(policy(List.of(early)), centers(200, 20), "s");
    List<TargetNode> byName = centers(200, 20);
    Set<String> members = new HashSet<>(plan.waves().get(0).nodes());
    Set<String> sites = byName.stream().filter(t -> members.contains(t.name()))
        .map(t -> t.labels().get("edgewave.io/site")).collect(Collectors.toSet());
    Set<String> types = byName.stream().filter(t -> members.contains(t.name()))
        .map(t -> t.labels().get("edgewave.io/site-type")).collect(Collectors.toSet());
    assertEquals(20, sites.size());
    assertEquals(Set.of("hub", "spoke"), types);
    assertEquals(20, members.size(), "one node per site covers both site types too");
  }

  @Test
  void targetsAreSelectorPlusExplicitNodesMinusExclusions() {
    List<TargetNode> nodes = new ArrayList<>(centers(10, 2));
    nodes.add(new TargetNode("gpu-box-1", Map.of("edgewave.io/class", "gpu-box")));
    nodes.add(new TargetNode("gpu-box-2", Map.of("edgewave.io/class", "gpu-box")));
    ReleasePolicy base = policy(List.of());
    ReleasePolicy p = base.withTargets(new TargetPolicy(base.targets().selector(), Set.of("gpu-box-1"),
        Set.of("tc-00000")));
    Set<String> names = WavePlanner.selectTargets(p, nodes, "s").stream().map(TargetNode::name).collect(Collectors.toSet());
    assertEquals(10, names.size());
    assertTrue(names.contains("gpu-box-1") && !names.contains("gpu-box-2") && !names.contains("tc-00000"));
  }

  @Test
  void exponentialGrowsByFactorUpToMaxBatch() {
    WaveSizing.Exponential e = new WaveSizing.Exponential(1, 2, Amount.parse("25%"), Duration.ZERO, null);
    assertEquals(List.of(1, 2, 4, 8, 16, 25, 25, 19), e.waves(100).stream().map(w -> w.size().value()).toList());
    ReleasePolicy tiny = policy(new WaveSizing.Exponential(1, 1.1, Amount.parse("1"), Duration.ZERO, null));
    PlanException ex = assertThrows(PlanException.class, () -> WavePlanner.plan(tiny, centers(1000, 10), "s"));
    assertEquals("spec.strategy.exponential", ex.field());
  }

  @Test
  void emptyFleetGivesEmptyWaves() {
    WavePlan plan = WavePlanner.plan(policy(List.of(sized("canary", "10%"))), List.of(), "s");
    assertEquals(1, plan.waves().size());
    assertEquals(0, plan.size());
  }
}
