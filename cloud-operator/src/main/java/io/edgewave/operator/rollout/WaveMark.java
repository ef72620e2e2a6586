package io.edgewave.operator.rollout;

import java.time.Instant;

/** When a wave started, was approved and completed: persisted in status so timers survive restarts. */
public record WaveMark(String name, Instant startedAt, Instant completedAt, Instant approvedAt) {
  public static WaveMark none(String name) { return new WaveMark(name, null, null, null); }

  WaveMark started(Instant t) { return new WaveMark(name, t, completedAt, approvedAt); }

  WaveMark completed(Instant t) { return new WaveMark(name, startedAt, t, approvedAt); }

  WaveMark approved(Instant t) { return new WaveMark(name, startedAt, completedAt, t); }
}
