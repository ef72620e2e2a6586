package io.edgewave.operator.plan;

import java.text.ParseException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * Answers whether a node may be started now and when that next becomes true. A window is open at t when it
 * opened within (t - duration, t]: the duration is real elapsed time, also across a clock change. No windows:
 * always open. One instance per reconcile; not thread-safe (Quartz's CronExpression is mutable), and it caches
 * one expression per window.
 *
 * <p>The cron is matched against the wall clock of the node's zone, and daylight saving time is handled here, the
 * way cron(8) does ("jobs that would have run in the interval that has been skipped will be run immediately ...
 * care is taken to avoid running jobs twice"), not by Quartz. Given that zone, Quartz skips a 02:30 window
 * entirely on the spring-forward night (the time does not exist), and on the fall-back night it opens the window
 * at the second 01:30 rather than the first. So Quartz only enumerates wall-clock times (in UTC, which has no
 * clock changes) and {@link #instantOf} places each in the zone: a start in the spring-forward gap opens at the
 * end of the gap (02:30 becomes 03:00), a start in the repeated fall-back hour opens at its first occurrence only.
 */
public final class WindowCalendar {
  private static final TimeZone WALL_CLOCK = TimeZone.getTimeZone("UTC");

  private final List<WindowPolicy> windows;
  private final Map<Integer, CronExpression> cache = new HashMap<>();

  public WindowCalendar(List<WindowPolicy> windows) {
    this.windows = List.copyOf(windows);
  }


  public boolean isOpen(Instant t, Map<String, String> nodeLabels) {
    if (windows.isEmpty()) return true;
    for (int i = 0; i < windows.size(); i++) {
      WindowPolicy w = windows.get(i);
      Instant start = nextStart(i, zoneOf(w, nodeLabels), t.minus(w.duration()));
      if (start != null && !start.isAfter(t)) return true;
    }
    return false;
  }

  /** The earliest instant at or after t when a window is open for this node; empty if none ever opens. */
  public Optional<Instant> nextOpening(Instant t, Map<String, String> nodeLabels) {
    if (isOpen(t, nodeLabels)) return Optional.of(t);
    Instant best = null;
    for (int i = 0; i < windows.size(); i++) {
      Instant start = nextStart(i, zoneOf(windows.get(i), nodeLabels), t);
      if (start != null && (best == null || start.isBefore(best))) best = start;
    }
    return Optional.ofNullable(best);
  }

  /**
   * The first instant strictly after {@code after} at which window i opens in zone, or null if its cron never
   * fires again. Placing wall-clock times with {@link #instantOf} never moves a later wall-clock time before an
   * earlier one, so the first wall-clock time after {@code after}'s own is the answer, with one exception handled
   * here: during the second pass through a repeated hour, the times left in that hour opened on the first pass.
   */
  private Instant nextStart(int index, ZoneId zone, Instant after) {
    ZoneRules rules = zone.getRules();
    LocalDateTime from = LocalDateTime.ofInstant(after, zone);
    ZoneOffsetTransition overlap = rules.getTransition(from);
    if (overlap != null && overlap.isOverlap() && rules.getOffset(after).equals(overlap.getOffsetAfter())) {
      from = overlap.getDateTimeBefore().minusSeconds(1); // the end of the repeated hour, e.g. 02:00 - 1s
    }
    Date fire = cron(index).getTimeAfter(Date.from(from.toInstant(ZoneOffset.UTC)));
    return fire == null ? null : instantOf(LocalDateTime.ofInstant(fire.toInstant(), ZoneOffset.UTC), rules);
  }

  /** A wall-clock time in the spring-forward gap is the end of the gap; one in the repeated hour, its first pass. */
  static Instant instantOf(LocalDateTime wallClock, ZoneRules rules) {
    ZoneOffsetTransition t = rules.getTransition(wallClock);
    if (t == null) return wallClock.toInstant(rules.getOffset(wallClock));
    return t.isGap() ? t.getInstant() : wallClock.toInstant(t.getOffsetBefore());
  }

  /** The zone a node's windows are read in (its first window's), UTC without windows: for showing times to people. */
  public ZoneId zoneFor(Map<String, String> nodeLabels) {
    return windows.isEmpty() ? ZoneOffset.UTC : zoneOf(windows.get(0), nodeLabels);
  }

  /** A node's own zone label wins when the window names one and it holds a valid IANA zone. */
  static ZoneId zoneOf(WindowPolicy w, Map<String, String> labels) {
    if (w.zoneLabel() != null) {
      String z = labels.get(w.zoneLabel());
      if (z != null) {
        try {
          return ZoneId.of(labelToZone(z));
        } catch (DateTimeException ignored) {
          // an unknown zone in a label falls back to the window's zone rather than blocking the node
        }
      }
    }
    return w.zone();
  }

  /** Label values cannot hold '/', so zones are written with dots there: Asia.Shanghai, America.New_York. */
  static String labelToZone(String value) {
    return value.replace('.', '/');
  }

  private CronExpression cron(int index) {
    return cache.computeIfAbsent(index, k -> {
      try {
        CronExpression c = new CronExpression(windows.get(index).cron());
        c.setTimeZone(WALL_CLOCK);
        return c;
      } catch (ParseException e) {
        throw new IllegalArgumentException("invalid cron \"" + windows.get(index).cron() + "\": " + e.getMessage(), e);
      }
    });
  }
}
