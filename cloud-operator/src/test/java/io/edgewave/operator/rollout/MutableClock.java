package io.edgewave.operator.rollout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Real time plus an offset the test moves forward: bake times and windows pass without waiting. */
final class MutableClock extends Clock {
  private volatile Duration offset = Duration.ZERO;

  void advance(Duration d) { offset = offset.plus(d); }

  void setTo(Instant t) { offset = Duration.between(Instant.now(), t); }

  @Override public ZoneId getZone() { return ZoneOffset.UTC; }
  @Override public Clock withZone(ZoneId zone) { return this; }
  @Override public Instant instant() { return Instant.now().plus(offset); }
}
