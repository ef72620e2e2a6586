package io.edgewave.operator.kube;

import io.edgewave.operator.api.v1alpha1.EdgeRelease;
import io.edgewave.operator.rollout.Labels;
import io.edgewave.operator.rollout.StagingObserver;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pre-pull pod of spec.strategy.staging, for clusters without KubeEdge's ImagePrePullJob: pinned to its node
 * (spec.nodeName, as the DaemonSet controller once did), one container per image of the revision, each running
 * {@code /bin/true} so it exits at once; the kubelet pulls the image to create it, which is all we want. No shell and
 * no field of the spec ever becomes a command (KubeEdge's CVE-2026-62371 came from that): images go only where the
 * kubelet reads images. The template's pull secrets go along; it tolerates every taint (it must reach a node that
 * cannot run the workload yet) and runs as nobody with no token, no service links and tiny requests. Owned by the
 * release, so deleting the release removes it; removed by {@link #cleanUp} once its node is updated or the rollout is
 * over.
 */
public final class PrePullPods {
  private final KubernetesClient client;
  private final FleetSources sources;
  /**
   * Pre-pull pods this process created, by release uid and node, until the informer shows them: the next reconcile
   * must count them against the site budget (the informer's index does not see our own creates at once).
   */
  private final Map<String, Map<String, java.time.Instant>> created = new java.util.concurrent.ConcurrentHashMap<>();
  /** Longer than an informer takes to show a create, short enough that a pod deleted by someone is staged again. */
  static final java.time.Duration CREATED_MEMORY = java.time.Duration.ofSeconds(60);

  PrePullPods(KubernetesClient client, FleetSources sources) {
    this.client = client;
    this.sources = sources;
  }

  public static String name(String release, String node) {
    return Labels.deploymentName(release, node) + "-prepull";
  }

  /** The pod of a later attempt has a name of its own: the one it replaces may still be terminating. */
  public static String name(String release, String node, int attempt) {
    return attempt <= 1 ? name(release, node) : name(release, node) + "-" + attempt;
  }

  /** The images of a pod template, init containers first, each once. */
  static List<String> images(PodTemplateSpec template) {
    Set<String> out = new LinkedHashSet<>();
    if (template.getSpec().getInitContainers() != null) {
      for (Container c : template.getSpec().getInitContainers()) if (c.getImage() != null) out.add(c.getImage());
    }
    for (Container c : template.getSpec().getContainers()) if (c.getImage() != null) out.add(c.getImage());
    return new ArrayList<>(out);
  }

  public static Pod desired(EdgeRelease er, String node, String revision, PodTemplateSpec template, Duration timeout) {
    return desired(er, node, revision, template, timeout, 1);
  }

  public static Pod desired(EdgeRelease er, String node, String revision, PodTemplateSpec template, Duration timeout,
      int attempt) {
    String release = er.getMetadata().getName();
    List<Container> containers = new ArrayList<>();
    List<String> images = images(template);
    for (int i = 0; i < images.size(); i++) {
      containers.add(new ContainerBuilder().withName("pull-" + i).withImage(images.get(i))
          .withImagePullPolicy("IfNotPresent").withCommand("/bin/true")
          .withNewResources().withRequests(Map.of("cpu", new Quantity("1m"), "memory", new Quantity("4Mi")))
          .withLimits(Map.of("cpu", new Quantity("50m"), "memory", new Quantity("16Mi"))).endResources()
          .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(65534L).withAllowPrivilegeEscalation(false)
          .withReadOnlyRootFilesystem(true).withNewCapabilities().withDrop("ALL").endCapabilities()
          .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
          .build());
    }
    return new PodBuilder()
        .withNewMetadata()
          .withName(name(release, node, attempt))
          .withNamespace(er.getMetadata().getNamespace())
          .withLabels(Map.of(Labels.MANAGED_BY, Labels.MANAGER, Labels.RELEASE, release, Labels.NODE,
              Labels.nodeValue(node), Labels.REVISION, revision, Labels.PREPULL, "true"))
          .withAnnotations(Map.of(Labels.NODE_NAME, node, Labels.STAGE_ATTEMPT, String.valueOf(Math.max(1, attempt))))
          .withOwnerReferences(NodeDeployments.owner(er))
        .endMetadata()
        .withNewSpec()
          .withNodeName(node)
          .withRestartPolicy("Never")
          .withActiveDeadlineSeconds(timeout.toSeconds())
          .withAutomountServiceAccountToken(false)
          .withEnableServiceLinks(false)
          .withImagePullSecrets(template.getSpec().getImagePullSecrets())
          .withTolerations(new TolerationBuilder().withOperator("Exists").build())
          .withContainers(containers)
        .endSpec()
        .build();
  }

  /** Creates the node's pre-pull pod; one already there (a retry after a lost status write) is left as it is. */
  void create(EdgeRelease er, String node, String revision, PodTemplateSpec template, Duration timeout) {
    create(er, node, revision, template, timeout, 1);
  }

  /** @param attempt which attempt at staging the node this is (see {@link Labels#STAGE_ATTEMPT}) */
  void create(EdgeRelease er, String node, String revision, PodTemplateSpec template, Duration timeout, int attempt) {
    try {
      Pod written = client.pods().inNamespace(er.getMetadata().getNamespace())
          .resource(desired(er, node, revision, template, timeout, attempt)).create();
      sources.created(er, written);
      created.computeIfAbsent(er.getMetadata().getUid() + "/" + revision, k -> new java.util.concurrent.ConcurrentHashMap<>())
          .put(node, java.time.Instant.now());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) throw e;
    }
  }

  /**
   * The attempt a new pre-pull pod of each node would be: one more than the latest of its pods for {@code revision}
   * still there (thrown out ones are kept until replaced, so the count outlives a restart); nodes without one: 1.
   */
  static Map<String, Integer> nextAttempts(List<Pod> pods, String revision) {
    Map<String, Integer> out = new java.util.HashMap<>();
    latestAttempts(pods, revision).forEach((node, latest) -> out.put(node, latest + 1));
    return out;
  }

  /** Per node, the latest attempt among its pre-pull pods of {@code revision}. */
  private static Map<String, Integer> latestAttempts(List<Pod> pods, String revision) {
    Map<String, Integer> out = new java.util.HashMap<>();
    for (Pod p : pods) {
      String node = Labels.nodeName(p);
      if (node != null && StagingObserver.prePullOf(p, revision)) out.merge(node, StagingObserver.attempt(p), Math::max);
    }
    return out;
  }

  /** Nodes whose pre-pull pod for {@code revision} this process created in the last minute. */
  Map<String, java.time.Instant> recentlyCreated(EdgeRelease er, String revision) {
    Map<String, java.time.Instant> m = created.get(er.getMetadata().getUid() + "/" + revision);
    if (m == null) return Map.of();
    java.time.Instant cutoff = java.time.Instant.now().minus(CREATED_MEMORY);
    m.values().removeIf(t -> t.isBefore(cutoff));
    created.keySet().removeIf(k -> k.startsWith(er.getMetadata().getUid() + "/") && !k.endsWith("/" + revision));
    return Map.copyOf(m);
  }

  /**
   * Records on each pre-pull pod of {@code revision} the pull error its kubelet just reported
   * ({@link Labels#PULL_ERROR}), so the error outlives the back-off that hides it and an operator restart. A write
   * only when the error changes, at most {@code budget} a round; a failed write is tried again on the next reconcile.
   * Best effort: the kubelet replaces ErrImagePull by ImagePullBackOff at its next sync, and a reconcile that runs
   * only after that has nothing to record (kubelets from 1.32 on put the error in the back-off's message anyway).
   *
   * @return how many pods were written
   */
  int recordPullErrors(List<Pod> pods, String revision, int budget) {
    int written = 0, tried = 0;
    for (Pod p : pods) {
      if (tried >= budget) break; // a registry outage fails every pull at once: the rest wait for the next round
      if (!StagingObserver.prePullOf(p, revision) || p.getMetadata().getDeletionTimestamp() != null) continue;
      String error = StagingObserver.pullErrorToRecord(p);
      if (error == null) continue;
      tried++;
      if (annotate(p, Labels.PULL_ERROR, error)) written++;
    }
    return written;
  }

  /**
   * Records on each pre-pull pod its deadline killed whether its node could be reached the whole time it ran
   * ({@link Labels#REACHABLE_THROUGHOUT}), once, the first time it is seen; at most {@code budget} a round.
   *
   * @param reachableSince per node, since when it has been reachable
   * @return how many pods were written
   */
  int recordReachability(List<Pod> pods, String revision, Map<String, java.time.Instant> reachableSince, int budget) {
    int written = 0, tried = 0;
    for (Pod p : pods) {
      if (tried >= budget) break;
      if (!StagingObserver.prePullOf(p, revision) || p.getMetadata().getDeletionTimestamp() != null) continue;
      String node = Labels.nodeName(p);
      String value = StagingObserver.reachabilityToRecord(p,
          node == null ? null : reachableSince.get(node));
      if (value == null) continue;
      tried++;
      if (annotate(p, Labels.REACHABLE_THROUGHOUT, value)) written++;
    }
    return written;
  }

  /**
   * One annotation on a pod, by JSON Patch with a test of its uid: never lands on a pod recreated under the same name
   * since it was read. False when it did not land (gone, or the API is unwell: the next reconcile tries again).
   */
  private boolean annotate(Pod p, String key, String value) {
    try {
      client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName())
          .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
              io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
              io.fabric8.kubernetes.client.utils.Serialization.asJson(List.of(
                  Map.of("op", "test", "path", "/metadata/uid", "value", p.getMetadata().getUid()),
                  Map.of("op", "add", "path", "/metadata/annotations/" + key.replace("/", "~1"), "value", value))));
      return true;
    } catch (KubernetesClientException e) {
      return false;
    }
  }

  /**
   * Deletes the pre-pull pods that have done their job: those of another revision, those of nodes already on the
   * revision (their update pulled nothing), and all of them once the rollout is over or staging is off. A failed one
   * of a rollout still going stays: it is the record that the node's images cannot be pulled.
   *
   * @param updated nodes whose Deployment is on {@code revision}
   * @return how many were deleted
   */
  int cleanUp(EdgeRelease er, List<Pod> pods, String revision, Set<String> updated, boolean keepNone) {
    return cleanUp(er, pods, revision, updated, keepNone, Map.of());
  }

  /** @param reachableSince per node, since when it has been reachable: a pod killed by its deadline meanwhile goes */
  int cleanUp(EdgeRelease er, List<Pod> pods, String revision, Set<String> updated, boolean keepNone,
      Map<String, java.time.Instant> reachableSince) {
    int deleted = 0;
    Map<String, Integer> latest = latestAttempts(pods, revision);
    for (Pod p : pods) {
      Map<String, String> l = p.getMetadata().getLabels();
      if (l == null || !l.containsKey(Labels.PREPULL) || p.getMetadata().getDeletionTimestamp() != null) continue;
      String node = Labels.nodeName(p);
      boolean thrownOut = StagingObserver.thrownOut(p,
          node == null ? null : reachableSince.get(node));
      // a thrown-out pod stays until its replacement is there: it carries the count of attempts
      boolean replaced = thrownOut && latest.getOrDefault(node, 0) > StagingObserver.attempt(p);
      boolean done = keepNone || !revision.equals(l.get(Labels.REVISION)) || updated.contains(node) || replaced;
      if (!done) continue;
      try {
        client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).delete();
        deleted++;
      } catch (KubernetesClientException e) {
        // gone already, or the API is unwell: the next reconcile tries again
      }
    }
    return deleted;
  }
}
