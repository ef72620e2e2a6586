package io.edgewave.operator.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StagingComparisonTest {
  static final Path PLANS = Path.of("..", "rollout-plans");

  @Test
  void theBudgetIsTheStagedPlansMaxPullsPerSiteAndNoneForThePlanThatDoesNotStage() {
    List<String> pair = DemoPlans.comparison(PLANS);
    assertNull(StagingComparison.budget(pair.get(0)));
    assertEquals(2, StagingComparison.budget(pair.get(1)));
  }

  @Test
  void aPlanThatStagesWithoutABudgetGetsTheDefaultOfTwo() {
    assertEquals(2, StagingComparison.budget("spec: {strategy: {staging: {start: Immediately}}}"));
    assertEquals(5, StagingComparison.budget("spec: {strategy: {staging: {maxPullsPerSite: 5}}}"));
  }

  @Test
  void theWorldBeforeThePlanRunsThePreviousTagOfEachImage() {
    assertEquals("registry.example.com:5000/logistics/scan-upload:previous",
        StagingComparison.previous("registry.example.com:5000/logistics/scan-upload:3.0.0"));
    assertEquals("registry.example.com:5000/scan-upload:previous",
        StagingComparison.previous("registry.example.com:5000/scan-upload"));
  }

  @Test
  void onlyAStagedRunAboveItsBudgetIsOverBudget() {
    var d = Downtimes.Summary.of(List.of());
    assertTrue(new StagingComparison.Result("s", "Succeeded", 4, d, 1, 120, 3, 2, 0).overBudget());
    assertFalse(new StagingComparison.Result("s", "Succeeded", 4, d, 1, 120, 2, 2, 0).overBudget());
    assertFalse(new StagingComparison.Result("u", "Succeeded", 4, d, 1, 120, 4, null, 0).overBudget());
  }

  @Test
  void thePlainDemoLeavesTheComparisonPairOut() {
    List<String> names = DemoPlans.load(PLANS).stream().map(er -> er.getMetadata().getName()).toList();
    assertEquals(List.of("camera-inference", "scan-upload"), names);
  }
}
