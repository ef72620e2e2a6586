package io.edgewave.operator.spec;

import io.edgewave.operator.rollout.Labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.v1alpha1.EdgeReleaseSpec;
import io.edgewave.operator.api.v1alpha1.OnFailure;
import io.edgewave.operator.plan.FactRule;
import io.edgewave.operator.plan.RulePolicy;
import io.edgewave.operator.plan.TargetNode;
import io.edgewave.operator.plan.WaveSizing;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdgeReleaseValidatorTest {
  static final String BASE = """
      workload: {template: {spec: {containers: [{name: app, image: "reg/app:1"}]}}}
      targets: {selector: {matchLabels: {edgewave.io/class: gpu-box}}}
      """;

  static List<String> fields(String yaml) {
    return EdgeReleaseValidator.validate(Serialization.unmarshal(BASE + yaml, EdgeReleaseSpec.class)).errors().stream()
        .map(FieldError::field).toList();
  }

  @Test
  void preflightAndGatesAreParsedIntoBytesAndNames() {
    var r = EdgeReleaseValidator.validate(Serialization.unmarshal(BASE + """
        strategy:
          preflight: {minFreeDisk: 2Gi, minAvailableMemory: 512Mi, gpu: true, minGpuDriver: "535.104", checks: [camera]}
          gates: {checks: [camera]}
        """, EdgeReleaseSpec.class));
    assertTrue(r.valid(), r.message());
    assertEquals(List.of(new FactRule.MinFreeDisk(2L << 30), new FactRule.MinAvailableMemory(512L << 20),
        new FactRule.GpuPresent(), new FactRule.MinGpuDriver("535.104"), new FactRule.CheckPasses("camera")),
        r.policy().rules().preflight().rules());
    assertEquals(List.of(new FactRule.CheckPasses("camera")), r.policy().rules().gates());
  }

  @Test
  void maxGpuTemperatureIsParsedAsARuleOnTheHottestGpu() {
    var r = EdgeReleaseValidator.validate(Serialization.unmarshal(BASE + """
        strategy:
          preflight: {maxGpuTemperature: 85}
        """, EdgeReleaseSpec.class));
    assertTrue(r.valid(), r.message());
    assertEquals(List.of(new FactRule.MaxGpuTemperature(85)), r.policy().rules().preflight().rules());
  }

  @Test
  void aGpuTemperatureOutsideItsBoundsNamesItsField() {
    assertEquals(List.of("spec.strategy.preflight.maxGpuTemperature"), fields("""
        strategy:
          preflight: {maxGpuTemperature: 850}
        """));
    assertEquals(List.of("spec.strategy.preflight.maxGpuTemperature"), fields("""
        strategy:
          preflight: {maxGpuTemperature: 0}
        """));
  }

  @Test
  void badPreflightValuesNameTheirField() {
    assertEquals(List.of("spec.strategy.preflight.minFreeDisk", "spec.strategy.preflight.minGpuDriver",
        "spec.strategy.preflight.checks[0]", "spec.strategy.gates.checks[0]"), fields("""
        strategy:
          preflight: {minFreeDisk: two gigs, minGpuDriver: latest, checks: ["has space"]}
          gates: {checks: [""]}
        """));
  }

  @Test
  void eachStrategyMistakeIsReportedWithItsFieldAtOnce() {
    assertEquals(List.of("spec.strategy.waves[0]", "spec.strategy.waves[1].name", "spec.strategy.waves[1].bakeTime",
        "spec.strategy.exponential.factor", "spec.strategy", "spec.strategy.progressDeadline"), fields("""
        strategy:
          waves: [{name: all}, {name: all, bakeTime: 5 minutes}]
          exponential: {factor: 20}
          progressDeadline: 1s
        """));
  }

  @Test
  void anEmptyWaveListIsRejectedNamingTheFieldInsteadOfUpdatingEveryTargetAtOnce() {
    assertEquals(List.of("spec.strategy.waves"), fields("""
        strategy: {waves: []}
        """));
    var r = EdgeReleaseValidator.validate(Serialization.unmarshal(BASE + """
        strategy: {waves: [{name: canary, selector: {matchLabels: {site: a}}, allowEmpty: true}, {name: rest}]}
        """, EdgeReleaseSpec.class));
    assertTrue(r.valid(), r.message());
    assertTrue(((WaveSizing.Listed) r.policy().strategy().sizing()).waves().get(0).allowEmpty());
  }

  @Test
  void mistakesInEverySectionAreReportedTogetherInSpecOrder() {
    var r = EdgeReleaseValidator.validate(Serialization.unmarshal("""
        workload: {template: {spec: {containers: [{name: app}]}}}
        targets: {nodes: [""]}
        strategy:
          waves: [{name: canary, size: "0"}]
          preflight: {maxGpuTemperature: 500}
        schedule: {notBefore: soon}
        """, EdgeReleaseSpec.class));
    assertEquals(null, r.policy());
    assertEquals(List.of("spec.workload.template.spec.containers[0].image", "spec.targets.nodes[0]", "spec.targets",
        "spec.strategy.waves[0].size", "spec.strategy.preflight.maxGpuTemperature", "spec.schedule.notBefore"),
        r.errors().stream().map(FieldError::field).toList());
    assertTrue(r.message().startsWith("spec.workload.template.spec.containers[0].image: is empty; "), r.message());
    assertTrue(r.message().endsWith("; spec.schedule.notBefore: \"soon\" is not an RFC 3339 time; write e.g. "
        + "2026-12-01T00:00:00+08:00"), r.message());
  }

  @Test
  void aValidSpecGivesOnePolicyBuiltFromItsSections() {
    var r = EdgeReleaseValidator.validate(Serialization.unmarshal(BASE + """
        strategy: {exponential: {canary: 2}, onFailure: Rollback}
        schedule: {windows: [{cron: "0 0 1 * * ?", duration: 4h}]}
        paused: true
        """, EdgeReleaseSpec.class));
    assertTrue(r.valid(), r.message());
    assertEquals(new WaveSizing.Exponential(2, 2.0, null, Duration.ZERO, null), r.policy().strategy().sizing());
    assertEquals(OnFailure.Rollback, r.policy().strategy().onFailure());
    assertEquals(1, r.policy().schedule().windows().size());
    assertEquals(RulePolicy.NONE, r.policy().rules());
    assertTrue(r.policy().paused());
    assertTrue(r.policy().targets().selects(new TargetNode("b", Map.of("edgewave.io/class", "gpu-box"))));
  }

  @Test
  void aReleaseNameLongerThanALabelValueIsRejectedNamingTheField() {
    assertTrue(Labels.nameProblem("a".repeat(64)).startsWith("metadata.name:"));
    assertEquals(null, Labels.nameProblem("scan-upload"));
  }
}
