package io.edgewave.protocol;

/** MQTT topics of protocol v1: edgewave/v1/nodes/{node}/heartbeat and edgewave/v1/nodes/{node}/status. */
public final class Topics {
  public static final String PREFIX = "edgewave/v1/nodes/";
  public static final String HEARTBEAT_FILTER = PREFIX + "+/heartbeat";
  public static final String STATUS_FILTER = PREFIX + "+/status";
  private static final String HEARTBEAT = "heartbeat";
  private static final String STATUS = "status";

  public enum Kind { HEARTBEAT, STATUS }

  /** A parsed topic: whose it is and what it carries. */
  public record Parsed(String node, Kind kind) {}

  private Topics() {}

  public static String heartbeat(String node) { return PREFIX + node + "/heartbeat"; }

  public static String status(String node) { return PREFIX + node + "/status"; }

  /**
   * Node names are Kubernetes node names: DNS subdomains, at most 253 characters; what the pattern
   * {@code [a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?} accepts. Checked by hand: it runs for every message received.
   */
  public static boolean validNode(String node) {
    return node != null && validNode(node, 0, node.length());
  }

  private static boolean validNode(String s, int from, int to) {
    int n = to - from;
    if (n < 1 || n > 253 || !alnum(s.charAt(from)) || !alnum(s.charAt(to - 1))) return false;
    for (int i = from + 1; i < to - 1; i++) {
      char c = s.charAt(i);
      if (!alnum(c) && c != '-' && c != '.') return false;
    }
    return true;
  }

  private static boolean alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }

  /** @return null when the topic is not one of ours or names no valid node */
  public static Parsed parse(String topic) {
    if (topic == null || !topic.startsWith(PREFIX)) return null;
    int from = PREFIX.length();
    int slash = topic.indexOf('/', from);
    if (slash < 0) return null;
    int tail = topic.length() - slash - 1;
    Kind kind;
    if (tail == HEARTBEAT.length() && topic.startsWith(HEARTBEAT, slash + 1)) kind = Kind.HEARTBEAT;
    else if (tail == STATUS.length() && topic.startsWith(STATUS, slash + 1)) kind = Kind.STATUS;
    else return null;
    if (!validNode(topic, from, slash)) return null;
    return new Parsed(topic.substring(from, slash), kind);
  }
}
