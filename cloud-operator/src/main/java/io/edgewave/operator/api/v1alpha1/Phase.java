package io.edgewave.operator.api.v1alpha1;

public enum Phase {
  Pending, WaitingForWindow, Progressing, Baking, AwaitingApproval, Paused, Succeeded, Halted, RollingBack,
  RolledBack, Invalid;

  /** Halted, rolling back or rolled back: the rollout went wrong, and no node moves forward in it any more. */
  public boolean stopped() {
    return this == Halted || this == RollingBack || this == RolledBack;
  }
}
