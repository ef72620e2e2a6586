package io.edgewave.operator.dashboard;

import io.edgewave.operator.api.v1alpha1.Condition;
import io.edgewave.operator.api.v1alpha1.Counts;
import io.edgewave.operator.api.v1alpha1.EdgeReleaseStatus;
import io.edgewave.operator.api.v1alpha1.FailureSample;
import io.edgewave.operator.api.v1alpha1.Phase;
import io.edgewave.operator.api.v1alpha1.WaveStatus;
import io.edgewave.operator.fleet.NodeConditionPlanner;
import io.edgewave.operator.fleet.NodeFacts;
import io.edgewave.operator.plan.ReleasePolicy;
import io.edgewave.operator.rollout.NodeClassifier;
import io.edgewave.operator.rollout.NodeStaging;
import io.edgewave.operator.rollout.NodeView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the dashboard shows, computed from plain records: pure, so it is tested and benchmarked without a
 * cluster. The fleet is one list of nodes ordered by site and name; each release adds one character per node in
 * that order ({@link Cell}), so the page's heat map costs a few bytes per node whatever the number of releases.
 */
public final class FleetBoard {
  /** Liveness as the Node object says it: the probe condition written by the failure detector, and Ready. */
  public enum Liveness { ONLINE, LOST, OFFLINE }

  /** A release's view of one node; the code is what the page draws. */
  public enum Cell {
    UNTARGETED('-'), WAITING('W'), IN_PROGRESS('P'), UPDATED('U'), FAILED('F'), ROLLED_BACK('R');

    public final char code;

    Cell(char code) { this.code = code; }
  }

  /**
   * @param since when the node entered its liveness state (the condition's lastTransitionTime), null if unknown
   * @param gpuCapacity GPUs the Node advertises (nvidia.com/gpu), for boxes whose probe has not reported yet
   */
  public record NodeRow(String name, String site, Liveness liveness, Instant since, String reason, String message,
      int gpuCapacity) {}

  /**
   * @param targets the nodes the release's plan selects, or null when the spec is invalid
   * @param sites what each site's nodes prove, as the rollout reads it, so an excused node of an unreachable site
   *     is not painted failed
   * @param siteLabel the Node label naming sites ({@code --site-label}), or null for the default
   * @param staging where each target not yet updated stands with staging, as the last reconcile decided; empty or
   *     null without staging (or before this replica reconciled the release)
   */
  public record ReleaseInput(String namespace, String name, EdgeReleaseStatus status, Set<String> targets,
      Map<String, NodeView> views, NodeClassifier.SiteEvidence sites, String siteLabel,
      Map<String, NodeStaging> staging) {
    public ReleaseInput {
      sites = sites == null ? NodeClassifier.SiteEvidence.NONE : sites;
      staging = staging == null ? Map.of() : staging;
    }

    public ReleaseInput(String namespace, String name, EdgeReleaseStatus status, Set<String> targets,
        Map<String, NodeView> views, NodeClassifier.SiteEvidence sites, String siteLabel) {
      this(namespace, name, status, targets, views, sites, siteLabel, null);
    }

    public ReleaseInput(String namespace, String name, EdgeReleaseStatus status, Set<String> targets,
        Map<String, NodeView> views, NodeClassifier.SiteEvidence sites) {
      this(namespace, name, status, targets, views, sites, null);
    }

    public ReleaseInput(String namespace, String name, EdgeReleaseStatus status, Set<String> targets,
        Map<String, NodeView> views) {
      this(namespace, name, status, targets, views, null, null, null);
    }
  }

  public record Input(List<ReleaseInput> releases, List<NodeRow> nodes, Map<String, NodeFacts> facts,
      String ingestDegraded, Instant now) {}

  public record ConditionView(String type, String status, String reason, String message) {}

  /** @param staging with staging, its nodes not yet updated by state; null without */
  public record ReleaseCard(String namespace, String name, String phase, String revision, String previousRevision,
      Integer currentWave, String currentWaveName, String message, String startedAt, String finishedAt, Counts totals,
      List<WaveStatus> waves, List<FailureSample> failures, List<ConditionView> conditions, String cells,
      String nextStepAt, StagingSummary staging) {}

  /** @param detail a failed node's image and error, a pulling node's kubelet word, a skipped node's rule; or null */
  public record StagingSample(String node, String detail) {}

  /**
   * One staging state ({@link NodeStaging.State#code}) of a release's nodes: how many, and for states other than
   * staged the first {@link #STAGING_SAMPLES} by name.
   */
  public record StagingCount(String state, int count, List<StagingSample> samples) {}

