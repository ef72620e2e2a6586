package io.edgewave.operator.spec;

import io.edgewave.operator.api.v1alpha1.Limits;
import io.edgewave.operator.api.v1alpha1.EdgeReleaseSpec;
import io.edgewave.operator.api.v1alpha1.Exponential;
import io.edgewave.operator.api.v1alpha1.LabelSelector;
import io.edgewave.operator.api.v1alpha1.LabelSelectorRequirement;
import io.edgewave.operator.api.v1alpha1.OfflineNodes;
import io.edgewave.operator.api.v1alpha1.OnFailure;
import io.edgewave.operator.api.v1alpha1.Patterns;
import io.edgewave.operator.api.v1alpha1.Preflight;
import io.edgewave.operator.api.v1alpha1.Schedule;
import io.edgewave.operator.api.v1alpha1.Strategy;
import io.edgewave.operator.api.v1alpha1.Targets;
import io.edgewave.operator.api.v1alpha1.WaveSpec;
import io.edgewave.operator.api.v1alpha1.Window;
import io.edgewave.operator.api.v1alpha1.Workload;
import io.edgewave.operator.plan.Amount;
import io.edgewave.protocol.Durations;
import io.edgewave.operator.plan.ExponentialPolicy;
import io.edgewave.operator.plan.FactRule;
import io.edgewave.operator.plan.NodeSelector;
import io.edgewave.operator.plan.PreflightPolicy;
import io.edgewave.operator.plan.ReleasePolicy;
import io.edgewave.operator.plan.WavePolicy;
import io.edgewave.operator.plan.WindowPolicy;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import java.text.ParseException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.quartz.CronExpression;

/**
 * Checks everything the CRD schema cannot (or that a cluster without schema validation let through) and turns
 * the spec into a typed {@link ReleasePolicy}. Every error names the field and says how to fix it.
 */
public final class EdgeReleaseValidator {
  private static final Pattern DNS_LABEL = Pattern.compile(Patterns.DNS_LABEL);
  private static final Pattern LABEL_KEY =
      Pattern.compile("^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$");
  private static final Pattern CONTAINER_NAME = DNS_LABEL;

  /** Either a policy or at least one error. */
  public record Result(ReleasePolicy policy, List<FieldError> errors) {
    public boolean valid() { return errors.isEmpty(); }

    public String message() {
      return String.join("; ", errors.stream().map(FieldError::toString).toList());
    }
  }

  private final List<FieldError> errors = new ArrayList<>();

  private EdgeReleaseValidator() {}

  public static Result validate(EdgeReleaseSpec spec) {
    return new EdgeReleaseValidator().run(spec);
  }

  private Result run(EdgeReleaseSpec spec) {
    if (spec == null) {
      error("spec", "is missing; an EdgeRelease needs spec.workload and spec.targets");
      return new Result(null, errors);
    }
    checkWorkload(spec.getWorkload());
    Targets targets = spec.getTargets();
    NodeSelector selector = null;
    Set<String> nodes = Set.of();
    Set<String> exclude = Set.of();
    if (targets == null) {
      error("spec.targets", "is missing; select nodes with targets.selector or list them in targets.nodes");
    } else {
      selector = selector("spec.targets.selector", targets.getSelector());
      nodes = names("spec.targets.nodes", targets.getNodes());
      exclude = names("spec.targets.exclude", targets.getExclude());
      if (targets.getSelector() == null && nodes.isEmpty()) {
        error("spec.targets", "selects no nodes; set targets.selector (e.g. matchLabels: {edgewave.io/class: "
            + "transit-center}) or targets.nodes");
      }
    }
    Strategy strategy = spec.getStrategy() == null ? new Strategy() : spec.getStrategy();
    List<WavePolicy> waves = waves(strategy.getWaves());
    ExponentialPolicy exponential = exponential(strategy.getExponential());
    if (strategy.getExponential() != null && strategy.getWaves() != null && !strategy.getWaves().isEmpty()) {
      error("spec.strategy", "sets both waves and exponential; keep one of them");
    }
    if (strategy.getWaves() != null && strategy.getWaves().isEmpty() && strategy.getExponential() == null) {
      error("spec.strategy.waves", "is empty, which would update every target at once; list at least one wave "
          + "(e.g. {name: canary, size: \"1\"} then {name: rest}), or remove it");
    }
    Duration deadline = duration("spec.strategy.progressDeadline", strategy.getProgressDeadline(),
        ReleasePolicy.DEFAULT_PROGRESS_DEADLINE);
    if (deadline != null && deadline.compareTo(Duration.ofSeconds(10)) < 0) {
      error("spec.strategy.progressDeadline", "is shorter than 10s; give a pod time to pull and start, e.g. 15m");
    }
    PreflightPolicy preflight = preflight(strategy.getPreflight());
    List<FactRule> gateChecks = checks("spec.strategy.gates.checks",
        strategy.getGates() == null ? null : strategy.getGates().getChecks());
    Schedule schedule = spec.getSchedule() == null ? new Schedule() : spec.getSchedule();
    Instant notBefore = notBefore(schedule.getNotBefore());
    List<WindowPolicy> windows = windows(schedule.getWindows());
    if (!errors.isEmpty()) return new Result(null, List.copyOf(errors));
    return new Result(new ReleasePolicy(selector, nodes, exclude, waves, exponential, deadline,
        strategy.getOnFailure() == null ? OnFailure.Halt : strategy.getOnFailure(),
        strategy.getOfflineNodes() == null ? OfflineNodes.Skip : strategy.getOfflineNodes(),
        notBefore, windows, Boolean.TRUE.equals(spec.getPaused()), preflight, gateChecks), List.of());
  }

