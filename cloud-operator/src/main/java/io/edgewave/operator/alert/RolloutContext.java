package io.edgewave.operator.alert;

import io.edgewave.operator.rollout.FleetCache;
import io.edgewave.operator.rollout.Labels;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What was last released to a node, for alerts: "lost 40 s after release scan-upload revision 3f2a was applied in
 * wave early". Read from the node's edgewave Deployments as the caller's cache holds them (the operator's
 * informers), only when alerts are being made: a site going dark must not turn into cluster-wide LISTs.
 */
public final class RolloutContext {
  static final Duration RECENT = Duration.ofHours(1);
  private final Supplier<? extends Collection<Deployment>> deployments;

  /** {@code deployments}: the edgewave Deployments known now; an empty collection gives alerts without context. */
  public RolloutContext(Supplier<? extends Collection<Deployment>> deployments) {
    this.deployments = deployments;
  }

  /** The Deployments of every release in {@code cache}, which may be null until the operator has started. */
  public static Supplier<List<Deployment>> fromCache(Supplier<FleetCache> cache) {
    return () -> {
      FleetCache c = cache.get();
      return c == null ? List.of() : c.releases().stream().flatMap(er -> c.deployments(er).stream()).toList();
    };
  }

  /** The latest dispatch to each node, read once for a batch of transitions. */
  public Map<String, Deployment> latestByNode() {
    Map<String, Deployment> latest = new HashMap<>();
    try {
      for (Deployment d : deployments.get()) {
        Map<String, String> labels = d.getMetadata().getLabels();
        Map<String, String> annotations = d.getMetadata().getAnnotations();
        if (labels == null || annotations == null || !Labels.MANAGER.equals(labels.get(Labels.MANAGED_BY))) continue;
        String node = annotations.get(Labels.NODE_NAME);
        String at = annotations.get(Labels.DISPATCHED_AT);
        if (node == null || at == null) continue;
        latest.merge(node, d, (a, b) -> dispatchedAt(a).compareTo(at) >= 0 ? a : b);
      }
    } catch (RuntimeException e) {
      // context is a courtesy: an alert without it beats no alert
      return Map.of();
    }
    return latest;
  }

  public String describe(String node, String verb, Instant at) {
    return describe(latestByNode().get(node), verb, at);
  }

  /** The sentence for the node's latest Deployment (null: nothing recent to tell). */
  static String describe(Deployment latest, String verb, Instant at) {
    if (latest == null) return null;
    try {
      return sentence(latest.getMetadata().getLabels(), latest.getMetadata().getAnnotations(), verb, at);
    } catch (RuntimeException e) {
      return null; // a hand-edited annotation that does not parse
    }
  }

  private static String dispatchedAt(Deployment d) {
    return d.getMetadata().getAnnotations().get(Labels.DISPATCHED_AT);
  }

  static String sentence(Map<String, String> labels, Map<String, String> annotations, String verb, Instant at) {
    Instant applied = Instant.parse(annotations.get(Labels.DISPATCHED_AT));
    Duration since = Duration.between(applied, at);
    if (since.isNegative() || since.compareTo(RECENT) > 0) return null;
    String wave = annotations.get(Labels.WAVE);
    return verb + " " + since.toSeconds() + " s after release " + labels.get(Labels.RELEASE) + " revision "
        + labels.get(Labels.REVISION) + " was applied" + (wave == null ? "" : " in wave " + wave);
  }
}
