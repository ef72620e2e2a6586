package io.edgewave.operator.plan;

import io.edgewave.operator.api.v1alpha1.StagingMethod;
import io.edgewave.operator.api.v1alpha1.StagingStart;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * spec.strategy.staging, validated: pull a wave's images onto its nodes before the wave may start, at most
 * {@code maxPullsPerSite} nodes of a site at once, only inside {@code windows} when there are any, from the release's
 * start ({@link StagingStart#Immediately}) or from {@code leadTime} before a wave's window opens; a wave starts once
 * {@code requiredShare} of its online members are staged.
 */
public record StagingPolicy(StagingStart start, Duration leadTime, int maxPullsPerSite, List<WindowPolicy> windows,
    Amount requiredShare, StagingMethod method, Duration timeout) {
  public static final int DEFAULT_MAX_PULLS_PER_SITE = 2;
  public static final Amount DEFAULT_REQUIRED_SHARE = new Amount(100, true);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

  public StagingPolicy {
    start = Objects.requireNonNullElse(start, StagingStart.Immediately);
    maxPullsPerSite = maxPullsPerSite <= 0 ? DEFAULT_MAX_PULLS_PER_SITE : maxPullsPerSite;
    windows = windows == null ? List.of() : List.copyOf(windows);
    requiredShare = Objects.requireNonNullElse(requiredShare, DEFAULT_REQUIRED_SHARE);
    method = Objects.requireNonNullElse(method, StagingMethod.Auto);
    timeout = Objects.requireNonNullElse(timeout, DEFAULT_TIMEOUT);
  }

  /** Staging with every default: pull at once, two per site, any time, every online member, 30 min per node. */
  public static StagingPolicy defaults() {
    return new StagingPolicy(null, null, 0, null, null, null, null);
  }

  /** How many of {@code online} members must be staged: percentages round up, as wave sizes do. */
  public int required(int online) {
    if (online == 0) return 0;
    return requiredShare.percent() ? (int) ((online * (long) requiredShare.value() + 99) / 100)
        : Math.min(requiredShare.value(), online);
  }
}
