package io.edgewave.operator.alert;

import io.edgewave.operator.rollout.Labels;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * What was last released to a node, for alerts: "lost 40 s after release scan-upload revision 3f2a was applied in
 * wave early". Read from the node's edgewave Deployments, only when an alert is being made (never per heartbeat).
 */
public final class RolloutContext {
  static final Duration RECENT = Duration.ofHours(1);
  private final KubernetesClient client;

  public RolloutContext(KubernetesClient client) {
    this.client = client;
  }

  public String describe(String node, String verb, Instant at) {
    try {
      Optional<Deployment> latest = client.apps().deployments().inAnyNamespace()
          .withLabel(Labels.MANAGED_BY, Labels.MANAGER).withLabel(Labels.NODE, Labels.nodeValue(node)).list().getItems()
          .stream().filter(d -> d.getMetadata().getAnnotations() != null
              && node.equals(d.getMetadata().getAnnotations().get(Labels.NODE_NAME))
              && d.getMetadata().getAnnotations().get(Labels.DISPATCHED_AT) != null)
          .max(Comparator.comparing(d -> d.getMetadata().getAnnotations().get(Labels.DISPATCHED_AT)));
      if (latest.isEmpty()) return null;
      return sentence(latest.get().getMetadata().getLabels(), latest.get().getMetadata().getAnnotations(), verb, at);
    } catch (RuntimeException e) {
      // context is a courtesy: an alert without it beats no alert
      return null;
    }
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
