package io.edgewave.operator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WindowCalendarTest {
  static final WindowPolicy NIGHT_SHANGHAI =
      new WindowPolicy("0 0 0 * * ?", Duration.ofHours(6), ZoneId.of("Asia/Shanghai"), "edgewave.io/timezone");

  @Test
  void nightWindowIsOpenFromMidnightToSixLocalTime() {
    WindowCalendar c = new WindowCalendar(List.of(NIGHT_SHANGHAI));
    // 2026-12-01 00:00 in Shanghai is 2026-11-30T16:00Z
    assertFalse(c.isOpen(Instant.parse("2026-11-30T15:59:59Z"), Map.of()));
    assertTrue(c.isOpen(Instant.parse("2026-11-30T16:00:00Z"), Map.of()));
    assertTrue(c.isOpen(Instant.parse("2026-11-30T21:59:59Z"), Map.of()));
    assertFalse(c.isOpen(Instant.parse("2026-11-30T22:00:00Z"), Map.of()));
  }

  @Test
  void nextOpeningIsTheNextMidnightWhenClosedAndNowWhenOpen() {
    WindowCalendar c = new WindowCalendar(List.of(NIGHT_SHANGHAI));
    assertEquals(Instant.parse("2026-11-30T16:00:00Z"), c.nextOpening(Instant.parse("2026-11-30T03:00:00Z"), Map.of()).get());
    Instant open = Instant.parse("2026-11-30T17:00:00Z");
    assertEquals(open, c.nextOpening(open, Map.of()).get());
  }

  @Test
  void aNodesTimeZoneLabelMovesTheWindowToItsOwnNight() {
    WindowCalendar c = new WindowCalendar(List.of(NIGHT_SHANGHAI));
    Map<String, String> berlin = Map.of("edgewave.io/timezone", "Europe.Berlin");
    Instant shanghaiNight = Instant.parse("2026-11-30T17:00:00Z"); // 01:00 Shanghai, 18:00 Berlin
    assertTrue(c.isOpen(shanghaiNight, Map.of()));
    assertFalse(c.isOpen(shanghaiNight, berlin));
    assertTrue(c.isOpen(Instant.parse("2026-11-30T23:30:00Z"), berlin)); // 00:30 Berlin
    assertTrue(c.isOpen(shanghaiNight, Map.of("edgewave.io/timezone", "Not.AZone")), "bad label falls back");
  }

  @Test
  void noWindowsMeansAlwaysOpenAndSeveralWindowsAreOred() {
    assertTrue(new WindowCalendar(List.of()).isOpen(Instant.EPOCH, Map.of()));
    WindowCalendar two = new WindowCalendar(List.of(
        new WindowPolicy("0 0 1 * * ?", Duration.ofHours(1), ZoneOffset.UTC, null),
        new WindowPolicy("0 0 13 * * ?", Duration.ofHours(1), ZoneOffset.UTC, null)));
    assertTrue(two.isOpen(Instant.parse("2026-01-01T01:30:00Z"), Map.of()));
    assertTrue(two.isOpen(Instant.parse("2026-01-01T13:30:00Z"), Map.of()));
    assertFalse(two.isOpen(Instant.parse("2026-01-01T12:30:00Z"), Map.of()));
    assertEquals(Instant.parse("2026-01-01T13:00:00Z"), two.nextOpening(Instant.parse("2026-01-01T02:00:00Z"), Map.of()).get());
  }

  @Test
  void weekdayCronOnlyOpensOnThoseDays() {
    WindowCalendar c = new WindowCalendar(List.of(
        new WindowPolicy("0 0 2 ? * SAT,SUN", Duration.ofHours(2), ZoneOffset.UTC, null)));
    assertFalse(c.isOpen(Instant.parse("2026-11-25T02:30:00Z"), Map.of())); // a Wednesday
    assertTrue(c.isOpen(Instant.parse("2026-11-28T02:30:00Z"), Map.of())); // a Saturday
  }
}
