package io.edgewave.operator.api.v1alpha1;

public enum Phase {
  Pending, WaitingForWindow, Progressing, Baking, AwaitingApproval, Paused, Succeeded, Halted, RollingBack,
  RolledBack, Invalid
}
