package io.edgewave.operator.spec;

import static io.edgewave.operator.spec.Sections.reported;
import static io.edgewave.operator.spec.Sections.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.edgewave.operator.api.v1alpha1.Limits;
import io.edgewave.operator.api.v1alpha1.OfflineNodes;
import io.edgewave.operator.api.v1alpha1.OnFailure;
import io.edgewave.operator.api.v1alpha1.Strategy;
import io.edgewave.operator.plan.Amount;
import io.edgewave.operator.plan.StrategyPolicy;
import io.edgewave.operator.plan.WaveSizing;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrategySectionTest {
  static List<String> errorsOf(String strategy) {
    FieldErrors errors = new FieldErrors();
    StrategySection.parse(yaml(strategy, Strategy.class), errors);
    return reported(errors);
  }

  @Test
  void noStrategyMeansOneWaveHaltOnFailureAndSkipOfflineNodes() {
    FieldErrors errors = new FieldErrors();
    assertEquals(StrategyPolicy.DEFAULTS, StrategySection.parse(null, errors));
    assertEquals(new WaveSizing.Listed(List.of()), StrategyPolicy.DEFAULTS.sizing());
    assertEquals(Duration.ofMinutes(15), StrategyPolicy.DEFAULTS.progressDeadline());
    assertEquals(List.of(), reported(errors));
  }

  @Test
  void listedWavesAreSizedByCountOrPercentage() {
    FieldErrors errors = new FieldErrors();
    StrategyPolicy s = StrategySection.parse(yaml("""
        waves: [{name: canary, size: "1", bakeTime: 30m}, {name: early, size: "10%", maxFailures: "1"}, {name: rest}]
        progressDeadline: 5m
        onFailure: Rollback
        offlineNodes: Wait
        """, Strategy.class), errors);
    assertEquals(List.of(), reported(errors));
    var waves = assertInstanceOf(WaveSizing.Listed.class, s.sizing()).waves();
    assertEquals(List.of("canary", "early", "rest"), waves.stream().map(w -> w.name()).toList());
    assertEquals(Amount.parse("10%"), waves.get(1).size());
    assertEquals(Duration.ofMinutes(30), waves.get(0).bakeTime());
    assertEquals(Duration.ofMinutes(5), s.progressDeadline());
    assertEquals(OnFailure.Rollback, s.onFailure());
    assertEquals(OfflineNodes.Wait, s.offlineNodes());
  }

  @Test
  void exponentialIsItsOwnSizingWithDefaultsCanaryOneAndFactorTwo() {
    FieldErrors errors = new FieldErrors();
    StrategyPolicy s = StrategySection.parse(yaml("exponential: {maxBatch: \"25%\"}", Strategy.class), errors);
    assertEquals(List.of(), reported(errors));
    assertEquals(new WaveSizing.Exponential(1, 2.0, Amount.parse("25%"), Duration.ZERO, null), s.sizing());
  }

  @Test
  void aWaveSizeOfZeroNamesTheSizeField() {
    assertEquals(List.of("spec.strategy.waves[2].size: is 0; a wave needs at least one node"),
        errorsOf("waves: [{name: a, size: \"1\"}, {name: b, size: \"2\"}, {name: c, size: \"0\"}]"));
  }

  @Test
  void aSizeThatIsNotAnAmountQuotesItAndShowsWhatWorks() {
    assertEquals(List.of("spec.strategy.waves[0].size: \"10 %\" is not a count or a percentage; write e.g. \"3\" or "
        + "\"10%\""), errorsOf("waves: [{name: a, size: \"10 %\"}]"));
    assertEquals(List.of("spec.strategy.waves[0].maxFailures: \"150%\" is more than " + Limits.MAX_PERCENT + "%"),
        errorsOf("waves: [{name: a, maxFailures: \"150%\"}]"));
  }

  @Test
  void moreWavesThanTheLimitAreRefusedNamingTheLimit() {
    StringBuilder waves = new StringBuilder("waves: [");
    for (int i = 0; i <= Limits.MAX_WAVES; i++) waves.append(i == 0 ? "" : ", ").append("{name: w").append(i)
        .append(", size: \"1\"}");
    assertEquals(List.of("spec.strategy.waves: has " + (Limits.MAX_WAVES + 1) + " waves; at most " + Limits.MAX_WAVES
        + " are allowed"), errorsOf(waves + "]"));
  }

  @Test
  void aWaveNameLongerThanADnsLabelIsRefused() {
    String name = "a".repeat(Limits.MAX_NAME_LENGTH + 1);
    assertEquals(List.of("spec.strategy.waves[0].name: \"" + name + "\" is not a DNS label; use e.g. canary, early, "
        + "broad"), errorsOf("waves: [{name: " + name + "}]"));
    assertEquals(List.of(), errorsOf("waves: [{name: " + "a".repeat(Limits.MAX_NAME_LENGTH) + "}]"));
  }

  @Test
  void exponentialBoundsComeFromTheLimitsTheSchemaStates() {
    assertEquals(List.of(
        "spec.strategy.exponential.canary: is 0; the first wave needs at least 1 node",
        "spec.strategy.exponential.factor: is 20.0; use a value from 1.1 to 10, e.g. 2"),
        errorsOf("exponential: {canary: 0, factor: 20}"));
    assertEquals(List.of(), errorsOf("exponential: {factor: " + Limits.MIN_FACTOR + "}"));
    assertEquals(List.of(), errorsOf("exponential: {factor: " + Limits.MAX_FACTOR + "}"));
  }

  @Test
  void wavesAndExponentialTogetherAreRefusedAfterTheMistakesInEither() {
    assertEquals(List.of("spec.strategy.waves[0]: has neither size nor selector, so it takes every remaining target "
            + "and the waves after it stay empty; give it a size or move it last",
        "spec.strategy.exponential.bakeTime: \"soon\" is not a duration; write e.g. 30s, 15m, 1h30m or 2d",
        "spec.strategy: sets both waves and exponential; keep one of them"),
        errorsOf("""
            waves: [{name: all}, {name: rest}]
            exponential: {bakeTime: soon}
            """));
  }

  @Test
  void anEmptyWaveListAndATooShortDeadlineSayWhatToWrite() {
    assertEquals(List.of("spec.strategy.waves: is empty, which would update every target at once; list at least one "
            + "wave (e.g. {name: canary, size: \"1\"} then {name: rest}), or remove it",
        "spec.strategy.progressDeadline: is shorter than 10s; give a pod time to pull and start, e.g. 15m"),
        errorsOf("waves: []\nprogressDeadline: 9s"));
  }
}
