package io.edgewave.operator.kube;

import io.edgewave.operator.rollout.Labels;
import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps each revision's pod template in a ControllerRevision (as DaemonSets and StatefulSets do), so a rollback
 * can restore the template a node had before, whatever the spec says now.
 */
public final class RevisionHistory {
  public static final int DEFAULT_LIMIT = 5;
  private final KubernetesClient client;
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  public RevisionHistory(KubernetesClient client) {
    this.client = client;
  }

  static String name(String release, String revision) {
    return release + "-" + revision;
  }

  /** Records the revision once; prunes the oldest beyond the limit unless a node still uses or returns to it. */
  public void record(EdgeRelease er, String revision, PodTemplateSpec template, int limit, Set<String> inUse) {
    String ns = er.getMetadata().getNamespace();
    String release = er.getMetadata().getName();
    String key = er.getMetadata().getUid() + "/" + revision;
    if (known.contains(key)) return;
    var revisions = client.apps().controllerRevisions().inNamespace(ns);
    if (revisions.withName(name(release, revision)).get() == null) {
      List<ControllerRevision> all = list(er);
      long next = all.stream().mapToLong(ControllerRevision::getRevision).max().orElse(0) + 1;
      ControllerRevision cr = new ControllerRevisionBuilder()
          .withNewMetadata().withName(name(release, revision)).withNamespace(ns)
            .withLabels(Map.of(Labels.MANAGED_BY, Labels.MANAGER, Labels.RELEASE, release, Labels.REVISION, revision))
            .withOwnerReferences(NodeDeployments.owner(er))
          .endMetadata()
          .withRevision(next)
          .withData(Map.of("template", Serialization.jsonMapper().convertValue(template, Map.class)))
          .build();
      try {
        revisions.resource(cr).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) throw e;
      }
      prune(er, limit, inUse, revision);
    }
    known.add(key);
  }

  /** The template of an earlier revision, or null when it is no longer in the history. */
  public PodTemplateSpec template(EdgeRelease er, String revision) {
    ControllerRevision cr = client.apps().controllerRevisions().inNamespace(er.getMetadata().getNamespace())
        .withName(name(er.getMetadata().getName(), revision)).get();
    if (cr == null || cr.getData() == null) return null;
    // data is typed Object; the client may hand back a map or a raw extension, so go through a JSON tree
    var template = Serialization.jsonMapper().valueToTree(cr.getData()).get("template");
    return template == null ? null : Serialization.jsonMapper().convertValue(template, PodTemplateSpec.class);
  }

  /** The revisions whose template is still recorded: one LIST, so asked for only while rolling back. */
  public Set<String> revisions(EdgeRelease er) {
    Set<String> out = new java.util.HashSet<>();
    for (ControllerRevision c : list(er)) {
      if (c.getData() != null) out.add(c.getMetadata().getLabels().get(Labels.REVISION));
    }
    return out;
  }

  private List<ControllerRevision> list(EdgeRelease er) {
    return client.apps().controllerRevisions().inNamespace(er.getMetadata().getNamespace())
        .withLabel(Labels.RELEASE, er.getMetadata().getName()).list().getItems().stream()
        .filter(c -> Labels.MANAGER.equals(c.getMetadata().getLabels().get(Labels.MANAGED_BY)))
        .sorted(Comparator.comparingLong(ControllerRevision::getRevision).reversed()).toList();
  }

  private void prune(EdgeRelease er, int limit, Set<String> inUse, String current) {
    List<ControllerRevision> all = list(er);
    for (int i = limit + 1; i < all.size(); i++) {
      String rev = all.get(i).getMetadata().getLabels().get(Labels.REVISION);
      if (!inUse.contains(rev) && !rev.equals(current)) {
        client.apps().controllerRevisions().inNamespace(er.getMetadata().getNamespace())
            .withName(all.get(i).getMetadata().getName()).delete();
      }
    }
  }
}
