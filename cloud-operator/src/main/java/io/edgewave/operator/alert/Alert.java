package io.edgewave.operator.alert;

import java.time.Duration;
import java.time.Instant;

/** One node's change worth telling ops about, with what was being released to it when it happened. */
public record Alert(String node, Kind kind, Instant at, Duration silence, String rolloutContext) {
  public enum Kind { LOST, OFFLINE, BACK_ONLINE }

  public String line() {
    String what = switch (kind) {
      case LOST -> "lost (no heartbeat for " + silence.toSeconds() + "s)";
      case OFFLINE -> "offline (its probe stopped)";
      case BACK_ONLINE -> "back online";
    };
    return node + " " + what + (rolloutContext == null ? "" : "; " + rolloutContext);
  }
}
