package io.edgewave.operator.plan;

import java.time.Duration;
import java.time.ZoneId;

/**
 * A maintenance window: opens when the Quartz cron matches the wall clock of the node's zone and stays open for
 * duration of real elapsed time. {@link WindowCalendar} says what happens on nights the clock changes.
 */
public record WindowPolicy(String cron, Duration duration, ZoneId zone, String zoneLabel) {}