  /** A release's nodes not yet updated, by staging state in the order of {@link NodeStaging.State}. */
  public record StagingSummary(int nodes, List<StagingCount> states) {}

  /** Sample nodes kept per staging state: a card stays small on a fleet of 10,000. */
  public static final int STAGING_SAMPLES = 20;

  /** A run of nodes of the fleet order that share a site: nodes[from, from + count). */
  public record Site(String name, int from, int count) {}

  /**
   * One site's health: how many of its nodes are lost or offline, and whether it is unreachable (a node of it says
   * {@code SiteUnreachable}: most of the site went silent together).
   */
  public record SiteHealth(String name, int nodes, int lost, boolean unreachable) {}

  public record LostNode(String node, String site, String state, Instant since, Instant lastSeen,
      Long silentSeconds, int gpus, List<String> gpuDrivers, String reason, String message) {}

  /** @param siteHealth every site, unreachable ones first, then those with nodes lost, then by name */
  public record Board(String ingestDegraded, Map<String, Integer> counts, List<ReleaseCard> releases,
      List<String> nodes, String liveness, List<Site> sites, List<LostNode> lost, int lostTotal,
      List<SiteHealth> siteHealth) {}

  /** The lost-nodes table keeps this many rows (lost first, newest first); the count says how many there are. */
  public static final int LOST_ROWS = 500;

  private FleetBoard() {}

  public static Board build(Input in) {
    List<NodeRow> nodes = new ArrayList<>(in.nodes());
    nodes.sort(Comparator.comparing(NodeRow::site).thenComparing(NodeRow::name));
    List<String> names = new ArrayList<>(nodes.size());
    StringBuilder live = new StringBuilder(nodes.size());
    List<Site> sites = new ArrayList<>();
    Map<Liveness, Integer> byLiveness = new EnumMap<>(Liveness.class);
    for (int i = 0; i < nodes.size(); i++) {
      NodeRow n = nodes.get(i);
      names.add(n.name());
      live.append(switch (n.liveness()) {
        case ONLINE -> '.';
        case LOST -> 'L';
        case OFFLINE -> 'O';
      });
      byLiveness.merge(n.liveness(), 1, Integer::sum);
      if (sites.isEmpty() || !sites.get(sites.size() - 1).name().equals(n.site())) sites.add(new Site(n.site(), i, 0));
      Site last = sites.remove(sites.size() - 1);
      sites.add(new Site(last.name(), last.from(), last.count() + 1));
    }
    List<ReleaseCard> cards = new ArrayList<>();
    List<ReleaseInput> releases = new ArrayList<>(in.releases());
    releases.sort(Comparator.comparing(ReleaseInput::namespace).thenComparing(ReleaseInput::name));
    for (ReleaseInput r : releases) cards.add(card(r, names, in.now()));
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put("nodes", nodes.size());
    counts.put("online", byLiveness.getOrDefault(Liveness.ONLINE, 0));
    counts.put("lost", byLiveness.getOrDefault(Liveness.LOST, 0));
    counts.put("offline", byLiveness.getOrDefault(Liveness.OFFLINE, 0));
    List<LostNode> lost = lost(nodes, in.facts(), in.now());
    return new Board(in.ingestDegraded(), counts, cards, names, live.toString(), sites,
        lost.size() > LOST_ROWS ? List.copyOf(lost.subList(0, LOST_ROWS)) : lost, lost.size(), siteHealth(nodes, sites));
  }

  private static List<SiteHealth> siteHealth(List<NodeRow> nodes, List<Site> sites) {
    List<SiteHealth> out = new ArrayList<>(sites.size());
    for (Site s : sites) {
      int lost = 0;
      boolean unreachable = false;
      for (int i = s.from(); i < s.from() + s.count(); i++) {
        NodeRow n = nodes.get(i);
        if (n.liveness() != Liveness.ONLINE) lost++;
        if (NodeConditionPlanner.SITE_UNREACHABLE.equals(n.reason())) unreachable = true;
      }
      out.add(new SiteHealth(s.name(), s.count(), lost, unreachable));
    }
    out.sort(Comparator.comparing((SiteHealth h) -> !h.unreachable()).thenComparing(h -> h.lost() == 0)
        .thenComparing(SiteHealth::name));
    return out;
  }

