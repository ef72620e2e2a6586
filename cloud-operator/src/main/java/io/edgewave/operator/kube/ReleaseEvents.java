package io.edgewave.operator.kube;

import io.edgewave.operator.rollout.Transition;
import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes Events on the EdgeRelease for its transitions; an Event that cannot be written is only logged. */
final class ReleaseEvents {
  private static final Logger log = LoggerFactory.getLogger(ReleaseEvents.class);
  private final KubernetesClient client;
  private final Clock clock;

  ReleaseEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  void emit(EdgeRelease er, Transition t) {
    String now = clock.instant().toString();
    try {
      client.v1().events().inNamespace(er.getMetadata().getNamespace()).resource(new EventBuilder()
          .withNewMetadata()
            .withGenerateName(er.getMetadata().getName() + ".")
            .withNamespace(er.getMetadata().getNamespace())
          .endMetadata()
          .withNewInvolvedObject()
            .withApiVersion(er.getApiVersion()).withKind(er.getKind()).withName(er.getMetadata().getName())
            .withNamespace(er.getMetadata().getNamespace()).withUid(er.getMetadata().getUid())
          .endInvolvedObject()
          .withReason(t.reason())
          .withMessage(t.message().length() > 1000 ? t.message().substring(0, 1000) : t.message())
          .withType(t.warning() ? "Warning" : "Normal")
          .withNewSource("edgewave-operator", null)
          .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
          .build()).create();
    } catch (KubernetesClientException e) {
      log.warn("{}: could not record event {}: {}", er.getMetadata().getName(), t.reason(), e.getMessage());
    }
  }
}
