package io.edgewave.operator.plan;

import java.time.Instant;
import java.util.List;

/** spec.schedule, validated: no node starts before {@code notBefore} (if set) nor outside every window (if any). */
public record SchedulePolicy(Instant notBefore, List<WindowPolicy> windows) {
  public static final SchedulePolicy ALWAYS = new SchedulePolicy(null, List.of());

  public SchedulePolicy {
    windows = windows == null ? List.of() : List.copyOf(windows);
  }
}
