package io.edgewave.operator.rollout;

/**
 * One wave's counts. {@code lapsed}: Ready on the revision once, not now (fleet health, not a failure);
 * {@code held}: waiting for probe facts before they can be started or skipped; {@code departed}: members when the
 * wave started that are no longer targets; {@code staged} and {@code staging}: members not yet updated whose images
 * are on the node, or being pulled (spec.strategy.staging; members whose staging failed count as failed).
 */
public record WaveTally(String name, int targets, int updated, int ready, int failed, int offline, int skipped,
    int lapsed, int held, int departed, int staged, int staging) {
  public WaveTally(String name, int targets, int updated, int ready, int failed, int offline, int skipped,
      int lapsed, int held, int departed) {
    this(name, targets, updated, ready, failed, offline, skipped, lapsed, held, departed, 0, 0);
  }

  public WaveTally(String name, int targets, int updated, int ready, int failed, int offline, int skipped) {
    this(name, targets, updated, ready, failed, offline, skipped, 0, 0, 0);
  }
}
