package io.edgewave.operator.rollout;

import io.edgewave.operator.fleet.NodeConditionPlanner;
import io.edgewave.operator.fleet.NodeFacts;
import io.edgewave.operator.plan.FactRule;
import io.edgewave.operator.plan.PreflightPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one node's state means for a rollout: the one place where "failed", "ready" and "waiting" are defined. The
 * decider counts and gates on these verdicts; the dashboard colours its heat map with them, so the two agree.
 *
 * <p>The rules (docs/edgerelease.md, "How failures are judged"), each decided on evidence that lasts:
 * <ul>
 *   <li>A node is {@code READY} once its pod of the revision is Ready and every gating check passed in a heartbeat
 *       received after that pod became Ready and not older than {@link #FACTS_MAX_AGE}. The operator then records
 *       {@code readyAt} on the node's Deployment; from then on a lapse (pod or node not Ready, probe silent) is
 *       {@code LAPSED}: fleet health, never a rollout failure, with one exception while the node's wave is still
 *       unsettled (in progress or baking): a crash loop (at least {@link #CRASH_LOOP_RESTARTS} restarts), which is
 *       what a bake exists to catch.</li>
 *   <li>A node never seen Ready fails at once only on a crash loop with at least {@link #CRASH_LOOP_RESTARTS}
 *       restarts. Everything else (an image that cannot be pulled yet, a config error, a pod not Ready, the node lost
 *       during its update, a gating check not passed) fails it only when it still holds at the progress deadline,
 *       and then with that reason.</li>
 *   <li>Missing probe facts are inconclusive, never a failure or a skip by themselves: they hold the node until
 *       facts arrive, or until {@link #FACTS_GRACE} after the operator started listening (a restart or a new leader
 *       has no facts yet) and the progress deadline have both passed; while heartbeat ingest is degraded, forever.</li>
 * </ul>
 * Pure: records in, a verdict out.
 */
public final class NodeClassifier {
  /** Restarts after which a crash loop is the pod's own doing, not a slow start. */
  public static final int CRASH_LOOP_RESTARTS = 3;
  /**
   * How long after the operator starts listening (start, new leader, broker reconnect) missing facts are waited
   * for: longer than the failure detector's own quiet time after a reconnect (T + reconnect grace, 92 s at the
   * defaults), so probes still backing off are not judged by their silence.
   */
  public static final Duration FACTS_GRACE = Duration.ofMinutes(2);
  /** Facts older than this count as missing (twelve default heartbeats). */
  public static final Duration FACTS_MAX_AGE = Duration.ofMinutes(2);
  /** Facts do not raise events: nodes waiting on them are looked at again this often. */
  public static final Duration FACTS_RECHECK = Duration.ofSeconds(5);
  /** The Node label naming a node's site, unless the operator is told another ({@code --site-label}). */
  public static final String SITE_LABEL = "edgewave.io/site";

  public enum Verdict {
    /** Not on the revision; may be started. */
    WAITING,
    /** Not on the revision; its preflight facts are not in yet, so it can be neither started nor skipped. */
    HELD,
    /** Not on the revision, the node NotReady or lost; or on it, not yet Ready, and its site unreachable. */
    OFFLINE,
    /** Not on the revision; fails a preflight rule on facts that are in. */
    SKIPPED,
    /** On the revision, not judged yet. */
    UPDATING,
    /** On the revision, Ready and its gates passed. */
    READY,
    /** Was Ready on the revision and is not now: fleet health, not a rollout failure. */
    LAPSED,
    /** On the revision and failed by lasting evidence; or not on it, its staging failed (never started). */
    FAILED
  }

  /** What the release's spec says about judging. */
  public record Rules(Duration progressDeadline, PreflightPolicy preflight, List<FactRule> gates) {
    public Rules {
      preflight = preflight == null ? PreflightPolicy.NONE : preflight;
      gates = gates == null ? List.of() : List.copyOf(gates);
    }
  }

  /**
   * @param factsSince when the operator started receiving heartbeats (start, restart, new leader)
   * @param blind heartbeat ingest is degraded: facts cannot arrive, so their absence proves nothing
   */
  public record Context(Instant now, String revision, Instant factsSince, boolean blind, String siteLabel,
      SiteEvidence sites, Map<String, StageState> staging) {
    public Context {
      siteLabel = siteLabel == null ? SITE_LABEL : siteLabel;
      sites = sites == null ? SiteEvidence.NONE : sites;
      staging = staging == null ? Map.of() : staging;
    }

    public Context(Instant now, String revision, Instant factsSince, boolean blind, String siteLabel,
        SiteEvidence sites) {
      this(now, revision, factsSince, blind, siteLabel, sites, null);
    }

    /** Without site evidence: no node is release-suspect, and no site outage excuses an updated node. */
    public Context(Instant now, String revision, Instant factsSince, boolean blind) {
      this(now, revision, factsSince, blind, SITE_LABEL, SiteEvidence.NONE, null);
    }

    /**
     * Not-updated nodes of the site that stayed healthy through {@code t} (condition True since then or earlier)
     * and beat after it: evidence that the site was up the whole time, not a site coming back around a straggler.
     */
    int beatingAfter(String site, Instant t) {
      int n = 0;
      for (SiteEvidence.Beat b : sites.beats().getOrDefault(site, List.of())) {
        if (b.lastBeat().isAfter(t) && b.healthySince() != null && !b.healthySince().isAfter(t)) n++;
      }
      return n;
    }
  }

  /**
   * What a site's other nodes prove, for every node of the cluster, targets of this release or not (an edge node at
   * a transit center is a witness for the GPU boxes next to it). {@code beats}: by site, for each node not on the
   * revision whose probe condition is True, since when and its latest heartbeat. {@code outageWitnessed}: sites where
   * the outage also silenced a node the release cannot have broken, one it has not updated: only there is a silent
   * updated node excused as offline. When every silent node of a site is one the release updated, the silence may be
   * the release's doing (a driver that hangs the box, a pod that eats its memory), so nothing is excused.
   */
  public record SiteEvidence(Map<String, List<Beat>> beats, Set<String> outageWitnessed) {
    public static final SiteEvidence NONE = new SiteEvidence(Map.of(), Set.of());

    public record Beat(Instant healthySince, Instant lastBeat) {}
  }

  /** The site evidence among {@code nodes} (pass every node of the cluster, not only the release's targets). */
  public static SiteEvidence siteEvidence(Collection<NodeView> nodes, Map<String, NodeFacts> facts, String revision,
      String siteLabel) {
    Map<String, List<SiteEvidence.Beat>> beats = new HashMap<>();
    Set<String> witnessed = new HashSet<>();
    for (NodeView v : nodes) {
      if (v == null || v.probe() == null || revision.equals(v.revision())) continue;
      String site = v.labels() == null ? null : v.labels().get(siteLabel);
      if (site == null) continue;
      if (!v.probe().healthy()) {
        // a witness runs nothing of this release, in any revision: not even an earlier attempt can have broken it
        if (NodeConditionPlanner.SITE_UNREACHABLE.equals(v.probe().reason()) && v.revision() == null) {
          witnessed.add(site);
        }
        continue;
      }
      NodeFacts f = facts.get(v.name());
      if (f == null || f.receivedAt() == null) continue;
      beats.computeIfAbsent(site, k -> new ArrayList<>()).add(new SiteEvidence.Beat(v.probe().since(), f.receivedAt()));
    }
    return new SiteEvidence(beats, witnessed);
  }

  /** A verdict, its reason (for FAILED, SKIPPED, HELD and pending gates) and when to look again, or null. */
  public record Judgement(Verdict verdict, String reason, Instant recheckAt) {
    static Judgement of(Verdict v) { return new Judgement(v, null, null); }
  }

  private NodeClassifier() {}

  /** @param settled the node's wave is settled (its bake ended): a node once Ready then stays counted Ready */
  public static Judgement judge(NodeView v, NodeFacts f, Rules r, Context c, boolean settled) {
    if (v.revision() == null || !v.revision().equals(c.revision())) return notStarted(v, f, r, c);
    if (v.readyAt() != null) return afterReady(v, f, c, settled);
    // the deadline runs while the node can be reached: one back from a lost spell (its site's uplink) gets a full
    // deadline from its return, not a failure the moment it is heard again
    Instant from = v.dispatchedAt();
    if (from != null && v.probe() != null && v.probe().healthy() && v.probe().since() != null
        && v.probe().since().isAfter(from)) {
      from = v.probe().since();
    }
    Instant deadline = from == null ? null : from.plus(r.progressDeadline());
    boolean pastDeadline = deadline != null && !c.now().isBefore(deadline);
    if (crashLoop(v)) return new Judgement(Verdict.FAILED, v.podReason(), null);
    if (v.pod() == NodeView.PodState.READY) {
      String gate = pendingGate(r.gates(), f, v.podReadySince(), v.dispatchedAt(), c.now());
      if (gate == null) return Judgement.of(Verdict.READY);
      boolean factsMissing = gate.startsWith("no heartbeat");
      boolean canFail = pastDeadline && !c.blind()
          && (!factsMissing || !c.now().isBefore(c.factsSince().plus(FACTS_GRACE)));
      if (canFail) return new Judgement(Verdict.FAILED, "GateCheckFailed: " + gate, null);
      return new Judgement(Verdict.UPDATING, gate, c.now().plus(FACTS_RECHECK));
    }
    if (excused(v, c)) {
      return new Judgement(Verdict.OFFLINE, "SiteUnreachable: its site went silent during its update", null);
    }
    String suspect = suspect(v, f, c);
    if (suspect != null) return new Judgement(Verdict.FAILED, suspect, null);
    if (!v.online() && siteUnreachable(v)) {
      // neither excused nor blamed: its wave waits for it, past its deadline too, and it is judged when the site is
      // back; a release that silenced the site gets no further, an uplink cut fails nothing
      return new Judgement(Verdict.UPDATING, UNWITNESSED, null);
    }
    if (pastDeadline && !(c.blind() && !v.online())) {
      String reason = !v.online() ? "NodeLostDuringUpdate"
          : v.pod() == NodeView.PodState.FAILED && v.podReason() != null ? v.podReason() : "ProgressDeadlineExceeded";
      return new Judgement(Verdict.FAILED, reason, null);
    }
    // heartbeats do not raise events: a silent node whose site may prove it suspect is looked at again soon
    Instant recheck = candidate(v, f, c) && (deadline == null || c.now().plus(FACTS_RECHECK).isBefore(deadline))
        ? c.now().plus(FACTS_RECHECK) : deadline;
    return new Judgement(Verdict.UPDATING, v.online() ? v.podReason() : "node lost during its update", recheck);
  }

  private static Judgement afterReady(NodeView v, NodeFacts f, Context c, boolean settled) {
    if (v.pod() == NodeView.PodState.READY && v.online()) return Judgement.of(Verdict.READY);
    if (!settled && crashLoop(v)) return new Judgement(Verdict.FAILED, v.podReason() + " after Ready", null);
    String suspect = settled || excused(v, c) ? null : suspect(v, f, c);
    if (suspect != null) return new Judgement(Verdict.FAILED, suspect + " (it had been Ready)", null);
    return new Judgement(Verdict.LAPSED, !v.online() ? "node not Ready" : "pod not Ready",
        !settled && candidate(v, f, c) ? c.now().plus(FACTS_RECHECK) : null);
  }

  private static boolean siteUnreachable(NodeView v) {
    return v.probe() != null && NodeConditionPlanner.SITE_UNREACHABLE.equals(v.probe().reason());
  }

  /** Why an updated node of an unreachable site holds its wave when nothing excused it. */
  static final String UNWITNESSED = "SiteUnreachable: held until its site is back; every silent node there runs this"
      + " release, so the release may be the cause";

  /**
   * Offline, not failed: its site is unreachable and the outage also silenced a node of the site this release has
   * not updated, so the release cannot be its cause.
   */
  private static boolean excused(NodeView v, Context c) {
    if (v.online() || !siteUnreachable(v)) return false;
    String site = v.labels() == null ? null : v.labels().get(c.siteLabel());
    return site != null && c.sites().outageWitnessed().contains(site);
  }

  /**
   * Silent since after its update, at a site, heartbeats trusted: what its site's beats could make suspect. Proof
   * that it lived after its update was dispatched (a heartbeat received after it, or its new pod seen Ready) and its
   * own last heartbeat heard by this process, not after the loss: a box that died before its update, or one beating
   * again under a condition not yet rewritten (after a restart, a new leader), is no suspect.
   */
  private static boolean candidate(NodeView v, NodeFacts f, Context c) {
    if (v.online() || c.blind() || v.probe() == null || v.probe().healthy()
        || !(NodeConditionPlanner.LOST.equals(v.probe().reason()) || siteUnreachable(v))) {
      return false;
    }
    Instant since = v.probe().since();
    if (since == null || v.dispatchedAt() == null || since.isBefore(v.dispatchedAt())) return false;
    if (f == null || f.receivedAt() == null) {
      // not heard by this process: after a restart, a node seen Ready on the revision (so it ran the update) that has
      // stayed silent for the whole grace this process has listened is silent now, not beating under a stale
      // condition
      return v.readyAt() != null && !c.now().isBefore(c.factsSince().plus(FACTS_GRACE))
          && v.labels() != null && v.labels().get(c.siteLabel()) != null;
    }
    if (f.receivedAt().isAfter(since)) return false;
    if (v.readyAt() == null && !f.receivedAt().isAfter(v.dispatchedAt())) return false;
    return v.labels() != null && v.labels().get(c.siteLabel()) != null;
  }

  /** The release-suspect reason, or null: silent since after its update while its site's other nodes beat. */
  private static String suspect(NodeView v, NodeFacts f, Context c) {
    if (!candidate(v, f, c)) return null;
    int beating = c.beatingAfter(v.labels().get(c.siteLabel()), v.probe().since());
    if (beating == 0) return null;
    return "NodeLostAfterUpdate: silent after the update while " + beating + " of its site's not-updated nodes "
        + (beating == 1 ? "keeps" : "keep") + " beating";
  }

  private static boolean crashLoop(NodeView v) {
    return v.pod() == NodeView.PodState.FAILED && "CrashLoopBackOff".equals(v.podReason())
        && v.restarts() >= CRASH_LOOP_RESTARTS;
  }

  private static Judgement notStarted(NodeView v, NodeFacts f, Rules r, Context c) {
    // offline first: a node that went away during its pull is offline (skipped or waited for), not failed
    if (!v.online()) return Judgement.of(Verdict.OFFLINE);
    StageState stage = c.staging().get(v.name());
    if (stage != null && stage.kind() == StageState.Kind.FAILED) {
      // its images cannot be pulled: it fails before its running pod was stopped, and is never started
      return new Judgement(Verdict.FAILED, "StagingFailed: " + stage.reason(), null);
    }
    if (r.preflight().empty()) return Judgement.of(Verdict.WAITING);
    if (!fresh(f, c.now())) {
      Instant until = c.factsSince().plus(FACTS_GRACE);
      if (c.blind() || c.now().isBefore(until)) {
        return new Judgement(Verdict.HELD, "Preflight: waiting for a heartbeat from the edge probe",
            c.blind() ? c.now().plus(FACTS_RECHECK) : until);
      }
      return new Judgement(Verdict.SKIPPED, f == null ? "Preflight: no heartbeat from the edge probe"
          : "Preflight: no heartbeat from the edge probe in the last " + FACTS_MAX_AGE.toMinutes() + "m",
          c.now().plus(FACTS_RECHECK.multipliedBy(6)));
    }
    String skip = PreflightCheck.failure(r.preflight(), f);
    return skip == null ? Judgement.of(Verdict.WAITING)
        : new Judgement(Verdict.SKIPPED, skip, c.now().plus(FACTS_RECHECK.multipliedBy(6)));
  }

  private static boolean fresh(NodeFacts f, Instant now) {
    return f != null && !f.receivedAt().isBefore(now.minus(FACTS_MAX_AGE));
  }

  /**
   * The first gate not met in a heartbeat sent after the pod became Ready (both on the node's clock),
   * received after the dispatch (both on the operator's) and within {@link #FACTS_MAX_AGE}, or null when all pass.
   * A reason starting "no heartbeat" means the facts are missing; a rule's own reason (even "no GPU reported") is
   * about facts that are in.
   */
  static String pendingGate(List<FactRule> gates, NodeFacts f, Instant podReadySince, Instant dispatchedAt,
      Instant now) {
    if (gates.isEmpty()) return null;
    if (f == null || (podReadySince != null && !f.sentAt().isAfter(podReadySince))
        || (dispatchedAt != null && !f.receivedAt().isAfter(dispatchedAt))) {
      return "no heartbeat since the pod was Ready";
    }
    if (!fresh(f, now)) return "no heartbeat in the last " + FACTS_MAX_AGE.toMinutes() + "m";
    return PreflightCheck.firstFailure(gates, f);
  }
}
