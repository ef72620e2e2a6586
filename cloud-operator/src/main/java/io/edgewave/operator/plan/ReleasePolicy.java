package io.edgewave.operator.plan;

import java.time.Duration;
import java.util.Objects;

/**
 * A validated EdgeRelease spec, typed: what the planner and the decider work from. One record per section of the
 * spec, each built by its parser in io.edgewave.operator.spec; {@code paused} is spec.paused.
 */
public record ReleasePolicy(TargetPolicy targets, StrategyPolicy strategy, SchedulePolicy schedule, RulePolicy rules,
    boolean paused) {
  public static final Duration DEFAULT_PROGRESS_DEADLINE = StrategyPolicy.DEFAULT_PROGRESS_DEADLINE;

  public ReleasePolicy {
    targets = Objects.requireNonNullElse(targets, TargetPolicy.NONE);
    strategy = Objects.requireNonNullElse(strategy, StrategyPolicy.DEFAULTS);
    schedule = Objects.requireNonNullElse(schedule, SchedulePolicy.ALWAYS);
    rules = Objects.requireNonNullElse(rules, RulePolicy.NONE);
  }

  /** What each section means when the spec leaves it out; with no targets it selects no node. */
  public static ReleasePolicy defaults() {
    return new ReleasePolicy(TargetPolicy.NONE, StrategyPolicy.DEFAULTS, SchedulePolicy.ALWAYS, RulePolicy.NONE, false);
  }

  public ReleasePolicy withTargets(TargetPolicy t) { return new ReleasePolicy(t, strategy, schedule, rules, paused); }

  public ReleasePolicy withStrategy(StrategyPolicy s) { return new ReleasePolicy(targets, s, schedule, rules, paused); }

  public ReleasePolicy withSchedule(SchedulePolicy s) { return new ReleasePolicy(targets, strategy, s, rules, paused); }

  public ReleasePolicy withRules(RulePolicy r) { return new ReleasePolicy(targets, strategy, schedule, r, paused); }
}
