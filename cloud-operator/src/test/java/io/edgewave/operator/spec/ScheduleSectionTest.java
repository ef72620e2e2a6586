package io.edgewave.operator.spec;

import static io.edgewave.operator.spec.Sections.reported;
import static io.edgewave.operator.spec.Sections.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.edgewave.operator.api.v1alpha1.Schedule;
import io.edgewave.operator.plan.SchedulePolicy;
import io.edgewave.operator.plan.WindowPolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleSectionTest {
  static List<String> errorsOf(String schedule) {
    FieldErrors errors = new FieldErrors();
    ScheduleSection.parse(yaml(schedule, Schedule.class), errors);
    return reported(errors);
  }

  @Test
  void aStartTimeAndWindowsInTheirZonesBecomeASchedulePolicy() {
    FieldErrors errors = new FieldErrors();
    SchedulePolicy s = ScheduleSection.parse(yaml("""
        notBefore: "2026-12-01T00:00:00+08:00"
        windows:
          - {cron: "0 0 1 * * ?", duration: 4h, timeZone: Asia/Shanghai, timeZoneLabel: edgewave.io/timezone}
          - {cron: "0 30 2 ? * SUN", duration: 1h}
        """, Schedule.class), errors);
    assertEquals(List.of(), reported(errors));
    assertEquals(new SchedulePolicy(Instant.parse("2026-11-30T16:00:00Z"), List.of(
        new WindowPolicy("0 0 1 * * ?", Duration.ofHours(4), ZoneId.of("Asia/Shanghai"), "edgewave.io/timezone"),
        new WindowPolicy("0 30 2 ? * SUN", Duration.ofHours(1), ZoneOffset.UTC, null))), s);
  }

  @Test
  void noScheduleMeansAlwaysOpen() {
    assertEquals(SchedulePolicy.ALWAYS, ScheduleSection.parse(null, new FieldErrors()));
  }

  @Test
  void aStartTimeThatIsNotRfc3339ShowsOne() {
    assertEquals(List.of("spec.schedule.notBefore: \"tomorrow\" is not an RFC 3339 time; write e.g. "
        + "2026-12-01T00:00:00+08:00"), errorsOf("notBefore: tomorrow"));
  }

  @Test
  void everyWindowMistakeNamesItsWindowAndField() {
    List<String> got = errorsOf("""
        windows:
          - {cron: "0 0 0 * *", duration: 0s, timeZone: Mars/Olympus, timeZoneLabel: "not a key"}
          - {cron: "0 0 0 * * ?"}
        """);
    assertEquals(5, got.size(), got.toString());
    assertTrue(got.get(0).startsWith("spec.schedule.windows[0].cron: \"0 0 0 * *\" is not a Quartz cron expression ("),
        got.get(0));
    assertTrue(got.get(0).endsWith("); write seconds minutes hours day-of-month month day-of-week, "
        + "e.g. \"0 0 0 * * ?\" for midnight"), got.get(0));
    assertEquals(List.of(
        "spec.schedule.windows[0].duration: is zero; the window would never be open",
        "spec.schedule.windows[0].timeZone: \"Mars/Olympus\" is not an IANA time zone; use e.g. Asia/Shanghai",
        "spec.schedule.windows[0].timeZoneLabel: \"not a key\" is not a label key; use e.g. edgewave.io/timezone",
        "spec.schedule.windows[1].duration: is missing; say how long the window stays open, e.g. 6h"),
        got.subList(1, 5));
  }
}
