package io.edgewave.operator.alert;

import io.edgewave.operator.fleet.FailureDetector.Cause;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One change worth telling ops about. For a node: its name, what was seen ({@code cause}, null when not known) and
 * what was being released to it when it happened. For a site ({@link Kind#SITE_UNREACHABLE}, {@link Kind#SITE_BACK}):
 * {@code node} is the site's name and {@code nodes} its nodes in the incident.
 */
public record Alert(String node, Kind kind, Instant at, Duration silence, String rolloutContext, Cause cause,
    List<String> nodes) {
  public enum Kind {
    LOST, OFFLINE, BACK_ONLINE, SITE_UNREACHABLE, SITE_BACK;

    boolean site() { return this == SITE_UNREACHABLE || this == SITE_BACK; }
  }

  public Alert {
    nodes = nodes == null ? List.of() : List.copyOf(nodes);
  }

  public Alert(String node, Kind kind, Instant at, Duration silence, String rolloutContext) {
    this(node, kind, at, silence, rolloutContext, null, List.of());
  }

  static Alert site(String site, Kind kind, Instant at, List<String> nodes) {
    return new Alert(site, kind, at, Duration.ZERO, null, Cause.SITE_UNREACHABLE, nodes);
  }

  /** Site alerts keep their own damping and "back" bookkeeping, apart from any node of the same name. */
  String key() {
    return kind.site() ? "site:" + node : node;
  }

  public String line() {
    String what = switch (kind) {
      case LOST -> "lost (" + lostWhy() + ")";
      case OFFLINE -> "offline (its probe stopped)";
      case BACK_ONLINE -> "back online";
      case SITE_UNREACHABLE -> "unreachable: " + nodes.size() + (nodes.size() == 1 ? " node" : " nodes")
          + " went silent together (" + String.join(", ", nodes) + ")";
      case SITE_BACK -> "back: " + nodes.size() + (nodes.size() == 1 ? " node beats" : " nodes beat") + " again";
    };
    return (kind.site() ? "site " : "") + node + " " + what + (rolloutContext == null ? "" : "; " + rolloutContext);
  }

  private String lostWhy() {
    String silent = "no heartbeat for " + silence.toSeconds() + "s";
    if (cause == null) return silent;
    return switch (cause) {
      case CONNECTION_DROPPED -> "connection dropped without a goodbye: power, network or the probe process; " + silent;
      case SILENT -> silent + " with its connection open: a hung box or a cut cable";
      default -> silent;
    };
  }
}
