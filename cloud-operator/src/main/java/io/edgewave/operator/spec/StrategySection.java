package io.edgewave.operator.spec;

import io.edgewave.operator.api.v1alpha1.Exponential;
import io.edgewave.operator.api.v1alpha1.Limits;
import io.edgewave.operator.api.v1alpha1.Patterns;
import io.edgewave.operator.api.v1alpha1.Strategy;
import io.edgewave.operator.api.v1alpha1.WaveSpec;
import io.edgewave.operator.plan.Amount;
import io.edgewave.operator.plan.NodeSelector;
import io.edgewave.operator.plan.StrategyPolicy;
import io.edgewave.operator.plan.WavePolicy;
import io.edgewave.operator.plan.WaveSizing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * spec.strategy apart from its rules over probe facts ({@link RulesSection}): how targets are cut into waves
 * (listed waves or exponential, one {@link WaveSizing}), the progress deadline and what to do on failures and with
 * offline nodes.
 */
public final class StrategySection {
  private static final Pattern DNS_LABEL = Pattern.compile(Patterns.DNS_LABEL);
  /** Less than this and a pod cannot pull and start before it counts as failed. */
  private static final Duration MIN_PROGRESS_DEADLINE = Duration.ofSeconds(10);

  private StrategySection() {}

  public static StrategyPolicy parse(Strategy strategy, FieldErrors errors) {
    if (strategy == null) return StrategyPolicy.DEFAULTS;
    WaveSizing sizing = sizing(strategy, errors);
    Duration deadline = errors.duration("spec.strategy.progressDeadline", strategy.getProgressDeadline(),
        StrategyPolicy.DEFAULT_PROGRESS_DEADLINE);
    if (deadline != null && deadline.compareTo(MIN_PROGRESS_DEADLINE) < 0) {
      errors.add("spec.strategy.progressDeadline", "is shorter than 10s; give a pod time to pull and start, e.g. 15m");
    }
    return new StrategyPolicy(sizing, deadline, strategy.getOnFailure(), strategy.getOfflineNodes());
  }

  /** Both forms are parsed even when both are set, so that every mistake in either is reported at once. */
  private static WaveSizing sizing(Strategy strategy, FieldErrors errors) {
    List<WaveSpec> listed = strategy.getWaves();
    WaveSizing.Listed waves = new WaveSizing.Listed(waves(listed, errors));
    WaveSizing.Exponential exponential = exponential(strategy.getExponential(), errors);
    if (exponential != null && listed != null && !listed.isEmpty()) {
      errors.add("spec.strategy", "sets both waves and exponential; keep one of them");
    }
    if (listed != null && listed.isEmpty() && exponential == null) {
      errors.add("spec.strategy.waves", "is empty, which would update every target at once; list at least one wave "
          + "(e.g. {name: canary, size: \"1\"} then {name: rest}), or remove it");
    }
    return exponential != null ? exponential : waves;
  }

  private static List<WavePolicy> waves(List<WaveSpec> specs, FieldErrors errors) {
    List<WavePolicy> out = new ArrayList<>();
    if (specs == null) return out;
    if (specs.size() > Limits.MAX_WAVES) {
      errors.add("spec.strategy.waves", "has " + specs.size() + " waves; at most " + Limits.MAX_WAVES + " are allowed");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < specs.size(); i++) {
      WaveSpec w = specs.get(i);
      String f = "spec.strategy.waves[" + i + "]";
      if (w == null) {
        errors.add(f, "is empty; give the wave at least a name");
        continue;
      }
      if (w.getName() == null || w.getName().length() > Limits.MAX_NAME_LENGTH
          || !DNS_LABEL.matcher(w.getName()).matches()) {
        errors.add(f + ".name", "\"" + w.getName() + "\" is not a DNS label; use e.g. canary, early, broad");
      } else if (!names.add(w.getName())) {
        errors.add(f + ".name", "\"" + w.getName() + "\" is used by an earlier wave; wave names must be unique");
      }
      Amount size = w.getSize() == null ? null : size(f + ".size", w.getSize(), errors);
      NodeSelector sel = LabelSelectorParser.parse(f + ".selector", w.getSelector(), errors);
      if (w.getSize() == null && w.getSelector() == null && i < specs.size() - 1) {
        errors.add(f, "has neither size nor selector, so it takes every remaining target and the waves after it stay "
            + "empty; give it a size or move it last");
      }
      List<String> coverage = w.getCoverage() == null ? List.of() : w.getCoverage();
      for (int c = 0; c < coverage.size(); c++) {
        if (!LabelSelectorParser.isLabelKey(coverage.get(c))) {
          errors.add(f + ".coverage[" + c + "]", "\"" + coverage.get(c)
              + "\" is not a label key; use e.g. edgewave.io/site-type");
        }
      }
      Duration bake = errors.duration(f + ".bakeTime", w.getBakeTime(), Duration.ZERO);
      Amount maxFailures = w.getMaxFailures() == null ? null : errors.parse(f + ".maxFailures", w.getMaxFailures(),
          Amount::parse);
      out.add(new WavePolicy(w.getName(), size, sel, coverage, bake, maxFailures, Boolean.TRUE.equals(w.getApproval()),
          Boolean.TRUE.equals(w.getAllowEmpty())));
    }
    return out;
  }

  private static WaveSizing.Exponential exponential(Exponential e, FieldErrors errors) {
    if (e == null) return null;
    String f = "spec.strategy.exponential";
    int canary = e.getCanary() == null ? 1 : e.getCanary();
    if (canary < Limits.MIN_CANARY) {
      errors.add(f + ".canary", "is " + canary + "; the first wave needs at least " + Limits.MIN_CANARY + " node");
    }
    double factor = e.getFactor() == null ? 2.0 : e.getFactor();
    if (!(factor >= Limits.MIN_FACTOR && factor <= Limits.MAX_FACTOR)) {
      errors.add(f + ".factor", "is " + factor + "; use a value from " + Limits.MIN_FACTOR + " to " + Limits.MAX_FACTOR
          + ", e.g. 2");
    }
    Amount maxBatch = e.getMaxBatch() == null ? null : size(f + ".maxBatch", e.getMaxBatch(), errors);
    Duration bake = errors.duration(f + ".bakeTime", e.getBakeTime(), Duration.ZERO);
    Amount maxFailures = e.getMaxFailures() == null ? null : errors.parse(f + ".maxFailures", e.getMaxFailures(),
        Amount::parse);
    return new WaveSizing.Exponential(canary, factor, maxBatch, bake, maxFailures);
  }

  /** A wave size: a failure budget may be 0, a size may not. */
  private static Amount size(String f, String text, FieldErrors errors) {
    Amount a = errors.parse(f, text, Amount::parse);
    if (a != null && a.value() == 0) errors.add(f, "is 0; a wave needs at least one node");
    return a;
  }
}
