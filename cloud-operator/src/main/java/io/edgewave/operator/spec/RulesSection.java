package io.edgewave.operator.spec;

import io.edgewave.operator.api.v1alpha1.Limits;
import io.edgewave.operator.api.v1alpha1.Preflight;
import io.edgewave.operator.api.v1alpha1.Strategy;
import io.edgewave.operator.plan.FactRule;
import io.edgewave.operator.plan.PreflightPolicy;
import io.edgewave.operator.plan.RulePolicy;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules over edge-probe facts in spec.strategy: preflight (before a node starts) and gates (after its update),
 * each field turned into a typed {@link FactRule}. A rule on a new fact is its field in the API, its record in
 * FactRule and its few lines here.
 */
public final class RulesSection {
  private static final Pattern CHECK_NAME = Pattern.compile("[A-Za-z0-9_.-]{1," + Limits.MAX_NAME_LENGTH + "}");
  private static final Pattern DRIVER_VERSION = Pattern.compile("[0-9]+(\\.[0-9]+){0,3}");

  private RulesSection() {}

  public static RulePolicy parse(Strategy strategy, FieldErrors errors) {
    if (strategy == null) return RulePolicy.NONE;
    PreflightPolicy preflight = preflight(strategy.getPreflight(), errors);
    List<FactRule> gates = checks("spec.strategy.gates.checks",
        strategy.getGates() == null ? null : strategy.getGates().getChecks(), errors);
    return new RulePolicy(preflight, gates);
  }

  /** The preflight rules in the order they are checked; the first a node breaks is its skip reason. */
  private static PreflightPolicy preflight(Preflight p, FieldErrors errors) {
    if (p == null) return PreflightPolicy.NONE;
    String f = "spec.strategy.preflight";
    List<FactRule> rules = new ArrayList<>();
    Long disk = bytes(f + ".minFreeDisk", p.getMinFreeDisk(), errors);
    if (disk != null) rules.add(new FactRule.MinFreeDisk(disk));
    Long mem = bytes(f + ".minAvailableMemory", p.getMinAvailableMemory(), errors);
    if (mem != null) rules.add(new FactRule.MinAvailableMemory(mem));
    if (Boolean.TRUE.equals(p.getGpu())) rules.add(new FactRule.GpuPresent());
    String driver = p.getMinGpuDriver();
    if (driver != null && !DRIVER_VERSION.matcher(driver).matches()) {
      errors.add(f + ".minGpuDriver", "\"" + driver + "\" is not a driver version; write e.g. \"535.104\"");
    } else if (driver != null) {
      rules.add(new FactRule.MinGpuDriver(driver));
    }
    Integer hot = p.getMaxGpuTemperature();
    if (hot != null && (hot < Limits.MIN_GPU_TEMPERATURE || hot > Limits.MAX_GPU_TEMPERATURE)) {
      errors.add(f + ".maxGpuTemperature", "is " + hot + "; give the hottest temperature a GPU may report, in Celsius, "
          + "from " + Limits.MIN_GPU_TEMPERATURE + " to " + Limits.MAX_GPU_TEMPERATURE + ", e.g. 85");
    } else if (hot != null) {
      rules.add(new FactRule.MaxGpuTemperature(hot));
    }
    rules.addAll(checks(f + ".checks", p.getChecks(), errors));
    return new PreflightPolicy(rules);
  }

  private static Long bytes(String f, String text, FieldErrors errors) {
    if (text == null) return null;
    try {
      long b = Quantity.getAmountInBytes(new Quantity(text)).longValueExact();
      if (b < 0) throw new ArithmeticException();
      return b;
    } catch (RuntimeException e) {
      errors.add(f, "\"" + text + "\" is not a quantity of bytes; write e.g. 2Gi or 500Mi");
      return null;
    }
  }

  /** Probe check names, each as a rule that it passes. */
  private static List<FactRule> checks(String f, List<String> names, FieldErrors errors) {
    if (names == null) return List.of();
    List<FactRule> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i) == null || !CHECK_NAME.matcher(names.get(i)).matches()) {
        errors.add(f + "[" + i + "]", "\"" + names.get(i) + "\" is not a probe check name (the name before = in "
            + "--check)");
      } else {
        out.add(new FactRule.CheckPasses(names.get(i)));
      }
    }
    return out;
  }
}