  private void checkWorkload(Workload workload) {
    if (workload == null || workload.getTemplate() == null) {
      error("spec.workload.template", "is missing; give a pod template with at least one container");
      return;
    }
    var podSpec = workload.getTemplate().getSpec();
    if (podSpec == null || podSpec.getContainers() == null || podSpec.getContainers().isEmpty()) {
      error("spec.workload.template.spec.containers", "is empty; add a container with a name and an image");
      return;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < podSpec.getContainers().size(); i++) {
      Container c = podSpec.getContainers().get(i);
      String f = "spec.workload.template.spec.containers[" + i + "]";
      if (c.getName() == null || !CONTAINER_NAME.matcher(c.getName()).matches()) {
        error(f + ".name", "\"" + c.getName() + "\" is not a DNS label; use lower-case letters, digits and '-'");
      } else if (!seen.add(c.getName())) {
        error(f + ".name", "\"" + c.getName() + "\" is used twice; container names must be unique");
      }
      if (c.getImage() == null || c.getImage().isBlank()) {
        error(f + ".image", "is empty; set an image such as registry.example.com/scan-upload:2.4.1");
      } else if (c.getImage().chars().anyMatch(Character::isWhitespace)) {
        error(f + ".image", "\"" + c.getImage() + "\" contains white space");
      }
    }
    if (podSpec.getNodeName() != null) {
      error("spec.workload.template.spec.nodeName", "must be empty; edgewave pins each copy to its node itself");
    }
    Map<String, String> labels = workload.getTemplate().getMetadata() == null ? null
        : workload.getTemplate().getMetadata().getLabels();
    if (labels != null) {
      for (String k : labels.keySet()) {
        if (k.startsWith("edgewave.io/")) {
          error("spec.workload.template.metadata.labels", "\"" + k + "\" is reserved for the operator; remove it");
        }
      }
    }
  }

  private List<WavePolicy> waves(List<WaveSpec> specs) {
    List<WavePolicy> out = new ArrayList<>();
    if (specs == null) return out;
    if (specs.size() > Limits.MAX_WAVES) {
      error("spec.strategy.waves", "has " + specs.size() + " waves; at most " + Limits.MAX_WAVES + " are allowed");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < specs.size(); i++) {
      WaveSpec w = specs.get(i);
      String f = "spec.strategy.waves[" + i + "]";
      if (w == null) {
        error(f, "is empty; give the wave at least a name");
        continue;
      }
      if (w.getName() == null || w.getName().length() > 63 || !DNS_LABEL.matcher(w.getName()).matches()) {
        error(f + ".name", "\"" + w.getName() + "\" is not a DNS label; use e.g. canary, early, broad");
      } else if (!names.add(w.getName())) {
        error(f + ".name", "\"" + w.getName() + "\" is used by an earlier wave; wave names must be unique");
      }
      Amount size = w.getSize() == null ? null : amount(f + ".size", w.getSize(), false);
      NodeSelector sel = w.getSelector() == null ? null : selector(f + ".selector", w.getSelector());
      if (w.getSize() == null && w.getSelector() == null && i < specs.size() - 1) {
        error(f, "has neither size nor selector, so it takes every remaining target and the waves after it stay "
            + "empty; give it a size or move it last");
      }
      List<String> coverage = w.getCoverage() == null ? List.of() : w.getCoverage();
      for (int c = 0; c < coverage.size(); c++) {
        if (coverage.get(c) == null || !LABEL_KEY.matcher(coverage.get(c)).matches()) {
          error(f + ".coverage[" + c + "]", "\"" + coverage.get(c) + "\" is not a label key; use e.g. edgewave.io/site-type");
        }
      }
      Duration bake = duration(f + ".bakeTime", w.getBakeTime(), Duration.ZERO);
      Amount maxFailures = w.getMaxFailures() == null ? null : amount(f + ".maxFailures", w.getMaxFailures(), true);
      out.add(new WavePolicy(w.getName(), size, sel, coverage, bake, maxFailures, Boolean.TRUE.equals(w.getApproval()),
          Boolean.TRUE.equals(w.getAllowEmpty())));
    }
    return out;
  }

