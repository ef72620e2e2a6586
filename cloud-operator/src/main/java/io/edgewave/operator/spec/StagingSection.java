package io.edgewave.operator.spec;

import io.edgewave.operator.api.v1alpha1.Limits;
import io.edgewave.operator.api.v1alpha1.Schedule;
import io.edgewave.operator.api.v1alpha1.Staging;
import io.edgewave.operator.api.v1alpha1.StagingStart;
import io.edgewave.operator.plan.Amount;
import io.edgewave.operator.plan.StagingPolicy;
import io.edgewave.operator.plan.WindowPolicy;
import java.time.Duration;
import java.util.List;

/** spec.strategy.staging: when and how fast images are pulled ahead, and how much must be staged before a wave. */
public final class StagingSection {
  private static final String F = "spec.strategy.staging";
  /** Less than this and a large image over a thin uplink always fails its staging. */
  private static final Duration MIN_TIMEOUT = Duration.ofMinutes(1);

  private StagingSection() {}

  /** @param schedule spec.schedule, for BeforeWindow: it needs windows to lead */
  public static StagingPolicy parse(Staging s, Schedule schedule, FieldErrors errors) {
    if (s == null) return null;
    StagingStart start = s.getStart() == null ? StagingStart.Immediately : s.getStart();
    Duration lead = errors.duration(F + ".leadTime", s.getLeadTime(), null);
    if (start == StagingStart.BeforeWindow) {
      if (s.getLeadTime() == null) {
        errors.add(F + ".leadTime", "is missing; with start: BeforeWindow say how long before a wave's window its "
            + "nodes start pulling, e.g. 6h");
      }
      if (schedule == null || schedule.getWindows() == null || schedule.getWindows().isEmpty()) {
        errors.add(F + ".start", "is BeforeWindow but spec.schedule.windows is empty; add a maintenance window, or "
            + "use start: Immediately");
      }
    } else if (s.getLeadTime() != null) {
      errors.add(F + ".leadTime", "is set but start is Immediately, which ignores it; set start: BeforeWindow or "
          + "remove leadTime");
    }
    Integer pulls = s.getMaxPullsPerSite();
    if (pulls != null && (pulls < 1 || pulls > Limits.MAX_PULLS_PER_SITE)) {
      errors.add(F + ".maxPullsPerSite", "is " + pulls + "; use 1 to " + Limits.MAX_PULLS_PER_SITE + ", e.g. 2");
    }
    if (s.getWindows() != null && s.getWindows().size() > Limits.MAX_WINDOWS) {
      errors.add(F + ".windows", "has " + s.getWindows().size() + " windows; at most " + Limits.MAX_WINDOWS);
    }
    List<WindowPolicy> windows = ScheduleSection.windows(F + ".windows", s.getWindows(), errors);
    Amount share = s.getRequiredShare() == null ? null : errors.parse(F + ".requiredShare", s.getRequiredShare(),
        Amount::parse);
    if (share != null && share.value() == 0) {
      errors.add(F + ".requiredShare", "is 0, so staging would never hold a wave; use e.g. 100% or 90%, or remove "
          + "staging");
    }
    // ImagePrePullJob needs a cluster that serves it: the reconciler checks that (PrePullMethod), not the spec
    Duration timeout = errors.duration(F + ".timeout", s.getTimeout(), StagingPolicy.DEFAULT_TIMEOUT);
    if (timeout != null && timeout.compareTo(MIN_TIMEOUT) < 0) {
      errors.add(F + ".timeout", "is shorter than 1m; give a large image time to come over a thin uplink, e.g. 30m");
    }
    return new StagingPolicy(start, lead, pulls == null ? 0 : pulls, windows, share, s.getMethod(), timeout);
  }
}
