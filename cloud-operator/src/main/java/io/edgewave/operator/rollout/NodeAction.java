package io.edgewave.operator.rollout;

/** A write the decider asks for; each is one Deployment create, update or delete. */
public sealed interface NodeAction {
  String node();

  /** Move the node's Deployment to the release's current revision, as part of {@code wave}. */
  record Dispatch(String node, String fromRevision, String wave) implements NodeAction {}

  /** Put the node back on {@code toRevision}; null removes the workload (there was none before). */
  record Revert(String node, String toRevision) implements NodeAction {}
}