  /** The board has no release's gates or deadline at hand: it judges with the defaults. */
  private static final NodeClassifier.Rules BOARD_RULES =
      new NodeClassifier.Rules(ReleasePolicy.DEFAULT_PROGRESS_DEADLINE, null, null);

  static Cell cell(ReleaseInput r, String node, Instant now) {
    EdgeReleaseStatus s = r.status();
    boolean targeted = r.targets() != null && r.targets().contains(node);
    NodeView v = r.views().get(node);
    String revision = s == null ? null : s.getRevision();
    if (v == null || v.revision() == null) return targeted ? Cell.WAITING : Cell.UNTARGETED;
    if (revision != null && revision.equals(v.revision())) {
      // the rollout's own classifier, so the heat map agrees with the counts: a node once Ready stays updated
      // through a blip, and a pod still pulling is in progress, not failed, until its deadline
      var ctx = new NodeClassifier.Context(now, revision, Instant.EPOCH, false, r.siteLabel(), r.sites());
      return switch (NodeClassifier.judge(v, null, BOARD_RULES, ctx, true).verdict()) {
        case READY, LAPSED -> Cell.UPDATED;
        case FAILED -> Cell.FAILED;
        default -> Cell.IN_PROGRESS;
      };
    }
    Phase phase = s == null ? null : s.getPhase();
    if (phase == Phase.RollingBack || phase == Phase.RolledBack) return Cell.ROLLED_BACK;
    return targeted ? Cell.WAITING : Cell.UNTARGETED;
  }

  private static ReleaseCard card(ReleaseInput r, List<String> names, Instant now) {
    StringBuilder cells = new StringBuilder(names.size());
    for (String n : names) cells.append(cell(r, n, now).code);
    EdgeReleaseStatus s = r.status() == null ? new EdgeReleaseStatus() : r.status();
    List<ConditionView> conditions = new ArrayList<>();
    for (Condition c : s.getConditions()) {
      conditions.add(new ConditionView(c.getType(), c.getStatus(), c.getReason(), c.getMessage()));
    }
    return new ReleaseCard(r.namespace(), r.name(), s.getPhase() == null ? "Pending" : s.getPhase().name(),
        s.getRevision(), s.getPreviousRevision(), s.getCurrentWave(), s.getCurrentWaveName(), s.getMessage(),
        s.getStartedAt(), s.getFinishedAt(), s.getTotals() == null ? new Counts() : s.getTotals(), s.getWaves(),
        s.getFailures(), conditions, cells.toString(), s.getNextStepAt(), staging(r.staging()));
  }

  /** Counts by state and a few sorted samples per state: never every node, however large the fleet. */
  static StagingSummary staging(Map<String, NodeStaging> nodes) {
    if (nodes.isEmpty()) return null;
    Map<NodeStaging.State, List<String>> byState = new EnumMap<>(NodeStaging.State.class);
    nodes.forEach((n, s) -> byState.computeIfAbsent(s.state(), k -> new ArrayList<>()).add(n));
    List<StagingCount> states = new ArrayList<>(byState.size());
    byState.forEach((state, names) -> {
      List<StagingSample> samples = state == NodeStaging.State.STAGED ? List.of() : names.stream().sorted()
          .limit(STAGING_SAMPLES).map(n -> new StagingSample(n, nodes.get(n).detail())).toList();
      states.add(new StagingCount(state.code, names.size(), samples));
    });
    return new StagingSummary(nodes.size(), states);
  }

  /** Lost nodes first, then offline ones; the most recent first within each, then by name. */
  private static List<LostNode> lost(List<NodeRow> nodes, Map<String, NodeFacts> facts, Instant now) {
    List<LostNode> out = new ArrayList<>();
    for (NodeRow n : nodes) {
      if (n.liveness() == Liveness.ONLINE) continue;
      NodeFacts f = facts.get(n.name());
      Instant seen = f == null ? null : f.receivedAt();
      int gpus = f == null ? n.gpuCapacity() : Math.max(f.gpus(), 0);
      out.add(new LostNode(n.name(), n.site(), n.liveness() == Liveness.LOST ? "lost" : "offline", n.since(), seen,
          seen == null ? null : Math.max(0, Duration.between(seen, now).toSeconds()), gpus,
          f == null ? List.of() : f.gpuDrivers(), n.reason(), n.message()));
    }
    out.sort(Comparator.comparing((LostNode l) -> !l.state().equals("lost"))
        .thenComparing(LostNode::since, Comparator.nullsLast(Comparator.reverseOrder()))
        .thenComparing(LostNode::node));
    return out;
  }
}