  private ExponentialPolicy exponential(Exponential e) {
    if (e == null) return null;
    String f = "spec.strategy.exponential";
    int canary = e.getCanary() == null ? 1 : e.getCanary();
    if (canary < 1) error(f + ".canary", "is " + canary + "; the first wave needs at least 1 node");
    double factor = e.getFactor() == null ? 2.0 : e.getFactor();
    if (!(factor >= 1.1 && factor <= 10)) error(f + ".factor", "is " + factor + "; use a value from 1.1 to 10, e.g. 2");
    Amount maxBatch = e.getMaxBatch() == null ? null : amount(f + ".maxBatch", e.getMaxBatch(), false);
    Duration bake = duration(f + ".bakeTime", e.getBakeTime(), Duration.ZERO);
    Amount maxFailures = e.getMaxFailures() == null ? null : amount(f + ".maxFailures", e.getMaxFailures(), true);
    return new ExponentialPolicy(canary, factor, maxBatch, bake, maxFailures);
  }

  /** The preflight rules in the order they are checked; the first a node breaks is its skip reason. */
  private PreflightPolicy preflight(Preflight p) {
    if (p == null) return PreflightPolicy.NONE;
    String f = "spec.strategy.preflight";
    List<FactRule> rules = new ArrayList<>();
    Long disk = bytes(f + ".minFreeDisk", p.getMinFreeDisk());
    if (disk != null) rules.add(new FactRule.MinFreeDisk(disk));
    Long mem = bytes(f + ".minAvailableMemory", p.getMinAvailableMemory());
    if (mem != null) rules.add(new FactRule.MinAvailableMemory(mem));
    if (Boolean.TRUE.equals(p.getGpu())) rules.add(new FactRule.GpuPresent());
    String driver = p.getMinGpuDriver();
    if (driver != null && !driver.matches("[0-9]+(\\.[0-9]+){0,3}")) {
      error(f + ".minGpuDriver", "\"" + driver + "\" is not a driver version; write e.g. \"535.104\"");
    } else if (driver != null) {
      rules.add(new FactRule.MinGpuDriver(driver));
    }
    Integer hot = p.getMaxGpuTemperature();
    if (hot != null && (hot < Preflight.MIN_GPU_TEMPERATURE || hot > Preflight.MAX_GPU_TEMPERATURE)) {
      error(f + ".maxGpuTemperature", "is " + hot + "; give the hottest temperature a GPU may report, in Celsius, from "
          + Preflight.MIN_GPU_TEMPERATURE + " to " + Preflight.MAX_GPU_TEMPERATURE + ", e.g. 85");
    } else if (hot != null) {
      rules.add(new FactRule.MaxGpuTemperature(hot));
    }
    rules.addAll(checks(f + ".checks", p.getChecks()));
    return new PreflightPolicy(rules);
  }

  private Long bytes(String f, String text) {
    if (text == null) return null;
    try {
      long b = Quantity.getAmountInBytes(new Quantity(text)).longValueExact();
      if (b < 0) throw new ArithmeticException();
      return b;
    } catch (RuntimeException e) {
      error(f, "\"" + text + "\" is not a quantity of bytes; write e.g. 2Gi or 500Mi");
      return null;
    }
  }

