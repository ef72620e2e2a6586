package io.edgewave.operator.spec;

import static io.edgewave.operator.spec.Sections.reported;
import static io.edgewave.operator.spec.Sections.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.edgewave.operator.api.v1alpha1.Limits;
import io.edgewave.operator.api.v1alpha1.Strategy;
import io.edgewave.operator.plan.FactRule;
import io.edgewave.operator.plan.PreflightPolicy;
import io.edgewave.operator.plan.RulePolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class RulesSectionTest {
  static List<String> errorsOf(String strategy) {
    FieldErrors errors = new FieldErrors();
    RulesSection.parse(yaml(strategy, Strategy.class), errors);
    return reported(errors);
  }

  @Test
  void preflightRulesKeepTheOrderTheyAreCheckedInAndGatesBecomeCheckRules() {
    FieldErrors errors = new FieldErrors();
    RulePolicy r = RulesSection.parse(yaml("""
        preflight: {checks: [camera], maxGpuTemperature: 85, minGpuDriver: "535.104", gpu: true, minFreeDisk: 2Gi}
        gates: {checks: [camera, upload]}
        """, Strategy.class), errors);
    assertEquals(List.of(), reported(errors));
    assertEquals(new RulePolicy(new PreflightPolicy(List.of(new FactRule.MinFreeDisk(2L << 30),
        new FactRule.GpuPresent(), new FactRule.MinGpuDriver("535.104"), new FactRule.MaxGpuTemperature(85), new FactRule.CheckPasses("camera"))),
        List.of(new FactRule.CheckPasses("camera"), new FactRule.CheckPasses("upload"))), r);
  }

  @Test
  void noStrategyMeansNoRules() {
    assertEquals(RulePolicy.NONE, RulesSection.parse(null, new FieldErrors()));
  }

  @Test
  void gpuTemperatureBoundsAreTheSchemaLimitsAndTheMessageSaysThem() {
    assertEquals(List.of(), errorsOf("preflight: {maxGpuTemperature: " + Limits.MIN_GPU_TEMPERATURE + "}"));
    assertEquals(List.of(), errorsOf("preflight: {maxGpuTemperature: " + Limits.MAX_GPU_TEMPERATURE + "}"));
    assertEquals(List.of("spec.strategy.preflight.maxGpuTemperature: is 121; give the hottest temperature a GPU may "
        + "report, in Celsius, from 20 to 120, e.g. 85"), errorsOf("preflight: {maxGpuTemperature: 121}"));
    assertEquals(List.of("spec.strategy.preflight.maxGpuTemperature: is 19; give the hottest temperature a GPU may "
        + "report, in Celsius, from 20 to 120, e.g. 85"), errorsOf("preflight: {maxGpuTemperature: 19}"));
  }

  @Test
  void badPreflightAndGateValuesAreAllReportedWithTheirFix() {
    assertEquals(List.of(
        "spec.strategy.preflight.minFreeDisk: \"two gigs\" is not a quantity of bytes; write e.g. 2Gi or 500Mi",
        "spec.strategy.preflight.minAvailableMemory: \"-1Gi\" is not a quantity of bytes; write e.g. 2Gi or 500Mi",
        "spec.strategy.preflight.minGpuDriver: \"latest\" is not a driver version; write e.g. \"535.104\"",
        "spec.strategy.preflight.checks[0]: \"has space\" is not a probe check name (the name before = in --check)",
        "spec.strategy.gates.checks[1]: \"" + "c".repeat(Limits.MAX_NAME_LENGTH + 1)
            + "\" is not a probe check name (the name before = in --check)"),
        errorsOf("""
            preflight: {minFreeDisk: two gigs, minAvailableMemory: "-1Gi", minGpuDriver: latest, checks: ["has space"]}
            gates: {checks: [ok, %s]}
            """.formatted("c".repeat(Limits.MAX_NAME_LENGTH + 1))));
  }
}
