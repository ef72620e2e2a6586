package io.edgewave.operator.fleet;

import io.edgewave.operator.fleet.FailureDetector.Cause;
import io.edgewave.operator.fleet.FailureDetector.State;
import io.edgewave.operator.fleet.FailureDetector.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns the losses of many boxes behind one uplink into one incident. A site (the value of the Nodes' site label)
 * is <b>unreachable</b> when at least two of its nodes, and at least {@code share} of its watched nodes, went silent
 * within one {@code window} of each other (last heartbeats at most one window apart); a single box that dies stays a
 * box. Watched nodes are the site's nodes that were online, plus those lost in this incident: nodes lost long ago or
 * offline (goodbye) say nothing about what is happening now, as in {@link FailureDetector}'s mass-silence guard.
 *
 * <p>Out come the detector's transitions, those of an unreachable site's nodes with cause
 * {@link Cause#SITE_UNREACHABLE}, and {@link SiteTransition}s: {@code UNREACHABLE} when a site trips and again each
 * time one more of its nodes joins the incident (the list grows; sinks keep the latest), {@code BACK} once: at once
 * when every node of the incident beats again, or at the second convergence pass (at least one T) after the nodes
 * still lost stopped making the site unreachable, so that a node a second slower to return is not paged as a box.
 * Nodes still lost then are boxes again: each comes out once more as a Lost transition with cause
 * {@link Cause#SILENT} ("still lost after its site came back").
 *
 * <p>The fleet-wide guard keeps its job: when more than its share of the whole fleet goes silent, the detector gives
 * no verdicts at all, so nothing reaches this class and no site pages either (a broker outage does not become a
 * hundred site alerts). A site smaller than the guard's minimum (10 nodes at the defaults) never trips the guard.
 *
 * <p>Pure: the site map and the detector's verdicts come in (the Node writer reads the labels; see
 * {@link FleetSink#all}), time comes with the transitions. One thread at a time. Memory: a few fields per node.
 */
public final class SiteDetector {
  /** Share of a site's watched nodes that must go silent together for the site to be unreachable. */
  public static final double DEFAULT_SHARE = 0.6;
  /** The default T: losses whose last heartbeats are this close belong together. */
  public static final Duration DEFAULT_WINDOW =
      FailureDetector.Settings.DEFAULTS.tolerance(FailureDetector.Settings.DEFAULTS.defaultInterval());

  public enum Change { UNREACHABLE, BACK }

  /**
   * A site's change. For {@code UNREACHABLE}: every node of the incident, lost, sorted; {@code watched} how many
   * nodes of the site were watched. For {@code BACK}: the incident's nodes that beat again. {@code adopted}: an
   * incident a previous leader recorded on the Nodes, continued by this one (already paged and written).
   */
  public record SiteTransition(String site, Change change, List<String> nodes, int watched, Instant at,
      boolean adopted) {
    public SiteTransition(String site, Change change, List<String> nodes, int watched, Instant at) {
      this(site, change, nodes, watched, at, false);
    }
  }

  /** What goes on to the sinks. */
  public record Result(List<Transition> transitions, List<SiteTransition> sites) {}

  private final double share;
  private final Duration window;
  private Map<String, String> siteOf = Map.of();
  private final Map<String, State> states = new HashMap<>();
  private final Map<String, Instant> silentSince = new HashMap<>();
  /** Unreachable sites and the nodes of their incident still lost. */
  private final Map<String, Set<String>> down = new TreeMap<>();
  /** Unreachable sites and every node of their incident, for the "back" list. */
  private final Map<String, Set<String>> incident = new TreeMap<>();
  /** Unreachable sites whose lost nodes no longer make them unreachable: convergence passes seen since. */
  private final Map<String, Integer> returning = new HashMap<>();
  /** The time of the latest transition: a convergence pass carries no clock of its own. */
  private Instant lastAt;

  public SiteDetector(double share, Duration window) {
    if (!(share > 0 && share <= 1)) throw new IllegalArgumentException("share must be in (0, 1]: " + share);
    this.share = share;
    this.window = window;
  }

  public SiteDetector() {
    this(DEFAULT_SHARE, DEFAULT_WINDOW);
  }

  /** Which site each node is at; nodes without a site label are left out and are only ever boxes. */
  public void sites(Map<String, String> nodeToSite) {
    siteOf = Map.copyOf(nodeToSite);
  }

  /**
   * What the detector knows of every node (a convergence pass, every T): their states, for counting watched nodes;
   * and the clock of a returning site, which is back at its second pass.
   */
  public Result verdicts(Map<String, FailureDetector.Verdict> verdicts) {
    // a node of an incident the detector has no verdict for (a new process that has not heard it) is still lost;
    // only its Node's deletion takes it out
    states.keySet().removeIf(n -> !verdicts.containsKey(n) && !(siteOf.containsKey(n) && inIncident(n)));
    Instant latest = null;
    for (var e : verdicts.entrySet()) {
      FailureDetector.Verdict v = e.getValue();
      states.put(e.getKey(), v.state());
      if (v.state() == State.LOST) silentSince.putIfAbsent(e.getKey(), v.lastSeen());
      else silentSince.remove(e.getKey());
      if (v.lastSeen() != null && (latest == null || v.lastSeen().isAfter(latest))) latest = v.lastSeen();
    }
    silentSince.keySet().retainAll(states.keySet());
    List<Transition> out = new ArrayList<>();
    List<SiteTransition> sites = new ArrayList<>();
    for (String site : new ArrayList<>(down.keySet())) back(site, latest, out, sites, true);
    return new Result(out, sites);
  }

  public Result transitions(List<Transition> in) {
    List<Transition> out = new ArrayList<>(in.size());
    List<SiteTransition> sites = new ArrayList<>();
    // losses that arrive together are judged together: the first of a site's boxes in the batch sees the others
    // (a detector tick, or a new leader's replay), so it is not paged as a box a moment before its site
    Map<String, Transition> lastOf = new HashMap<>();
    for (Transition t : in) lastOf.put(t.node(), t);
    for (Transition t : lastOf.values()) {
      if (t.to() == State.LOST && siteOf.containsKey(t.node())) {
        states.put(t.node(), State.LOST);
        silentSince.put(t.node(), t.lastSeen() == null ? t.at() : t.lastSeen());
      }
    }
    for (Transition t : in) {
      states.put(t.node(), t.to());
      if (lastAt == null || t.at().isAfter(lastAt)) lastAt = t.at();
      String site = siteOf.get(t.node());
      if (t.to() == State.LOST) {
        silentSince.put(t.node(), t.lastSeen() == null ? t.at() : t.lastSeen());
      } else {
        silentSince.remove(t.node());
      }
      if (site == null) {
        out.add(t);
        continue;
      }
      if (t.to() == State.LOST) {
        out.add(lost(site, t, sites));
      } else {
        out.add(t);
        Set<String> still = down.get(site);
        if (still != null && still.remove(t.node())) back(site, t.at(), out, sites, false);
      }
    }
    return new Result(out, sites);
  }

  private boolean inIncident(String node) {
    for (Set<String> still : down.values()) if (still.contains(node)) return true;
    return false;
  }

  /**
   * Continues the incidents a previous leader recorded on the Nodes: each site with nodes whose condition says
   * {@code SiteUnreachable} is unreachable, with those nodes lost until a verdict or a heartbeat says otherwise.
   * Comes out as adopted {@code UNREACHABLE} transitions: the paging series are rebuilt, nothing is paged again, and
   * "site back" follows as for any incident. Call after {@link #sites}.
   */
  public Result adopt(Takeover recorded) {
    // the Nodes also say which nodes were healthy: without them the first replayed losses would be a whole site
    // (two silent of two "watched") until a convergence pass counted the rest
    recorded.nodes().forEach((n, r) -> {
      if ("True".equals(r.status()) && siteOf.containsKey(n)) states.putIfAbsent(n, State.ONLINE);
    });
    List<SiteTransition> sites = new ArrayList<>();
    for (var e : recorded.siteIncidents().entrySet()) {
      String site = e.getKey();
      if (down.containsKey(site)) continue;
      Set<String> nodes = new TreeSet<>(e.getValue());
      Instant at = null;
      for (String n : nodes) {
        states.putIfAbsent(n, State.LOST);
        Instant since = recorded.nodes().get(n).since();
        if (since != null) {
          silentSince.putIfAbsent(n, since);
          if (at == null || since.isAfter(at)) at = since;
        }
      }
      down.put(site, nodes);
      incident.put(site, new TreeSet<>(nodes));
      sites.add(new SiteTransition(site, Change.UNREACHABLE, List.copyOf(nodes), watched(site), at, true));
    }
    return new Result(List.of(), sites);
  }

  private Transition lost(String site, Transition t, List<SiteTransition> sites) {
    Set<String> still = down.get(site);
    if (still == null) {
      Set<String> together = new TreeSet<>();
      Instant at = silentSince.get(t.node());
      int online = 0;
      for (var e : siteOf.entrySet()) {
        if (!site.equals(e.getValue())) continue;
        State s = states.get(e.getKey());
        if (s == State.ONLINE) online++;
        Instant since = silentSince.get(e.getKey());
        if (s == State.LOST && since != null && Duration.between(since, at).abs().compareTo(window) <= 0) {
          together.add(e.getKey());
        }
      }
      if (!unreachable(together.size(), online + together.size())) return t;
      still = together;
      down.put(site, still);
      incident.put(site, new TreeSet<>(together));
    } else {
      boolean grew = still.add(t.node());
      incident.get(site).add(t.node());
      if (unreachable(still.size(), watched(site))) returning.remove(site);
      if (!grew) return t.because(Cause.SITE_UNREACHABLE); // listed when its site tripped, in this same batch
    }
    sites.add(new SiteTransition(site, Change.UNREACHABLE, List.copyOf(still), watched(site), t.at()));
    return t.because(Cause.SITE_UNREACHABLE);
  }

  /** @param pass called by a convergence pass, the clock of a returning site */
  private void back(String site, Instant at, List<Transition> out, List<SiteTransition> sites, boolean pass) {
    Set<String> still = down.get(site);
    still.removeIf(n -> states.get(n) != State.LOST);
    if (!still.isEmpty()) {
      if (unreachable(still.size(), watched(site))) {
        returning.remove(site);
        return;
      }
      if (!pass) return;
      if (returning.merge(site, 1, Integer::sum) < 2) return;
    }
    returning.remove(site);
    if (at == null) at = lastAt;
    List<String> returned = incident.get(site).stream().filter(n -> states.get(n) == State.ONLINE).toList();
    sites.add(new SiteTransition(site, Change.BACK, returned, watched(site), at));
    down.remove(site);
    incident.remove(site);
    for (String n : still) {
      Instant since = silentSince.get(n);
      out.add(new Transition(n, State.LOST, State.LOST, at, since, since == null ? Duration.ZERO
          : Duration.between(since, at), false, Cause.SILENT));
    }
  }

  private int watched(String site) {
    int n = 0;
    Set<String> still = down.getOrDefault(site, Set.of());
    for (var e : siteOf.entrySet()) {
      if (site.equals(e.getValue()) && (states.get(e.getKey()) == State.ONLINE || still.contains(e.getKey()))) n++;
    }
    return n;
  }

  private boolean unreachable(int silent, int watched) {
    return silent >= 2 && silent >= share * watched;
  }

  /** Sites unreachable now, sorted. */
  public Set<String> unreachable() {
    return new TreeSet<>(down.keySet());
  }
}
