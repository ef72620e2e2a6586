package io.edgewave.operator.spec;

import io.edgewave.operator.api.v1alpha1.EdgeReleaseSpec;
import io.edgewave.operator.plan.ReleasePolicy;
import io.edgewave.operator.plan.RulePolicy;
import io.edgewave.operator.plan.SchedulePolicy;
import io.edgewave.operator.plan.StrategyPolicy;
import io.edgewave.operator.plan.TargetPolicy;
import java.util.List;

/**
 * Checks everything the CRD schema cannot (or that a cluster without schema validation let through) and turns
 * the spec into a typed {@link ReleasePolicy}, one section parser per part of the spec. The sections share one
 * {@link FieldErrors}, so every error of a spec is reported at once; each names its field and says how to fix it.
 */
public final class EdgeReleaseValidator {
  /** Either a policy or at least one error. */
  public record Result(ReleasePolicy policy, List<FieldError> errors) {
    public boolean valid() { return errors.isEmpty(); }

    public String message() {
      return String.join("; ", errors.stream().map(FieldError::toString).toList());
    }
  }

  private EdgeReleaseValidator() {}

  public static Result validate(EdgeReleaseSpec spec) {
    FieldErrors errors = new FieldErrors();
    if (spec == null) {
      errors.add("spec", "is missing; an EdgeRelease needs spec.workload and spec.targets");
      return new Result(null, errors.list());
    }
    WorkloadSection.check(spec.getWorkload(), errors);
    TargetPolicy targets = TargetsSection.parse(spec.getTargets(), errors);
    StrategyPolicy strategy = StrategySection.parse(spec.getStrategy(), errors);
    if (spec.getStrategy() != null) {
      strategy = strategy.withStaging(StagingSection.parse(spec.getStrategy().getStaging(), spec.getSchedule(), errors));
    }
    RulePolicy rules = RulesSection.parse(spec.getStrategy(), errors);
    SchedulePolicy schedule = ScheduleSection.parse(spec.getSchedule(), errors);
    if (!errors.isEmpty()) return new Result(null, errors.list());
    return new Result(new ReleasePolicy(targets, strategy, schedule, rules, Boolean.TRUE.equals(spec.getPaused())),
        List.of());
  }
}
