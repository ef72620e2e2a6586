package io.edgewave.operator.api.v1alpha1;

/**
 * Limits the CRD schema states and the operator enforces: one constant each, read by the schema annotations and
 * the code alike, so the two cannot disagree.
 */
public final class Limits {
  /** Waves in a plan, listed or expanded from {@code exponential}: more is no longer a staged rollout. */
  public static final int MAX_WAVES = 50;

  private Limits() {}
}
