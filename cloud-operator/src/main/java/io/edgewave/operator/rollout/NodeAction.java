package io.edgewave.operator.rollout;

/** A write the decider asks for; each is one Deployment create, update or delete. */
public sealed interface NodeAction {
  String node();

  /** Move the node's Deployment to the release's current revision, as part of {@code wave} of {@code attempt}. */
  record Dispatch(String node, String fromRevision, String wave) implements NodeAction {}

  /** Put the node back on {@code toRevision}; null removes the workload (there was none before). */
  record Revert(String node, String toRevision) implements NodeAction {}

  /**
   * Record on the node's Deployment that it was seen Ready on its revision: the evidence that a later blip is
   * fleet health and not a failed update. Metadata only; the pod is not touched.
   */
  record MarkReady(String node) implements NodeAction {}

  /**
   * Pull the revision's images onto the node ahead of its update (spec.strategy.staging): a pre-pull object, not the
   * node's Deployment; the running pod is not touched.
   */
  record Stage(String node, java.time.Duration timeout) implements NodeAction {}
}
