package io.edgewave.protocol;

import java.util.regex.Pattern;

/** MQTT topics of protocol v1: edgewave/v1/nodes/{node}/heartbeat and edgewave/v1/nodes/{node}/status. */
public final class Topics {
  public static final String PREFIX = "edgewave/v1/nodes/";
  public static final String HEARTBEAT_FILTER = PREFIX + "+/heartbeat";
  public static final String STATUS_FILTER = PREFIX + "+/status";
  /** Node names are Kubernetes node names: DNS subdomains, at most 253 characters. */
  private static final Pattern NODE = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  public enum Kind { HEARTBEAT, STATUS }

  /** A parsed topic: whose it is and what it carries. */
  public record Parsed(String node, Kind kind) {}

  private Topics() {}

  public static String heartbeat(String node) { return PREFIX + node + "/heartbeat"; }

  public static String status(String node) { return PREFIX + node + "/status"; }

  public static boolean validNode(String node) {
    return node != null && NODE.matcher(node).matches();
  }

  /** @return null when the topic is not one of ours or names no valid node */
  public static Parsed parse(String topic) {
    if (topic == null || !topic.startsWith(PREFIX)) return null;
    String rest = topic.substring(PREFIX.length());
    int slash = rest.indexOf('/');
    if (slash <= 0 || rest.indexOf('/', slash + 1) >= 0) return null;
    String node = rest.substring(0, slash);
    if (!validNode(node)) return null;
    return switch (rest.substring(slash + 1)) {
      case "heartbeat" -> new Parsed(node, Kind.HEARTBEAT);
      case "status" -> new Parsed(node, Kind.STATUS);
      default -> null;
    };
  }
}
