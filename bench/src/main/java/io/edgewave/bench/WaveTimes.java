package io.edgewave.bench;

import io.edgewave.operator.demo.EmbeddedApiServer;
import io.edgewave.operator.demo.SimulatedKubelet;
import io.edgewave.operator.rollout.Labels;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Per wave of one revision, as the simulated kubelet saw it: when its last pod was written Ready and when its first
 * Deployment was seen. The wave of each node comes from its Deployment's wave annotation.
 */
record WaveTimes(Map<String, Instant> lastReady, Map<String, Instant> firstSeen) {
  static WaveTimes of(EmbeddedApiServer api, SimulatedKubelet kubelet, String namespace, String revision) {
    Map<String, String> waveOf = new HashMap<>();
    for (Deployment d : api.client().apps().deployments().inNamespace(namespace).list().getItems()) {
      waveOf.put(d.getMetadata().getAnnotations().get(Labels.NODE_NAME), d.getMetadata().getAnnotations().get(Labels.WAVE));
    }
    Map<String, Instant> lastReady = new HashMap<>();
    kubelet.readyTimes().forEach((k, t) -> {
      if (!k.endsWith("@" + revision)) return;
      lastReady.merge(waveOf.get(k.substring(0, k.indexOf('@'))), t, (a, b) -> a.isAfter(b) ? a : b);
    });
    Map<String, Instant> firstSeen = new HashMap<>();
    for (var d : kubelet.dispatches()) {
      if (d.revision().equals(revision)) firstSeen.merge(waveOf.get(d.node()), d.seenAt(), (a, b) -> a.isBefore(b) ? a : b);
    }
    return new WaveTimes(lastReady, firstSeen);
  }
}
