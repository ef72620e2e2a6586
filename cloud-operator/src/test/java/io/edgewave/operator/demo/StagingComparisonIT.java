package io.edgewave.operator.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shipped comparison pair end to end, small: the real operator, the image model, 16 centers over 4 sites of
 * 10 Mbit/s and a 500 MB image (400 simulated seconds alone on a site's uplink), time x120.
 */
class StagingComparisonIT {
  @Test
  void stagingCutsEachNodesDowntimeToTheRestartAndKeepsEverySiteWithinItsPullBudget() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    var comparison = new StagingComparison(new StagingComparison.Config(16, 4, 500_000_000, 10, 120, 3,
        Duration.ofMinutes(5)), new PrintStream(buf, true));
    List<StagingComparison.Result> results = comparison.run(DemoPlans.comparison(Path.of("..", "rollout-plans")));
    String out = buf.toString();
    StagingComparison.Result unstaged = results.get(0);
    StagingComparison.Result staged = results.get(1);
    assertEquals("Succeeded", unstaged.phase(), out);
    assertEquals("Succeeded", staged.phase(), out);
    assertNull(unstaged.budget());
    assertEquals(16, unstaged.downtime().count(), out);
    assertEquals(16, staged.downtime().count(), out);
    // unstaged, every node is down at least for its own pull
    assertTrue(unstaged.downtime().p50() >= 400, out);
    // staged, only for the restart: container start (6-18 simulated s) and the API round trips, times 120
    assertTrue(staged.downtime().max() < 200, out);
    assertTrue(staged.peakPullsPerSite() <= staged.budget(), out);
    assertEquals(0, unstaged.stillDown() + staged.stillDown(), out);
    // the operator's own measure (edgewave_node_switch_seconds) agrees with the simulator's: every update once, and
    // its span (Deployment switched to Ready) holds the simulator's (old pod gone to Ready), longer only by the
    // kubelet's reaction: a few real ms, well under a real second (120 simulated s)
    assertEquals(16, unstaged.measured(), out);
    assertEquals(16, staged.measured(), out);
    for (var r : results) {
      assertTrue(r.measuredMean() > r.downtime().mean() - 5 && r.measuredMean() < r.downtime().mean() + 120, out);
    }
    assertTrue(staged.measuredMean() * 5 < unstaged.measuredMean(), out);
  }

  @Test
  void anImageThatCannotBePulledHaltsTheStagedPlanBeforeAnyPodStoppedWhileUnstagedNodesAreLeftDown() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    var comparison = new StagingComparison(new StagingComparison.Config(16, 4, 500_000_000, 10, 120, 3,
        Duration.ofMinutes(5)), new PrintStream(buf, true));
    // a tag that does not exist in the registry: every pull of it fails at once
    List<String> plans = DemoPlans.comparison(Path.of("..", "rollout-plans")).stream()
        .map(p -> p.replace("scan-upload:3.0.0", "scan-upload:3.0.0-" + SimulatedKubelet.BAD_IMAGE_MARK)).toList();
    List<StagingComparison.Result> results = comparison.run(plans);
    String out = buf.toString();
    StagingComparison.Result unstaged = results.get(0);
    StagingComparison.Result staged = results.get(1);
    assertEquals("Halted", unstaged.phase(), out);
    assertTrue(unstaged.stillDown() > 0, "the canary's pods were stopped for an image that never came: " + out);
    assertEquals("Halted", staged.phase(), out);
    assertEquals(0, staged.stillDown(), "no pod was stopped: " + out);
    assertEquals(0, staged.downtime().count(), out);
  }
}
