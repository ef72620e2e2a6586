package io.edgewave.operator.spec;

import io.edgewave.operator.api.v1alpha1.Schedule;
import io.edgewave.operator.api.v1alpha1.Window;
import io.edgewave.operator.plan.SchedulePolicy;
import io.edgewave.operator.plan.WindowPolicy;
import java.text.ParseException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.quartz.CronExpression;

/** spec.schedule: when nodes may be started, a start time and maintenance windows (Quartz cron plus duration). */
public final class ScheduleSection {
  private ScheduleSection() {}

  public static SchedulePolicy parse(Schedule schedule, FieldErrors errors) {
    if (schedule == null) return SchedulePolicy.ALWAYS;
    return new SchedulePolicy(notBefore(schedule.getNotBefore(), errors),
        windows("spec.schedule.windows", schedule.getWindows(), errors));
  }

  private static Instant notBefore(String text, FieldErrors errors) {
    if (text == null) return null;
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeException e) {
      errors.add("spec.schedule.notBefore", "\"" + text + "\" is not an RFC 3339 time; write e.g. "
          + "2026-12-01T00:00:00+08:00");
      return null;
    }
  }

  /** Windows at {@code field} (spec.schedule.windows, spec.strategy.staging.windows): cron, duration, zone. */
  static List<WindowPolicy> windows(String field, List<Window> specs, FieldErrors errors) {
    List<WindowPolicy> out = new ArrayList<>();
    if (specs == null) return out;
    for (int i = 0; i < specs.size(); i++) {
      Window w = specs.get(i);
      String f = field + "[" + i + "]";
      if (w == null) {
        errors.add(f, "is empty; give cron and duration");
        continue;
      }
      if (w.getCron() == null || w.getCron().isBlank()) {
        errors.add(f + ".cron", "is missing; say when the window opens as a Quartz cron, e.g. \"0 0 0 * * ?\" for "
            + "midnight");
      } else if (!CronExpression.isValidExpression(w.getCron())) {
        errors.add(f + ".cron", "\"" + w.getCron() + "\" is not a Quartz cron expression (" + cronProblem(w.getCron())
            + "); write seconds minutes hours day-of-month month day-of-week, e.g. \"0 0 0 * * ?\" for midnight");
      }
      Duration d = errors.duration(f + ".duration", w.getDuration(), null);
      if (w.getDuration() == null) {
        errors.add(f + ".duration", "is missing; say how long the window stays open, e.g. 6h");
      } else if (d != null && d.isZero()) {
        errors.add(f + ".duration", "is zero; the window would never be open");
      }
      ZoneId zone = ZoneOffset.UTC;
      if (w.getTimeZone() != null) {
        try {
          zone = ZoneId.of(w.getTimeZone());
        } catch (DateTimeException e) {
          errors.add(f + ".timeZone", "\"" + w.getTimeZone() + "\" is not an IANA time zone; use e.g. Asia/Shanghai");
        }
      }
      if (w.getTimeZoneLabel() != null && !LabelSelectorParser.isLabelKey(w.getTimeZoneLabel())) {
        errors.add(f + ".timeZoneLabel", "\"" + w.getTimeZoneLabel()
            + "\" is not a label key; use e.g. edgewave.io/timezone");
      }
      out.add(new WindowPolicy(w.getCron(), d, zone, w.getTimeZoneLabel()));
    }
    return out;
  }

  private static String cronProblem(String cron) {
    try {
      new CronExpression(cron);
      return "unknown";
    } catch (ParseException e) {
      return e.getMessage();
    }
  }
}
