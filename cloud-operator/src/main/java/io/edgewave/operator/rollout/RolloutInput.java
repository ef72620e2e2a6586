package io.edgewave.operator.rollout;

import io.edgewave.operator.fleet.NodeFacts;
import io.edgewave.operator.plan.ReleasePolicy;
import io.edgewave.operator.plan.WavePlan;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Everything the decider needs, observed at one instant. {@code nodes} holds every target of the plan;
 * {@code progress} is null for a release never reconciled; {@code facts} are the latest edge-probe facts by node;
 * {@code blind} says why heartbeat ingest cannot be trusted right now (broker connection down, mass silence), or
 * is null when it can. {@code plan} must have been made with the frozen membership of {@code roster} (see
 * {@link WaveRoster#frozenFor}).
 *
 * @param factsSince when the operator began receiving heartbeats: before {@code factsSince} plus
 *     {@link NodeClassifier#FACTS_GRACE}, missing facts hold nodes instead of failing or skipping them
 * @param roster the membership recorded for started waves, or null when none was recorded
 * @param outside nodes that have a Deployment of this release but are no longer targets (a rollback reaches them)
 * @param knownRevisions revisions whose template is still in the history, or null when not known
 * @param staging each node's staging for {@code revision} (spec.strategy.staging), as the pre-pull objects say; no
 *     entry: not staged
 * @param sites what each site's nodes prove (see {@link NodeClassifier#siteEvidence}), read from every node of the
 *     cluster, not only the targets; null: read from {@code nodes} and {@code outside}
 */
public record RolloutInput(
    Instant now, String revision, ReleasePolicy policy, WavePlan plan, Map<String, NodeView> nodes,
    Progress progress, Set<String> approvedWaves, int writeBudget, Map<String, NodeFacts> facts, Abort abort,
    String blind, Instant factsSince, WaveRoster roster, Map<String, NodeView> outside, Set<String> knownRevisions,
    String siteLabel, NodeClassifier.SiteEvidence sites, Map<String, StageState> staging) {
  /** An operator's request to stop this rollout: halt where it is, or also roll updated nodes back. */
  public enum Abort { NONE, HALT, ROLLBACK }

  public RolloutInput {
    facts = facts == null ? Map.of() : facts;
    abort = abort == null ? Abort.NONE : abort;
    factsSince = factsSince == null ? Instant.EPOCH : factsSince;
    outside = outside == null ? Map.of() : outside;
    siteLabel = siteLabel == null ? NodeClassifier.SITE_LABEL : siteLabel;
    staging = staging == null ? Map.of() : staging;
    if (sites == null) {
      java.util.List<NodeView> all = new java.util.ArrayList<>(nodes.values());
      all.addAll(outside.values());
      sites = NodeClassifier.siteEvidence(all, facts, revision, siteLabel);
    }
  }

  /** Without staging state. */
  public RolloutInput(Instant now, String revision, ReleasePolicy policy, WavePlan plan, Map<String, NodeView> nodes,
      Progress progress, Set<String> approvedWaves, int writeBudget, Map<String, NodeFacts> facts, Abort abort,
      String blind, Instant factsSince, WaveRoster roster, Map<String, NodeView> outside, Set<String> knownRevisions,
      String siteLabel, NodeClassifier.SiteEvidence sites) {
    this(now, revision, policy, plan, nodes, progress, approvedWaves, writeBudget, facts, abort, blind, factsSince,
        roster, outside, knownRevisions, siteLabel, sites, null);
  }

  /** With site evidence read from the targets. */
  public RolloutInput(Instant now, String revision, ReleasePolicy policy, WavePlan plan, Map<String, NodeView> nodes,
      Progress progress, Set<String> approvedWaves, int writeBudget, Map<String, NodeFacts> facts, Abort abort,
      String blind, Instant factsSince, WaveRoster roster, Map<String, NodeView> outside, Set<String> knownRevisions,
      String siteLabel) {
    this(now, revision, policy, plan, nodes, progress, approvedWaves, writeBudget, facts, abort, blind, factsSince,
        roster, outside, knownRevisions, siteLabel, null, null);
  }

  /** With the default site label. */
  public RolloutInput(Instant now, String revision, ReleasePolicy policy, WavePlan plan, Map<String, NodeView> nodes,
      Progress progress, Set<String> approvedWaves, int writeBudget, Map<String, NodeFacts> facts, Abort abort,
      String blind, Instant factsSince, WaveRoster roster, Map<String, NodeView> outside, Set<String> knownRevisions) {
    this(now, revision, policy, plan, nodes, progress, approvedWaves, writeBudget, facts, abort, blind, factsSince,
        roster, outside, knownRevisions, null);
  }

  public RolloutInput(Instant now, String revision, ReleasePolicy policy, WavePlan plan, Map<String, NodeView> nodes,
      Progress progress, Set<String> approvedWaves, int writeBudget, Map<String, NodeFacts> facts, Abort abort,
      String blind) {
    this(now, revision, policy, plan, nodes, progress, approvedWaves, writeBudget, facts, abort, blind, null, null,
        null, null);
  }

  public RolloutInput(Instant now, String revision, ReleasePolicy policy, WavePlan plan, Map<String, NodeView> nodes,
      Progress progress, Set<String> approvedWaves, int writeBudget, Map<String, NodeFacts> facts, Abort abort) {
    this(now, revision, policy, plan, nodes, progress, approvedWaves, writeBudget, facts, abort, null);
  }

  public RolloutInput(Instant now, String revision, ReleasePolicy policy, WavePlan plan, Map<String, NodeView> nodes,
      Progress progress, Set<String> approvedWaves, int writeBudget, Map<String, NodeFacts> facts) {
    this(now, revision, policy, plan, nodes, progress, approvedWaves, writeBudget, facts, Abort.NONE, null);
  }

  /** Without probe facts: preflight rules see none and gates never pass. */
  public RolloutInput(Instant now, String revision, ReleasePolicy policy, WavePlan plan, Map<String, NodeView> nodes,
      Progress progress, Set<String> approvedWaves, int writeBudget) {
    this(now, revision, policy, plan, nodes, progress, approvedWaves, writeBudget, Map.of(), Abort.NONE, null);
  }
}
