package io.edgewave.operator.plan;

import java.time.Duration;
import java.time.ZoneId;

/** A maintenance window: opens when the Quartz cron fires in the node's zone and stays open for duration. */
public record WindowPolicy(String cron, Duration duration, ZoneId zone, String zoneLabel) {}
