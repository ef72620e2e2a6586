package io.edgewave.operator.fleet;

import io.edgewave.operator.fleet.FailureDetector.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which {@code EdgeProbeHealthy} conditions to write so the Nodes agree with the detector. Transitions
 * write the condition when a state changes; this pass repairs what they cannot: a False left by a previous leader
 * for a node that beats again (a new detector sees its first heartbeat as no change), a write that failed, and a
 * condition another writer removed (cloudcore's deprecated path replaces a Node's whole status).
 *
 * <p>Rules, applied to every Node:
 * <ul>
 *   <li><b>only from evidence</b>: True needs a heartbeat since the detector started and no silence since; False
 *       needs a Lost or Offline verdict. A node the detector has not heard from is left alone, so a new leader
 *       never overwrites what it does not know.
 *   <li><b>hold others to their word</b>: a node another leader marked True that this detector has not heard from
 *       is to be watched ({@link Plan#expect}), so it is declared Lost after T of silence instead of staying
 *       healthy for good. A node marked False is not: it was paged already.
 *   <li><b>only differences</b>: a condition whose status already matches is not written, whatever its reason.
 *   <li><b>back off</b>: a node whose last writes failed is skipped while it backs off.
 *   <li><b>forget the deleted</b>: a node the detector knows whose Node existed at the previous pass and no
 *       longer does is forgotten.
 * </ul>
 * Pure: records in, a {@link Plan} out.
 */
public final class NodeConditionPlanner {
  public static final String HEARTBEAT = "EdgeProbeHeartbeat";
  public static final String LOST = "EdgeProbeLost";
  public static final String OFFLINE = "EdgeProbeOffline";
  /** False because most of the node's site went silent together: offline for rollouts, never a release's fault. */
  public static final String SITE_UNREACHABLE = "SiteUnreachable";

  private NodeConditionPlanner() {}

  /** The {@code EdgeProbeHealthy} condition as found on a Node. */
  public record Condition(String status, String reason) {}

  /** A Node as observed, with its condition or null when it has none. */
  public record ObservedNode(String name, Condition condition) {}

  /** One condition to write. */
  public record Write(String node, boolean healthy, String reason, String message) {
    public String status() { return healthy ? "True" : "False"; }
  }

  public record Plan(List<Write> writes, List<String> expect, List<String> forget) {
    public boolean empty() { return writes.isEmpty() && expect.isEmpty() && forget.isEmpty(); }
  }

  /**
   * @param nodes every Node now
   * @param verdicts what the detector knows, by node name
   * @param previousNodes the Node names at the previous pass, or an empty set on the first
   * @param backingOff nodes whose writes failed recently and are not to be tried on this pass
   */
  public static Plan plan(List<ObservedNode> nodes, Map<String, Verdict> verdicts, Set<String> previousNodes,
      Set<String> backingOff) {
    return plan(nodes, verdicts, previousNodes, backingOff, Set.of());
  }

  /** @param siteDown lost nodes of unreachable sites: their False says {@link #SITE_UNREACHABLE} */
  public static Plan plan(List<ObservedNode> nodes, Map<String, Verdict> verdicts, Set<String> previousNodes,
      Set<String> backingOff, Set<String> siteDown) {
    List<Write> writes = new ArrayList<>();
    List<String> expect = new ArrayList<>();
    Set<String> present = new java.util.HashSet<>();
    for (ObservedNode n : nodes) {
      present.add(n.name());
      Verdict v = verdicts.get(n.name());
      if (v == null) {
        if (n.condition() != null && "True".equals(n.condition().status())) expect.add(n.name());
        continue;
      }
      Write want = desired(n.name(), v);
      if (want == null || backingOff.contains(n.name())) continue;
      if (!want.healthy() && v.state() == FailureDetector.State.LOST && siteDown.contains(n.name())) {
        want = new Write(n.name(), false, SITE_UNREACHABLE, "its site is unreachable: most of its nodes went silent "
            + "together (last heartbeat at " + v.lastSeen() + ")");
        if (n.condition() == null || !want.status().equals(n.condition().status())
            || !SITE_UNREACHABLE.equals(n.condition().reason())) {
          writes.add(want);
        }
        continue;
      }
      if (n.condition() == null || !want.status().equals(n.condition().status())) writes.add(want);
    }
    List<String> forget = new ArrayList<>();
    for (String name : verdicts.keySet()) {
      if (previousNodes.contains(name) && !present.contains(name)) forget.add(name);
    }
    return new Plan(List.copyOf(writes), List.copyOf(expect), List.copyOf(forget));
  }

  /** What was seen, in words, for a node's loss: the condition's message and the alert say it the same way. */
  public static String lostMessage(FailureDetector.Cause cause) {
    return switch (cause == null ? FailureDetector.Cause.SILENT : cause) {
      case CONNECTION_DROPPED -> "connection dropped without a goodbye (the broker published its will: power, "
          + "network or the probe process)";
      case SITE_UNREACHABLE -> "its site is unreachable: most of its nodes went silent together";
      case PROBE_STOPPED -> "the edge probe stopped and said goodbye";
      case SILENT, HEARTBEAT -> "silent with its connection open (a hung box, or a cable cut the broker has not "
          + "noticed yet)";
    };
  }

  /** The condition the detector's verdict supports, or null when it supports none. */
  static Write desired(String node, Verdict v) {
    return switch (v.state()) {
      case LOST -> new Write(node, false, LOST, lostMessage(v.cause()) + "; no heartbeat since " + v.lastSeen());
      case OFFLINE -> new Write(node, false, OFFLINE, "the edge probe stopped and said goodbye");
      case ONLINE -> v.heard() && !v.silent()
          ? new Write(node, true, HEARTBEAT, "heartbeats received (last at " + v.lastSeen() + ")") : null;
    };
  }
}
