package io.edgewave.operator.fleet;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the Nodes said when this replica took the Lease, read once: each node's site and the probe condition the
 * previous leader (or this process before a restart) left on it. The Nodes are where paging leaves a record that
 * survives a leader change: a node whose condition already says False since after its last heartbeat was paged, and
 * a site whose nodes say {@code SiteUnreachable} is an incident in progress, to be continued, not paged again.
 *
 * <p>A write is not yet a page: alerts wait out their batching window before they are posted, so a loss or an incident
 * written less than {@code unsent} before the takeover may have died with the old leader unsent. Those are handed
 * over again (a page may repeat; one lost would be worse).
 *
 * @param nodes every Node by name; a node without a Node object is deleted and nobody's news
 * @param at when the Nodes were read
 * @param unsent how long after its write a page may still have been waiting in the old leader (the alert window and
 *     a margin); zero when every record counts as sent
 */
public record Takeover(Map<String, Recorded> nodes, Instant at, java.time.Duration unsent) {
  /**
   * @param site the node's site label, or null
   * @param status the condition's status ("True", "False"), or null when the Node has none
   * @param since the condition's lastTransitionTime, or null
   */
  public record Recorded(String site, String status, String reason, Instant since) {
    boolean paged() { return "False".equals(status); }
  }

  public Takeover {
    nodes = Map.copyOf(nodes);
    unsent = unsent == null ? java.time.Duration.ZERO : unsent;
  }

  /** Every record counts as sent. */
  public Takeover(Map<String, Recorded> nodes) {
    this(nodes, null, java.time.Duration.ZERO);
  }

  /** Written too recently to be sure its page went out. */
  boolean maybeUnsent(Instant since) {
    return at != null && since != null && !unsent.isZero() && since.isAfter(at.minus(unsent));
  }

  /** Node to site, for nodes that have one. */
  public Map<String, String> sites() {
    Map<String, String> out = new HashMap<>();
    nodes.forEach((n, r) -> { if (r.site() != null && !r.site().isEmpty()) out.put(n, r.site()); });
    return out;
  }

  /**
   * Sites with nodes recorded {@code SiteUnreachable}, and those nodes, sorted; a site whose record may not have been
   * paged yet ({@link #maybeUnsent}) is left out, to be paged again from the replayed losses.
   */
  public Map<String, Set<String>> siteIncidents() {
    Map<String, Set<String>> out = new TreeMap<>();
    Set<String> recent = new java.util.HashSet<>();
    nodes.forEach((n, r) -> {
      if (r.paged() && NodeConditionPlanner.SITE_UNREACHABLE.equals(r.reason()) && r.site() != null) {
        out.computeIfAbsent(r.site(), k -> new TreeSet<>()).add(n);
        if (maybeUnsent(r.since())) recent.add(r.site());
      }
    });
    out.keySet().removeAll(recent);
    return out;
  }

  /**
   * Whether {@code t} is news the previous leader did not record: its Node exists, and its condition does not
   * already say False since the node's last heartbeat (that loss was written, and paged with it).
   */
  boolean news(FailureDetector.Transition t) {
    Recorded r = nodes.get(t.node());
    if (r == null) return false;
    if (!r.paged() || r.since() == null || maybeUnsent(r.since())) return true;
    Instant lastSeen = t.lastSeen() == null ? t.at() : t.lastSeen();
    return r.since().isBefore(lastSeen);
  }
}
