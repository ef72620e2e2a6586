package io.edgewave.operator.kube;

import io.edgewave.operator.rollout.Labels;
import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Shapes the one-replica Deployment that runs a release on one node. The pod is pinned the way the DaemonSet
 * controller pins its pods (required node affinity on metadata.name), and the strategy is Recreate: a GPU box
 * with one GPU cannot run the old and the new pod side by side.
 */
public final class NodeDeployments {
  /**
   * The taints the node lifecycle controller puts on a node that stops reporting, tolerated for ever, as the
   * DaemonSet controller does for its pods. Why: without them a pod gets the admission default of 300 s, after which
   * it is evicted. A transit center whose uplink is down for more than 5 minutes keeps running its app (the kubelet
   * cannot hear about the eviction), but when the link returns the kubelet learns that the pod was deleted, kills the
   * app and the Deployment recreates it on the same node (it is pinned there): a restart caused by the network, not
   * by the node, and during the outage a replacement Pending that no other node may take. KubeEdge's own answer to
   * pods evicted from offline edge nodes is this unlimited toleration (kubeedge issues #1571, #4338).
   */
  static final List<String> LINK_LOSS_TAINTS = List.of("node.kubernetes.io/unreachable", "node.kubernetes.io/not-ready");

  private NodeDeployments() {}

  public static Deployment desired(EdgeRelease er, String node, String revision, PodTemplateSpec template,
      String previousRevision, String wave, Instant dispatchedAt) {
    String release = er.getMetadata().getName();
    Map<String, String> selector = Map.of(Labels.MANAGED_BY, Labels.MANAGER, Labels.RELEASE, release,
        Labels.NODE, Labels.nodeValue(node));
    Map<String, String> labels = new HashMap<>(selector);
    labels.put(Labels.REVISION, revision);

    PodTemplateSpec pod = Serialization.clone(template);
    if (pod.getMetadata() == null) pod.setMetadata(new ObjectMeta());
    Map<String, String> podLabels = new HashMap<>(pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels());
    podLabels.putAll(labels);
    pod.getMetadata().setLabels(podLabels);
    pin(pod, node);
    tolerateLinkLoss(pod);

    Map<String, String> annotations = new HashMap<>();
    annotations.put(Labels.NODE_NAME, node);
    annotations.put(Labels.DISPATCHED_AT, dispatchedAt.toString());
    if (previousRevision != null) annotations.put(Labels.PREVIOUS_REVISION, previousRevision);
    if (wave != null) annotations.put(Labels.WAVE, wave);

    return new DeploymentBuilder()
        .withNewMetadata()
          .withName(Labels.deploymentName(release, node))
          .withNamespace(er.getMetadata().getNamespace())
          .withLabels(labels)
          .withAnnotations(annotations)
          .withOwnerReferences(owner(er))
        .endMetadata()
        .withNewSpec()
          .withReplicas(1)
          .withRevisionHistoryLimit(1)
          .withNewSelector().withMatchLabels(selector).endSelector()
          .withNewStrategy().withType("Recreate").endStrategy()
          .withTemplate(pod)
        .endSpec()
        .build();
  }

  /** Moves an existing Deployment to the desired one, keeping its identity and resourceVersion (optimistic lock). */
  public static Deployment updated(Deployment existing, Deployment desired) {
    Deployment d = Serialization.clone(existing);
    d.getMetadata().setLabels(desired.getMetadata().getLabels());
    Map<String, String> annotations = new HashMap<>(d.getMetadata().getAnnotations() == null ? Map.of() : d.getMetadata().getAnnotations());
    annotations.remove(Labels.PREVIOUS_REVISION);
    annotations.remove(Labels.WAVE);
    annotations.putAll(desired.getMetadata().getAnnotations());
    d.getMetadata().setAnnotations(annotations);
    d.getMetadata().setOwnerReferences(desired.getMetadata().getOwnerReferences());
    d.setSpec(desired.getSpec());
    d.setStatus(null);
    return d;
  }

  static OwnerReference owner(EdgeRelease er) {
    return new OwnerReferenceBuilder().withApiVersion(er.getApiVersion()).withKind(er.getKind())
        .withName(er.getMetadata().getName()).withUid(er.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(true).build();
  }

  /**
   * Appends the link-loss tolerations, except for a key the template already tolerates by name: that one is the
   * author's choice (e.g. a tolerationSeconds of their own). Appended last, so a key-less toleration earlier in the
   * template still wins: the taint manager uses the first toleration that matches each taint.
   */
  private static void tolerateLinkLoss(PodTemplateSpec pod) {
    List<Toleration> tolerations = new ArrayList<>(pod.getSpec().getTolerations() == null ? List.of() : pod.getSpec().getTolerations());
    for (String key : LINK_LOSS_TAINTS) {
      if (tolerations.stream().anyMatch(t -> key.equals(t.getKey()))) continue;
      tolerations.add(new TolerationBuilder().withKey(key).withOperator("Exists").withEffect("NoExecute").build());
    }
    pod.getSpec().setTolerations(tolerations);
  }

  /** Adds "metadata.name In [node]" to every required term: terms are ORed, so each must carry it. */
  private static void pin(PodTemplateSpec pod, String node) {
    if (pod.getSpec().getAffinity() == null) pod.getSpec().setAffinity(new Affinity());
    Affinity a = pod.getSpec().getAffinity();
    if (a.getNodeAffinity() == null) a.setNodeAffinity(new NodeAffinity());
    NodeAffinity na = a.getNodeAffinity();
    if (na.getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      na.setRequiredDuringSchedulingIgnoredDuringExecution(new NodeSelector(new ArrayList<>()));
    }
    List<NodeSelectorTerm> terms = na.getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
    if (terms.isEmpty()) terms.add(new NodeSelectorTerm(new ArrayList<>(), new ArrayList<>()));
    for (NodeSelectorTerm t : terms) {
      if (t.getMatchFields() == null) t.setMatchFields(new ArrayList<>());
      t.getMatchFields().add(new NodeSelectorRequirement("metadata.name", "In", List.of(node)));
    }
  }
}
