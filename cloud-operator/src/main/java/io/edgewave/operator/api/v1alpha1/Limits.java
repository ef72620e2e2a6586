package io.edgewave.operator.api.v1alpha1;

/**
 * Limits the CRD schema states and the operator enforces: one constant each, read by the schema annotations and
 * the code alike, so the two cannot disagree.
 */
public final class Limits {
  /** Waves in a plan, listed or expanded from {@code exponential}: more is no longer a staged rollout. */
  public static final int MAX_WAVES = 50;

  /** A DNS label's length: wave names, and the probe check names of preflight and gates. */
  public static final int MAX_NAME_LENGTH = 63;

  /**
   * Bounds of {@code preflight.maxGpuTemperature} in Celsius: below 20 no working GPU passes, above 120 every GPU has
   * long shut itself down, so a value outside is a typo.
   */
  public static final int MIN_GPU_TEMPERATURE = 20;
  public static final int MAX_GPU_TEMPERATURE = 120;

  /** Nodes in the first wave of {@code exponential}. */
  public static final int MIN_CANARY = 1;

  /** Growth of {@code exponential} from one wave to the next: below 1.1 it hardly grows, above 10 it is no ramp. */
  public static final double MIN_FACTOR = 1.1;
  public static final int MAX_FACTOR = 10;

  /**
   * The largest percentage a size or failure budget may give. {@link Patterns#SIZE} and {@link Patterns#MAX_FAILURES}
   * spell it in their regular expressions; LimitsTest holds them to it.
   */
  public static final int MAX_PERCENT = 100;

  // Stated by the schema alone; the operator does not check them again, so a cluster that skips schema validation
  // lets more through (harmless: nothing in the operator depends on these bounds).

  public static final int MAX_CANARY = 100000;
  public static final int MAX_COVERAGE_KEYS = 8;
  public static final int MAX_CHECKS = 16;
  public static final int MAX_WINDOWS = 16;
  /** More than this many concurrent pulls per site is no budget at all. */
  public static final int MAX_PULLS_PER_SITE = 100;
  public static final int MAX_REVISION_HISTORY = 50;

  private Limits() {}
}
