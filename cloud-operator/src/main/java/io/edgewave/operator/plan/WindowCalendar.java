package io.edgewave.operator.plan;

import java.text.ParseException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * Answers whether a node may be started now and when that next becomes true. A window is open at t when its
 * cron fired within (t - duration, t] in the node's zone. No windows: always open. One instance per reconcile;
 * not thread-safe (Quartz's CronExpression is mutable), and it caches one expression per window and zone.
 */
public final class WindowCalendar {
  private final List<WindowPolicy> windows;
  private final Map<String, CronExpression> cache = new HashMap<>();

  public WindowCalendar(List<WindowPolicy> windows) {
    this.windows = List.copyOf(windows);
  }

  public boolean alwaysOpen() { return windows.isEmpty(); }

  public boolean isOpen(Instant t, Map<String, String> nodeLabels) {
    if (windows.isEmpty()) return true;
    for (int i = 0; i < windows.size(); i++) {
      WindowPolicy w = windows.get(i);
      Date fire = cron(i, zoneOf(w, nodeLabels)).getTimeAfter(Date.from(t.minus(w.duration())));
      if (fire != null && !fire.toInstant().isAfter(t)) return true;
    }
    return false;
  }

  /** The earliest instant at or after t when a window is open for this node; empty if none ever opens. */
  public Optional<Instant> nextOpening(Instant t, Map<String, String> nodeLabels) {
    if (isOpen(t, nodeLabels)) return Optional.of(t);
    Instant best = null;
    for (int i = 0; i < windows.size(); i++) {
      Date fire = cron(i, zoneOf(windows.get(i), nodeLabels)).getTimeAfter(Date.from(t));
      if (fire != null && (best == null || fire.toInstant().isBefore(best))) best = fire.toInstant();
    }
    return Optional.ofNullable(best);
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

  private CronExpression cron(int index, ZoneId zone) {
    return cache.computeIfAbsent(index + "|" + zone.getId(), k -> {
      try {
        CronExpression c = new CronExpression(windows.get(index).cron());
        c.setTimeZone(TimeZone.getTimeZone(zone));
        return c;
      } catch (ParseException e) {
        throw new IllegalArgumentException("invalid cron \"" + windows.get(index).cron() + "\": " + e.getMessage(), e);
      }
    });
  }
}