  /** Probe check names, each as a rule that it passes. */
  private List<FactRule> checks(String f, List<String> names) {
    if (names == null) return List.of();
    List<FactRule> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i) == null || !names.get(i).matches("[A-Za-z0-9_.-]{1,63}")) {
        error(f + "[" + i + "]", "\"" + names.get(i) + "\" is not a probe check name (the name before = in --check)");
      } else {
        out.add(new FactRule.CheckPasses(names.get(i)));
      }
    }
    return out;
  }

  private Instant notBefore(String text) {
    if (text == null) return null;
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeException e) {
      error("spec.schedule.notBefore", "\"" + text + "\" is not an RFC 3339 time; write e.g. 2026-12-01T00:00:00+08:00");
      return null;
    }
  }

  private List<WindowPolicy> windows(List<Window> specs) {
    List<WindowPolicy> out = new ArrayList<>();
    if (specs == null) return out;
    for (int i = 0; i < specs.size(); i++) {
      Window w = specs.get(i);
      String f = "spec.schedule.windows[" + i + "]";
      if (w == null) {
        error(f, "is empty; give cron and duration");
        continue;
      }
      if (w.getCron() == null || w.getCron().isBlank()) {
        error(f + ".cron", "is missing; say when the window opens as a Quartz cron, e.g. \"0 0 0 * * ?\" for midnight");
      } else if (!CronExpression.isValidExpression(w.getCron())) {
        error(f + ".cron", "\"" + w.getCron() + "\" is not a Quartz cron expression (" + cronProblem(w.getCron())
            + "); write seconds minutes hours day-of-month month day-of-week, e.g. \"0 0 0 * * ?\" for midnight");
      }
      Duration d = duration(f + ".duration", w.getDuration(), null);
      if (w.getDuration() == null) error(f + ".duration", "is missing; say how long the window stays open, e.g. 6h");
      else if (d != null && d.isZero()) error(f + ".duration", "is zero; the window would never be open");
      ZoneId zone = ZoneOffset.UTC;
      if (w.getTimeZone() != null) {
        try {
          zone = ZoneId.of(w.getTimeZone());
        } catch (DateTimeException e) {
          error(f + ".timeZone", "\"" + w.getTimeZone() + "\" is not an IANA time zone; use e.g. Asia/Shanghai");
        }
      }
      if (w.getTimeZoneLabel() != null && !LABEL_KEY.matcher(w.getTimeZoneLabel()).matches()) {
        error(f + ".timeZoneLabel", "\"" + w.getTimeZoneLabel() + "\" is not a label key; use e.g. edgewave.io/timezone");
      }
      out.add(new WindowPolicy(w.getCron(), d, zone, w.getTimeZoneLabel()));
    }
    return out;
  }

  private static String cronProblem(String cron) {
    if (cron == null) return "it is missing";
    try {
      new CronExpression(cron);
      return "unknown";
    } catch (ParseException e) {
      return e.getMessage();
    }
  }

  private NodeSelector selector(String f, LabelSelector s) {
    if (s == null) return null;
    Map<String, String> labels = s.getMatchLabels() == null ? Map.of() : new LinkedHashMap<>(s.getMatchLabels());
    for (String k : labels.keySet()) {
      if (!LABEL_KEY.matcher(k).matches()) error(f + ".matchLabels", "\"" + k + "\" is not a label key");
    }
    List<NodeSelector.Requirement> reqs = new ArrayList<>();
    List<LabelSelectorRequirement> exprs = s.getMatchExpressions() == null ? List.of() : s.getMatchExpressions();
    for (int i = 0; i < exprs.size(); i++) {
      LabelSelectorRequirement r = exprs.get(i);
      String rf = f + ".matchExpressions[" + i + "]";
      if (r.getKey() == null || !LABEL_KEY.matcher(r.getKey()).matches()) {
        error(rf + ".key", "\"" + r.getKey() + "\" is not a label key");
      }
      if (r.getOperator() == null) {
        error(rf + ".operator", "is missing; use In, NotIn, Exists or DoesNotExist");
        continue;
      }
      List<String> values = r.getValues() == null ? List.of() : r.getValues();
      boolean needsValues = switch (r.getOperator()) {
        case In, NotIn -> true;
        case Exists, DoesNotExist -> false;
      };
      if (needsValues && values.isEmpty()) error(rf + ".values", "is empty; " + r.getOperator() + " needs values");
      if (!needsValues && !values.isEmpty()) error(rf + ".values", "must be empty with " + r.getOperator());
      reqs.add(new NodeSelector.Requirement(r.getKey(), NodeSelector.Operator.valueOf(r.getOperator().name()),
          Set.copyOf(values)));
    }
    return new NodeSelector(labels, reqs);
  }

  private Set<String> names(String f, List<String> names) {
    if (names == null) return Set.of();
    Set<String> out = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      if (n == null || n.isBlank() || n.length() > 253) error(f + "[" + i + "]", "is not a node name");
      else out.add(n);
    }
    return out;
  }

  private Amount amount(String f, String text, boolean zeroAllowed) {
    return parse(f, text, Amount::parse, a -> {
      if (!zeroAllowed && a.value() == 0) error(f, "is 0; a wave needs at least one node");
    });
  }

  private Duration duration(String f, String text, Duration dflt) {
    if (text == null) return dflt;
    return parse(f, text, Durations::parse, d -> {});
  }

  private <T> T parse(String f, String text, Function<String, T> parser, java.util.function.Consumer<T> check) {
    try {
      T v = parser.apply(text);
      check.accept(v);
      return v;
    } catch (IllegalArgumentException e) {
      error(f, e.getMessage());
      return null;
    }
  }

  private void error(String field, String message) {
    errors.add(new FieldError(field, message));
  }
}
