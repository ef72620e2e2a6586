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

  // The clock changes of 2026: New York springs forward at 07:00Z on 03-08 (02:00 EST -> 03:00 EDT) and falls back
  // at 06:00Z on 11-01 (02:00 EDT -> 01:00 EST); Berlin at 01:00Z on 03-29 (02:00 CET -> 03:00 CEST) and on 10-25
  // (03:00 CEST -> 02:00 CET).
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void aWindowStartingInTheSpringForwardGapOpensWhenTheGapEndsAndKeepsItsDuration() {
    WindowCalendar ny = new WindowCalendar(List.of(new WindowPolicy("0 30 2 * * ?", Duration.ofHours(1), NEW_YORK, null)));
    assertTrue(ny.isOpen(at("2026-03-07T07:30:00Z"), Map.of()), "02:30 EST the night before");
    assertFalse(ny.isOpen(at("2026-03-08T06:59:59Z"), Map.of()), "01:59:59 EST");
    assertTrue(ny.isOpen(at("2026-03-08T07:00:00Z"), Map.of()), "03:00 EDT, the end of the gap");
    assertTrue(ny.isOpen(at("2026-03-08T07:59:59Z"), Map.of()));
    assertFalse(ny.isOpen(at("2026-03-08T08:00:00Z"), Map.of()), "one hour later");
    assertTrue(ny.isOpen(at("2026-03-09T06:30:00Z"), Map.of()), "02:30 EDT the night after");
    assertEquals(at("2026-03-08T07:00:00Z"), ny.nextOpening(at("2026-03-07T09:00:00Z"), Map.of()).get());
    assertEquals(at("2026-03-09T06:30:00Z"), ny.nextOpening(at("2026-03-08T08:00:00Z"), Map.of()).get());

    WindowCalendar berlin = new WindowCalendar(List.of(new WindowPolicy("0 30 2 * * ?", Duration.ofHours(1), BERLIN, null)));
    assertFalse(berlin.isOpen(at("2026-03-29T00:59:59Z"), Map.of()), "01:59:59 CET");
    assertTrue(berlin.isOpen(at("2026-03-29T01:00:00Z"), Map.of()), "03:00 CEST, the end of the gap");
    assertTrue(berlin.isOpen(at("2026-03-29T01:59:59Z"), Map.of()));
    assertFalse(berlin.isOpen(at("2026-03-29T02:00:00Z"), Map.of()));
    assertEquals(at("2026-03-29T01:00:00Z"), berlin.nextOpening(at("2026-03-28T12:00:00Z"), Map.of()).get());
    assertEquals(at("2026-03-30T00:30:00Z"), berlin.nextOpening(at("2026-03-29T02:00:00Z"), Map.of()).get());
  }

  @Test
  void aWindowStartingInTheRepeatedFallBackHourOpensOnlyOnItsFirstPass() {
    WindowCalendar ny = new WindowCalendar(List.of(new WindowPolicy("0 30 1 * * ?", Duration.ofMinutes(30), NEW_YORK, null)));
    assertFalse(ny.isOpen(at("2026-11-01T05:29:59Z"), Map.of()));
    assertTrue(ny.isOpen(at("2026-11-01T05:30:00Z"), Map.of()), "01:30 EDT, the first pass");
    assertTrue(ny.isOpen(at("2026-11-01T05:59:59Z"), Map.of()), "01:59:59 EDT");
    assertFalse(ny.isOpen(at("2026-11-01T06:00:00Z"), Map.of()), "01:00 EST");
    assertFalse(ny.isOpen(at("2026-11-01T06:30:00Z"), Map.of()), "01:30 EST, the second pass, does not reopen it");
    assertFalse(ny.isOpen(at("2026-11-01T06:45:00Z"), Map.of()));
    assertEquals(at("2026-11-01T05:30:00Z"), ny.nextOpening(at("2026-11-01T04:00:00Z"), Map.of()).get());
    assertEquals(at("2026-11-02T06:30:00Z"), ny.nextOpening(at("2026-11-01T06:10:00Z"), Map.of()).get(),
        "from 01:10 EST the next opening is tomorrow, not the 01:30 already passed");
    assertEquals(at("2026-11-02T06:30:00Z"), ny.nextOpening(at("2026-11-01T06:30:00Z"), Map.of()).get());

    WindowCalendar berlin = new WindowCalendar(List.of(new WindowPolicy("0 30 2 * * ?", Duration.ofMinutes(30), BERLIN, null)));
    assertTrue(berlin.isOpen(at("2026-10-25T00:30:00Z"), Map.of()), "02:30 CEST, the first pass");
    assertTrue(berlin.isOpen(at("2026-10-25T00:59:59Z"), Map.of()));
    assertFalse(berlin.isOpen(at("2026-10-25T01:00:00Z"), Map.of()));
    assertFalse(berlin.isOpen(at("2026-10-25T01:30:00Z"), Map.of()), "02:30 CET, the second pass");
    assertFalse(berlin.isOpen(at("2026-10-25T01:45:00Z"), Map.of()));
    assertEquals(at("2026-10-25T00:30:00Z"), berlin.nextOpening(at("2026-10-24T12:00:00Z"), Map.of()).get());
    assertEquals(at("2026-10-26T01:30:00Z"), berlin.nextOpening(at("2026-10-25T01:10:00Z"), Map.of()).get());
  }

  @Test
  void windowDurationsAreRealElapsedTimeAcrossBothClockChanges() {
    WindowCalendar ny = new WindowCalendar(List.of(new WindowPolicy("0 30 1 * * ?", Duration.ofHours(2), NEW_YORK, null)));
    assertTrue(ny.isOpen(at("2026-11-01T07:29:59Z"), Map.of()), "02:29:59 EST: two hours after 01:30 EDT, less a second");
    assertFalse(ny.isOpen(at("2026-11-01T07:30:00Z"), Map.of()), "02:30 EST, though the wall clock says only one hour");

    WindowCalendar berlin = new WindowCalendar(List.of(new WindowPolicy("0 0 0 * * ?", Duration.ofHours(6), BERLIN, null)));
    assertTrue(berlin.isOpen(at("2026-03-29T04:59:59Z"), Map.of()), "06:59:59 CEST");
    assertFalse(berlin.isOpen(at("2026-03-29T05:00:00Z"), Map.of()), "07:00 CEST: six hours after midnight CET");
    assertTrue(berlin.isOpen(at("2026-10-25T03:59:59Z"), Map.of()), "04:59:59 CET");
    assertFalse(berlin.isOpen(at("2026-10-25T04:00:00Z"), Map.of()), "05:00 CET: six hours after midnight CEST");
  }

  @Test
  void aNodeLabelledWithADaylightSavingZoneGetsTheSameClockChangeRules() {
    WindowCalendar c = new WindowCalendar(List.of(
        new WindowPolicy("0 30 2 * * ?", Duration.ofHours(1), ZoneOffset.UTC, "edgewave.io/timezone")));
    Map<String, String> newYork = Map.of("edgewave.io/timezone", "America.New_York");
    assertTrue(c.isOpen(at("2026-03-08T07:00:00Z"), newYork));
    assertEquals(at("2026-03-08T07:00:00Z"), c.nextOpening(at("2026-03-08T03:00:00Z"), newYork).get());
  }

  static Instant at(String text) { return Instant.parse(text); }
}
